"""An organisation's PowerPoint template (.pptx or .potx), read for what deckgen needs of it.

The deck is built on the template's masters and layouts (office/write): this module reads,
without python-pptx, the slide size, each layout's name and placeholders (with their places,
inherited from the master where the layout does not move them), and the theme's colours and
fonts, for the layout stage and for `deckgen template inspect` (source/template.py). The
package is read within bounds and cleaned first (office/read/package.py): the deck is built on
its masters and layouts without the template's slides, external links or embedded programs,
and a .potx's (or a macro-enabled file's) main part becomes a plain presentation's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Optional

from lxml import etree

from deckgen.errors import DeckError, Location, Problem, excerpt
from deckgen.inputs import NotAFile, TooLarge, read_input
from deckgen.office.read.ns import CT, A, P, R
from deckgen.office.read.package import (
    MAIN_TYPES,
    MAX_TEMPLATE_BYTES,
    POTM_MAIN,
    POTX_MAIN,
    PPTM_MAIN,
    NotAPackage,
    Package,
    PackageError,
    check_typed,
    clean,
    open_package,
)
from deckgen.office.read.paint import Box4, Colours, Paint, background, shapes


@dataclass(frozen=True)
class Placeholder:
    type: str  # title, ctrTitle, body, pic, chart, tbl, dt, ftr, sldNum, obj...
    idx: int
    name: str
    box: Optional[tuple[int, int, int, int]]  # x, y, w, h in EMU; None: nowhere says
    align: str = ""  # its text's alignment (OOXML algn: l, ctr, r...); '' nowhere says


@dataclass(frozen=True)
class Layout:
    name: str
    placeholders: tuple[Placeholder, ...]
    #: where the layout's (and, unless it hides them, its master's) own shapes are: a band, a
    #: logo, a text box; deckgen keeps its content clear of them
    shapes: tuple[tuple[int, int, int, int], ...] = ()
    #: whether those shapes include a picture (a logo): then the brand's logo is not added
    picture: bool = False
    #: what the layout paints, in drawing order: its background (or its master's), the
    #: master's shapes, its own (office/read/paint.py)
    paints: tuple[Paint, ...] = ()
    #: where the template writes text of its own (an organisation's name beside the footer)
    texts: tuple[Box4, ...] = ()

    @property
    def title(self) -> Optional[Placeholder]:
        return next((p for p in self.placeholders if p.type in ("title", "ctrTitle")), None)


@dataclass(frozen=True)
class Template:
    """What deckgen reads of a template: its size, layouts, theme, and the bytes to build on
    (a .potx's main part already a presentation's)."""

    path: str  # as messages name it
    width: int
    height: int
    layouts: tuple[Layout, ...]
    colours: dict[str, str] = field(default_factory=dict)
    fonts: tuple[str, str] = ("", "")  # heading (major), body (minor)
    potx: bool = False
    data: bytes = b""  # the package the deck is built on, cleaned (office/read/package.py)
    #: what the deck leaves out of the template (external links, embedded programs), said once
    warnings: tuple[Problem, ...] = ()
    at: Optional[Location] = None  # where the outline or brand names it

    def layout(self, name: str) -> Optional[Layout]:
        return next((lay for lay in self.layouts if lay.name == name), None)

    @property
    def names(self) -> list[str]:
        return [lay.name for lay in self.layouts]


def read_template(path: Path, shown: str, at: Optional[Location]) -> Template:
    """The template at `path`; a file that is not a PowerPoint presentation or template, or one
    too large or damaged to use, is an error located at `at` (where the outline names it).
    What the deck leaves out of it (office/read/package.py `clean`) is one warning at `at`."""
    def fail(message: str) -> DeckError:
        return DeckError.single(message, at, "template")

    not_powerpoint = fail(f"{shown} is not a PowerPoint file (.pptx or .potx): save it from "
                          "PowerPoint as a presentation or a template")
    try:
        package = open_package(read_input(path, MAX_TEMPLATE_BYTES))
    except FileNotFoundError:
        raise fail(f"no file {shown}; give the path of a .pptx or .potx file "
                   "(in an outline, relative to it)") from None
    except TooLarge as exc:
        raise fail(f"{shown} {exc.strerror}; make its pictures smaller (PowerPoint: File > "
                   "Compress Pictures)") from None
    except (IsADirectoryError, NotAFile) as exc:
        raise fail(f"{shown} {exc.strerror}; give the path of a .pptx or .potx file") from None
    except (OSError, NotAPackage):
        raise not_powerpoint from None
    except PackageError as exc:
        raise fail(f"{shown} cannot be used as a template: {exc}") from None
    main = next((o for o in package.types.iter(f"{CT}Override")
                 if o.get("ContentType") in MAIN_TYPES), None)
    if main is None:
        raise fail(f"{shown} is an Office file but not a PowerPoint presentation or template")
    kind = main.get("ContentType")
    name = main.get("PartName", "/ppt/presentation.xml").lstrip("/")
    reading_now = [name]  # the part being read, for a message
    try:
        dropped = clean(package, name)
        if kind in (PPTM_MAIN, POTM_MAIN):
            dropped.insert(0, "its macros (a macro-enabled file becomes a plain presentation)")
        presentation = package.xml(name)
        size_el = presentation.find(f"{P}sldSz")
        width, height = (int(size_el.get("cx")), int(size_el.get("cy"))) \
            if size_el is not None else (12192000, 6858000)
        layouts: list[Layout] = []
        colours: dict[str, str] = {}
        fonts = ("", "")
        for master in _listed(package, name, f"{P}sldMasterIdLst", "/slideMaster"):
            found, theme = _master(package, master, reading_now, (width, height))
            layouts += found
            if theme and not colours:
                reading_now[0] = theme
                colours, fonts = _theme(package.xml(theme))
        data = package.to_bytes()
    except PackageError as exc:
        raise fail(f"{shown} cannot be used as a template: {exc}") from None
    except (ValueError, TypeError, AttributeError, KeyError):
        raise fail(f"{shown} cannot be used as a template: its part {reading_now[0]} is not as "
                   "PowerPoint writes it; open it in PowerPoint and save it again") from None
    if width <= 0 or height <= 0:
        raise fail(f"{shown} cannot be used as a template: its slide size is {width} x {height} "
                   "EMU; set one in PowerPoint (Design > Slide Size) and save it again")
    more = f"; and {len(dropped) - 10:,} more" if len(dropped) > 10 else ""
    warnings = (Problem(f"{shown}: left out of the deck, as unsafe to pass on: "
                        f"{'; '.join(dropped[:10])}{more}", at, "template",
                        severity="warning"),) if dropped else ()
    return Template(shown, width, height, tuple(layouts), colours, fonts,
                    kind in (POTX_MAIN, POTM_MAIN), data, warnings, at)


def _listed(package: Package, part: str, id_list: str, kind: str) -> list[str]:
    """The parts a presentation's master list (`p:sldMasterIdLst`) or a master's layout list
    (`p:sldLayoutIdLst`) names, in its order, as PowerPoint and python-pptx read them; each
    must be a `kind` ('/slideMaster', '/slideLayout') by its content type."""
    rels = {rel.get("Id"): rel for rel in package.rels(part)
            if rel.get("TargetMode") != "External"}
    listed = package.xml(part).find(id_list)
    out = []
    for entry in listed if listed is not None else []:
        rel = rels.get(entry.get(f"{R}id"))
        if rel is None:
            raise PackageError(f"its part {part} lists {excerpt(entry.get(f'{R}id'))}, which "
                               "it does not relate to")
        out.append(package.target(part, rel))
        check_typed(package, kind, out[-1])
    return out


def _master(package: Package, master: str, reading: list[str], size: tuple[int, int]
            ) -> tuple[list[Layout], str]:
    """A master's layouts, and its theme's part ('' when it has none); `reading[0]` is the
    part being read."""
    theme = next((package.target(master, rel) for rel in package.rels(master)
                  if rel.get("Type", "").endswith("/theme")), "")
    reading[0] = theme
    scheme = _theme(package.xml(theme))[0] if theme else {}
    reading[0] = master
    master_root = package.xml(master)
    colours = Colours(scheme, master_root.find(f"{P}clrMap"))
    master_bg = background(master_root, colours, _blobs(package, master), size)
    master_paints, master_texts = shapes(master_root, colours, _blobs(package, master))
    styles = {kind: _algn(master_root.find(f"{P}txStyles/{P}{kind}Style"))
              for kind in ("title", "body")}
    by_type = {p.type: p for p in _placeholders(master_root, {}, styles)}
    master_shapes = _shapes(master_root)
    layouts = []
    for part in _listed(package, master, f"{P}sldLayoutIdLst", "/slideLayout"):
        reading[0] = part
        root = package.xml(part)
        layout_name = layout_name_of(root.find(f"{P}cSld").get("name", ""), part)
        shown = root.get("showMasterSp") != "0"
        placed = _shapes(root) + (master_shapes if shown else [])
        own_bg = background(root, colours, _blobs(package, part), size) or master_bg
        own_paints, own_texts = shapes(root, colours, _blobs(package, part))
        paints = ([own_bg] if own_bg else []) + (master_paints if shown else []) + own_paints
        texts = (master_texts if shown else []) + own_texts
        layouts.append(Layout(layout_name, tuple(_placeholders(root, by_type, {})),
                              tuple(box for box, _ in placed), any(pic for _, pic in placed),
                              tuple(paints), tuple(texts)))
    reading[0] = master
    return layouts, theme


def _blobs(package: Package, part: str) -> Callable[[str], Optional[bytes]]:
    """The bytes of a part's picture by its relationship id (None for none, or a link)."""
    def blob(rid: str) -> Optional[bytes]:
        rel = next((r for r in package.rels(part) if r.get("Id") == rid
                    and r.get("TargetMode") != "External"), None)
        return package.parts.get(package.target(part, rel)) if rel is not None else None
    return blob


