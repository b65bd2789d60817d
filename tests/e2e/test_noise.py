"""Change that reflects noise, as a reader sees it in a table: Poisson flags, small bases,
suppressed counts, and the footnote that explains them."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError

# district, before, now: chosen to fall either side of each threshold
COUNTS = [("A", 100, 130), ("B", 400, 480), ("C", 50, 52), ("D", 4, 9), ("E", 3, 2),
          ("F", 6, 3)]
GOOD, BAD = "1E7B34", "B3261E"  # the default brand's colours for better and worse


def _deck(folder: Path, columns: str, counts: list[tuple[str, int, int]] = COUNTS,
          extra: str = "") -> Path:
    rows = "".join(f"{d},{b},{n}\n" for d, b, n in counts)
    (folder / "d.csv").write_text("district,prev,now\n" + rows, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d:\n    file: d.csv\n    derive:\n"
                    "      change: now - prev\n      pct: change / prev * 100\n"
                    "slides:\n  - kind: table\n    title: Table\n    data: d\n"
                    f"    columns: {columns}\n{extra}", encoding="utf-8")
    return deck


def _z(now: float, before: float) -> float:
    """Independently: the variance-stabilised difference of two Poisson counts."""
    return 2 * (math.sqrt(now) - math.sqrt(before))


def _table(pptx: Path):  # type: ignore[no-untyped-def]
    return next(sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes
                if sh.has_table)


def _shape_text(pptx: Path, name: str) -> str:
    return next(sh.text_frame.text for s in Presentation(str(pptx)).slides for sh in s.shapes
                if sh.name == name)


CHANGE = "change: {current: now, previous: prev}"
NO_MARK = "\u2007"  # a figure space: as wide as a digit and as the marks


def test_changes_are_flagged_by_their_poisson_z_score(tmp_path: Path,
                                                     ooxml_findings: Any) -> None:
    deck = _deck(tmp_path, f"[{{column: district}}, {{column: change, format: '+0;-0', good: down, "
                           f"{CHANGE}}}, {{column: pct, format: '+0.0;-0.0', {CHANGE}}}]")
    built = app.build(deck, tmp_path / "o.pptx")
    table = _table(built.output)
    for r, (district, before, now) in enumerate(COUNTS, start=1):
        z = _z(now, before)
        marker = "\u2021" if abs(z) >= 3 else "\u2020" if abs(z) >= 2 else ""
        change = table.cell(r, 1)
        # a figure with no mark keeps the mark's room (a figure space), so figures line up
        assert change.text == f"{now - before:+d}{marker or NO_MARK}", (district, z)
        # only a flagged change is coloured; within normal variation it is not
        run = change.text_frame.paragraphs[0].runs[0]
        colour = str(run.font.color.rgb) if run.font.color and run.font.color.type else None
        if marker:
            assert colour == (BAD if now > before else GOOD), district
        else:
            assert colour not in (GOOD, BAD), district
        pct = table.cell(r, 2).text
        if before < 10:  # a % change on a small base is not shown
            assert pct == "\u2013" + NO_MARK, district
        else:
            assert pct == f"{(now - before) / before * 100:+.1f}{marker or NO_MARK}", district
    assert [table.cell(r, 1).text[-1] for r in (1, 2, 3)] == ["\u2020", "\u2021", NO_MARK]
    note = _shape_text(built.output, "Footnote")
    assert note.startswith("\u2021 significant (|z| \u2265 3) and \u2020 notable (|z| \u2265 2) "
                           "change: beyond normal (Poisson) variation; other changes are within "
                           "it")
    # the notes give the test, for a presenter asked
    notes = Presentation(str(built.output)).slides[0].notes_slide.notes_text_frame.text
    assert "z = 2(\u221acurrent \u2212 \u221aprevious)" in notes
    assert "and not coloured" in note
    assert note.endswith("\u2013 % change not shown: fewer than 10 before.")
    assert ooxml_findings(built.output) == []


def test_thresholds_are_configurable(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: change, change: {current: now, "
                           "previous: prev, notable: 0.2, significant: 5}}]")
    table = _table(app.build(deck, tmp_path / "o.pptx").output)
    # C: z = 0.28, now notable; B: z = 3.8, no longer significant
    assert table.cell(3, 1).text == "2\u2020" and table.cell(2, 1).text == "80\u2020"
    # the footnote explains only the marks the table shows
    assert _shape_text(tmp_path / "o.pptx", "Footnote") == (
        "\u2020 notable (|z| \u2265 0.2) change: beyond normal (Poisson) variation; other "
        "changes are within it.")


def test_small_counts_are_suppressed_and_totals_count_them(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: prev, suppress_below: 5}, "
                           "{column: now, suppress_below: 5}, "
                           f"{{column: change, {CHANGE}}}]", extra="    total: true\n")
    built = app.build(deck, tmp_path / "o.pptx")
    table = _table(built.output)
    rows = [[c.text for c in row.cells] for row in table.rows]
    # D's 4 before and E's 3 and 2 are hidden, and so is their change, which would give them away
    assert rows[4] == ["D", "*", "9", "*"] and rows[5] == ["E", "*", "*", "*"]
    assert rows[6][:3] == ["F", "6", "*"]
    # the totals are of every row, suppressed or not
    assert rows[-1][:3] == ["Total", str(sum(b for _, b, _ in COUNTS)),
                            str(sum(n for _, _, n in COUNTS))]
    assert _shape_text(built.output, "Footnote").endswith(
        "* fewer than 5, not shown; totals include them.")


def test_one_suppressed_cell_under_a_total_is_a_warning(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: prev, suppress_below: 4}]",
                 extra="    total: true\n")
    warnings = [str(w) for w in app.check(deck).warnings]
    assert len(warnings) == 1 and "column 'prev' suppresses one cell, which the totals row " \
        "gives away" in warnings[0], warnings


def test_a_change_column_that_is_not_the_change_of_its_counts_is_an_error(
        tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: change, change: {current: prev, "
                           "previous: now}}]")
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert str(info.value).endswith(
        "slide 1 (table): 'change' is 30 where prev is 100 and now 130: neither their "
        "difference nor their % change; 'prev' and 'now' look the wrong way round"), \
        str(info.value)
    assert not (tmp_path / "o.pptx").exists()


def test_a_flag_on_rates_is_refused(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "[{column: district}, {column: change, change: {current: pct, "
                           "previous: prev}}]", counts=[("A", 3, 2), ("B", 6, 7)])
    with pytest.raises(DeckError) as info:
        app.build(deck, tmp_path / "o.pptx")
    assert "change: 'pct' holds -33.33, not a count; the Poisson flag is for counts of crimes " \
        "or incidents, not rates or averages" in str(info.value), str(info.value)


def test_a_table_with_no_change_beyond_noise_says_so(tmp_path: Path) -> None:
    deck = _deck(tmp_path, f"[{{column: district}}, {{column: change, good: down, {CHANGE}}}]",
                 counts=[("A", 100, 104), ("B", 50, 47)])
    built = app.build(deck, tmp_path / "o.pptx")
    assert _shape_text(built.output, "Footnote") == (
        "No change is beyond normal (Poisson) variation, so none is coloured.")


def test_a_suppressed_count_hides_every_column_computed_from_it(tmp_path: Path) -> None:
    # change and pct have no change: key; they are computed from the suppressed counts
    deck = _deck(tmp_path, "[{column: district}, {column: prev, suppress_below: 5}, "
                           "{column: now, suppress_below: 5}, {column: change}, {column: pct}]")
    rows = [[c.text for c in r.cells] for r in _table(app.build(deck, tmp_path / "o.pptx")
                                                       .output).rows]
    assert rows[4] == ["D", "*", "9", "*", "*"] and rows[1] == ["A", "100", "130", "30", "30"]


def test_a_percent_change_from_nothing_shows_a_dash_not_a_blank(tmp_path: Path) -> None:
    deck = _deck(tmp_path, f"[{{column: district}}, {{column: pct, format: '+0.0;-0.0', "
                           f"{CHANGE}}}]", counts=[("A", 100, 130), ("Z", 0, 2)])
    built = app.build(deck, tmp_path / "o.pptx")
    assert _table(built.output).cell(2, 1).text == "\u2013" + NO_MARK
    assert _shape_text(built.output, "Footnote").endswith(
        "\u2013 % change not shown: fewer than 10 before.")


def test_a_published_percent_change_rounded_to_its_places_is_a_change(tmp_path: Path) -> None:
    # a % change column as published, to one decimal place: B's 20.0 is 80 / 400
    rows = "district,prev,now,pct\nA,100,130,30.0\nC,50,52,4.0\nG,950,1100,15.8\n"
    (tmp_path / "d.csv").write_text(rows, encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: table\n"
                    "    title: Table\n    data: d\n    columns: [{column: district}, {column: "
                    f"pct, format: '+0.0;-0.0', {CHANGE}}}]\n", encoding="utf-8")
    table = _table(app.build(deck, tmp_path / "o.pptx").output)
    z = _z(1100, 950)  # 4.7: significant
    assert table.cell(3, 1).text == "+15.8\u2021" and abs(z) >= 3


def test_a_chart_of_a_change_marks_its_bars_and_leaves_out_small_bases(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    _deck(tmp_path, "[{column: district}]")  # writes d.csv with COUNTS
    deck.write_text("title: T\ndata:\n  d:\n    file: d.csv\n    derive: {pct: (now - prev) / "
                    "prev * 100}\nslides:\n  - {kind: chart, title: X, chart: hbar, data: d, "
                    "x: district, y: pct, value_format: '+0.0;-0.0', "
                    f"{CHANGE}}}\n", encoding="utf-8")
    planned = app.check(deck)
    chart = next(e.chart for e in planned.plans[0].elements if hasattr(e, "chart"))
    kept = [(d, b, n) for d, b, n in COUNTS if b >= 10]
    assert set(chart.categories) == {d for d, _, _ in kept}
    for category, label in zip(chart.categories, chart.labels()):
        _, before, now = next(c for c in COUNTS if c[0] == category)
        z = _z(now, before)
        mark = "\u2021" if abs(z) >= 3 else "\u2020" if abs(z) >= 2 else ""
        assert label == f"{(now - before) / before * 100:+.1f}{mark}", category
    note = next(e for e in planned.plans[0].elements if getattr(e, "name", "") == "Footnote")
    text = note.paragraphs[0].runs[0].text
    assert text.endswith("Not shown: D, E, F (a % change on fewer than 10 before).")
    assert "Change significant beyond normal variation: B." in next(
        e.alt for e in planned.plans[0].elements if hasattr(e, "alt"))


def test_a_chart_change_over_several_rows_a_category_is_an_error(tmp_path: Path) -> None:
    _deck(tmp_path, "[{column: district}]", counts=[("A", 100, 130), ("A", 50, 52)])
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {change: now - prev}}\n"
                    "slides:\n  - {kind: chart, title: X, chart: bar, data: d, x: district, "
                    f"y: change, {CHANGE}}}\n", encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert "'change' needs one row for each district" in str(info.value)


def test_a_chart_change_on_rates_is_refused_as_a_tables_is(tmp_path: Path) -> None:
    _deck(tmp_path, "[{column: district}]", counts=[("A", 100, 130), ("B", 50, 52)])
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, derive: {rate: now / 3, change: "
                    "now - prev}}\nslides:\n  - {kind: chart, title: X, chart: bar, data: d, "
                    "x: district, y: change, change: {current: rate, previous: prev}}\n",
                    encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(deck)
    assert "change: 'rate' holds 43.3333, not a count; the Poisson flag is for counts" \
        in str(info.value), str(info.value)
