"""Workloads for the data engine's benchmark (bench/run.py --only records national).

- A force's extract: 15 months of police.uk-format records for Essex (about 14,600 a month,
  219,000 rows, 50 MB; the pack needs 15 months for its trend), and the monthly pack built from
  it, against the same pack built from CSVs summarised beforehand (by plain pandas, here).
- A national year: 6.5 million police.uk-format rows (1.3 GB), read and aggregated by
  `deckgen check`.
All SYNTHETIC, written with fixed seeds.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "examples" / "monthly-pack"
TYPES = ("Anti-social behaviour", "Violence and sexual offences", "Criminal damage and arson",
         "Public order", "Other theft", "Shoplifting", "Vehicle crime", "Burglary", "Drugs",
         "Other crime", "Bicycle theft", "Theft from the person", "Robbery",
         "Possession of weapons")
WEIGHTS = (30, 22, 8, 6, 6, 6, 6, 5, 3, 2, 2, 1.5, 1, 1)
OUTCOMES = ("Investigation complete; no suspect identified", "Under investigation",
            "Unable to prosecute suspect", "Awaiting court outcome")
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")


def _months(first: tuple[int, int], count: int) -> list[str]:
    year, month = first
    out = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _row(rng: random.Random, month: str, code: str, name: str, force: str) -> str:
    kind = rng.choices(TYPES, WEIGHTS)[0]
    crime_id = "" if kind == TYPES[0] else f"{rng.getrandbits(256):064x}"
    outcome = "" if not crime_id else rng.choice(OUTCOMES)
    return (f"{crime_id},{month},{force},{force},0.{rng.randrange(10**6):06d},"
            f"51.{rng.randrange(10**6):06d},On or near High Street,{code},{name},{kind},"
            f"{outcome},\n")


def force_extract(folder: Path, per_month: int = 14_600) -> list[Path]:
    """15 months of Essex records (2015-02 to 2016-04), police.uk's layout, uncompressed."""
    rng = random.Random(2016)
    with open(PACK / "data" / "essex_lsoa11.csv", newline="", encoding="utf-8") as handle:
        lsoas = [(r["LSOA11CD"], r["LSOA11NM"]) for r in csv.DictReader(handle)]
    files = []
    for month in _months((2015, 2), 15):
        path = folder / "raw" / month / f"{month}-essex-street-SYNTHETIC.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [_row(rng, month, *rng.choice(lsoas), "Essex Police") for _ in range(per_month)]
        path.write_text(HEADER + "".join(rows), encoding="utf-8")
        files.append(path)
    return files


