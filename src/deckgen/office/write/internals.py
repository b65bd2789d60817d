"""Where deckgen reaches into python-pptx's private API: here only, each use a named helper.

python-pptx has no public API for a few things a deck needs: the XML behind a proxy (to write
what it cannot: alt text, a placeholder's `p:ph`, runs ten times faster), a slide redrawn in
place, a slide added in constant time, the package's files in the order its own save writes
them, and an embedded workbook whose names stay text. Each helper below says which private
name it uses and why; no other module of deckgen touches a name python-pptx keeps private
(tests/unit/test_architecture_office.py holds this), so a python-pptx release that changes one
breaks here, in one module, and pyproject.toml pins python-pptx to the minor version these
helpers are tested with (tests/unit/test_writer.py holds the bytes to python-pptx's own save).
"""

from __future__ import annotations

from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.serialized import _ContentTypesItem
from pptx.oxml.slide import CT_Slide
from pptx.shapes.shapetree import SlideShapes
from pptx.slide import Slide


def xml_of(proxy: Any) -> Any:
    """The lxml element behind a python-pptx proxy (a shape, slide, master, layout, paragraph
    or XML part): its `_element`, python-pptx's own way to reach XML it has no API for."""
    return proxy._element


def run_xml(run: Any) -> Any:
    """A text run's `a:r` (`_Run._r`)."""
    return run._r


def cell_xml(cell: Any) -> Any:
    """A table cell's `a:tc` (`_Cell._tc`)."""
    return cell._tc


def chart_xml(chart: Any) -> Any:
    """A chart's `c:chartSpace` (`Chart._chartSpace`)."""
    return chart._chartSpace


def remove_shape(shape: Any) -> None:
    """Take a shape (a placeholder deckgen does not fill) out of its shape tree."""
    element = shape._element
    element.getparent().remove(element)


def master_shapes(master: Any) -> Any:
    """A slide master's shape tree as a slide's (`SlideShapes`), so the element drawers that
    draw on a slide draw the brand frame on the master; python-pptx gives a master only the
    read-only `MasterShapes`."""
    return SlideShapes(master._element.cSld.spTree, master)


def blank_slide(part: Any) -> tuple[Any, bool]:
    """The slide of `part` emptied in place to a new `p:sld` (`CT_Slide.new`, what add_slide
    starts from), its part name, relationships and notes page kept; with whether the old one
    hid the master's shapes (`showMasterSp="0"`)."""
    hidden = part._element.get("showMasterSp") == "0"
    part._element = CT_Slide.new()
    return Slide(part._element, part), hidden


def relate(part: Any, reltype: str, target: Any) -> str:
    """A new relationship of `part` to `target`, and its id, without first searching the
    part's relationships for one (`_Relationships._add_relationship`): `target` was made just
    now, so none can exist, and the search made adding a slide cost as much as the deck."""
    return str(part.rels._add_relationship(reltype, target))


def add_slide_id(ids: Any, slide_id: int, rid: str) -> None:
    """A `p:sldId` at the end of the slide list (`CT_SlideIdList._add_sldId`), with the id
    given: `add_sldId` works it out from every id in the list, each time."""
    ids._add_sldId(id=slide_id, rId=rid)


def drop_slides(prs: Any) -> None:
    """The presentation without its slides (`Slides._sldIdLst`): a template's own slides
    (examples, instructions) are not the deck's."""
    ids = prs.slides._sldIdLst
    for entry in list(ids):
        prs.part.drop_rel(entry.rId)
        ids.remove(entry)


def slide_id_list(prs: Any) -> Any:
    """The presentation's `p:sldIdLst` (`Slides._sldIdLst`), whose order is the slides'
    order: where a person's slide is placed among the generated ones (carry.py)."""
    return prs.slides._sldIdLst


def package_members(prs: Any) -> list[tuple[str, bytes]]:
    """The files of the package, as python-pptx's own save writes them (PackageWriter._write:
    content types from `_ContentTypesItem`, the package's relationships, then each part and
    its relationships), for the writer to zip with fixed timestamps."""
    package = prs.part.package
    parts = list(package.iter_parts())
    members = [("[Content_Types].xml", serialize_part_xml(_ContentTypesItem.xml_for(parts))),
               ("_rels/.rels", package._rels.xml)]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if part._rels:
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return members


class _TextCells(CategoryWorkbookWriter):
    """The embedded workbook, with each category and series name written as a text cell.

    python-pptx writes them with XlsxWriter's `write`, which guesses a cell's type from its
    text: a category from the data such as `=cmd|' /C calc'!A0` or `=HYPERLINK("http://...")`,
    or an axis title "=1+1", would become a live formula in the workbook "Edit Data" opens (and
    "http://..." a link). `write_string` keeps the text as typed. The layout (which cell holds
    what, that the chart's references point at) is python-pptx's own: this overrides its
    private `_populate_worksheet`, reading its private `_chart_data`."""

    def _populate_worksheet(self, workbook: Any, worksheet: Any) -> None:
        categories = self._chart_data.categories
        labels = workbook.add_format({"num_format": categories.number_format})
        depth = categories.depth
        for idx, level in enumerate(categories.levels):
            col = depth - idx - 1
            worksheet.set_column(col, col, 10)  # wide enough for a date, as python-pptx has it
            for offset, name in level:
                _cell(worksheet, offset + 1, col, name, labels)
        for idx, series in enumerate(self._chart_data):
            figures = workbook.add_format({"num_format": series.number_format})
            _cell(worksheet, 0, depth + idx, series.name, None)
            worksheet.write_column(1, depth + idx, series.values, figures)


def _cell(worksheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """A text as a text cell (never a formula, a link or a number); a number or date as
    itself."""
    if isinstance(value, str):
        worksheet.write_string(row, col, value, fmt)
    else:
        worksheet.write(row, col, value, fmt)


class TextCategoryData(CategoryChartData):
    """Chart data whose embedded workbook holds its names as text (`_TextCells`, through
    python-pptx's private `_workbook_writer`)."""

    @property
    def _workbook_writer(self) -> _TextCells:
        return _TextCells(self)  # type: ignore[no-untyped-call]
