"""Public record formats deckgen recognises by their header, each one object, registered once.

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

A format is one `RecordFormat`: which headers it claims (`names`), which of its columns are
numbers, the columns it adds and what they are made from, how it says a file is not one, and
what it adds and checks once its rows are read (`finish`, each problem at its row). The record
reader (records.py) reads any of them fast; `register` is what lets a header be recognised as
one and `format:` name it (the outline's schema lists the registered formats), with no other
edit (tests/unit/test_formats_contract.py adds one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Optional, Protocol

from deckgen.data.header import NO_HEADER, is_header
from deckgen.errors import DeckError, Location, excerpt, listing
from deckgen.source import schema
from deckgen.source.periods import parse_month

if TYPE_CHECKING:
    import pandas as pd


class Rows(Protocol):
    """Where the rows of record files came from: `where(label, column)` locates one."""

    def where(self, label: int, column: Optional[str] = None) -> Location: ...


class RecordFormat:
    """A public format of record files (a record a line, millions of lines), known by its
    header. A subclass says which headers are its own and under what names their columns are
    read; the rest has defaults: every column text, nothing added, nothing checked."""

    #: as `format:` names it, and messages
    name: ClassVar[str]
    #: the names deckgen reads the format's columns under, in the order its files have them
    columns: ClassVar[tuple[str, ...]]
    #: columns read as numbers (the rest are text, read as categories)
    numbers: ClassVar[tuple[str, ...]] = ()
    #: columns the format adds, each with the file's columns it is made from (read from the
    #: file whenever the added column is needed)
    adds: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def names(self, header: list[str]) -> Optional[tuple[str, ...]]:
        """The names deckgen reads the file's columns under (one for each column of
        `header`), or None when the header is not this format's."""
        raise NotImplementedError

    def missing(self, header: list[str]) -> list[str]:
        """The columns a file said to be in this format lacks (for the message when it is
        not one)."""
        return []

    def not_this(self, header: list[str]) -> str:
        """Why a file of a source whose other files are in this format is not one (at the
        file's first line)."""
        return (f"the header is not a {self.name} file's: it has no "
                f"{listing(self.missing(header)) or 'such columns'}")

    def finish(self, frame: "pd.DataFrame", origin: Rows) -> None:
        """Add the columns the format adds, and check what its columns must hold; a problem is
        an error at its row (`origin.where`)."""


class PoliceUk(RecordFormat):
    name = "police.uk"
    numbers = ("Longitude", "Latitude")
    adds = {"District": ("LSOA name",)}
    #: the street-level files' header, exactly
    columns = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
               "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
               "Context")

    def names(self, header: list[str]) -> Optional[tuple[str, ...]]:
        return self.columns if tuple(h.strip() for h in header) == self.columns else None

    def missing(self, header: list[str]) -> list[str]:
        cleaned = [h.strip() for h in header]
        return [c for c in self.columns if c not in cleaned]

    def not_this(self, header: list[str]) -> str:
        cleaned = [h.strip() for h in header]
        return ("the header is not police.uk's street-level one, as the other files of this "
                "source are" + (f": {listing(cleaned)}" if is_header(cleaned) else
                                f"; {NO_HEADER}"))

    def finish(self, frame: "pd.DataFrame", origin: Rows) -> None:
        """Every Month must be a month (YYYY-MM); District is the LSOA name but its suffix."""
        import numpy as np
        import pandas as pd

        if "Month" in frame.columns:
            month_problems(frame, origin, "Month")
        if "LSOA name" in frame.columns:
            names = frame["LSOA name"]
            districts = [str(c).rsplit(" ", 1)[0] for c in names.cat.categories]
            unique = list(dict.fromkeys(districts))
            codes = np.array([unique.index(d) for d in districts] + [-1])  # [-1]: blank
            frame["District"] = pd.Categorical.from_codes(codes[names.cat.codes.to_numpy()],
                                                          unique)


def month_problems(frame: "pd.DataFrame", origin: Rows, column: str) -> None:
    """Every value of a police.uk Month column must be a month (YYYY-MM)."""
    import numpy as np

    bad = [c for c in frame[column].cat.categories if parse_month(str(c)) is None]
    if bad:
        row = int(np.flatnonzero((frame[column] == bad[0]).to_numpy())[0])
        raise DeckError.single(f"'{excerpt(bad[0])}' in column '{column}' is not a month "
                               "(YYYY-MM)", origin.where(row))