def layout_name_of(name: str, part: str) -> str:
    """A layout's name: its own (`p:cSld name`), else its part's (`slideLayout6`). The writer
    finds layouts by the same rule."""
    return name or PurePosixPath(part).stem


#: The master placeholder a layout's placeholder takes its place from when it gives none
_MASTER_TYPE = {"ctrTitle": "title", "subTitle": "body", "obj": "body", "pic": "body",
                "tbl": "body", "chart": "body"}


def _placeholders(root: etree._Element, inherited: dict[str, Placeholder],
                  styles: dict[str, str]) -> list[Placeholder]:
    """The placeholders of a master or layout, each with its place and text alignment: its
    own, else the master placeholder's it inherits from, else the master's text styles'."""
    out = []
    for sp in root.iter(f"{P}sp"):
        ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
        if ph is None:
            continue
        kind = ph.get("type", "obj")  # OOXML's default: a content placeholder
        name = sp.find(f"{P}nvSpPr/{P}cNvPr").get("name", "")
        parent = inherited.get(kind) or inherited.get(_MASTER_TYPE.get(kind, kind))
        off, ext = sp.find(f"{P}spPr/{A}xfrm/{A}off"), sp.find(f"{P}spPr/{A}xfrm/{A}ext")
        box = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))) \
            if off is not None and ext is not None else parent.box if parent else None
        align = _algn(sp.find(f"{P}txBody/{A}lstStyle")) or (parent.align if parent else "") \
            or styles.get("title" if kind in ("title", "ctrTitle") else "body", "")
        out.append(Placeholder(kind, int(ph.get("idx", "0")), name, box, align))
    return out


