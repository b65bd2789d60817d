"""Workbooks made to exhaust memory or time: each is a located error in about a second.

Every hostile workbook is built here by hand (openpyxl, or zipfile part by part) and run through
the command line in a subprocess with its address space limited to 1.5 GB and a timeout, so a
regression fails the test instead of taking the machine or CI down with it.
"""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Iterable, Optional, Union

import pytest
from openpyxl import Workbook
from pptx import Presentation

from deckgen import app
from deckgen.data import xlsxcheck
from deckgen.errors import DeckError

LIMIT_BYTES = 1536 * 2**20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
         'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
         'officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
         'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{more}</Types>')
STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
ROOT_RELS = (f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
             f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                 f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>{{more}}'
                 '</Relationships>')
STRINGS_REL = (f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" '
               'Target="sharedStrings.xml"/>')
#: The table every workbook here starts with: rows 1 to 3, columns A and B.
TABLE = ('<row r="1"><c r="A1" t="inlineStr"><is><t>district</t></is></c>'
         '<c r="B1" t="inlineStr"><is><t>n</t></is></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><t>Basildon</t></is></c><c r="B2"><v>5</v>'
         '</c></row><row r="3"><c r="A3" t="inlineStr"><is><t>Southend</t></is></c>'
         '<c r="B3"><v>7</v></c></row>')

Chunks = Union[str, bytes, Iterable[bytes]]


def _package(path: Path, sheet: Chunks, strings: Optional[Chunks] = None,
             styles: Optional[str] = None, extra: int = 0) -> Path:
    """A workbook made part by part: the sheet's XML (or its chunks, streamed into the zip),
    and shared strings, styles and `extra` empty parts if asked."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    TYPES.format(more=STRINGS_TYPE if strings is not None else ""))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels",
                    WORKBOOK_RELS.format(more=STRINGS_REL if strings is not None else ""))
        for name, content in (("xl/worksheets/sheet1.xml", sheet),
                              ("xl/sharedStrings.xml", strings), ("xl/styles.xml", styles)):
            if content is None:
                continue
            with zf.open(name, "w") as part:
                for chunk in [content] if isinstance(content, (str, bytes)) else content:
                    part.write(chunk.encode() if isinstance(chunk, str) else chunk)
        for i in range(extra):
            zf.writestr(f"customXml/item{i}.xml", "")
    return path


def _sheet(rows: str, dimension: Optional[str] = "A1:B3", after: str = "",
           prologue: str = "") -> str:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'{prologue}<worksheet xmlns="{MAIN}">{ref}<sheetData>{rows}</sheetData>{after}'
            '</worksheet>')


def _outline(folder: Path, workbook: str = "f.xlsx") -> Path:
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndata:\n  d: {{file: {workbook}}}\nslides:\n  - kind: table\n"
                    "    title: Table\n    data: d\n    columns: [{column: district}, "
                    "{column: n}]\n", encoding="utf-8")
    return deck


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _build(folder: Path, timeout: float = 60) -> tuple[int, str, float]:
    """`deckgen build` in a subprocess with 1.5 GB of address space: exit code, what it
    printed, how long it took."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o",
                             "out.pptx", "--no-cache"], cwd=folder, capture_output=True,
                            text=True, timeout=timeout, preexec_fn=_limit)
    return result.returncode, result.stderr, time.monotonic() - start


def _refused(folder: Path, *expected: str) -> str:
    """Build and check the build was refused in seconds, naming each expected text, with one
    located message, no traceback and no deck."""
    code, err, took = _build(folder)
    assert code == 1, err[-3000:]
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    assert err.startswith("error: f.xlsx"), err
    for text in expected:
        assert text in err, err
    assert took < 20, took
    assert not (folder / "out.pptx").exists()
    return err


def _refused_here(folder: Path, *expected: str) -> str:
    """As _refused, in this process: for workbooks that cost little even where unchecked."""
    start = time.monotonic()
    with pytest.raises(DeckError) as info:
        app.check(folder / "deck.yaml")
    message = str(info.value)
    assert message.startswith("f.xlsx"), message
    for text in expected:
        assert text in message, message
    assert time.monotonic() - start < 20
    return message


