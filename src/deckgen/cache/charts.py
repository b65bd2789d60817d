"""The chart cache's entries: each chart or map drawn, kept under the key of what decides it.

The key is made by the code that draws (render/draw.py: the chart's data and labels, a map's
figures, classes and geometry, the brand's colours, the size, and the versions of deckgen,
matplotlib and the drawing code), as the digest of that description (`key_of`): same key, same
PNG bytes, so a cached build is byte-identical to an uncached one. Entries are kept and read by
entry.py (written atomically, so parallel batch builds may share the cache; opened with care,
size bounded, key and digest checked on every read) in the user's own cache folder, shared by
every outline. This module knows the entry's format and nothing of charts: the cache stays a
leaf that imports nothing above the data stage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen import entry

#: What a chart entry is (entry.py): its body is the clashes of the chart's text as a JSON list
#: on one line, then the PNG.
KIND = "chart 4"
#: A drawn chart larger than this is not kept (a full-slide chart at 200 dpi is about 1 MB).
MAX_CHART_BYTES = 32 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Drawing:
    """A drawn chart: its PNG, and what is wrong with its text as drawn (render/charts.py
    `clashes`), kept with it in the cache so a rebuild from the cache says it too."""

    png: bytes
    clashes: tuple[str, ...] = ()


def key_of(spec: Mapping[str, Any]) -> str:
    """The key of a drawing: the digest of everything that decides it, as plain data."""
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.chart"


def load(folder: Path, key: str) -> Optional[Drawing]:
    """The drawing of the sound entry for `key`, or None. An entry names its key and holds the
    digest of its contents, both checked on every read: a truncated, flipped, swapped or empty
    entry is no entry (drawn again and replaced), never copied into a deck, and never an
    error."""
    body = entry.read(_path(folder, key), KIND, key, MAX_CHART_BYTES)
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


def store(folder: Path, key: str, drawing: Drawing) -> None:
    """Keep a drawing under its key (one that cannot be kept only costs time later)."""
    entry.write(_path(folder, key), KIND, key,
                [json.dumps(list(drawing.clashes)).encode() + b"\n", drawing.png],
                MAX_CHART_BYTES)
