"""The map workload: every one of the force's 1,077 LSOAs drawn as a choropleth.

`python bench/maps.py` prints JSON: the seconds to read and simplify the 14 boundary files
(once per build or batch), and the median of drawing the map to PNG (render/maps.py, what a
cache miss costs), each in this one process with matplotlib and shapely already imported.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from deckgen.data import boundaries  # noqa: E402
from deckgen.layout import mapdata  # noqa: E402
from deckgen.layout.mapdata import MapArea, MapData  # noqa: E402
from deckgen.layout.theme import Theme  # noqa: E402
from deckgen.render import maps  # noqa: E402
from deckgen.source.schema import Brand  # noqa: E402

BOUNDARIES = ROOT / "data" / "boundaries" / "essex-lsoa11"


def main(runs: int = 5) -> dict[str, float]:
    import matplotlib  # noqa: F401  (imported before timing, as in a build that drew a chart)
    import shapely  # noqa: F401

    start = time.perf_counter()
    paths = boundaries.files_of(BOUNDARIES, "", None)
    found = boundaries.areas(paths, "LSOA11CD", "LSOA11NM", False, {}, "")
    read = time.perf_counter() - start
    values = [float((i * 37) % 101) for i in range(len(found.areas))]  # made-up counts
    breaks = mapdata.class_breaks(values, "quantiles", 5)
    theme = Theme(Brand(), None)
    areas = tuple(MapArea(a.key, a.name, v, mapdata.class_of(v, breaks), a.rings, a.label_at,
                          a.size) for a, v in zip(found.areas, values))
    data = MapData(areas, found.digest, breaks, mapdata.sequential("1B365D", len(breaks) - 1),
                   mapdata.legend_labels(breaks, lambda v: f"{v:,.0f}", True), "Incidents",
                   labelled=tuple(a.key for a in areas[:3]))
    maps.drawn(data, theme, 12.3, 4.6)  # fonts registered, first-draw costs paid
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        png, _ = maps.drawn(data, theme, 12.3, 4.6)
        walls.append(time.perf_counter() - start)
    return {"areas": len(areas), "read_s": read, "median": statistics.median(walls),
            "min": min(walls), "png_kb": len(png) / 1024,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(main()))