def _table(pptx: Path) -> list[list[str]]:
    tables = [sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.has_table]
    return [[c.text for c in row.cells] for row in tables[0].rows]


def test_a_handmade_workbook_builds(tmp_path: Path) -> None:
    """The package the hostile workbooks below are made from is a good workbook."""
    _package(tmp_path / "f.xlsx", _sheet(TABLE))
    _outline(tmp_path)
    built = app.build(tmp_path / "deck.yaml", tmp_path / "out.pptx")
    assert _table(built.output)[1:3] == [["Basildon", "5"], ["Southend", "7"]]


def test_one_value_at_xfd1048576_is_refused_in_a_second(tmp_path: Path) -> None:
    """A 5 KB workbook with one value at XFD1048576: openpyxl filled a grid of 16,384 columns
    by a million rows (3.9 GB, 54 s). Its used range, which Excel writes first, is refused."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    for row in (["district", "n"], ["Basildon", 5], ["Southend", 7]):
        sheet.append(row)
    sheet["XFD1048576"] = 1
    book.save(tmp_path / "f.xlsx")
    assert (tmp_path / "f.xlsx").stat().st_size < 10_000
    _outline(tmp_path)
    _refused(tmp_path, "f.xlsx:Figures!A1:XFD1048576: sheet 'Figures' is too large to read: "
             "its used range is A1:XFD1048576, so it reaches row 1,048,576; deckgen reads "
             "sheets of at most 200,000 rows, 1,000 columns and 2,000,000 cells")


@pytest.mark.parametrize("cell", ["XFD3", "A1048576", "ALM1"])
def test_a_cell_past_the_limits_is_refused_when_the_used_range_lies(cell: str,
                                                                    tmp_path: Path) -> None:
    """The used range says A1:B3, but a cell lies far beyond it: the cells themselves are
    counted as they stream past, and the first one too far is named."""
    far = f'<c r="{cell}"><v>1</v></c>'
    rows = {"XFD3": TABLE[:-len("</row>")] + far + "</row>",
            "A1048576": TABLE + f'<row r="1048576">{far}</row>',
            "ALM1": TABLE.replace("<is><t>n</t></is></c>", "<is><t>n</t></is></c>" + far)}[cell]
    _package(tmp_path / "f.xlsx", _sheet(rows))
    _outline(tmp_path)
    reach = {"XFD3": "column XFD", "A1048576": "row 1,048,576", "ALM1": "column ALM"}[cell]
    _refused(tmp_path, f"f.xlsx:Figures!{cell}: sheet 'Figures' is too large to read: it has a "
             f"value in cell {cell}, so it reaches {reach}")


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    """A million rows of one number each, as a sheet's <sheetData> holds them (44 MB)."""
    return b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
                    for i in range(4, 1_000_004))


@pytest.mark.parametrize("dimension", ["A1:B1000003", None, "A1:B3"])
def test_a_million_rows_are_refused_in_a_second(dimension: Optional[str], million_rows: bytes,
                                                tmp_path: Path) -> None:
    """A workbook of a million rows was refused only after 72 s and 1.9 GB. With a true used
    range it is refused from that; without one, or with one that lies, at the first cell past
    the row limit, while streaming."""
    head, tail = _sheet(TABLE + "\0", dimension).split("\0")
    _package(tmp_path / "f.xlsx", [head.encode(), million_rows, tail.encode()])
    _outline(tmp_path)
    where = ("A1:B1000003: sheet 'Figures' is too large to read: its used range is A1:B1000003"
             if dimension == "A1:B1000003" else
             "A200001: sheet 'Figures' is too large to read: it has a value in cell A200001")
    _refused(tmp_path, f"f.xlsx:Figures!{where}, so it reaches row ")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    """A 150 KB workbook whose sheet unpacks to 150 MB: refused from the zip's directory."""
    head, tail = _sheet(TABLE + "\0").split("\0")
    spaces = b" " * 2**20
    _package(tmp_path / "f.xlsx", [head.encode(), *[spaces] * 150, tail.encode()])
    assert (tmp_path / "f.xlsx").stat().st_size < 1_000_000
    _outline(tmp_path)
    _refused(tmp_path, "f.xlsx: the workbook's part xl/worksheets/sheet1.xml unpacks to 157 MB "
             "or more; deckgen reads parts of at most 100 MB")


