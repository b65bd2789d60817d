"""Control charts on line charts (issue 24, item 3): `limits:` draws the centre line and the
control limits over a baseline, marks the special causes among the latest months, and says so
in the alt text and the speaker notes; on both renderers. The limits are checked against an
independent numpy computation; a month moved beyond the limit changes the words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pptx import Presentation

from deckgen.app import build, check
from deckgen.errors import DeckError
from deckgen.layout.chartcontext import CONCERN, IMPROVEMENT
from deckgen.layout.plan import ChartPicture, NativeChart
from deckgen.render import charts

MONTHS = ["Feb 2015", "Mar 2015", "Apr 2015", "May 2015", "Jun 2015", "Jul 2015", "Aug 2015",
          "Sep 2015", "Oct 2015", "Nov 2015", "Dec 2015", "Jan 2016", "Feb 2016", "Mar 2016",
          "Apr 2016"]
STEADY = [100, 108, 95, 103, 110, 98, 102, 97, 105, 101, 99, 104, 103, 100, 105]
HIGH = STEADY[:-1] + [140]  # April 2016 far above the rest

CHART = """  - kind: chart
    title: ASB month by month
    chart: line
    data: t
    x: month
    y: n
    axis_label: ASB incidents
    limits: {limits}
    good: {good}
"""


def _deck(folder: Path, counts: list[int], engine: str = "matplotlib",
          limits: str = "{method: xmr, baseline: 12, assess: 3}", good: str = "down") -> Path:
    (folder / "t.csv").write_text("month,n\n" + "".join(
        f"{m},{n}\n" for m, n in zip(MONTHS, counts)), encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndata:\n  t: {{file: t.csv}}\nchart_engine: {engine}\nslides:\n"
                    + CHART.format(limits=limits, good=good), encoding="utf-8")
    return deck


def _xmr(counts: list[int], baseline: int) -> tuple[float, float, float]:
    """Independently: the XmR chart's centre and limits over the first `baseline` months."""
    base = np.array(counts[:baseline], dtype=float)
    centre = base.mean()
    width = 2.66 * np.abs(np.diff(base)).mean()
    return centre, max(0.0, centre - width), centre + width


def _element(planned: Any) -> Any:
    return next(e for e in planned.plans[0].elements
                if isinstance(e, (ChartPicture, NativeChart)))


def test_limits_on_the_slide_are_the_xmr_limits_of_the_baseline(tmp_path: Path) -> None:
    lines = _element(check(_deck(tmp_path, HIGH))).chart.control
    centre, lower, upper = _xmr(HIGH, 12)
    assert (lines.centre, lines.lower, lines.upper) == pytest.approx((centre, lower, upper))
    assert lines.baseline == 12
    assert HIGH[-1] > upper and all(lower <= v <= upper for v in HIGH[:-1])


def test_a_c_chart_has_poisson_limits(tmp_path: Path) -> None:
    lines = _element(check(_deck(tmp_path, STEADY, limits="c"))).chart.control
    centre = np.mean(STEADY)  # `limits: c`: every month is the baseline
    assert (lines.centre, lines.upper, lines.lower) == pytest.approx(
        (centre, centre + 3 * np.sqrt(centre), centre - 3 * np.sqrt(centre)))


def test_a_month_beyond_the_limit_flips_the_words(tmp_path: Path) -> None:
    high = _element(check(_deck(tmp_path, HIGH)))
    assert "Apr 2016 was above the upper control limit." in high.alt
    assert high.chart.control.special == ((14, "concern"),)  # more ASB: a concern
    steady = _element(check(_deck(tmp_path, STEADY)))
    assert "Apr 2016 was above" not in steady.alt
    assert ("No month of the latest 3 (Feb 2016 to Apr 2016) is outside normal variation."
            in steady.alt)
    assert steady.chart.control.special == ()
    good_up = _element(check(_deck(tmp_path, HIGH, good="up"))).chart.control
    assert good_up.special == ((14, "improvement"),)


def test_the_notes_say_what_the_chart_shows_and_the_footnote_how(tmp_path: Path) -> None:
    out = build(_deck(tmp_path, HIGH), tmp_path / "m.pptx")
    assert not out.warnings
    slide = Presentation(str(out.output)).slides[0]
    notes = slide.notes_slide.notes_text_frame.text
    centre, lower, upper = _xmr(HIGH, 12)
    assert (f"Control limits (XmR, from Feb 2015 to Jan 2016): centre {centre:,.0f}, upper "
            f"limit {upper:,.0f}, lower limit {lower:,.0f}.") in notes
    assert "Apr 2016 was above the upper control limit." in notes
    footnote = next(s for s in slide.shapes if s.name == "Footnote").text_frame.text
    assert "mean \u00b1 2.66 \u00d7 mean moving range" in footnote
    assert "orange a concern" in footnote


