"""Draw the deck's charts, reusing earlier drawings from a content-addressed cache.

The key is everything that decides the picture: the chart's data and labels, the brand's
colours, the size, and the versions of deckgen and matplotlib. Same key, same PNG bytes, so a
cached build is byte-identical to an uncached one. Writes are atomic (temporary file, then
rename), so parallel batch builds may share the cache. matplotlib is imported only on a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from deckgen import __version__
from deckgen.atomic import write_atomic
from deckgen.plan import EMU_PER_INCH, ChartPicture, Picture, SlidePlan
from deckgen.theme import Theme

CACHE_DIR = ".deckgen-cache"


@lru_cache(maxsize=1)
def _drawing_code() -> str:
    """A hash of the code that draws charts: a changed drawing never reuses old pictures."""
    source = Path(__file__).with_name("charts.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def chart_key(chart: object, theme: Theme, width_in: float, height_in: float) -> str:
    from deckgen import charts

    spec = {
        "chart": dataclasses.asdict(chart),  # type: ignore[call-overload]
        "colours": theme.brand.colours.model_dump(),
        "size": [round(width_in, 4), round(height_in, 4)],
        "dpi": charts.DPI,
        "versions": [__version__, _matplotlib_version(), _drawing_code()],
    }
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chart_png(chart: object, theme: Theme, width_in: float, height_in: float,
              cache_dir: Optional[Path]) -> bytes:
    """The chart's PNG: from the cache when it has it, else drawn (and stored)."""
    from deckgen import charts

    if cache_dir is None:
        return charts.render(chart, theme, width_in, height_in)  # type: ignore[arg-type]
    key = chart_key(chart, theme, width_in, height_in)
    path = cache_dir / "charts" / key[:2] / f"{key}.png"
    try:
        return path.read_bytes()
    except OSError:
        pass
    png = charts.render(chart, theme, width_in, height_in)  # type: ignore[arg-type]
    try:
        write_atomic(path, png)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return png


def draw_charts(plans: list[SlidePlan], theme: Theme, cache_dir: Optional[Path]) -> None:
    """Replace every ChartPicture in the plans by the Picture of its drawing."""
    for plan in plans:
        for i, element in enumerate(plan.elements):
            if isinstance(element, ChartPicture):
                b = element.box
                png = chart_png(element.chart, theme, b.w / EMU_PER_INCH, b.h / EMU_PER_INCH,
                                cache_dir)
                plan.elements[i] = Picture(b, png, element.alt, element.name)
