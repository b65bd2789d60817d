"""Draw the deck's charts and maps, reusing earlier drawings from a content-addressed cache.

The key is everything that decides the picture: the chart's data and labels (a map's: its
figures, classes and colours, and the digest of its boundaries' geometry), the brand's
colours, the size, and the versions of deckgen and matplotlib. Same key, same PNG bytes, so a
cached build is byte-identical to an uncached one. Entries are kept and read by entry.py
(written atomically, so parallel batch builds may share the cache; opened with care, size
bounded, key and digest checked on every read) in the user's own cache folder, shared by every
outline. matplotlib is imported only on a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from deckgen import __version__, entry
from deckgen.layout.chartdata import ChartData
from deckgen.layout.mapdata import MapData
from deckgen.layout.plan import EMU_PER_INCH, ChartPicture, Element, Picture, SlidePlan
from deckgen.layout.theme import Theme


@lru_cache(maxsize=1)
def _drawing_code() -> str:
    """A hash of the code that draws charts and maps: a changed drawing never reuses old
    pictures."""
    from deckgen.render import charts, maps

    source = Path(charts.__file__).read_bytes() + Path(maps.__file__).read_bytes()
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

    spec = {
        "chart": _shown(chart),
        "colours": theme.brand.colours.model_dump(),
        "size": [round(width_in, 4), round(height_in, 4)],
        "dpi": charts.DPI,
        "versions": [__version__, _matplotlib_version(), _drawing_code()],
    }
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: What a chart entry is (entry.py): its body is the clashes of the chart's text as a JSON list
#: on one line, then the PNG.
KIND = "chart 4"
#: A drawn chart larger than this is not kept (a full-slide chart at 200 dpi is about 1 MB).
MAX_CHART_BYTES = 32 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclasses.dataclass(frozen=True)
class Drawing:
    """A drawn chart: its PNG, and what is wrong with its text as drawn (render/charts.py
    `clashes`), kept with it in the cache so a rebuild from the cache says it too."""

    png: bytes
    clashes: tuple[str, ...] = ()


def chart_png(chart: ChartData | MapData, theme: Theme, width_in: float, height_in: float,
              folder: Optional[Path]) -> Drawing:
    """The chart's drawing: from the cache when it has a sound entry, else drawn (and stored).

    An entry names its key and holds the digest of its contents, both checked on every read:
    a truncated, flipped, swapped or empty entry is drawn again and replaced, never copied
    into a deck, and never an error."""
    if folder is None:
        return Drawing(*_draw(chart, theme, width_in, height_in))
    key = chart_key(chart, theme, width_in, height_in)
    path = folder / key[:2] / f"{key}.chart"
    found = _read_entry(path, key)
    if found is not None:
        return found
    png, clashes = _draw(chart, theme, width_in, height_in)
    entry.write(path, KIND, key, [json.dumps(list(clashes)).encode() + b"\n", png],
                MAX_CHART_BYTES)
    return Drawing(png, clashes)


def _draw(chart: ChartData | MapData, theme: Theme, width_in: float, height_in: float
          ) -> tuple[bytes, tuple[str, ...]]:
    """Draw a chart (render/charts.py) or a map (render/maps.py); matplotlib is imported here,
    on a cache miss, and only then."""
    if isinstance(chart, MapData):
        from deckgen.render import maps

        return maps.drawn(chart, theme, width_in, height_in)
    from deckgen.render import charts

    return charts.drawn(chart, theme, width_in, height_in)


def _read_entry(path: Path, key: str) -> Optional[Drawing]:
    """The drawing of the sound cache entry for `key` at `path`, or None."""
    body = entry.read(path, KIND, key, MAX_CHART_BYTES)
    if body is None:
        return None
    line, _, png = bytes(body).partition(b"\n")
    try:
        clashes = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not png.startswith(_PNG) or not isinstance(clashes, list) or \
            not all(isinstance(c, str) for c in clashes):
        return None
    return Drawing(png, tuple(clashes))


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
