"""What office/read/deck.py reads of a shape, and the record's checks: the same digest for the
same thing said however the XML writes it (PowerPoint, python-pptx or LibreOffice), a
different one for anything a reader would see differently."""

from __future__ import annotations

from typing import Any

from lxml import etree

from deckgen.office.read.deck import _well_formed, chart_series, digest, paragraphs, shape_view

NS = ('xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"')


def _xml(text: str) -> Any:
    return etree.fromstring(text.replace("NS", NS))


def _shape(body: str, name: str = "Points", extra: str = "") -> Any:
    return shape_view(_xml(
        f'<p:sp NS><p:nvSpPr><p:cNvPr id="4" name="{name}"{extra}/><p:cNvSpPr/><p:nvPr/>'
        '</p:nvSpPr><p:spPr><a:xfrm><a:off x="10" y="20"/><a:ext cx="30" cy="40"/></a:xfrm>'
        '<a:solidFill><a:srgbClr val="E0A526"/></a:solidFill></p:spPr>'
        f'<p:txBody><a:bodyPr/>{body}</p:txBody></p:sp>'))


def test_runs_breaks_and_fields_are_read_as_a_reader_sees_them() -> None:
    body = _xml('<p:txBody NS><a:p><a:r><a:t>Fell by </a:t></a:r><a:r><a:t>5%</a:t></a:r>'
                '<a:br/><a:r><a:t>since May  </a:t></a:r></a:p>'
                '<a:p><a:fld type="slidenum"><a:t>7</a:t></a:fld></a:p><a:p/><a:p/></p:txBody>')
    assert paragraphs(body) == ["Fell by 5%\nsince May", "{slidenum}"]


def test_the_same_text_split_into_other_runs_has_the_same_digest() -> None:
    one = _shape('<a:p><a:r><a:t>Southend 131</a:t></a:r></a:p>')
    two = _shape('<a:p><a:r><a:rPr b="1"/><a:t>Southend </a:t></a:r><a:r><a:t>131</a:t></a:r>'
                 '</a:p><a:p><a:endParaRPr/></a:p>')
    other = _shape('<a:p><a:r><a:t>Southend 140</a:t></a:r></a:p>')
    assert one.digest == two.digest != other.digest


def test_a_slide_number_renumbered_is_not_an_edit() -> None:
    three = _shape('<a:p><a:fld type="slidenum"><a:t>3</a:t></a:fld></a:p>')
    four = _shape('<a:p><a:fld type="slidenum"><a:t>4</a:t></a:fld></a:p>')
    assert three.digest == four.digest


def test_place_fill_name_and_hidden_are_read() -> None:
    shape = _shape("<a:p/>", "deckgen 3 0123abcd", ' hidden="1"')
    assert (shape.box, shape.fill, shape.name, shape.hidden, shape.id) == \
        ((10, 20, 30, 40), "e0a526", "deckgen 3 0123abcd", True, "4")
    assert not shape.moved([10 + 720, 20, 30, 40]) and shape.moved([10 + 721, 20, 30, 40])


def test_chart_series_are_read_from_the_caches_numbers_as_numbers() -> None:
    chart = _xml('<c:chartSpace NS><c:chart><c:plotArea><c:barChart><c:ser>'
                 '<c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>incidents</c:v></c:pt>'
                 '</c:strCache></c:strRef></c:tx><c:cat><c:strRef><c:strCache>'
                 '<c:pt idx="1"><c:v>Basildon</c:v></c:pt><c:pt idx="0"><c:v>Southend</c:v>'
                 '</c:pt></c:strCache></c:strRef></c:cat><c:val><c:numRef><c:numCache>'
                 '<c:pt idx="0"><c:v>131.0</c:v></c:pt><c:pt idx="1"><c:v>80.5</c:v></c:pt>'
                 '</c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart>'
                 '</c:chartSpace>')
    assert chart_series(chart) == [("incidents", ["Southend", "Basildon"], ["131", "80.5"])]


def test_digests_are_short_and_stable() -> None:
    assert digest(["text", ["a"]]) == digest(["text", ["a"]]) != digest(["text", ["b"]])
    assert len(digest([])) == 16


def test_a_record_is_well_formed_only_with_every_field_of_its_type() -> None:
    shape = {"name": "Points", "ph": "", "kind": "text", "digest": "0" * 16,
             "box": [0, 0, 1, 1], "fill": ""}
    slide = {"n": 1, "key": "glance", "title": "T", "notes": "0" * 16, "shapes": [shape]}
    record = {"outline": "0" * 16, "source": "deck.yaml", "title": "T", "slides": [slide]}
    assert _well_formed(record)
    for broken in ({**record, "slides": "x"}, {**record, "slides": [{**slide, "n": "1"}]},
                   {**record, "slides": [{**slide, "shapes": [{**shape, "box": [0, 0]}]}]},
                   {**record, "slides": [{**slide, "shapes": [{**shape, "box": "x"}]}]},
                   [record]):
        assert not _well_formed(broken)
