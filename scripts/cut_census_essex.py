"""Cut the Essex force area's rows out of the ONS Census 2011 LSOA population table:
`python scripts/cut_census_essex.py [CENSUS.csv]`.

The full table (every LSOA in England and Wales, 34,753 rows, 4 MB) is real ONS data under the
Open Government Licence v3.0, as redistributed in the `crime-sim-toolkit` 1.5.0 package. The
examples need only the 1,077 LSOAs of the 14 local authority districts of the Essex Police force
area, so this script keeps the header line and the lines whose `LAD11CD` is one of those 14
codes, byte for byte as they are in the full table (no value is parsed or written again), in the
table's order, and writes them to each example's data folder. Run it again on the same table
and the files come out the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where the project keeps its copy of the real data (see its README for sources).
CENSUS = ROOT.parent / "shared" / "data" / "ons" / "census2011-lsoa-usual-residents.csv"
NAME = "census2011-essex-lsoa-usual-residents.csv"
OUT = (ROOT / "examples" / "monthly-pack" / "data" / NAME,
       ROOT / "examples" / "homeoffice-2017-18" / "data" / NAME)
#: The ONS codes of the 14 districts of the Essex Police force area (2011 boundaries).
ESSEX = ("E06000033", "E06000034", "E07000066", "E07000067", "E07000068", "E07000069",
         "E07000070", "E07000071", "E07000072", "E07000073", "E07000074", "E07000075",
         "E07000076", "E07000077")


def cut(census: Path) -> bytes:
    """The header line and the Essex districts' lines, as they are in `census`."""
    lines = census.read_bytes().splitlines(keepends=True)
    header = lines[0].decode("utf-8").rstrip("\r\n").split(",")
    at = header.index("LAD11CD")
    kept = [line for line in lines[1:]
            if line.decode("utf-8").split(",")[at] in ESSEX]
    districts = {line.decode("utf-8").split(",")[at] for line in kept}
    if districts != set(ESSEX):
        raise SystemExit(f"{census}: no rows for {sorted(set(ESSEX) - districts)}")
    return b"".join([lines[0], *kept])


def main() -> None:
    census = Path(sys.argv[1]) if len(sys.argv) > 1 else CENSUS
    data = cut(census)
    count = data.count(b"\n") - 1
    for path in OUT:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({count:,} LSOAs)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
