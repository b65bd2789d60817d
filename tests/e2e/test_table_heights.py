"""A table's rows are as tall as their text needs when drawn, so nothing below the table is
overprinted (issue 28: on a 4:3 .potx, rows written 0.195 in tall at 11 pt were grown by the
renderer into the footnote, over the totals row); a table that cannot fit at the readable
minimum continues on another slide rather than shrinking below it."""

from __future__ import annotations

import sys
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

from deckgen.app import build

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import templatecorpus  # noqa: E402

PT = 12700


def _deck(folder: Path, rows: int, template: str = "") -> Path:
    counts = [(1000 + 37 * i, 990 + 61 * i) for i in range(rows)]
    lines = ["district,incidents,last_year,change"] + [
        f"District {i},{now},{then},{now - then}" for i, (now, then) in enumerate(counts)]
    (folder / "counts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(
        "title: Heights\n" + (f"template: {template}\n" if template else "") +
        "brand: {footer: Northshire Police | monthly pack, marking: OFFICIAL}\n"
        "data:\n  counts: {file: counts.csv, source: 'Northshire Police recorded crime, a "
        "made-up extract for a test of table heights; incidents with no location are in no "
        "district'}\n"
        "slides:\n"
        "  - kind: table\n    title: Incidents by district\n    data: counts\n"
        "    subtitle: This year against last, every district\n"
        "    total: {label: All districts}\n"
        "    columns:\n      - {column: district, header: District}\n"
        "      - {column: last_year, header: Last year, format: '#,##0'}\n"
        "      - {column: incidents, header: This year, format: '#,##0'}\n"
        "      - column: change\n        header: Change\n"
        "        change: {previous: last_year, current: incidents}\n", encoding="utf-8")
    return deck


def _cell_pt(table: object) -> float:
    tc = table._tbl.tc(1, 0)  # type: ignore[attr-defined]
    rpr = tc.xpath(".//a:rPr")[0]
    return int(rpr.get("sz")) / 100


def _check_slide(slide: object) -> tuple[float, int]:
    """The table's font size, and how many rows it has; asserts that each row is as tall as
    its text needs and that whatever lies below starts below its last row."""
    shapes = list(slide.shapes)  # type: ignore[attr-defined]
    frame = next(sh for sh in shapes if sh.has_table)
    table = frame.table
    size = _cell_pt(table)
    heights = [Emu(r.height) for r in table.rows]
    # an independent sum: a line at 1.2 x the size plus the 0.02 in cell margins top and bottom
    needed = (size * 1.2 + 2 * 1.44) * PT
    assert all(h >= needed - 1 for h in heights[1:]), (size, [h / PT for h in heights])
    bottom = frame.top + sum(heights)
    below = [sh for sh in shapes if sh.has_text_frame and sh.top >= frame.top and
             sh.left < frame.left + frame.width and frame.left < sh.left + sh.width and
             sh.name in ("Footnote", "Source")]
    assert below, [sh.name for sh in shapes]
    assert all(sh.top >= bottom for sh in below), [(sh.name, sh.top, bottom) for sh in below]
    return size, len(table.rows)


def test_the_4_3_potx_tables_rows_hold_their_text_and_the_footnote_stays_below(
        tmp_path: Path) -> None:
    templatecorpus.make("potx-43", tmp_path)
    built = build(_deck(tmp_path, 14, "potx-43.potx"), tmp_path / "h.pptx")
    prs = Presentation(str(built.output))
    assert prs.slide_width == 9144000
    tables = [_check_slide(s) for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    # never below deckgen's 12 pt minimum: the 15 rows continue on a second slide
    assert all(size >= 12 for size, _ in tables), tables
    assert sum(rows - 1 for _, rows in tables) == 15
    assert not any("below the readable minimum" in str(w) for w in built.warnings)


def test_a_table_that_fits_stays_on_one_slide_without_a_template(tmp_path: Path) -> None:
    built = build(_deck(tmp_path, 12), tmp_path / "h.pptx")
    prs = Presentation(str(built.output))
    [(size, rows)] = [_check_slide(s) for s in prs.slides]
    assert rows == 14 and size >= 12
