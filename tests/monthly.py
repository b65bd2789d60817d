"""A small monthly outline for the tests of `build --keep-edits` and `diff`, and the edits a
person makes to a built deck: with python-pptx, and through LibreOffice (UNO, run by the
system's Python, which has LibreOffice's `uno`; see lo_edit.py).

The outline's figures: Southend's count changes every month (131 in April, 140 in May),
Basildon's does not (80), so an edit to Basildon's bullets may be carried and one to
Southend's may not.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches, Pt

ROOT = Path(__file__).resolve().parents[1]

COUNTS = """\
month,district,incidents
2016-03,Southend,120
2016-03,Basildon,80
2016-03,Colchester,95
2016-04,Southend,131
2016-04,Basildon,80
2016-04,Colchester,90
2016-05,Southend,140
2016-05,Basildon,80
2016-05,Colchester,88
"""

OUTLINE = """\
title: District pack
subtitle: "Incidents in {month}"
organisation: Essex Police
output: output/pack-{month}.pptx
variables:
  month: {default: "2016-04"}
data:
  counts:
    file: data/counts.csv
    steps:
      - filter: {month: "{month}"}
figures:
  south: {value: "counts[district=Southend].incidents", format: "#,##0"}
  basildon: {value: "counts[district=Basildon].incidents", format: "#,##0"}
slides:
  - kind: title
  - kind: bullets
    id: glance
    size: 24                   # a list at the author's size, not cards (docs/outline.md)
    title: Southend at a glance
    points:
      - "Southend recorded {south} incidents in {month}"
      - Neighbourhood teams patrol the seafront at weekends
    notes: Southend had {south} incidents.
  - kind: bullets
    id: basildon
    size: 24                   # a list at the author's size, not cards (docs/outline.md)
    title: Basildon
    points:
      - "Basildon recorded {basildon} incidents"
      - Patrols continue in the town centre
    notes: Basildon's figure.
  - kind: table
    id: counts
    title: Incidents by district
    data: counts
    columns:
      - {column: district, header: District}
      - {column: incidents, header: Incidents, format: "#,##0"}
  - kind: chart
    id: chart
    title: Incidents by district (chart)
    chart: bar
    engine: native
    data: counts
    x: district
    y: incidents
  - kind: bullets
    id: priorities
    title: Priorities
    points:
      - Reduce anti-social behaviour
      - Keep people safe at night
  - kind: bullets
    id: contacts
    title: Contacts
    points:
      - The district commander
