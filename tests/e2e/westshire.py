"""A SYNTHETIC police.uk street-level extract as data really arrives, for the coverage tests.

Seeded, so every run writes the same files: 18 months (May 2024 to October 2025) for a made-up
force, Westshire, with November 2024 never published (no file, as police.uk has real gaps of
this kind), and LSOAs just over the border of a neighbouring force ("Dunmere 004A",
"Otherford 011C") among the rows, as police.uk extracts include them. Its districts lookup
lists only Westshire's own three districts. Nothing here is a real figure.
"""

from __future__ import annotations

import csv
import hashlib
import random
import zlib
from pathlib import Path

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
OWN = {"Aldbury": 310_000, "Brookton": 205_000, "Castlemere": 148_000}
NEIGHBOURS = ("Dunmere", "Otherford")
FIRST, LAST = (2024, 5), (2025, 10)
MISSING = "2024-11"
TYPES = ("Anti-social behaviour", "Burglary", "Violence and sexual offences", "Shoplifting",
         "Other theft", "Other crime", "Vehicle crime")
FORCE = "Westshire Police"


def months() -> list[str]:
    out, (y, m) = [], FIRST
    while (y, m) <= LAST:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def rows_for(month: str, rng: random.Random) -> list[list[str]]:
    rows = []
    for district, people in list(OWN.items()) + [(n, 0) for n in NEIGHBOURS]:
        scale = people / 100_000 if people else 0.05  # border LSOAs: a few rows each month
        for kind in TYPES:
            base = 30 if kind == "Anti-social behaviour" else 12
            for i in range(max(1, round(base * scale * rng.uniform(0.7, 1.3)))):
                asb = kind == "Anti-social behaviour"
                code = f"E01{zlib.crc32(district.encode()) % 1000:03d}{i % 20:03d}"
                crime_id = "" if asb else hashlib.sha256(
                    f"{month}{district}{kind}{i}".encode()).hexdigest()
                rows.append([crime_id, month, FORCE, FORCE, "-0.5", "51.5",
                             "On or near Market Street", code,
                             f"{district} {i % 20 + 1:03d}{'ABCD'[i % 4]}", kind,
                             "" if asb else "Investigation complete; no suspect identified",
                             ""])
    return rows


def write(folder: Path, seed: int = 25) -> Path:
    """The extract under folder/police-uk/, the districts lookup; the folder."""
    rng = random.Random(seed)
    for month in months():
        rows = rows_for(month, rng)
        if month == MISSING:
            continue  # never published: no file
        out = folder / "police-uk" / month / f"{month}-westshire-street-SYNTHETIC.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(rows)
    with (folder / "districts-SYNTHETIC.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["district", "population"])
        writer.writerows(OWN.items())
    return folder
