"""What a template draws under deckgen's text: its backgrounds, filled shapes and pictures,
as colours, so the layout stage can choose text colours that read on them and the review can
check them (issue 28: on a force's template the title slide's date and the marking were drawn
in the brand's blue on a band of that same blue, and nothing said so).

Each master and layout becomes a list of `Paint`s in drawing order: the background (the
layout's own, else its master's), then the master's shapes (unless the layout hides them),
then the layout's. A solid fill is one colour; a gradient its stops; a picture a small grid of
the average colours of its parts, so a text box is checked against the part of the picture
it sits on. Text the template writes on its masters and layouts (an organisation's name beside
the footer) is listed too, so deckgen's footer and marking keep clear of it.

Pictures are decoded only if their first bytes say PNG or JPEG (data/images.py's rule: never
hand Pillow a format it would pass to an interpreter), bounded in pixels, and reduced to a
few pixels; anything else is taken to be mid-grey, a colour nothing light or dark hides on.
"""

from __future__ import annotations

import colorsys
import io
import warnings
from dataclasses import dataclass
from typing import Callable, Optional

from lxml import etree

from deckgen.office.read.ns import A, P, R

Box4 = tuple[int, int, int, int]
#: the grid a picture is reduced to, columns by rows
GRID = (8, 6)
#: larger pictures are not decoded (a template's background photo is far smaller)
MAX_PIXELS = 40_000_000
#: what an unreadable picture is taken to be
UNKNOWN = "808080"