def test_a_zip_bomb_of_cells_is_refused_while_streaming(tmp_path: Path) -> None:
    """A 1 MB workbook of two million cells (one like it took 2.3 GB, then was an internal
    error): refused when the cells seen pass the limit."""
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    head, tail = _sheet(TABLE + "\0", None).split("\0")
    _package(tmp_path / "f.xlsx", [head.encode(), *[row] * 2100, tail.encode()])
    assert (tmp_path / "f.xlsx").stat().st_size < 1_000_000
    _outline(tmp_path)
    _refused(tmp_path, "f.xlsx:Figures!A2001: sheet 'Figures' is too large to read: it has a "
             "value in cell A2001, so it reaches 2,001,000 cells")


def test_a_part_that_unpacks_to_more_than_its_stated_size_is_refused(tmp_path: Path) -> None:
    """The zip's directory says the sheet is 2,000 bytes; it unpacks to 20 MB. Reading stops at
    the stated size, and the part is refused as damaged."""
    head, tail = _sheet(TABLE + "\0").split("\0")
    path = _package(tmp_path / "f.xlsx", [head.encode(), *[b" " * 2**20] * 20, tail.encode()])
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its entry in the zip's directory
    assert data[at + 46:at + 46 + len(name)] == name
    assert struct.unpack_from("<I", data, at + 24)[0] > 20 * 2**20
    struct.pack_into("<I", data, at + 24, 2000)  # the size it unpacks to
    path.write_bytes(bytes(data))
    _outline(tmp_path)
    _refused_here(tmp_path, "the workbook is damaged or is not an .xlsx file")


@pytest.mark.parametrize("parts", [1_200, 30_000])
def test_a_workbook_of_too_many_parts_is_refused(parts: int, tmp_path: Path) -> None:
    """Too many parts, counted from the zip's end record before zipfile lists them (560,000
    empty parts in 50 MB took 6 s and 570 MB just to list)."""
    _package(tmp_path / "f.xlsx", _sheet(TABLE), extra=parts)
    _outline(tmp_path)
    err = _refused_here(tmp_path, f"{parts + 5:,} parts", "deckgen reads workbooks of at most "
                        "1,000 parts")
    assert ("the workbook's list of parts takes 2.1 MB" in err) == (parts == 30_000)


def test_a_styles_bomb_is_refused(tmp_path: Path) -> None:
    """openpyxl builds an object per style: 250,000 formats in a 100 KB workbook took seconds
    and hundreds of MB per load."""
    styles = (f'<styleSheet xmlns="{MAIN}"><cellXfs count="250000">'
              + '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 250_000
              + "</cellXfs></styleSheet>")
    _package(tmp_path / "f.xlsx", _sheet(TABLE), styles=styles)
    _outline(tmp_path)
    _refused_here(tmp_path, "the workbook's styles, names and relationships hold more than "
                  "200,000 XML elements (the part xl/styles.xml reaches it)")


def test_a_shared_string_bomb_is_refused(tmp_path: Path) -> None:
    strings = [f'<sst xmlns="{MAIN}">'.encode(), b"<si><t>x</t></si>" * 1_000_001, b"</sst>"]
    _package(tmp_path / "f.xlsx", _sheet(TABLE), strings=strings)
    _outline(tmp_path)
    _refused_here(tmp_path, "the workbook holds more than 1,000,000 different texts")
    runs = [f'<sst xmlns="{MAIN}"><si>'.encode(), b"<r><t>x</t></r>" * 15_000, b"</si></sst>"]
    _package(tmp_path / "f.xlsx", _sheet(TABLE), strings=runs)
    _refused_here(tmp_path, "shared string table cannot be read safely: a string holds more "
                  "than 20,000 XML elements")


