"""Each slide kind's resolve and layout, checked on plain slide plans (no PowerPoint needed)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from deckgen import kinds
from deckgen.data.store import DataStore
from deckgen.errors import DeckError
from deckgen.kinds.base import Planned, SlideContext
from deckgen.layout.plan import ChartPicture, Picture, Rect, SlidePlan, Table, TextBox
from deckgen.pipeline import Outline, load_outline, load_theme


@pytest.fixture(scope="module")
def outline(root: Path) -> Outline:
    return load_outline(root / "deck.yaml")


def _ctx(outline: Outline, kind: str = "") -> SlideContext:
    theme = load_theme(outline.deck, outline.base_dir, outline.source)
    return SlideContext(theme=theme, data=DataStore(outline.deck.data,
                        outline.base_dir), base_dir=outline.base_dir, deck_title="Deck",
                        deck_subtitle="Sub", deck_date="7th July 2016", organisation="Org",
                        kind=kind, files=kinds.file_keys(kind))


def _planned(outline: Outline, raw: dict[str, Any], ctx: SlideContext | None = None) -> Planned:
    module = kinds.get(raw["kind"])
    assert module is not None
    return module.plan(module.Spec.model_validate(raw), ctx or _ctx(outline, raw["kind"]))


def _plans(outline: Outline, raw: dict[str, Any]) -> list[SlidePlan]:
    return _planned(outline, raw).slides


def _plan(outline: Outline, raw: dict[str, Any]) -> SlidePlan:
    plans = _plans(outline, raw)
    assert len(plans) == 1
    return plans[0]


def _inside(plan: SlidePlan, width: int = 12192240, height: int = 6858000) -> None:
    for el in plan.elements:
        box = getattr(el, "box", None)
        if box is not None:
            assert box.x >= 0 and box.y >= 0 and box.right <= width and box.bottom <= height, el


ASB_TABLE = {
    "kind": "table", "title": "ASB", "data": "asb",
    "columns": [{"column": "district"}, {"column": "mar_apr_2015", "format": ",.0f"},
                {"column": "pct_change", "format": ".1f", "good": "down"}],
}


def test_table_rows_totals_and_highlight(outline: Outline) -> None:
    plan = _plan(outline, {**ASB_TABLE, "total": {"label": "TOTAL"}, "highlight": "Harlow"})
    table = next(e for e in plan.elements if isinstance(e, Table))
    texts = [[c.text for c in row] for row in table.rows]
    assert texts[0] == ["district", "mar_apr_2015", "pct_change"]
    # the sample brand writes the true minus sign (true_minus)
    assert texts[1] == ["Thurrock", "5,904", "\u22125.9"]
    assert texts[-1] == ["TOTAL", "57,004", "\u22128.8"]  # the data's stated total
    harlow = next(row for row in table.rows if row[0].text == "Harlow")
    assert all(c.bold and c.fill for c in harlow)
    assert table.rows[1][2].color == "1E7B34"  # a fall is good
    _inside(plan)


def test_table_warns_when_the_stated_total_differs(outline: Outline) -> None:
    warnings = _planned(outline, {**ASB_TABLE, "total": True}).warnings
    assert len(warnings) == 1
    assert "is 57004, but its rows add up to 56577 (+427)" in warnings[0].message


def test_table_with_a_filter_sums_its_rows(outline: Outline) -> None:
    plan = _plan(outline, {**ASB_TABLE, "total": True,
                           "where": {"district": "Southend"}})
    table = next(e for e in plan.elements if isinstance(e, Table))
    assert [c.text for c in table.rows[-1]] == ["Total", "8,068", "\u221211.1"]


def test_table_unknown_column_lists_the_columns(outline: Outline) -> None:
    with pytest.raises(DeckError) as info:
        _plan(outline, {**ASB_TABLE, "columns": [{"column": "y2016"}]})
    assert ("unknown column 'y2016' in data/asb_mar_apr_2015_2016.csv; columns are: district, "
            "mar_apr_2015, mar_apr_2016, change, pct_change") in str(info.value)


def test_table_highlight_must_be_a_value(outline: Outline) -> None:
    with pytest.raises(DeckError, match="highlight 'Basildun' is not a value of column"):
        _plan(outline, {**ASB_TABLE, "highlight": "Basildun"})


CRIME = {"kind": "chart", "title": "Mix", "data": "crime", "x": "offence_group",
         "y": "offences", "percent": True}


def test_chart_percent_shares_sum_to_100_and_trim_to_top(outline: Outline) -> None:
    from deckgen.kinds.chart import Spec, resolve

    data = resolve(Spec.model_validate({**CRIME, "chart": "donut", "top": 5}), _ctx(outline))
    values = data.series[0].values
    assert len(values) == 5 and data.categories[-1] == "Other"
    assert sum(values) == pytest.approx(100)
    assert list(values[:4]) == sorted(values[:4], reverse=True)


def test_a_pie_of_more_slices_than_can_be_told_apart_is_refused(outline: Outline) -> None:
    from deckgen.kinds.chart import MAX_SLICES

    frame = DataStore(outline.deck.data, outline.base_dir).frame("crime")
    groups = frame["offence_group"].nunique()
    assert groups > MAX_SLICES
    with pytest.raises(DeckError) as info:
        _plan(outline, {**CRIME, "chart": "pie"})
    assert f"a pie of {groups} slices cannot be read" in str(info.value)
    assert f"'top: {MAX_SLICES}'" in str(info.value)
    plan = _plan(outline, {**CRIME, "chart": "pie", "top": MAX_SLICES})
    assert any(isinstance(e, ChartPicture) for e in plan.elements)


def test_chart_filter_by_district_and_alt_text(outline: Outline) -> None:
    plan = _plan(outline, {**CRIME, "chart": "hbar", "where": {"district": "Basildon"},
                           "highlight": "Robbery", "subtitle": "Basildon"})
    picture = next(e for e in plan.elements if isinstance(e, ChartPicture))
    # the sample's crime data says it is illustrative, so every chart of it says so first
    assert picture.alt.startswith("Illustrative data, not real figures. Horizontal bar chart "
                                  "of value by offence group, Basildon.")
    assert "Highlighted: Robbery," in picture.alt
    assert "Chart description:" in plan.notes
    _inside(plan)


def test_chart_unknown_filter_value_names_the_valid_ones(outline: Outline) -> None:
    with pytest.raises(DeckError) as info:
        _plan(outline, {**CRIME, "chart": "bar", "where": {"district": "Gotham"}})
    assert "'Gotham' is not a value of column 'district'" in str(info.value)
    assert "Basildon, Braintree" in str(info.value)


def test_chart_non_numeric_values_name_the_row(outline: Outline) -> None:
    with pytest.raises(DeckError) as info:
        _plan(outline, {**CRIME, "chart": "bar", "y": "district"})
    assert str(info.value) == ("data/crime_by_district_2015-16_ILLUSTRATIVE.csv:2:15: slide 1 "
                               "(chart): column 'district' must hold numbers, but line 2 has "
                               "'Thurrock'")


def test_wide_line_chart(outline: Outline) -> None:
    from deckgen.kinds.chart import Spec, resolve

    data = resolve(Spec.model_validate({
        "kind": "chart", "title": "Slope", "chart": "line", "data": "asb", "x": "district",
        "y": ["mar_apr_2015", "mar_apr_2016"], "x_labels": ["2015", "2016"],
        "highlight": "Southend", "sort": "none"}), _ctx(outline))
    assert data.categories == ("2015", "2016")
    assert len(data.series) == 14
    southend = next(s for s in data.series if s.name == "Southend")
    assert southend.values == (8068, 7174)
    from deckgen.layout.chartdata import alt_text

    assert "Southend: 8,068 in 2015, 7,174 in 2016." in alt_text(data)


def test_a_line_chart_keeps_the_data_order_and_refuses_a_sort_by_value(
        outline: Outline) -> None:
    from pydantic import ValidationError

    from deckgen.kinds.chart import Spec, resolve

    raw = {"kind": "chart", "title": "L", "chart": "line", "data": "asb", "x": "district",
           "y": "mar_apr_2016"}
    data = resolve(Spec.model_validate(raw), _ctx(outline))
    frame = DataStore(outline.deck.data, outline.base_dir).frame("asb")
    in_file = [float(n) for d, n in zip(frame["district"], frame["mar_apr_2016"])
               if d != "TOTAL"]
    assert list(data.series[0].values) == in_file and in_file != sorted(in_file, reverse=True)
    # a bar chart of the same is sorted, largest first
    bars = resolve(Spec.model_validate({**raw, "chart": "bar"}), _ctx(outline))
    assert list(bars.series[0].values) == sorted(bars.series[0].values, reverse=True)
    for bad, says in ((dict(sort="descending"), "keeps its points in the data's order"),
                      (dict(top=5), "a line's points are a sequence")):
        with pytest.raises(ValidationError, match=says):
            Spec.model_validate({**raw, **bad})


@pytest.mark.parametrize("chart", ["bar", "hbar", "pie", "donut", "line"])
def test_every_chart_type_renders(outline: Outline, chart: str) -> None:
    raw = {**CRIME, "chart": chart, **({"top": 6} if chart in ("pie", "donut") else {})}
    if chart == "line":
        raw = {"kind": "chart", "title": "L", "chart": "line", "data": "asb", "x": "district",
               "y": ["mar_apr_2015", "mar_apr_2016"]}
    from deckgen.render.charts import render

    plan = _plan(outline, raw)
    chart = next(e for e in plan.elements if isinstance(e, ChartPicture))
    png = render(chart.chart, _ctx(outline).theme, 8, 4.5)  # type: ignore[arg-type]
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_bullets_nest_and_columns_split(outline: Outline) -> None:
    plan = _plan(outline, {"kind": "bullets", "title": "T", "columns": [
        {"points": [{"Increasing:": ["a", "b"]}]}, {"heading": "H", "points": ["c"]}]})
    boxes = [e for e in plan.elements if isinstance(e, TextBox)]
    assert [b.name for b in boxes] == ["Column 1", "Column 2"]
    first = boxes[0].paragraphs
    assert first[0].text == "Increasing:" and first[0].bold and first[0].bullet is None
    assert first[1].level == 1 and first[1].bullet == "\u2013"
    assert boxes[0].box.right < boxes[1].box.x


def test_long_bullets_shrink_to_fit(outline: Outline) -> None:
    from deckgen.layout import textfit
    from deckgen.layout.plan import EMU_PER_PT

    plan = _plan(outline, {"kind": "bullets", "title": "T",
                           "points": ["a long point with many words " * 6] * 7})
    box = next(e for e in plan.elements if isinstance(e, TextBox))
    assert box.paragraphs[0].size < 22
    height = textfit.text_height_pt(box.paragraphs, box.box.w / EMU_PER_PT - 14.4)
    assert height <= box.box.h / EMU_PER_PT


def test_bullets_need_content() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="give 'points', 'columns' or 'lead'"):
        kinds.get("bullets").Spec.model_validate({"kind": "bullets", "title": "T"})  # type: ignore


def test_stats_cards(outline: Outline) -> None:
    plan = _plan(outline, {"kind": "stats", "title": "S", "period": "May 2014 - May 2016",
                           "stats": [{"value": 663, "label": "Arrests"},
                                     {"value": 1194677, "label": "Value"},
                                     {"value": "£1,194,677", "label": "Text"}]})
    texts = [e.paragraphs[0].text for e in plan.elements if isinstance(e, TextBox)]
    assert texts[:3] == ["663", "Arrests", "1,194,677"]
    assert "£1,194,677" in texts and "May 2014 - May 2016" in texts
    wraps = {e.paragraphs[0].text: e.wrap for e in plan.elements
             if isinstance(e, TextBox) and e.name.startswith("Value:")}
    assert wraps == {"663": False, "1,194,677": False, "£1,194,677": False}
    words = _plan(outline, {"kind": "stats", "title": "S",
                            "stats": [{"value": "Up a fifth", "label": "A"},
                                      {"value": 3, "label": "B"}]})
    assert [e.wrap for e in words.elements if isinstance(e, TextBox)
            and e.name.startswith("Value:")] == [True, False]  # words may wrap; figures never
    assert sum(isinstance(e, Rect) for e in plan.elements) == 6  # a card and a rule per stat


def test_team_levels_and_links(outline: Outline) -> None:
    from deckgen.layout.plan import Connector

    plan = _plan(outline, {"kind": "team", "title": "T", "root": {
        "role": "Inspector", "children": [{"role": "Sergeant", "children": [
            {"role": "PC"}, {"role": "PCSO"}, {"role": "Staff"}]}]}})
    roles = [e for e in plan.elements if isinstance(e, TextBox)]
    assert [r.paragraphs[0].text for r in roles] == ["Inspector", "Sergeant", "PC", "PCSO",
                                                      "Staff"]
    assert roles[0].box.bottom < roles[1].box.y < roles[1].box.bottom < roles[2].box.y
    assert sum(isinstance(e, Connector) for e in plan.elements) == 7  # 2 + (1 + bus + 3)
    _inside(plan)


def test_headline_meta_line(outline: Outline) -> None:
    plan = _plan(outline, {"kind": "headlines", "title": "H", "headlines": [
        {"headline": "Big news", "byline": "By *Sarah Hills*", "date": "June 23, 2016"}]})
    card = next(e for e in plan.elements if isinstance(e, TextBox))
    assert card.paragraphs[1].text == "By Sarah Hills | Posted: June 23, 2016"
    assert card.paragraphs[1].runs[1].italic


def test_image_keeps_its_aspect_and_credit(outline: Outline) -> None:
    plan = _plan(outline, {"kind": "image", "title": "I", "alt": "A village",
                           "image": "assets/images/parish-safety-volunteers.png",
                           "credit": "Photo: X", "stand_in": True})
    pic = next(e for e in plan.elements if isinstance(e, Picture))
    assert abs(pic.box.w / pic.box.h - 16 / 9) < 0.01
    texts = [e.paragraphs[0].text for e in plan.elements if isinstance(e, TextBox)]
    assert "Illustration standing in for the original, credited \u201cPhoto: X\u201d" in texts
    assert "stand-in graphic" in plan.notes


def test_missing_image_is_located_error(outline: Outline) -> None:
    with pytest.raises(DeckError, match="image not found: nope.png"):
        _plan(outline, {"kind": "image", "title": "I", "alt": "x", "image": "nope.png"})


def test_not_an_image(outline: Outline) -> None:
    with pytest.raises(DeckError, match="deck.yaml is not a PNG, JPEG, GIF or BMP picture"):
        _plan(outline, {"kind": "image", "title": "I", "alt": "x", "image": "deck.yaml"})


def test_summary_requires_alt_for_its_picture(outline: Outline) -> None:
    with pytest.raises(DeckError, match="needs 'alt'"):
        _plan(outline, {"kind": "summary", "title": "S", "statement": "Safe",
                        "image": "assets/images/essex-coast.png"})


def test_a_wrapped_subtitle_breaks_in_the_middle_not_before_a_last_word(
        outline: Outline) -> None:
    """'Crime and anti-social behaviour to April' / '2016' on the pack's cover: the box is
    narrowed until the subtitle would take a third line, so PowerPoint breaks it evenly."""
    from deckgen.layout import textfit
    from deckgen.layout.frame import side_inset
    from deckgen.layout.plan import EMU_PER_PT

    subtitle = "Crime and anti-social behaviour to April 2016"
    plan = _plan(outline, {"kind": "title", "subtitle": subtitle})
    box = next(e for e in plan.elements if isinstance(e, TextBox) and e.name == "Subtitle")
    par = box.paragraphs[0]
    inner = (box.box.w - 2 * side_inset(False)) / EMU_PER_PT
    assert textfit.paragraph_lines(par, inner) == 2  # still two lines, as at full width
    # the words that fit the first line leave more than one for the second
    words = subtitle.split()
    first = max(k for k in range(1, len(words) + 1)
                if textfit.text_width_pt(" ".join(words[:k]), par.size, bold=True) <= inner)
    assert len(words) - first >= 2, (words[:first], inner)


def test_title_slide_uses_deck_defaults(outline: Outline) -> None:
    plan = _plan(outline, {"kind": "title"})
    assert plan.title.text == "Deck"
    texts = [p.text for e in plan.elements if isinstance(e, TextBox) for p in e.paragraphs]
    assert texts == ["Sub", "7th July 2016"]
    assert plan.background == "1B365D"


def test_titles_drop_emphasis_markers_on_every_kind(outline: Outline) -> None:
    for raw in ({"kind": "title", "title": "**Big** day"},
                {"kind": "section", "title": "**Big** day"},
                {"kind": "bullets", "title": "**Big** day", "points": ["x"]}):
        assert _plan(outline, raw).title.text == "Big day"


def test_single_line_chart_highlights_a_point(outline: Outline) -> None:
    from deckgen.kinds.chart import Spec, resolve

    spec = Spec.model_validate({"kind": "chart", "title": "L", "chart": "line", "data": "asb",
                                "x": "district", "y": "mar_apr_2016", "sort": "none",
                                "highlight": "Southend"})
    data = resolve(spec, _ctx(outline))
    assert data.highlight in data.categories
    from deckgen.render.charts import render

    plan = _plan(outline, spec.model_dump())
    chart = next(e for e in plan.elements if isinstance(e, ChartPicture))
    assert render(chart.chart, _ctx(outline).theme, 8, 4.5).startswith(b"\x89PNG")  # type: ignore[arg-type]


def test_long_lists_continue_on_further_slides(outline: Outline) -> None:
    points = [f"Point number {i} about something that matters to the district" for i in range(40)]
    planned = _planned(outline, {"kind": "bullets", "title": "Actions", "lead": "Lead line",
                                 "points": points})
    plans = planned.slides
    assert len(plans) >= 2
    assert [p.title.text for p in plans][:3] == ["Actions", "Actions (cont.)",
                                                 "Actions (cont. 2)"][:len(plans)]
    shown = [par.text for p in plans for e in p.elements if isinstance(e, TextBox)
             and e.name == "Points" for par in e.paragraphs]
    assert shown == points  # every point once, in order
    assert all(par.size >= 22 * 0.75 - 0.5 for p in plans for e in p.elements
               if isinstance(e, TextBox) and e.name == "Points" for par in e.paragraphs)
    assert "split across" in planned.warnings[0].message


def test_long_point_is_warned_and_tiny_font_refused(outline: Outline) -> None:
    from deckgen.layout.review import too_small

    planned = _planned(outline, {"kind": "bullets", "title": "T", "size": 3,
                                 "points": ["word " * 60]})
    assert planned.warnings[0].message.startswith("point 1 has 60 words")
    errors = [p.message for p in too_small(planned.slides, [("slide 1 (bullets)", None)])]
    assert any("below the deck's minimum of 10 pt" in w for w in errors)


def test_tables_longer_than_a_slide_continue(outline: Outline, tmp_path: Path) -> None:
    from deckgen.data.store import DataStore
    from deckgen.source.schema import DataSourceSpec

    rows = "\n".join(f"D{i},{i}" for i in range(40))
    (tmp_path / "big.csv").write_text(f"district,n\n{rows}\n")
    ctx = replace(_ctx(outline, "table"),
                  data=DataStore({"big": DataSourceSpec(file="big.csv")}, tmp_path))
    planned = _planned(outline, {"kind": "table", "title": "Big", "data": "big", "total": True,
                                 "columns": [{"column": "district"}, {"column": "n"}]}, ctx)
    plans = planned.slides
    tables = [next(e for e in p.elements if isinstance(e, Table)) for p in plans]
    assert [p.title.text for p in plans] == ["Big", "Big (cont.)", "Big (cont. 2)"]
    assert all(t.rows[0][0].text == "district" for t in tables)  # header on every slide
    body = [r[0].text for t in tables for r in t.rows[1:]]
    assert body[:-1] == [f"D{i}" for i in range(40)] and body[-1] == "Total"
    assert all(t.col_widths == tables[0].col_widths for t in tables)
    assert all(t.box.bottom <= ctx.theme.content.bottom for t in tables)
    assert "split across 3 slides" in planned.warnings[0].message


def test_alt_text_of_falls_names_the_largest_and_smallest_fall() -> None:
    from deckgen.layout.chartdata import ChartData, Series, alt_text

    data = ChartData("hbar", ("A", "B", "C"), (Series("pct", (-18.3, -2.6, -9.0)),),
                     value_format="+0.0;-0.0", value_suffix="%", what="district")
    assert "3 categories, every one a fall. Largest fall: A, -18.3%. Smallest fall: B, -2.6%." \
        in alt_text(data)