@dataclass(frozen=True)
class Paint:
    """A colour (or a grid of colours, rows top to bottom) the template paints over `box`."""

    box: Box4
    colours: tuple[tuple[str, ...], ...]
    name: str = ""  # how messages name it: 'the background', "shape 'Title band'"

    def under(self, box: Box4) -> list[str]:
        """The colours of this paint that lie under `box` (none when they do not meet)."""
        x, y, w, h = self.box
        bx, by, bw, bh = box
        if not (bx < x + w and x < bx + bw and by < y + h and y < by + bh) or w <= 0 or h <= 0:
            return []
        rows, cols = len(self.colours), len(self.colours[0])
        c0 = max(0, min(cols - 1, (bx - x) * cols // w))
        c1 = max(0, min(cols - 1, (bx + bw - 1 - x) * cols // w))
        r0 = max(0, min(rows - 1, (by - y) * rows // h))
        r1 = max(0, min(rows - 1, (by + bh - 1 - y) * rows // h))
        return [self.colours[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]

    def covers(self, box: Box4) -> bool:
        x, y, w, h = self.box
        bx, by, bw, bh = box
        return x <= bx and y <= by and bx + bw <= x + w and by + bh <= y + h


#: how a part's picture bytes are read: by relationship id
Blobs = Callable[[str], Optional[bytes]]


class Colours:
    """A master's colour scheme as its slides see it: the theme's colours through the
    master's colour map (`p:clrMap`: bg1 is lt1, tx1 is dk1...)."""

    def __init__(self, scheme: dict[str, str], clr_map: Optional[etree._Element]) -> None:
        self.scheme = dict(scheme)
        mapping = dict(clr_map.attrib) if clr_map is not None else {
            "bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
        for alias, slot in mapping.items():
            if slot in scheme:
                self.scheme[alias] = scheme[slot]

    def of(self, parent: Optional[etree._Element]) -> Optional[str]:
        """The colour a fill or colour element holds (`a:srgbClr`, `a:schemeClr`, `a:sysClr`
        with their lumMod/lumOff/shade/tint), as RRGGBB; None when it holds none."""
        if parent is None:
            return None
        for node in parent:
            tag = etree.QName(node).localname
            value = None
            if tag == "srgbClr":
                value = node.get("val")
            elif tag == "schemeClr":
                value = self.scheme.get(str(node.get("val")))
            elif tag == "sysClr":
                value = node.get("lastClr")
            elif tag == "prstClr":
                value = {"black": "000000", "white": "FFFFFF"}.get(str(node.get("val")))
            if value and len(value) == 6:
                return _adjusted(value.upper(), node)
        return None


def _adjusted(rgb: str, node: etree._Element) -> str:
    """A colour with its luminance modulation and offset, shade and tint applied."""
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    for mod in node:
        name, val = etree.QName(mod).localname, int(mod.get("val", "100000")) / 100000
        if name == "lumMod":
            light *= val
        elif name == "lumOff":
            light += val
        elif name == "shade":
            light *= val
        elif name == "tint":
            light = light * val + (1 - val)
    light = max(0.0, min(1.0, light))
    r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


def background(root: etree._Element, colours: Colours, blobs: Blobs, size: tuple[int, int]
               ) -> Optional[Paint]:
    """A master's or layout's own background (`p:cSld/p:bg`), if it sets one."""
    bg = root.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    box = (0, 0, size[0], size[1])
    props = bg.find(f"{P}bgPr")
    grid = _fill(props, colours, blobs) if props is not None else None
    if grid is None:
        ref = bg.find(f"{P}bgRef")
        colour = colours.of(ref)
        grid = ((colour,),) if colour else None
    return Paint(box, grid, "the background") if grid else None


def _fill(props: etree._Element, colours: Colours, blobs: Blobs
          ) -> Optional[tuple[tuple[str, ...], ...]]:
    """The colours a shape's or background's properties fill with: a solid fill's, a
    gradient's stops, a picture's grid; None for none (no fill, or one not said here)."""
    solid = props.find(f"{A}solidFill")
    if solid is not None:
        colour = colours.of(solid)
        return ((colour,),) if colour else None
    gradient = props.find(f"{A}gradFill")
    if gradient is not None:
        stops = [colours.of(gs) for gs in gradient.iter(f"{A}gs")]
        found = tuple(c for c in stops if c)
        return (found,) if found else None
    blip = props.find(f"{A}blipFill/{A}blip")
    if blip is not None:
        return picture_grid(blobs(str(blip.get(f"{R}embed", ""))))
    return None


def shapes(root: etree._Element, colours: Colours, blobs: Blobs
           ) -> tuple[list[Paint], list[Box4]]:
    """The fills a master's or layout's own shapes (not placeholders) paint, in drawing
    order, and where its text shapes are."""
    tree = root.find(f"{P}cSld/{P}spTree")
    paints: list[Paint] = []
    texts: list[Box4] = []
    for shape in tree if tree is not None else []:
        tag = etree.QName(shape).localname
        if tag not in ("sp", "pic") or shape.find(f".//{P}nvPr/{P}ph") is not None:
            continue
        props = shape.find(f"{P}spPr")
        box = _box(props)
        if props is None or box is None:
            continue
        name = str(shape.find(f".//{P}cNvPr").get("name", "")) \
            if shape.find(f".//{P}cNvPr") is not None else ""
        if tag == "pic":
            blip = shape.find(f"{P}blipFill/{A}blip")
            grid = picture_grid(blobs(str(blip.get(f"{R}embed", "")))) \
                if blip is not None else None
        else:
            grid = _fill(props, colours, blobs)
            if grid is None and props.find(f"{A}noFill") is None:
                colour = colours.of(shape.find(f"{P}style/{A}fillRef"))
                grid = ((colour,),) if colour else None
        if grid:
            paints.append(Paint(box, grid, f"shape '{name}'" if name else "a shape"))
        text = "".join(t.text or "" for t in shape.iter(f"{A}t"))
        if text.strip():
            texts.append(box)
    return paints, texts


def _box(props: Optional[etree._Element]) -> Optional[Box4]:
    xfrm = props.find(f"{A}xfrm") if props is not None else None
    off = xfrm.find(f"{A}off") if xfrm is not None else None
    ext = xfrm.find(f"{A}ext") if xfrm is not None else None
    if off is None or ext is None:
        return None
    return (int(off.get("x", "0")), int(off.get("y", "0")), int(ext.get("cx", "0")),
            int(ext.get("cy", "0")))


def picture_grid(raw: Optional[bytes]) -> tuple[tuple[str, ...], ...]:
    """A picture as a grid of its parts' average colours (GRID), decoded only when its first
    bytes say PNG or JPEG; mid-grey when it cannot be read. A transparent picture's pixels
    count as white: what shows through is most often a light background."""
    fmt = "PNG" if raw and raw.startswith(b"\x89PNG\r\n\x1a\n") else \
        "JPEG" if raw and raw.startswith(b"\xff\xd8\xff") else None
    unknown = tuple(tuple(UNKNOWN for _ in range(GRID[0])) for _ in range(GRID[1]))
    if fmt is None or raw is None:
        return unknown
    from PIL import Image

    old_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=[fmt]) as img:
                if img.width * img.height > MAX_PIXELS:
                    return unknown
                img.draft("RGB", (GRID[0] * 8, GRID[1] * 8))
                rgba = img.convert("RGBA")
                flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                flat.alpha_composite(rgba)
                small = flat.convert("RGB").resize(GRID, Image.Resampling.BOX)
                raw_rgb = small.tobytes()  # three bytes a pixel, row by row
                return tuple(tuple(raw_rgb[3 * (r * GRID[0] + c):3 * (r * GRID[0] + c) + 3]
                                   .hex().upper() for c in range(GRID[0]))
                             for r in range(GRID[1]))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError, EOFError):
        return unknown
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