def _algn(styles: Optional[etree._Element]) -> str:
    """The first level's alignment in a list of text styles (`a:lstStyle`, `p:titleStyle`)."""
    level = styles.find(f"{A}lvl1pPr") if styles is not None else None
    return level.get("algn", "") if level is not None else ""


def _shapes(root: etree._Element) -> list[tuple[tuple[int, int, int, int], bool]]:
    """The places of a master's or layout's own shapes (not placeholders), each with whether it
    is a picture: `p:sp`, `p:pic`, `p:grpSp`, `p:graphicFrame` and `p:cxnSp` at the top of its
    shape tree (`p:cSld/p:spTree`), placed by `a:xfrm` (`p:xfrm` for a graphic frame)."""
    tree = root.find(f"{P}cSld/{P}spTree")
    out = []
    for shape in tree if tree is not None else []:
        tag = etree.QName(shape).localname
        if tag not in ("sp", "pic", "grpSp", "graphicFrame", "cxnSp") or \
                shape.find(f".//{P}nvPr/{P}ph") is not None:
            continue
        xfrm = shape.find(f"{P}xfrm") if tag == "graphicFrame" else \
            shape.find(f"{P}grpSpPr/{A}xfrm") if tag == "grpSp" else \
            shape.find(f"{P}spPr/{A}xfrm")
        off = xfrm.find(f"{A}off") if xfrm is not None else None
        ext = xfrm.find(f"{A}ext") if xfrm is not None else None
        if off is not None and ext is not None:
            out.append(((int(off.get("x")), int(off.get("y")), int(ext.get("cx")),
                         int(ext.get("cy"))), tag == "pic"))
    return out


def _theme(root: etree._Element) -> tuple[dict[str, str], tuple[str, str]]:
    colours = {}
    scheme = root.find(f".//{A}clrScheme")
    for slot in scheme if scheme is not None else []:
        value = next((c.get("lastClr") or c.get("val") for c in slot), None)
        if value:
            colours[etree.QName(slot).localname] = value
    major = root.find(f".//{A}majorFont/{A}latin")
    minor = root.find(f".//{A}minorFont/{A}latin")
    return colours, (major.get("typeface", "") if major is not None else "",
                     minor.get("typeface", "") if minor is not None else "")
