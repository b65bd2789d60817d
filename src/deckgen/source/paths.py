"""The files an outline names, and whether they stay inside its folder.

One list serves the path rule (inherit.check_paths), the rebasing of an extended outline's paths
and the build's manifest of its inputs (manifest.py: what the data store, the cache, the output
check and watch read), which must stay light on imports: nothing heavy is imported here. Which
slide keys name files is each kind's declaration (kinds.REGISTRY), passed in as `FileKeys` so
that this load-stage module need not know the kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from deckgen.errors import SlideLabel
from deckgen.source.yamlsrc import PathKey


@dataclass(frozen=True)
class NamedPath:
    """A path as the outline writes it, where it is written, and what for."""

    value: Any  # as written: text when the outline is right, anything when it is not
    at: PathKey
    context: str = ""  # e.g. "data 'asb'" or "slide 3 (image)", for messages
    read: bool = True  # read by a build (the output is written, not read)


#: The brand file deckgen reads when an outline names none (and it exists).
DEFAULT_BRAND = Path("assets") / "brand.yaml"

#: For a slide's kind, the keys whose values name files (kinds.file_keys).
FileKeys = Callable[[object], Sequence[str]]


def named_paths(data: dict[str, Any], file_keys: FileKeys) -> list[NamedPath]:
    """Every path in one outline file's data: data files, brand file (or an inline brand's
    logo), output, and the keys each slide's kind declares as files (also in replace:, insert:
    and append: of an extending outline)."""
    out: list[NamedPath] = []
    sources = data.get("data")
    if isinstance(sources, dict):
        out += [NamedPath(spec.get(key), ("data", name, key), f"data '{name}'")
                for name, spec in sources.items() if isinstance(spec, dict)
                for key in ("file", "files") if key in spec]
    brand = data.get("brand")
    if isinstance(brand, str):
        out.append(NamedPath(brand, ("brand",)))
    elif isinstance(brand, dict) and "logo" in brand:  # an inline brand's logo
        out.append(NamedPath(brand["logo"], ("brand", "logo"), "brand logo"))
    if isinstance(data.get("template"), str):
        out.append(NamedPath(data["template"], ("template",), "template"))
    if "output" in data:
        out.append(NamedPath(data["output"], ("output",), read=False))
    for slide, at, context in _slides(data):
        if isinstance(slide, dict):
            out += [NamedPath(slide[key], at + (key,), context)
                    for key in file_keys(slide.get("kind")) if key in slide]
    return out


def _slides(data: dict[str, Any]) -> list[tuple[Any, PathKey, str]]:
    slides: list[tuple[Any, PathKey, str]] = []
    if isinstance(data.get("slides"), list):
        slides += [(s, ("slides", i), SlideLabel(i, str(s.get("kind"))) if isinstance(s, dict)
                    else "") for i, s in enumerate(data["slides"])]
    if isinstance(data.get("replace"), dict):
        slides += [(s, ("replace", k), "") for k, s in data["replace"].items()]
    if isinstance(data.get("append"), list):
        slides += [(s, ("append", i), "") for i, s in enumerate(data["append"])]
    inserts = data.get("insert")
    for k, item in enumerate(inserts if isinstance(inserts, list) else []):
        if isinstance(item, dict) and isinstance(item.get("slides"), list):
            slides += [(s, ("insert", k, "slides", i), "") for i, s in enumerate(item["slides"])]
    return slides


def inside(folder: Path, value: str) -> bool:
    """Whether `value` (a path written relative to `folder`) names a file inside `folder`."""
    target = (folder / value).resolve()
    root = folder.resolve()
    return target == root or root in target.parents


def outside_message(value: str, what: str) -> str:
    return (f"{value} is outside the {what}'s folder; move the file into it, or build with "
            "--allow-outside-paths if you trust this outline")


#: Characters no name deckgen writes may hold: the C0 controls (carriage return and line feed
#: among them), DEL and the C1 controls. A deck's name goes into a terminal's output and into
#: the preview's HTTP headers (serve's Content-Disposition), where CR LF would start a header of
#: its own and ESC a terminal command.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character(text: str) -> Optional[str]:
    """The first control character in a name, as a reader would look it up ('U+000D'), or
    None when there is none."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
