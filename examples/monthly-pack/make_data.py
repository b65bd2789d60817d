"""Write the monthly pack's SYNTHETIC police.uk-format extract: `python make_data.py`.

There is no network where deckgen is built, so no real police.uk extract can be fetched. This
script writes one, with a fixed seed (the same bytes every time), laid out as police.uk does:
`data/police-uk-SYNTHETIC/YYYY-MM/YYYY-MM-essex-street-SYNTHETIC.csv.gz`, January 2015 to
September 2016, in police.uk's street-level format (12 columns, the 14 crime types, blank Crime
ID and outcome on anti-social behaviour rows, a few rows with no location).

What is real and what is made up:
- The LSOAs (codes, names, centre points) are the real 2011 LSOAs of the 14 Essex districts
  (`data/essex_lsoa11.csv`, from ONS; see data/README.md).
- Each district's anti-social behaviour incidents in March-April 2015 and March-April 2016
  add up to the figures of the Southend challenge briefing's table (Essex Police, 7 July 2016,
  `data/seed_asb_mar_apr_2015_2016.csv`), and the incidents with no location make up the
  difference to the force totals the briefing published. How those are split between the two
  months, every other month, every crime and every row's place, type and outcome are MADE UP.

Run it again after changing it; the tests and the benchmark run it too (it takes seconds).
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = DATA / "police-uk-SYNTHETIC"
SEED_TABLE = DATA / "seed_asb_mar_apr_2015_2016.csv"  # the briefing's table, as in ../../data
FIRST, LAST = (2015, 1), (2016, 9)
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
#: The briefing's spellings of the districts, and the names ONS and police.uk use.
SEED_NAMES = {"Castlepoint": "Castle Point", "Epping": "Epping Forest",
              "Southend": "Southend-on-Sea"}
CRIMES = {  # police.uk's 13 crime types other than ASB, with made-up shares
    "Violence and sexual offences": 31, "Criminal damage and arson": 11, "Public order": 9,
    "Other theft": 9, "Shoplifting": 8, "Vehicle crime": 8, "Burglary": 8, "Drugs": 4,
    "Other crime": 3, "Bicycle theft": 2, "Theft from the person": 2, "Robbery": 1.5,
    "Possession of weapons": 1.5,
}
OUTCOMES = ("Investigation complete; no suspect identified", "Under investigation",
            "Unable to prosecute suspect", "Awaiting court outcome", "Status update unavailable",
            "Offender given a caution", "Local resolution")
STREETS = ("High Street", "Station Road", "Church Lane", "London Road", "Park Avenue",
           "Victoria Road", "Shopping Area", "Parking Area", "Sports/Recreation Area",
           "Supermarket", "Nightclub", "Petrol Station", "Mill Lane", "The Avenue", "Queen Street")
#: Made-up seasonal shape of ASB (more in summer).
SEASON = (0.86, 0.85, 0.95, 1.0, 1.08, 1.12, 1.18, 1.14, 1.02, 0.98, 0.92, 0.9)
CRIMES_PER_LSOA = 9.0  # made-up monthly crimes per LSOA


def months() -> list[str]:
    out, (year, month) = [], FIRST
    while (year, month) <= LAST:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def seed_figures() -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """ASB by district for Mar-Apr 2015 and 2016 (ONS names), and the published totals."""
    by_district: dict[str, tuple[int, int]] = {}
    total = (0, 0)
    with open(SEED_TABLE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            figures = (int(row["mar_apr_2015"]), int(row["mar_apr_2016"]))
            if row["district"] == "TOTAL":
                total = figures
            else:
                by_district[SEED_NAMES.get(row["district"], row["district"])] = figures
    return by_district, total


def lsoas() -> dict[str, list[tuple[str, str, float, float]]]:
    """Each district's LSOAs: code, name, longitude, latitude."""
    out: dict[str, list[tuple[str, str, float, float]]] = {}
    with open(DATA / "essex_lsoa11.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            district = row["LSOA11NM"].rsplit(" ", 1)[0]
            out.setdefault(district, []).append((row["LSOA11CD"], row["LSOA11NM"],
                                                 float(row["LONG"]), float(row["LAT"])))
    return out


def split(total: int, rng: random.Random) -> tuple[int, int]:
    first = round(total * rng.uniform(0.47, 0.53))
    return first, total - first


def asb_counts(rng: random.Random) -> dict[tuple[str, str], int]:
    """ASB incidents by (district, month); "" is the district of rows with no location."""
    seed, total = seed_figures()
    missing = (total[0] - sum(a for a, _ in seed.values()),
               total[1] - sum(b for _, b in seed.values()))
    counts: dict[tuple[str, str], int] = {}
    for district, (y15, y16) in list(seed.items()) + [("", missing)]:
        for year, figure in (("2015", y15), ("2016", y16)):
            march, april = split(figure, rng)
            counts[(district, f"{year}-03")] = march
            counts[(district, f"{year}-04")] = april
        for month in months():
            if (district, month) in counts:
                continue
            t = (int(month[:4]) - 2015) * 12 + int(month[5:]) - 3.5  # months since Mar 2015
            level = y15 / 2 + (y16 / 2 - y15 / 2) * t / 12  # a straight line between the two
            expected = level * SEASON[int(month[5:]) - 1] / ((SEASON[2] + SEASON[3]) / 2)
            counts[(district, month)] = max(0, round(expected * rng.uniform(0.93, 1.07)))
    return counts


def rows_for(month: str, counts: dict[tuple[str, str], int],
             places: dict[str, list[tuple[str, str, float, float]]],
             weights: dict[str, list[float]], rng: random.Random) -> list[str]:
    rows: list[str] = []
    types, shares = list(CRIMES), list(CRIMES.values())
    for district in sorted(places) + [""]:
        asb = counts[(district, month)]
        n_lsoa = len(places.get(district, [])) or 1
        crimes = 0 if not district else round(n_lsoa * CRIMES_PER_LSOA * rng.uniform(0.9, 1.1)
                                                * SEASON[int(month[5:]) - 1])
        if not district:
            crimes = rng.randint(25, 45)
        kinds = ["Anti-social behaviour"] * asb + rng.choices(types, shares, k=crimes)
        for kind in kinds:
            crime_id = "" if kind == "Anti-social behaviour" else f"{rng.getrandbits(256):064x}"
            outcome = "" if not crime_id else rng.choice(OUTCOMES)
            if district:
                code, name, lon, lat = rng.choices(places[district], weights[district])[0]
                where = (f"{lon + rng.uniform(-0.004, 0.004):.6f},"
                         f"{lat + rng.uniform(-0.003, 0.003):.6f},"
                         f"On or near {rng.choice(STREETS)},{code},{name}")
            else:
                where = ",,No Location,,"
            rows.append(f"{crime_id},{month},Essex Police,Essex Police,{where},{kind},"
                        f"{outcome},\n")
    rng.shuffle(rows)
    return rows


def main() -> None:
    rng = random.Random(20160707)
    places = lsoas()
    # a few LSOAs in each district have far more incidents than others (made-up hotspots), at
    # most six times the least (uncapped, one Thurrock LSOA drew a third of the district's)
    weights = {d: [min(rng.paretovariate(2.5), 6.0) for _ in v] for d, v in places.items()}
    counts = asb_counts(rng)
    total_rows = 0
    for month in months():
        rows = rows_for(month, counts, places, weights, rng)
        folder = OUT / month
        folder.mkdir(parents=True, exist_ok=True)
        text = HEADER + "\n" + "".join(rows)
        raw = io.BytesIO()
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
            gz.write(text.encode("utf-8"))
        (folder / f"{month}-essex-street-SYNTHETIC.csv.gz").write_bytes(raw.getvalue())
        total_rows += len(rows)
    print(f"wrote {total_rows:,} synthetic rows in {len(months())} monthly files into "
          f"{OUT.relative_to(HERE)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