def test_an_entity_cannot_hide_a_cell_from_the_count(tmp_path: Path) -> None:
    """An entity that expands to a cell at XFD1048576: a sheet that declares a document type
    is refused, as Office never writes one."""
    prologue = ('<!DOCTYPE worksheet [<!ENTITY far \'<row r="1048576"><c r="XFD1048576">'
                '<v>1</v></c></row>\'>]>')
    _package(tmp_path / "f.xlsx", _sheet(TABLE + "&far;", prologue=prologue))
    _outline(tmp_path)
    _refused(tmp_path, "sheet 'Figures' cannot be read safely: its part "
             "xl/worksheets/sheet1.xml declares a document type (<!DOCTYPE>)")


def test_a_merged_or_linked_range_over_the_whole_sheet_allocates_nothing(
        tmp_path: Path) -> None:
    """openpyxl made a cell for each cell of a merged range, and of a hyperlink's range: one
    element over A1:XFD1048576 took all memory. Ranges are kept as ranges: a merge over the
    table is the error it is, a link is ignored."""
    merged = _sheet(TABLE, after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
                    "</mergeCells>")
    _package(tmp_path / "f.xlsx", merged)
    _outline(tmp_path)
    _refused(tmp_path, "f.xlsx:Figures!A1: sheet 'Figures' has a header but no rows")
    linked = _sheet(TABLE, after=f'<hyperlinks><hyperlink xmlns:r="{DOC_RELS}" '
                    'ref="A1:XFD1048576" display="x" location="Figures!A1"/></hyperlinks>')
    _package(tmp_path / "f.xlsx", linked)
    code, err, took = _build(tmp_path)
    assert code == 0, err[-3000:]
    assert took < 20
    assert _table(tmp_path / "out.pptx")[1:3] == [["Basildon", "5"], ["Southend", "7"]]


def test_rows_out_of_order_are_refused_not_dropped(tmp_path: Path) -> None:
    """Read as a stream, a row numbered below the one before it would be dropped: a table
    silently short of a row. Excel never writes one; it is refused."""
    rows = TABLE.replace('<row r="2"><c r="A2"', '<row r="4"><c r="A4"').replace(
        '<c r="B2">', '<c r="B4">')
    _package(tmp_path / "f.xlsx", _sheet(rows))
    deck = _outline(tmp_path)
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert str(info.value).startswith("f.xlsx: sheet 'Figures' cannot be read safely: row 3 "
                                      "comes after row 4")


def test_the_limits_are_named_constants() -> None:
    assert (xlsxcheck.MAX_ROWS, xlsxcheck.MAX_COLUMNS, xlsxcheck.MAX_CELLS) == (
        200_000, 1_000, 2_000_000)
    assert xlsxcheck.MAX_PART_BYTES <= xlsxcheck.MAX_UNPACKED_BYTES


@pytest.mark.parametrize("limit, value, sheet, message", [
    ("MAX_ELEMENTS", 1_000, _sheet(TABLE.replace("<v>5</v>", "<v>5</v>" + "<x/>" * 600)
                                    .replace("<v>7</v>", "<v>7</v>" + "<x/>" * 600)
                                    + '<row r="4"/>'),
     "its rows hold more than 1,000 XML elements"),
    ("MAX_RECORD_ELEMENTS", 100, _sheet(TABLE.replace("<v>5</v>", "<v>5</v>" + "<x/>" * 200)),
     "a row holds more than 100 XML elements"),
    ("MAX_OTHER_ELEMENTS", 100, _sheet(TABLE, after="<mergeCells>" + '<mergeCell ref="D9:E9"/>'
                                       * 200 + "</mergeCells>"),
     "it holds more than 100 XML elements besides its rows"),
    ("MAX_DEPTH", 64, _sheet(TABLE.replace("<v>5</v>", "<v>5</v>" + "<x>" * 70 + "</x>" * 70)),
     "nests them more than 64 deep"),
])
def test_what_a_sheet_holds_besides_its_cells_is_bounded(
        limit: str, value: int, sheet: str, message: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Elements that are not cells still cost memory while openpyxl streams the sheet (it keeps
    what lies outside rows, and a row's elements until the row ends): each kind is bounded.
    Shown with the limits made small."""
    monkeypatch.setattr(xlsxcheck, limit, value)
    _package(tmp_path / "f.xlsx", sheet)
    deck = _outline(tmp_path)
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert str(info.value).startswith("f.xlsx: sheet 'Figures' cannot be read safely: ")
    assert message in str(info.value)
