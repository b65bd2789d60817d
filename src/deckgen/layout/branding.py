"""The brand an outline names, as the Theme every slide is laid out with.

The brand is a file (`brand: assets/brand.yaml`, or assets/brand.yaml when the outline names
none and it is there), or written inline; `footer:` may replace its footer. Its logo and its
template are read here, each within its limits. The brand file is read once per build, by the
build's manifest of its inputs (source/manifest.py: `BrandFile`), and handed in: its minus sign
is needed before the outline is validated and the rest when the deck is laid out, and neither
reads it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional, Union

from pydantic import ValidationError

from deckgen.data.images import load_image
from deckgen.errors import DeckError, Location
from deckgen.layout.theme import Theme
from deckgen.source.manifest import BrandFile
from deckgen.source.paths import DEFAULT_BRAND, inside, outside_message
from deckgen.source.schema import Brand, DeckSpec
from deckgen.source.template import Template, read_template
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import fill_text
from deckgen.source.yamlsrc import SourceMap, load_file


def load_theme(deck: DeckSpec, base: Path, source: SourceMap,
               allow_outside_paths: bool = False, read: Optional[BrandFile] = None) -> Theme:
    """The brand named by the outline (a file, inline, or assets/brand.yaml by default), with
    where its footer and marking are written (for messages about them). `read` is the brand
    file as the build's manifest read it (else it is read here)."""
    brand, brand_dir, logo_at, where = _brand(deck.brand, base, source, read)
    spec = deck.brand
    if deck.footer is not None:
        brand = brand.model_copy(update={"footer": deck.footer})
        where["footer"] = source.at(("footer",))
    logo = None
    if brand.logo:
        # an inline brand's logo is one of the outline's paths, checked with the others
        # (inherit.check_paths); a brand file's logo must stay in the brand file's folder
        if not isinstance(spec, Brand) and not allow_outside_paths \
                and not inside(brand_dir, brand.logo):
            raise DeckError.single(outside_message(brand.logo, "brand file"), logo_at,
                                   "brand logo")
        logo = load_image(brand_dir / brand.logo, logo_at, "brand logo").data
    template = _template(deck, brand, base, brand_dir, source, where, allow_outside_paths)
    if template is None:
        return Theme(brand, logo, where=where)
    return Theme(brand, logo, where=where, template=template, slide_w=template.width,
                 slide_h=template.height)


def _template(deck: DeckSpec, brand: Brand, base: Path, brand_dir: Path, source: SourceMap,
              where: Mapping[str, Location], allow_outside_paths: bool) -> Optional[Template]:
    """The template the deck is built on: the outline's `template:`, else its brand's (a
    path relative to the brand file, which must stay in its folder)."""
    if deck.template:
        return read_template(base / deck.template, deck.template, source.at(("template",)))
    if brand.template:
        at = where.get("template")
        if not isinstance(deck.brand, Brand) and not allow_outside_paths \
                and not inside(brand_dir, brand.template):
            raise DeckError.single(outside_message(brand.template, "brand file"), at,
                                   "brand template")
        return read_template(brand_dir / brand.template, brand.template, at)
    return None


#: The brand settings whose place messages name.
_LOCATED = ("footer", "marking", "logo", "template")


def _brand(spec: Union[str, Brand, None], base: Path, source: SourceMap,
           read: Optional[BrandFile] = None) -> tuple[Brand, Path, Location, dict[str, Location]]:
    """The brand an outline names (a file, inline, or assets/brand.yaml by default): the
    brand, its folder, where its logo and its footer and marking are written. The file is
    taken from `read` (the manifest's) when that is the same file, as the same name."""
    path = base / spec if isinstance(spec, str) and spec else base / DEFAULT_BRAND
    if isinstance(spec, Brand) or (not spec and not path.exists()):
        where = {key: source.at(("brand", key)) for key in _LOCATED
                 if ("brand", key) in source.values}
        return spec or Brand(), base, source.at(("brand", "logo")), where
    shown = spec or str(DEFAULT_BRAND)
    if read is not None and read.path == path and read.shown == shown:
        if read.problems or read.source is None:
            raise DeckError(list(read.problems))
        data, brand_source = read.data, read.source
    else:
        data, brand_source = load_file(path, shown_as=shown)
    try:
        brand = Brand.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise DeckError(pydantic_problems(exc, data, brand_source, (), model=Brand)) from None
    where = {key: brand_source.at((key,)) for key in _LOCATED
             if (key,) in brand_source.values}
    return brand, path.parent, brand_source.at(("logo",)), where


def minus(raw: Any, values: Mapping[str, Any], base: Path, source: SourceMap,
          read: Optional[BrandFile] = None) -> str:
    """The minus sign the outline's brand asks for, for figures in its texts, read before the
    outline is validated; a brand with problems gives the hyphen here, and its problems are
    reported when the deck is laid out."""
    from pydantic import TypeAdapter

    try:
        if isinstance(raw, str):
            raw = fill_text(raw, values)[0]
        spec = TypeAdapter(Union[str, Brand, None]).validate_python(raw)
        return _brand(spec, base, source, read)[0].minus
    except (ValidationError, DeckError, OSError):
        return "-"
