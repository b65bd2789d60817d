"""What lies under a text box on a template (office/read/paint.py, layout/backdrop.py): the
colours of the paints over it from the top down, a picture by the part under the box, and the
brand colour that reads there."""

from __future__ import annotations

import io

from lxml import etree
from PIL import Image

from deckgen.layout.backdrop import candidates, ink, under
from deckgen.layout.plan import Box, inches
from deckgen.office.read.paint import Colours, Paint, picture_grid
from deckgen.source.schema import Colours as Brand

SLIDE = (0, 0, inches(13.333), inches(7.5))
BRAND = Brand()  # primary 1B365D... as the sample's defaults


def test_the_colours_under_a_box_come_from_the_top_down_to_the_first_that_covers_it() -> None:
    paints = [Paint(SLIDE, (("FFFFFF",),), "the background"),
              Paint((0, inches(4), inches(13.333), inches(3.5)), (("1B365D",),), "band"),
              Paint((0, 0, inches(13.333), inches(0.32)), (("00707A",),), "ribbon")]
    assert under(Box(inches(1), inches(5), inches(4), inches(1)), paints) == ["1B365D"]
    # straddling the ribbon's edge: teal and white both show
    assert under(Box(inches(4), inches(0.1), inches(4), inches(0.3)), paints) == \
        ["00707A", "FFFFFF"]
    assert under(Box(inches(1), inches(2), inches(4), inches(1)), []) == ["FFFFFF"]


def test_a_picture_is_read_by_the_part_under_the_box() -> None:
    picture = Image.new("RGB", (80, 60), (250, 250, 250))
    picture.paste((20, 30, 40), (0, 45, 80, 60))  # a dark strip across its foot
    raw = io.BytesIO()
    picture.save(raw, "PNG")
    grid = picture_grid(raw.getvalue())
    assert len(grid) == 6 and len(grid[0]) == 8
    paint = Paint(SLIDE, grid, "picture")
    assert set(under(Box(inches(1), inches(7), inches(3), inches(0.4)), [paint])) == {"141E28"}
    assert set(under(Box(inches(1), inches(1), inches(3), inches(1)), [paint])) == {"FAFAFA"}
    # what is not a PNG or JPEG is never decoded: mid-grey
    assert picture_grid(b"%!PS-Adobe-3.0 EPSF")[0][0] == "808080"


def test_the_brand_colour_that_reads_is_chosen() -> None:
    band = [Paint(SLIDE, (("1B365D",),), "band")]
    box = Box(inches(1), inches(5), inches(4), inches(1))
    assert ink(box, band, BRAND.primary.upper(), BRAND) == BRAND.light.upper()
    assert ink(box, [], BRAND.primary, BRAND) == BRAND.primary  # nothing painted: as asked
    assert candidates("5F6B7A", BRAND)[0] == "5F6B7A"
    assert "FFFFFF" not in candidates("5F6B7A", BRAND)  # the brand's colours only


def test_scheme_colours_follow_the_masters_colour_map_and_luminance() -> None:
    scheme = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "1F497D", "accent1": "4F81BD"}
    clr_map = etree.fromstring(
        '<p:clrMap xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2"/>')
    colours = Colours(scheme, clr_map)
    fill = etree.fromstring(
        '<a:solidFill xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:schemeClr val="tx2"><a:lumMod val="50000"/></a:schemeClr></a:solidFill>')
    assert colours.of(fill) == "0F243E"  # dk2 at half its lightness (HLS), as PowerPoint
