"""The files an outline names, and whether they stay inside its folder.

One list serves the path rule (inherit.check_paths), the rebasing of an extended outline's paths
and the up-to-date check, which must stay light on imports: nothing heavy is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deckgen.source.yamlsrc import PathKey


@dataclass(frozen=True)
class NamedPath:
    """A path as the outline writes it, where it is written, and what for."""

    value: Any  # as written: text when the outline is right, anything when it is not
    at: PathKey
    context: str = ""  # e.g. "data 'asb'" or "slide 3 (image)", for messages
    read: bool = True  # read by a build (the output is written, not read)


def named_paths(data: dict[str, Any]) -> list[NamedPath]:
    """Every path in one outline file's data: data files, brand file (or an inline brand's
    logo), output, slide pictures (also in replace:, insert: and append: of an extending
    outline)."""
    out: list[NamedPath] = []
    sources = data.get("data")
    if isinstance(sources, dict):
        out += [NamedPath(spec.get("file"), ("data", name, "file"), f"data '{name}'")
                for name, spec in sources.items() if isinstance(spec, dict)]
    brand = data.get("brand")
    if isinstance(brand, str):
        out.append(NamedPath(brand, ("brand",)))
    elif isinstance(brand, dict) and "logo" in brand:  # an inline brand's logo
        out.append(NamedPath(brand["logo"], ("brand", "logo"), "brand logo"))
    if "output" in data:
        out.append(NamedPath(data["output"], ("output",), read=False))
    for slide, at, context in _slides(data):
        if isinstance(slide, dict) and "image" in slide:
            out.append(NamedPath(slide["image"], at + ("image",), context))
    return out


def _slides(data: dict[str, Any]) -> list[tuple[Any, PathKey, str]]:
    slides: list[tuple[Any, PathKey, str]] = []
    if isinstance(data.get("slides"), list):
        slides += [(s, ("slides", i), f"slide {i + 1} ({s.get('kind')})" if isinstance(s, dict)
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
