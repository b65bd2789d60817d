"""Write the small SYNTHETIC data files the examples of docs/data.md read (docs/data-example/).

`python scripts/make_docs_data.py`. Seeded: the same files every time. Every figure is made up:
two Kent districts (Medway and Swale), four months of police.uk-format records, a Home Office
recorded-crime table in an older edition's spelling, a workbook of monthly figures, and 28
months of ASB counts for the control chart example.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "docs" / "data-example"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
TYPES = ("Anti-social behaviour", "Violence and sexual offences", "Burglary", "Shoplifting",
         "Vehicle crime", "Criminal damage and arson")
LSOAS = {"Medway": [("E01016000", "Medway 001A"), ("E01016001", "Medway 012B")],
         "Swale": [("E01024500", "Swale 003C"), ("E01024501", "Swale 010A")]}
MONTHS = ("2015-03", "2015-04", "2016-03", "2016-04")


def records(rng: random.Random) -> None:
    for month in MONTHS:
        rows = []
        for district, places in LSOAS.items():
            for kind in TYPES:
                for _ in range(rng.randint(2, 9 if kind == TYPES[0] else 5)):
                    code, name = rng.choice(places)
                    crime_id = "" if kind == TYPES[0] else f"{rng.getrandbits(256):064x}"
                    outcome = "" if not crime_id else "Under investigation"
                    rows.append(f"{crime_id},{month},Kent Police,Kent Police,0.5,51.4,"
                                f"On or near High Street,{code},{name},{kind},{outcome},")
        rows.append(f",{month},Kent Police,Kent Police,,,No Location,,,{TYPES[0]},,")
        folder = OUT / "police-uk" / month
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{month}-kent-street-SYNTHETIC.csv").write_text(
            HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def home_office(rng: random.Random) -> None:
    """An older edition's spelling: 'Force Name', 'Number of Offences', quarters as Q1, and
    one label in another case."""
    lines = ["Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,"
             "Offence Group,Offence Subgroup,Offence Code,Number of Offences"]
    offences = [("Burglary in a dwelling", "Burglary", "Domestic burglary", "28E"),
                ("Assault with injury", "Violence against the person", "Violence with injury",
                 "8N"),
                ("Possession of cannabis", "Drug offences", "Possession of drugs", "92D")]
    for year in ("2014/15", "2015/16"):
        for quarter in (1, 2, 3, 4):
            for csp in ("Medway", "Swale"):
                for description, group, subgroup, code in offences:
                    if group == "Drug offences" and year == "2015/16":
                        group = "Drug Offences"  # the case drifts between editions
                    lines.append(f"{year},Q{quarter},Kent,{csp},{description},{group},"
                                 f"{subgroup},{code},{rng.randint(20, 140)}")
    (OUT / "home-office-csp-SYNTHETIC.csv").write_text("\n".join(lines) + "\n",
                                                      encoding="utf-8")


def workbook(rng: random.Random) -> None:
    """Figures as analysts keep them: a title, a blank row, the header on row 3, a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet["A1"] = "Monthly summary (SYNTHETIC figures)"
    sheet.append([])
    sheet.append(["district", "calls", "attended"])
    for row, district in enumerate(("Medway", "Swale"), start=4):
        calls = rng.randint(900, 1400)
        sheet.append([district, calls, None])
        sheet.cell(row=row, column=3).value = round(calls * rng.uniform(0.6, 0.8))
    other = book.create_sheet("Notes")
    other["A1"] = "Made up for deckgen's documentation."
    book.save(OUT / "summary-SYNTHETIC.xlsx")


def population() -> None:
    (OUT / "population-ILLUSTRATIVE.csv").write_text(
        "district,population\nMedway,280000\nSwale,145000\n", encoding="utf-8")


def asb_months() -> None:
    """ASB incidents a month in each district, January 2014 to April 2016 (docs/data.md,
    "Control charts"): steady counts, but Medway's April 2016 well above its normal range.
    Its own seed, so the other files stay as they were."""
    rng = random.Random(24)
    lines = ["Month,District,incidents"]
    for index in range(2014 * 12, 2016 * 12 + 4):
        month = f"{index // 12}-{index % 12 + 1:02d}"
        for district, mean in (("Medway", 420), ("Swale", 190)):
            count = round(rng.gauss(mean, mean ** 0.5))
            if month == "2016-04" and district == "Medway":
                count += 140  # the month a briefing would ask about
            lines.append(f"{month},{district},{count}")
    (OUT / "asb-months-SYNTHETIC.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    rng = random.Random(3)
    OUT.mkdir(parents=True, exist_ok=True)
    records(rng)
    home_office(rng)
    workbook(rng)
    population()
    asb_months()


if __name__ == "__main__":
    main()