class HomeOffice(RecordFormat):
    name = "home-office"
    numbers = ("Offence Count",)
    adds = {"Quarter": ("Financial Year", "Financial Quarter")}
    #: The table's columns, each with the other names editions give it (any case).
    ALIASES = {
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
    columns = tuple(ALIASES)
    #: Labels whose case drifts between editions: read in one spelling.
    LABELS = ("Police Force", "CSP Name", "Offence Description", "Offence Group",
              "Offence Subgroup")

    #: Columns only one of the tables has: the table by police force area has no CSP.
    OPTIONAL = ("CSP Name",)

    def names(self, header: list[str]) -> Optional[tuple[str, ...]]:
        """Every column of the table must be there, under any of its names (`CSP Name` only in
        the table by community safety partnership, not in the one by force area)."""
        lookup = {alias: name for name, aliases in self.ALIASES.items() for alias in aliases}
        names = tuple(lookup.get(h.strip().lower(), h.strip()) for h in header)
        return names if set(self.columns) - set(self.OPTIONAL) <= set(names) else None

    def missing(self, header: list[str]) -> list[str]:
        have = {h.strip().lower() for h in header}
        return [name for name, aliases in self.ALIASES.items()
                if not (set(aliases) & have) and name.lower() not in have
                and name not in self.OPTIONAL]

    def not_this(self, header: list[str]) -> str:
        return ("the header is not a Home Office recorded crime table's: "
                f"it has no {listing(self.missing(header))}")

    def finish(self, frame: "pd.DataFrame", origin: Rows) -> None:
        """Each label in one spelling; quarters as 1-4; Quarter ("2015/16 Q1") added."""
        for column in self.LABELS:
            if column in frame.columns:
                frame[column] = _one_spelling(frame[column])
        if "Financial Quarter" not in frame.columns:
            return
        quarters = frame["Financial Quarter"]
        mapping = {c: str(c).strip().upper().lstrip("Q") for c in quarters.cat.categories}
        bad = [c for c, q in mapping.items() if q not in ("1", "2", "3", "4")]
        if bad:
            row = int((quarters == bad[0]).to_numpy().argmax())
            raise DeckError.single(f"'{excerpt(bad[0])}' is not a financial quarter (1 to 4 or "
                                   "Q1 to Q4)", origin.where(row, "Financial Quarter"))
        frame["Financial Quarter"] = quarters.map(mapping).astype("category")
        if "Financial Year" in frame.columns:
            frame["Quarter"] = (frame["Financial Year"].astype(str) + " Q" +
                                frame["Financial Quarter"].astype(str)).astype("category")


def _one_spelling(column: Any) -> Any:
    """A label written in different cases in different editions, in one spelling: the one most
    rows use."""
    counts = column.value_counts()
    best: dict[str, str] = {}
    for label, _ in counts.items():
        best.setdefault(str(label).casefold(), str(label))
    mapping = {c: best[str(c).casefold()] for c in column.cat.categories}
    return column.map(mapping).astype("category")


#: The record formats deckgen knows, by name, in the order a header is tried against them.
FORMATS: dict[str, RecordFormat] = {}


def register(fmt: RecordFormat) -> RecordFormat:
    """Make `fmt` one a header is recognised as, and `format:` may name (source/schema.py)."""
    FORMATS[fmt.name] = fmt
    if fmt.name not in schema.FORMATS:
        schema.FORMATS.append(fmt.name)
    return fmt


@dataclass(frozen=True)
class Recognised:
    """A header recognised as a known format: the format and, for each column of the file,
    the name deckgen reads it under."""

    format: RecordFormat
    names: tuple[str, ...]
    header: tuple[str, ...] = ()  # the file's own names for its columns

    def renamed(self) -> dict[str, str]:
        """The file's names that deckgen reads under another ('Number of Offences' ->
        'Offence Count'), in lower case, for the message that names a column as the file
        does."""
        return {h.strip().lower(): n for h, n in zip(self.header, self.names)
                if h.strip() != n}

    def all_columns(self) -> list[str]:
        """Every column a source of these files has: the file's (under deckgen's names), and
        those the format adds."""
        return list(dict.fromkeys([*self.names, *self.format.adds]))


def recognise(header: list[str]) -> Optional[Recognised]:
    """The known format a file's header line is, or None for an ordinary CSV."""
    for fmt in FORMATS.values():
        names = fmt.names(header)
        if names is not None:
            return Recognised(fmt, names, tuple(header))
    return None


def guide_names() -> str:
    """The formats `format:` may name, for the data guide (docs/data.md, "Sources")."""
    names = [f"`{name}`" for name in [*FORMATS, "csv"]]
    return ", ".join(names[:-1]) + " or " + names[-1]


register(PoliceUk())
register(HomeOffice())
