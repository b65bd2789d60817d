"""The layout and accessibility review on outlines that break its rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.app import build, check
from deckgen.errors import DeckError


def write_stress_deck(folder: Path) -> Path:
    """An outline with a 60-word point, a 40-row table and 3 pt text (and its data)."""
    rows = "\n".join(f"District {i},{100 + i}" for i in range(40))
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "big.csv").write_text(f"district,incidents\n{rows}\n")
    deck = folder / "stress.yaml"
    deck.write_text(
        "title: Stress\ndata:\n  big: {file: data/big.csv}\nslides:\n"
        "  - kind: bullets\n    title: A long point\n    points:\n"
        f"      - {' '.join(['word'] * 60)}\n"
        "  - kind: table\n    title: Forty rows\n    data: big\n    total: true\n"
        "    columns: [{column: district}, {column: incidents, format: ',.0f'}]\n")
    return deck


def test_long_bullet_big_table_and_tiny_font_are_handled_and_named(sample_copy: Path) -> None:
    folder = sample_copy.parent
    deck = write_stress_deck(folder)
    warnings = [str(w) for w in check(deck).warnings]
    assert any(w.endswith("stress.yaml:8:9: slide 1 (bullets): point 1 has 60 words; a point "
                          "on a slide reads best under 40: shorten it or split it")
               for w in warnings)
    assert any("slide 2 (table): the table's 41 rows do not fit one slide legibly; split "
               "across 3 slides" in w for w in warnings)
    built = build(deck, folder / "stress.pptx")
    prs = Presentation(str(built.output))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles == ["A long point", "Forty rows", "Forty rows (cont.)", "Forty rows (cont. 2)"]
    body = [r.cells[0].text for s in prs.slides for sh in s.shapes if sh.has_table
            for r in list(sh.table.rows)[1:]]
    assert body == [f"District {i}" for i in range(40)] + ["Total"]
    for slide in prs.slides:
        for sh in slide.shapes:
            assert sh.top + sh.height <= prs.slide_height


def test_contrast_and_alt_text_warnings(sample_copy: Path) -> None:
    folder = sample_copy.parent
    (folder / "pale.yaml").write_text(
        "title: Pale\nbrand:\n  colours: {primary: 'DDDDDD', text: 'EEEEEE'}\nslides:\n"
        "  - {kind: bullets, title: Pale text, points: [Hard to read]}\n"
        "  - {kind: bullets, title: Pale text, points: [Again]}\n")
    warnings = [str(w) for w in check(folder / "pale.yaml").warnings]
    assert any("slide 1 (bullets): text 'Hard to read' in 'Points' has contrast" in w
               for w in warnings)
    assert any("slide 2 (bullets): the title 'Pale text' is also slide 1's" in w
               for w in warnings)


def test_a_picture_with_empty_alt_text_is_warned(sample_copy: Path) -> None:
    folder = sample_copy.parent
    (folder / "alt.yaml").write_text(
        "title: Alt\nslides:\n  - kind: image\n    title: Hubs\n    alt: ''\n"
        "    image: assets/images/community-safety-hubs.png\n")
    warnings = [str(w) for w in check(folder / "alt.yaml").warnings]
    assert any("slide 1 (image): picture 'Picture' has no alt text" in w for w in warnings)


def test_a_long_footer_is_reported_once_at_its_line(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nfooter: " + "A very long footer that says far too much " * 4 +
                    "\nslides:\n" + "".join(f"  - {{kind: bullets, title: S{i}, points: [x]}}\n"
                                          for i in range(5)))
    warnings = [str(w) for w in check(deck).warnings]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{deck}:2:9: brand footer: text overflows 'Footer' by ")
    assert warnings[0].endswith("pt; shorten it: it shows on every slide")


def _wide_table(folder: Path, columns: int) -> Path:
    names = ["district"] + [f"Recorded crimes {i}" for i in range(1, columns)]
    figures = [str(174513 + i) for i in range(1, columns)]
    rows = [",".join(["Violence and sexual offences"] + figures) for _ in range(6)]
    (folder / "w.csv").write_text(",".join(f'"{n}"' for n in names) + "\n" + "\n".join(rows)
                                  + "\n", encoding="utf-8")
    cols = ", ".join(f"{{column: '{n}', format: ',.0f'}}" if i else f"{{column: '{n}'}}"
                     for i, n in enumerate(names))
    deck = folder / f"w{columns}.yaml"
    deck.write_text(f"title: W\ndata:\n  w: {{file: w.csv}}\nslides:\n  - kind: table\n"
                    f"    title: Wide\n    data: w\n    columns: [{cols}]\n    total: true\n"
                    "    source: A source line\n", encoding="utf-8")
    return deck


def test_a_wide_table_steps_its_font_down_so_numbers_never_wrap(tmp_path: Path) -> None:
    """Eight columns of six-digit figures fit at a smaller font, each figure on one line; a
    table too wide even at the readable minimum is named for what is wrong."""
    from deckgen.layout import textfit

    built = build(_wide_table(tmp_path, 8), tmp_path / "w.pptx")
    assert [w.message for w in built.warnings] == []
    prs = Presentation(str(built.output))
    table = next(sh for sh in prs.slides[0].shapes if sh.has_table)
    size = table.table.cell(1, 1).text_frame.paragraphs[0].runs[0].font.size.pt
    assert 12 <= size < 20
    for i, column in enumerate(table.table.columns):
        room = column.width / 12700 - 2 * 7.2
        for row in list(table.table.rows)[1:]:
            assert textfit.text_width_pt(row.cells[i].text, size, bold=True) <= room
    source = next(sh for sh in prs.slides[0].shapes if sh.name == "Source")
    assert table.top + table.height <= source.top < prs.slide_height
    warnings = [w.message for w in check(_wide_table(tmp_path, 14)).warnings]
    assert len(warnings) == 1 and re.fullmatch(
        r"the table is too wide for the slide: its 14 columns do not fit at 12 pt, so '.+' "
        r"wraps; show fewer columns, or shorter headers", warnings[0])


def _unshowable_deck(folder: Path, cell: str, slide: str = "") -> Path:
    (folder / "d.csv").write_text(f"area,n,x\nA,1,{cell}\nB,3,ok\n", encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {third: n / 3}}\nslides:\n"
                    + (slide or "  - {kind: table, title: X, data: d, columns: [{column: area}, "
                       "{column: x}]}\n"), encoding="utf-8")
    return deck


@pytest.mark.parametrize("cell,shown", [("nan", "nan"), ("inf", "inf"), ("-Infinity", "-Infinity")])
def test_a_figure_with_no_value_never_reaches_a_slide(tmp_path: Path, cell: str,
                                                      shown: str) -> None:
    deck = _unshowable_deck(tmp_path, cell)
    with pytest.raises(DeckError) as info:
        build(deck, tmp_path / "o.pptx")
    assert re.search(rf"deck\.yaml:5:5: slide 1 \(table\): '{shown}' would show in the table: "
                     r"a figure with no value or an infinite one", str(info.value)), \
        str(info.value)
    assert not (tmp_path / "o.pptx").exists()


def test_a_float_with_every_digit_never_reaches_a_slide(tmp_path: Path) -> None:
    # a third, unformatted, in a table and in text
    for slide in ("  - {kind: table, title: X, data: d, columns: [{column: area}, "
                  "{column: third}]}\n",
                  "  - {kind: bullets, title: X, points: ['A third: {d[area=A].third}']}\n"):
        deck = _unshowable_deck(tmp_path, "ok", slide)
        with pytest.raises(DeckError) as info:
            build(deck, tmp_path / "o.pptx")
        assert re.search(r"deck\.yaml:5:\d+: .*0\.333333333333333.*every digit the computer "
                         r"holds.*give it a format, e\.g\. .*0\.0", str(info.value)), \
            str(info.value)


def test_braces_round_a_name_on_a_slide_are_a_warning(tmp_path: Path) -> None:
    deck = _unshowable_deck(tmp_path, "ok", "  - {kind: bullets, title: X, points: ["
                                            "'Write {{district}} for the district'], "
                                            "notes: 'use {{d[area=A].n}}'}\n")
    warnings = [str(w) for w in check(deck).warnings]
    assert len(warnings) == 2, warnings
    assert "'{district}' shows in 'Points' as written, braces and all: a placeholder?" \
        in warnings[0], warnings
    assert "'{d[area=A].n}' shows in the speaker notes" in warnings[1], warnings
