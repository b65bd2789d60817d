"""Write data/crime_by_district_2015-16_ILLUSTRATIVE.csv: a made-up offence mix per district.

The seed deck's "Proportions of crime" charts were pictures whose figures are lost, and the real
Home Office table could not be obtained here (see ../shared/DATA-NOTES.md). This script makes an
openly illustrative stand-in: shares loosely shaped like national police recorded crime, scaled so
the force total is about 89,500 crimes (the deck's own "0.05 crimes per person" x 1.79 million
people) and split across districts in proportion to their ASB incidents. Deterministic.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {  # illustrative share of all crime, %
    "Theft offences": 38.0,
    "Violence against the person": 27.0,
    "Criminal damage and arson": 12.5,
    "Public order offences": 7.0,
    "Drug offences": 4.0,
    "Sexual offences": 3.0,
    "Miscellaneous crimes against society": 1.5,
    "Robbery": 1.2,
    "Possession of weapons offences": 0.8,
}
OTHER = 100 - sum(GROUPS.values())
GROUPS["Theft offences"] += OTHER
FORCE_TOTAL = 89_500


def main() -> None:
    rng = random.Random(2016)
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", newline="") as f:
        districts = [(r["district"], int(r["mar_apr_2016"])) for r in csv.DictReader(f)]
    weight_total = sum(w for _, w in districts)
    rows = []
    for district, weight in districts:
        crimes = FORCE_TOTAL * weight / weight_total
        for group, share in GROUPS.items():
            wobble = rng.uniform(0.85, 1.15)
            rows.append([ "2015/16", "Essex", district, group,
                          max(1, round(crimes * share / 100 * wobble)), "illustrative"])
    out = ROOT / "data" / "crime_by_district_2015-16_ILLUSTRATIVE.csv"
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["financial_year", "force_name", "district", "offence_group",
                         "offences", "status"])
        writer.writerows(rows)
    print(f"wrote {out.relative_to(ROOT)} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
