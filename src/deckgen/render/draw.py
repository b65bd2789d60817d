"""Draw the deck's charts and maps, each reused from the chart cache when its key matches.

The key is everything that decides the picture: the chart's data and labels (a map's: its
figures, classes and colours, and the digest of its boundaries' geometry), the brand's colours,
the size, and the versions of deckgen, matplotlib and this drawing code. The orchestrator
passes the chart cache's folder (None: the cache is off); the entries themselves are
cache/charts.py's. matplotlib is imported only on a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from deckgen import __version__
from deckgen.cache import charts as entries
from deckgen.cache.charts import Drawing
from deckgen.layout.chartdata import ChartData
from deckgen.layout.mapdata import MapData
from deckgen.layout.plan import EMU_PER_INCH, ChartPicture, Element, Picture, SlidePlan
from deckgen.layout.theme import Theme


@lru_cache(maxsize=1)
def _drawing_code() -> str:
    """A hash of the code that draws charts and maps: a changed drawing never reuses old
    pictures."""
    from deckgen.render import chartlines, charts, maps

    source = b"".join(Path(str(m.__file__)).read_bytes() for m in (charts, chartlines, maps))
    return hashlib.sha256(source).hexdigest()[:16]


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _shown(chart: ChartData | MapData) -> dict[str, object]:
    """What decides a chart's or map's picture, as plain data. A map's rings are not copied
    into the key (thousands of points): its `geometry` digest stands for them, with each
    area's key, name, figure and class."""
    if isinstance(chart, ChartData):
        return dataclasses.asdict(chart)
    fields = {f.name: getattr(chart, f.name) for f in dataclasses.fields(chart)
              if f.name not in ("areas", "outline")}
    fields["areas"] = [(a.key, a.name, a.value, a.klass, a.label_at) for a in chart.areas]
    fields["outline"] = len(chart.outline)
    return {"map": fields}


def chart_key(chart: ChartData | MapData, theme: Theme, width_in: float,
              height_in: float) -> str:
    from deckgen.render import charts

    return entries.key_of({
        "chart": _shown(chart),
        "colours": theme.brand.colours.model_dump(),
        "size": [round(width_in, 4), round(height_in, 4)],
        "dpi": charts.DPI,
        "versions": [__version__, _matplotlib_version(), _drawing_code()],
    })


def chart_png(chart: ChartData | MapData, theme: Theme, width_in: float, height_in: float,
              folder: Optional[Path]) -> Drawing:
    """The chart's drawing: from the cache when it has a sound entry, else drawn (and kept)."""
    if folder is None:
        return Drawing(*_draw(chart, theme, width_in, height_in))
    key = chart_key(chart, theme, width_in, height_in)
    found = entries.load(folder, key)
    if found is not None:
        return found
    drawing = Drawing(*_draw(chart, theme, width_in, height_in))
    entries.store(folder, key, drawing)
    return drawing


def _draw(chart: ChartData | MapData, theme: Theme, width_in: float, height_in: float
          ) -> tuple[bytes, tuple[str, ...]]:
    """Draw a chart (render/charts.py) or a map (render/maps.py); matplotlib is imported here,
    on a cache miss, and only then."""
    if isinstance(chart, MapData):
        from deckgen.render import maps

        return maps.drawn(chart, theme, width_in, height_in)
    from deckgen.render import charts

    return charts.drawn(chart, theme, width_in, height_in)


def draw_charts(plans: list[SlidePlan], theme: Theme, folder: Optional[Path]
                ) -> tuple[list[SlidePlan], list[tuple[int, str]]]:
    """The plans with every chart drawn: each ChartPicture replaced by the Picture of its
    drawing (from the cache in `folder` when it has it); and the clashes of their text, each
    with the index of its plan."""
    out = []
    clashes: list[tuple[int, str]] = []
    for i, plan in enumerate(plans):
        elements: list[Element] = []
        for element in plan.elements:
            if isinstance(element, ChartPicture):
                b = element.box
                drawing = chart_png(element.chart, theme, b.w / EMU_PER_INCH,
                                    b.h / EMU_PER_INCH, folder)
                clashes += [(i, clash) for clash in drawing.clashes]
                element = Picture(b, drawing.png, element.alt, element.name, element.slot)
            elements.append(element)
        out.append(dataclasses.replace(plan, elements=elements))
    return out, clashes