def test_matplotlib_draws_the_limits_and_colours_the_special_month(tmp_path: Path) -> None:
    planned = check(_deck(tmp_path, HIGH))
    seen: dict[str, Any] = {}

    def look(ax: Any) -> None:
        seen["flat"] = sorted({round(float(line.get_ydata()[0]), 6) for line in ax.get_lines()
                               if len(set(line.get_ydata())) == 1 and len(line.get_ydata()) == 2})
        seen["special"] = [(list(line.get_xdata()), line.get_color()) for line in ax.get_lines()
                           if line.get_marker() == "o" and len(line.get_xdata()) == 1]
        seen["key"] = [t.get_text() for t in ax.get_legend().get_texts()]
        seen["top"] = ax.get_ylim()[1]

    _, problems = charts.drawn(_element(planned).chart, planned.theme, 11, 5, look)
    assert problems == ()
    centre, lower, upper = _xmr(HIGH, 12)
    assert seen["flat"] == pytest.approx(sorted([lower, centre, upper]))
    assert seen["special"] == [([14], f"#{CONCERN}")]
    assert seen["key"] == ["ASB incidents", "Mean", "Control limits", "Concern"]
    assert seen["top"] > max(upper, max(HIGH))


def test_native_control_chart_embeds_its_limits_and_colours_the_special_month(
        tmp_path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    out = build(_deck(tmp_path, HIGH, "native", good="up"), tmp_path / "n.pptx")
    assert not out.warnings
    assert [str(e) for e in OpenXmlValidator().validate(out.output).errors] == []
    frame = next(s for s in Presentation(str(out.output)).slides[0].shapes if s.has_chart)
    series = {s.name: list(s.values) for s in frame.chart.plots[0].series}
    centre, lower, upper = _xmr(HIGH, 12)
    assert series["ASB incidents"] == HIGH
    for name, value in (("Mean", centre), ("Upper control limit", upper),
                        ("Lower control limit", lower)):
        assert series[name][:12] == pytest.approx([value] * 12)
        assert series[name][12:] == [None] * 3  # solid over the baseline ...
        assert series[f"{name} (beyond the baseline)"][11:] == pytest.approx([value] * 4)
    main = frame.chart._chartSpace.xpath(".//c:ser")[0]
    coloured = main.xpath("./c:dPt[c:idx/@val='14']//a:srgbClr/@val")
    assert coloured and set(coloured) == {IMPROVEMENT}
    axis = frame.chart.value_axis
    assert axis.maximum_scale > max(upper, max(HIGH))
    assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0].endswith(
        "Apr 2016 was above the upper control limit.")


def test_too_short_a_baseline_is_an_error_at_the_key(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        check(_deck(tmp_path, STEADY, limits="{baseline: 6}"))
    assert "needs a baseline of at least 8 months" in str(caught.value)
    assert "deck.yaml:13:" in str(caught.value)
    with pytest.raises(DeckError) as caught:
        check(_deck(tmp_path, STEADY, limits="{baseline: 20}"))
    assert "a baseline of 20 months, but the chart shows 15" in str(caught.value)


def test_limits_are_for_a_line_of_one_series(tmp_path: Path) -> None:
    deck = _deck(tmp_path, STEADY)
    deck.write_text(deck.read_text().replace("chart: line", "chart: bar"), encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        check(deck)
    assert "'limits' is for a line chart of one series of months" in str(caught.value)


SIGNAL = """figures:
  asb_signal:
    signal: "t[area=A].n"
    limits: {method: xmr, baseline: 12, assess: 3}
"""


def _signal_deck(folder: Path, counts: list[int], text: str) -> Path:
    (folder / "t.csv").write_text("area,month,n\n" + "".join(
        f"A,{m},{n}\n" for m, n in zip(MONTHS, counts)), encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndata:\n  t: {{file: t.csv}}\n{SIGNAL}slides:\n"
                    f"  - kind: bullets\n    title: \"{text}\"\n    points: [x]\n",
                    encoding="utf-8")
    return deck


WORDS = ("ASB {asb_signal|high:rose above its normal range|low:fell below its normal range|"
         "none:stayed within its normal range}")


@pytest.mark.parametrize(("counts", "words"), [
    (HIGH, "ASB rose above its normal range"),
    (STEADY[:-1] + [60], "ASB fell below its normal range"),
    (STEADY, "ASB stayed within its normal range")])
def test_a_signal_figure_chooses_words_by_the_latest_special_cause(
        tmp_path: Path, counts: list[int], words: str) -> None:
    centre, lower, upper = _xmr(counts, 12)
    side = "high" if counts[-1] > upper else "low" if counts[-1] < lower else "none"
    assert words.split()[1] == {"high": "rose", "low": "fell", "none": "stayed"}[side]
    planned = check(_signal_deck(tmp_path, counts, WORDS))
    assert planned.plans[0].title.text == words


def test_a_signal_figure_shows_words_only(tmp_path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        check(_signal_deck(tmp_path, HIGH, "ASB {asb_signal}"))
    assert "'asb_signal' is a control chart's signal: it shows words" in str(caught.value)
