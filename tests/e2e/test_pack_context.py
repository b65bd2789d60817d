"""The monthly pack's charts with their context (issue 24, items 2 and 3): its trend is a
control chart, its rate chart has the districts' rate as a reference line, each checked
against plain pandas and numpy over the SYNTHETIC extract, for three districts; and a year
earlier is out of the extract's reach, which is an error, not a short line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deckgen import app
from deckgen.errors import DeckError
from deckgen.layout.plan import ChartPicture
from deckgen.options import Options

TREND = "{} \u2013 anti-social behaviour month by month"
MONTHS = [f"{y}-{m:02d}" for y, m in [(2015, m) for m in range(2, 13)]
          + [(2016, m) for m in range(1, 5)]]  # the 15 months to April 2016


@pytest.fixture(scope="module")
def asb(monthly_pack: Path) -> pd.DataFrame:
    files = sorted((monthly_pack / "data" / "police-uk-SYNTHETIC").glob("*/*.csv.gz"))
    frame = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    frame = frame[(frame["Crime type"] == "Anti-social behaviour") & (frame["LSOA name"] != "")]
    return frame.assign(District=frame["LSOA name"].str.rsplit(" ", n=1).str[0])


#: The pack's slides, by place: a finding title changes with the figures (issue 24).
TREND_SLIDE, RATE_SLIDE = 4, 5


def _element(planned: object, slide: int) -> ChartPicture:
    plan = planned.plans[slide]  # type: ignore[attr-defined]
    return next(e for e in plan.elements if isinstance(e, ChartPicture))


@pytest.mark.parametrize("district,lad", [("Southend", "Southend-on-Sea"),
                                          ("Basildon", "Basildon"), ("Harlow", "Harlow")])
def test_the_packs_trend_is_a_control_chart_of_the_districts_months(
        monthly_pack: Path, asb: pd.DataFrame, district: str, lad: str) -> None:
    planned = app.check(monthly_pack / "deck.yaml", {"district": district}, Options())
    assert not planned.warnings
    element = _element(planned, TREND_SLIDE)
    counts = asb[asb["District"] == lad].groupby("Month").size().reindex(MONTHS, fill_value=0)
    base = counts.to_numpy(dtype=float)[:12]
    centre, width = base.mean(), 2.66 * np.abs(np.diff(base)).mean()
    lines = element.chart.control
    assert (lines.centre, lines.upper, lines.lower) == pytest.approx(
        (centre, centre + width, max(0.0, centre - width)))
    assert element.chart.axis.top > max(counts.max(), lines.upper)
    # the words: a month beyond a limit is named; else a run, or no signal at all
    latest = counts.to_numpy()[-3:]
    beyond = [m for m, v in zip(["Feb 2016", "Mar 2016", "Apr 2016"], latest)
              if v > centre + width or v < max(0.0, centre - width)]
    for month in beyond:
        assert f"{month} was " in element.alt
    if not lines.special:
        assert "No month of the latest 3 (Feb 2016 to Apr 2016)" in element.alt
    notes = planned.plans[TREND_SLIDE].notes
    words = {"none": "stayed within", "high": "rose above", "low": "fell below"}[lines.latest]
    assert f"{lad}'s ASB {words} its normal range" in notes


def test_the_packs_rate_chart_draws_the_districts_rate(monthly_pack: Path,
                                                       asb: pd.DataFrame) -> None:
    planned = app.check(monthly_pack / "deck.yaml", {}, Options())
    chart = _element(planned, RATE_SLIDE).chart
    people = pd.read_csv(monthly_pack / "data" / "census2011-essex-lsoa-usual-residents.csv")
    year = asb[asb["Month"].isin(MONTHS[-12:])]
    want = len(year) / people["All usual residents"].sum() * 1000
    assert [(r.label, r.value) for r in chart.references] == [
        ("All districts", pytest.approx(want))]


def test_a_year_earlier_the_extract_does_not_reach_is_an_error(monthly_pack: Path) -> None:
    deck = monthly_pack / "deck-earlier.yaml"
    text = (monthly_pack / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace("  trend: {months: 15}          # 15 months to April 2016\n",
                        "  trend: {months: 15}          # 15 months to April 2016\n"
                        "  trend_before: {months: 15, years_before: 1}\n")
    text = text.replace("  asb_lsoa:  ", "  asb_trend_before:\n    from: crimes\n    steps:\n"
                        "      - filter: {Crime type: Anti-social behaviour, Month: {window: "
                        "trend_before}}\n      - group: {by: [District, Month], count: "
                        "incidents, blanks: drop, complete: true}\n      - derive: {label: "
                        "month_label(Month)}\n  asb_lsoa:  ")
    text = text.replace("    good: down ", "    year_earlier: {data: asb_trend_before}\n"
                        "    good: down ")
    deck.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        app.check(deck, {}, Options())
    assert "trend_before" in str(caught.value) and "2014-02" in str(caught.value)