def pack_workspaces(root: Path) -> tuple[Path, Path]:
    """Two copies of the monthly pack over the force's extract: one reading the records, one
    reading CSVs summarised beforehand (by plain pandas). Returns their outlines."""
    import pandas as pd

    raw, pre = root / "raw-pack", root / "pre-pack"
    for folder in (raw, pre):
        shutil.copytree(PACK, folder, ignore=shutil.ignore_patterns(
            "output", ".deckgen-cache", "police-uk-SYNTHETIC"))
    force_extract(raw)
    outline = (PACK / "deck.yaml").read_text(encoding="utf-8").replace(
        "data/police-uk-SYNTHETIC/*/*-essex-street-SYNTHETIC.csv.gz",
        "raw/*/*-essex-street-SYNTHETIC.csv")
    (raw / "deck.yaml").write_text(outline, encoding="utf-8")
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False,
                          usecols=["Month", "Falls within", "LSOA code", "LSOA name",
                                   "Crime type"])
              for p in sorted((raw / "raw").glob("*/*.csv"))]
    records = pd.concat(frames)
    every_asb = records[records["Crime type"] == "Anti-social behaviour"]  # no location too
    records["District"] = records["LSOA name"].str.rsplit(" ", n=1).str[0]
    records = records[records["LSOA name"] != ""]
    asb = records[records["Crime type"] == "Anti-social behaviour"]
    year = [m for m in _months((2015, 5), 12)]
    data = pre / "data"
    (records[(records["Crime type"] != "Anti-social behaviour") & records["Month"].isin(year)]
     .groupby(["District", "Crime type"]).size().rename("crimes").reset_index()
     .to_csv(data / "crime_mix.csv", index=False))
    table = pd.DataFrame({
        "previous": asb[asb["Month"].isin(["2015-03", "2015-04"])].groupby("District").size(),
        "current": asb[asb["Month"].isin(["2016-03", "2016-04"])].groupby("District").size()})
    table.rename_axis("District").reset_index().to_csv(data / "asb_table.csv", index=False)
    force = pd.DataFrame({
        "previous": every_asb[every_asb["Month"].isin(["2015-03", "2015-04"])]
        .groupby("Falls within").size(),
        "current": every_asb[every_asb["Month"].isin(["2016-03", "2016-04"])]
        .groupby("Falls within").size()})
    force.rename_axis("Falls within").reset_index().to_csv(data / "asb_force.csv", index=False)
    census = pd.read_csv(data / "census2011-essex-lsoa-usual-residents.csv")
    lsoa = asb[asb["Month"].isin(year)].groupby("LSOA code").size().rename("incidents")
    lsoa = lsoa.to_frame().join(census.set_index("LSOA11CD")["All usual residents"])
    lsoa["per_1000"] = lsoa["incidents"] / lsoa["All usual residents"] * 1000
    lsoa.rename_axis("LSOA code").reset_index().to_csv(data / "asb_lsoa.csv", index=False,
                                                      float_format="%.10g")
    trend = asb.groupby(["District", "Month"]).size().rename("incidents").reset_index()
    trend["label"] = pd.to_datetime(trend["Month"]).dt.strftime("%b %Y")
    trend.to_csv(data / "asb_trend.csv", index=False)
    lads = pd.read_csv(data / "districts.csv").set_index("code")["lad"]
    people = census.groupby("LAD11CD")["All usual residents"].sum().rename("population")
    people = people.to_frame().set_index(people.index.map(lads))
    rate = asb[asb["Month"].isin(year)].groupby("District").size().rename("incidents")
    rate = rate.to_frame().join(people["population"])
    rate["per_1000"] = rate["incidents"] / rate["population"] * 1000
    rate.sort_values("per_1000", ascending=False).rename_axis("District").reset_index().to_csv(
        data / "asb_rate.csv", index=False, float_format="%.10g")
    text = (PACK / "deck.yaml").read_text(encoding="utf-8")
    start, end = text.index("data:\n  crimes:"), text.index("figures:")  # keep the figures
    sources = ("data:\n  districts: {file: data/districts.csv}\n"
               "  crime_mix: {file: data/crime_mix.csv}\n"
               "  asb_table:\n    file: data/asb_table.csv\n    as_of: \"{period}\"\n"
               "    illustrative: synthetic\n    derive:\n"
               "      change: current - previous\n      pct_change: change / previous * 100\n"
               "  asb_force:\n    file: data/asb_force.csv\n    derive:\n"
               "      pct_change: (current - previous) / previous * 100\n"
               "  asb_trend: {file: data/asb_trend.csv}\n  asb_rate: {file: data/asb_rate.csv}\n"
               "  asb_lsoa: {file: data/asb_lsoa.csv}\n")
    rest = text[end:].replace("data_to: crimes", "data_to: asb_table")
    (pre / "deck.yaml").write_text(text[:start] + sources + "\n" + rest, encoding="utf-8")
    return raw / "deck.yaml", pre / "deck.yaml"


def national(folder: Path, rows: int = 6_500_000) -> Path:
    """A national year of police.uk-format records in one file, and an outline that reads and
    aggregates it (`deckgen check` of it is the measurement). Returns the outline."""
    rng = random.Random(6_500_000)
    districts = [f"District {i:03d}" for i in range(330)]
    path = folder / "national-SYNTHETIC.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        batch = []
        for i in range(rows):
            month = f"2015-{i % 12 + 1:02d}"
            name = f"{districts[rng.randrange(330)]} {rng.randrange(1, 40):03d}A"
            batch.append(_row(rng, month, f"E0{rng.randrange(10**7):07d}", name,
                              "Some Police"))
            if len(batch) == 50_000:
                handle.write("".join(batch))
                batch = []
        handle.write("".join(batch))
    deck = folder / "national.yaml"
    deck.write_text(
        "title: National\nvariables:\n  period: {default: '2015-12', type: month}\n"
        "windows:\n  year: {months: 12}\ndata:\n  crimes:\n    file: national-SYNTHETIC.csv\n"
        "  by_type:\n    from: crimes\n    steps:\n"
        "      - filter: {Month: {window: year}}\n"
        "      - group: {by: [District, Crime type], count: n}\n"
        "      - group: {by: Crime type, sum: {n: n}}\n"
        "slides:\n  - kind: table\n    title: Crimes by type\n    data: by_type\n"
        "    columns: [{column: Crime type}, {column: n, format: ',.0f'}]\n    total: true\n",
        encoding="utf-8")
    return deck
