"""Figures as a reader sees them: formats in tables and charts, money, dates, the brand's minus."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from deckgen import app

DATA = "district,spend,pct,share\nSouthend,\"£48,250.50\",6.41,0.064\nBasildon,£1200,-9.57,0.125\n"


def _deck(folder: Path, columns: str, extra: str = "") -> Path:
    (folder / "d.csv").write_text(DATA, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndate: 7 July 2016\n{extra}data:\n  d: {{file: d.csv}}\nslides:\n"
                    "  - kind: title\n  - kind: table\n    title: Table\n    data: d\n"
                    f"    columns: {columns}\n", encoding="utf-8")
    return deck


def _cells(pptx: Path) -> list[list[str]]:
    table = next(sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes
                 if sh.has_table)
    return [[c.text for c in row.cells] for row in table.rows]


def test_excel_formats_money_and_percent_show_as_excel_would(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: spend, format: '£#,##0.00'}, "
                 "{column: pct, format: '+0.0;-0.0'}, {column: pct, header: in percent, "
                 "format: '0.0%', unit: percent}, {column: share, format: '0.0%'}]")
    built = app.build(deck, tmp_path / "o.pptx")
    assert built.warnings == []
    assert _cells(built.output)[1:] == [["Southend", "£48,250.50", "+6.4", "6.4%", "6.4%"],
                                        ["Basildon", "£1,200.00", "-9.6", "-9.6%", "12.5%"]]


def test_a_percent_format_on_figures_already_in_percent_is_a_warning(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: pct, format: '0.0%'}]")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "format '0.0%' multiplies by 100, so 6.41 shows as 641.0%; " \
        "if the figures are already in percent, say 'unit: percent'" in warnings[0], warnings


def test_the_brand_chooses_the_minus_sign_and_the_date_style(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: pct, format: '0.0'}]",
                 "brand: {true_minus: true, date_style: long}\n")
    built = app.build(deck, tmp_path / "o.pptx")
    assert _cells(built.output)[2] == ["Basildon", "\u22129.6"]
    title = Presentation(str(built.output)).slides[0]
    assert "7 July 2016" in [p.text for sh in title.shapes if sh.has_text_frame
                             for p in sh.text_frame.paragraphs]
