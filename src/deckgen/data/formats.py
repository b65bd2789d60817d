"""Public data formats deckgen recognises by their header, and what it knows of each.

- **police.uk street-level crime** (`YYYY-MM/YYYY-MM-<force>-street.csv`, one file per force and
  month): `Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,
  LSOA name,Crime type,Last outcome category,Context`. Month is a period (YYYY-MM); the LSOA
  name is the district's name, a space and the LSOA's suffix ("Southend-on-Sea 015B"), so a
  `District` column is added (everything before the last space); anti-social behaviour rows have
  no Crime ID and no outcome; a few rows have no location.
- **Home Office police recorded crime open data tables** (by community safety partnership):
  `Financial Year, Financial Quarter, Police Force, CSP Name, Offence Description, Offence Group,
  Offence Subgroup, Offence Code, Offence Count`. Editions differ: `Force Name` for `Police
  Force`, `Number of Offences` for `Offence Count`, headers in other cases, quarters written `1`
  or `Q1`, labels whose case drifts ("Drug offences", "Drug Offences"). deckgen reads them all
  under the names above, quarters as 1-4, each label in one spelling, and adds `Quarter`
  ("2015/16 Q1") so a window can select quarters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

POLICE_UK = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
             "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
             "Context")

#: The Home Office table's columns, each with the other names editions give it (any case).
HOME_OFFICE = {
    "Financial Year": ("financial year",),
    "Financial Quarter": ("financial quarter",),
    "Police Force": ("police force", "force name", "force"),
    "CSP Name": ("csp name", "csp"),
    "Offence Description": ("offence description",),
    "Offence Group": ("offence group",),
    "Offence Subgroup": ("offence subgroup", "offence sub group"),
    "Offence Code": ("offence code",),
    "Offence Count": ("offence count", "number of offences", "offences"),
}

#: police.uk's crime types (since 2013), for messages and the synthetic extract.
CRIME_TYPES = ("Anti-social behaviour", "Bicycle theft", "Burglary",
               "Criminal damage and arson", "Drugs", "Other theft", "Possession of weapons",
               "Public order", "Robbery", "Shoplifting", "Theft from the person",
               "Vehicle crime", "Violence and sexual offences", "Other crime")


@dataclass(frozen=True)
class Recognised:
    """A header recognised as a known format: its name and, for each column of the file, the
    name deckgen reads it under."""

    format: str
    names: tuple[str, ...]


def recognise(header: list[str]) -> Optional[Recognised]:
    """The known format a file's header line is, or None for an ordinary CSV."""
    cleaned = [h.strip() for h in header]
    if tuple(cleaned) == POLICE_UK:
        return Recognised("police.uk", POLICE_UK)
    names = home_office_names(cleaned)
    if names is not None:
        return Recognised("home-office", names)
    return None


def home_office_names(header: list[str]) -> Optional[tuple[str, ...]]:
    """The canonical names of a Home Office table's columns, or None when the header is not
    one (it must have every column of the table, under any of its names)."""
    lookup = {alias: name for name, aliases in HOME_OFFICE.items() for alias in aliases}
    names = tuple(lookup.get(h.strip().lower(), h.strip()) for h in header)
    return names if set(HOME_OFFICE) <= set(names) else None


def missing_columns(fmt: str, header: list[str]) -> list[str]:
    """The columns a file declared as `fmt` lacks (for the message when it is not one)."""
    cleaned = [h.strip() for h in header]
    if fmt == "police.uk":
        return [c for c in POLICE_UK if c not in cleaned]
    have = {h.lower() for h in cleaned}
    return [name for name, aliases in HOME_OFFICE.items()
            if not (set(aliases) & have) and name.lower() not in have]