"""


def folder(root: Path) -> Path:
    """The outline and its data in `root`; returns the outline's path."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "counts.csv").write_text(COUNTS, encoding="utf-8")
    (root / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    return root / "deck.yaml"


def slide_titled(prs: Any, title: str) -> Any:
    return next(s for s in prs.slides if s.shapes.title is not None
                and s.shapes.title.text_frame.text == title)


def shape_named(slide: Any, name: str) -> Any:
    return next(sh for sh in slide.shapes if sh.name == name)


def move_slide(prs: Any, slide: Any, index: int) -> None:
    ids = prs.slides._sldIdLst
    entry = next(e for e in ids if int(e.get("id")) == slide.slide_id)
    ids.remove(entry)
    ids.insert(index, entry)


def delete_slide(prs: Any, slide: Any) -> None:
    ids = prs.slides._sldIdLst
    entry = next(e for e in ids if int(e.get("id")) == slide.slide_id)
    prs.part.drop_rel(entry.rId)
    ids.remove(entry)


def duplicate_slide(prs: Any, slide: Any) -> Any:
    """A copy of `slide` at the end, as PowerPoint's Duplicate Slide makes one (its pictures
    related anew)."""
    copy_ = prs.slides.add_slide(slide.slide_layout)
    tree = copy_.shapes._spTree
    for shape in list(copy_.placeholders):
        tree.remove(shape._element)
    for shape in slide.shapes:
        element = copy.deepcopy(shape._element)
        for blip in element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
            key = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
            image = slide.part.related_part(blip.get(key))
            blip.set(key, copy_.part.relate_to(image, RT.IMAGE))
        tree.append(element)
    return copy_


def edit_with_python_pptx(deck: Path, out: Path) -> None:
    """Every edit tests/e2e/test_keep_edits.py checks, made to `deck` and saved as `out`."""
    prs = Presentation(str(deck))
    glance = slide_titled(prs, "Southend at a glance")
    basildon = slide_titled(prs, "Basildon")
    counts = slide_titled(prs, "Incidents by district")
    chart = slide_titled(prs, "Incidents by district (chart)")
    priorities = slide_titled(prs, "Priorities")
    contacts = slide_titled(prs, "Contacts")

    # text: a bullet whose figures change next month, one whose figures do not
    shape_named(glance, "Points").text_frame.paragraphs[0].runs[0].text = \
        "Southend recorded 131 incidents: see the superintendent's note"
    shape_named(basildon, "Points").text_frame.paragraphs[1].runs[0].text = \
        "Patrols continue in the town centre and at the station"
    glance.notes_slide.notes_text_frame.text = "Ask the inspector about the seafront."
    note = glance.shapes.add_textbox(Inches(9), Inches(1.5), Inches(3), Inches(1))
    note.name = "Sticky note"
    note.text_frame.text = "Ring the council on Monday"
    line = shape_named(basildon, "Footer line")._element
    line.getparent().remove(line)
    shape_named(basildon, "Title rule").left += Inches(1)

    # a table cell; a recoloured shape
    table = next(sh for sh in counts.shapes if sh.has_table).table
    row = next(r for r in table.rows if r.cells[0].text == "Colchester")
    row.cells[1].text_frame.paragraphs[0].runs[0].text = "90*"
    rule = shape_named(counts, "Title rule")
    rule.fill.solid()
    rule.fill.fore_color.rgb = RGBColor(0xFF, 0x00, 0x00)

    # a chart resized, and its data edited (as "Edit Data" in PowerPoint does)
    frame = next(sh for sh in chart.shapes if sh.has_chart)
    frame.width = frame.width - Inches(2)
    data = CategoryChartData()
    data.categories = ["Southend", "Basildon", "Colchester"]
    data.add_series("incidents", (131, 80, 999))
    frame.chart.replace_data(data)

    # the title, notes, a picture, a linked text box, a chart of one's own
    priorities.shapes.title.text_frame.text = "Force priorities for 2016"
    priorities.notes_slide.notes_text_frame.text = "Agreed with the chief in March."
    priorities.shapes.add_picture(str(ROOT / "assets" / "logo.png"), Inches(10), Inches(5),
                                  Inches(1), Inches(1)).name = "Crest"
    linked = priorities.shapes.add_textbox(Inches(1), Inches(5.5), Inches(4), Inches(0.5))
    linked.name = "Link"
    linked.text_frame.text = "Strategy page"
    linked.text_frame.paragraphs[0].runs[0].hyperlink.address = "https://example.org/strategy"
    mine = CategoryChartData()
    mine.categories = ["a", "b"]
    mine.add_series("s", (1, 2))
    priorities.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(6), Inches(4), Inches(3),
                                Inches(2), mine).name = "My chart"

    # slides: one added after the glance, one first, a copy at the end; one deleted; two
    # swapped
    added = prs.slides.add_slide(prs.slide_layouts[5])
    added.shapes.title.text = "Superintendent's priorities"
    box = added.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(2))
    box.text_frame.text = "Visible patrols in the town centre"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    added.notes_slide.notes_text_frame.text = "From the superintendent."
    first = prs.slides.add_slide(prs.slide_layouts[5])
    first.shapes.title.text = "Read me first"
    duplicate_slide(prs, basildon)
    delete_slide(prs, contacts)
    slides = list(prs.slides)
    move_slide(prs, added, slides.index(glance) + 1)
    move_slide(prs, first, 0)
    slides = list(prs.slides)
    move_slide(prs, chart, slides.index(counts))
    prs.save(str(out))


def libreoffice_python() -> str | None:
    """The Python that has LibreOffice's `uno` (Debian's python3-uno), or None."""
    for python in ("/usr/bin/python3", shutil.which("python3") or ""):
        if python and subprocess.run([python, "-c", "import uno"], capture_output=True,
                                     check=False).returncode == 0:
            return python
    return None


def edit_with_libreoffice(deck: Path, out: Path, edits: list[dict[str, Any]],
                          profile: Path) -> None:
    """`deck` opened in LibreOffice, edited through UNO as a person would (lo_edit.py) and
    saved as a .pptx at `out`."""
    python = libreoffice_python()
    assert python is not None
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    subprocess.run([python, str(Path(__file__).with_name("lo_edit.py")), soffice,
                    profile.as_uri(), str(deck), str(out), json.dumps(edits)],
                   check=True, timeout=240, capture_output=True)


def emu(value: float) -> int:
    return int(Emu(Inches(value)))
