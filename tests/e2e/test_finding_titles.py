"""Slides that state their finding (issue 24, items 1, 4 and 6).

The monthly pack's data slides are titled by what their figures say, with the topic in a
subtitle; the words follow the figures, so a month where a district's ASB rose instead of
fell flips the title. Every number in a title is checked against plain pandas over the same
extract, and every "beyond normal variation" against the Poisson z-score computed here. The
sample keeps the seed's titles and adds its finding as a subtitle; its ASB table and chart mark
only the changes beyond noise, and say so on the slide; the line under its table says why the
published force total is more than the districts add up to.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError
from deckgen.options import Options

MINUS = "\u2212"


@pytest.fixture(scope="module")
def records(monthly_pack: Path) -> pd.DataFrame:
    files = sorted((monthly_pack / "data" / "police-uk-SYNTHETIC").glob("*/*.csv.gz"))
    frame = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    frame = frame[(frame["Crime type"] == "Anti-social behaviour") & (frame["LSOA name"] != "")]
    return frame.assign(District=frame["LSOA name"].str.rsplit(" ", n=1).str[0])


def _months(period: str, count: int, years_before: int = 0) -> list[str]:
    end = pd.Period(period, "M") - 12 * years_before
    return [str(end - i) for i in range(count - 1, -1, -1)]


def _level(now: int, then: int) -> str:
    """Independently: how far a change is beyond Poisson noise, in the pack's words."""
    z = abs(2 * (math.sqrt(now) - math.sqrt(then)))
    return "well beyond" if z >= 3 else "beyond" if z >= 2 else "within"


def _signed_words(pct: float) -> str:
    shown = f"{abs(pct):.1f}"
    return "was unchanged" if shown == "0.0" else f"{'fell' if pct < 0 else 'rose'} {shown}%"


def _titles(pack: Path, **overrides: str) -> list[tuple[str, str]]:
    """Each slide's title and subtitle, as the build lays them out."""
    planned = app.check(pack / "deck.yaml", overrides, Options())
    out = []
    for plan in planned.plans:
        subtitle = next((e.paragraphs[0].text for e in plan.elements
                         if getattr(e, "name", "") == "Subtitle"), "")
        out.append((plan.title.text if plan.title else "", subtitle))
    return out


@pytest.mark.parametrize("period", ["2016-04", "2016-06"])
def test_the_packs_titles_state_what_the_figures_say(monthly_pack: Path, records: pd.DataFrame,
                                                     period: str) -> None:
    """Tendring's ASB fell in March–April 2016 and rose in May–June 2016: the titles follow,
    with every figure and level of noise computed here."""
    titles = _titles(monthly_pack, district="Tendring", period=period)
    now_months, then_months = _months(period, 2), _months(period, 2, years_before=1)
    by = records.groupby("District")
    now = by.apply(lambda g: g["Month"].isin(now_months).sum())
    then = by.apply(lambda g: g["Month"].isin(then_months).sum())
    pct = (now["Tendring"] - then["Tendring"]) / then["Tendring"] * 100
    level = _level(now["Tendring"], then["Tendring"])
    assert titles[1][0] == f"Tendring's ASB {_signed_words(pct)}, {level} normal variation"
    assert titles[1][1].startswith("Tendring at a glance: ")
    everywhere = (now.sum() - then.sum()) / then.sum() * 100
    assert titles[3][0] == (f"ASB {_signed_words(everywhere)} across the districts; "
                            f"Tendring's {_signed_words(pct)}")
    assert titles[3][1].startswith("ASB by district, ")
    beyond = int((2 * (now ** 0.5 - then ** 0.5) <= -2).sum())  # as the table marks them
    assert titles[7][0] == (f"In {beyond} of {len(now)} districts ASB fell beyond normal "
                            "variation")
    return None


def test_a_finding_flips_with_the_month(monthly_pack: Path) -> None:
    """The same outline, two months: Tendring's title says 'fell' in one, 'rose' in the
    other, and the count of districts where ASB fell changes with it."""
    april = _titles(monthly_pack, district="Tendring", period="2016-04")
    june = _titles(monthly_pack, district="Tendring", period="2016-06")
    assert "ASB fell " in april[1][0] and "ASB rose " in june[1][0]
    assert april[7][0] != june[7][0]
    assert april[7][0].startswith("In ") and june[7][0].endswith("fell beyond normal variation")


def test_the_rate_title_compares_the_district_with_all_districts(monthly_pack: Path) -> None:
    """`minus:` figures: the district's rate less all districts' chooses 'above' or 'below';
    Uttlesford has the lowest rate, Harlow the highest (the rate chart's own order)."""
    planned = app.check(monthly_pack / "deck.yaml", {"district": "Uttlesford"}, Options())
    rate = next(e.chart for e in planned.plans[5].elements if hasattr(e, "chart"))
    values = dict(zip(rate.categories, rate.series[0].values))
    assert min(values, key=values.get) == "Uttlesford"
    assert planned.plans[5].title.text == "Uttlesford's ASB rate is below the districts'"
    harlow = _titles(monthly_pack, district="Harlow")
    assert harlow[5][0] == "Harlow's ASB rate is above the districts'"


def test_a_figure_with_minus_is_checked(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("k,a,b,c\nx,5,3,abc\n", encoding="utf-8")
    base = ("title: T\ndata:\n  t: {file: t.csv}\nfigures:\n  d: {value: 't[k=x].a', "
            "minus: 't[k=x].%s'%s}\nslides:\n  - kind: bullets\n    title: 'D {d|up:above|"
            "down:below|zero:level} by {d:0.0}'\n    points: [x]\n")
    (tmp_path / "ok.yaml").write_text(base % ("b", ""), encoding="utf-8")
    planned = app.check(tmp_path / "ok.yaml", {}, Options())
    assert planned.plans[0].title.text == "D above by 2.0"
    (tmp_path / "blank.yaml").write_text(base % ("c", ""), encoding="utf-8")
    with pytest.raises(DeckError, match="both must be numbers"):
        app.check(tmp_path / "blank.yaml", {}, Options())
    (tmp_path / "both.yaml").write_text(
        base % ("b", ", change: {current: 't[k=x].a', previous: 't[k=x].b'}"),
        encoding="utf-8")
    with pytest.raises(DeckError, match="'change:' or 'minus:', not both") as exc:
        app.check(tmp_path / "both.yaml", {}, Options())
    assert exc.value.problems[0].location.line == 5


# --- the sample: seed titles kept, findings as subtitles, noise applied, totals explained ----

@pytest.fixture(scope="module")
def sample(sample_pptx: Path) -> Presentation:
    return Presentation(str(sample_pptx))


def _slide(prs: Presentation, title: str):  # type: ignore[no-untyped-def]
    return next(s for s in prs.slides if s.shapes.title is not None
                and s.shapes.title.text_frame.text == title)


def _seed_counts() -> pd.DataFrame:
    root = Path(__file__).resolve().parents[2]
    return pd.read_csv(root / "data" / "asb_mar_apr_2015_2016.csv").set_index("district")


def test_the_sample_table_colours_only_changes_beyond_noise(sample: Presentation) -> None:
    slide = _slide(sample, "Anti-Social Behaviour by district")
    table = next(sh for sh in slide.shapes if sh.has_table).table
    counts = _seed_counts()
    text_colour = None
    for row in list(table.rows)[1:-1]:
        name = row.cells[0].text
        key = {"Castle Point": "Castlepoint", "Epping Forest": "Epping"}.get(name, name)
        level = _level(int(counts.loc[key, "mar_apr_2016"]), int(counts.loc[key, "mar_apr_2015"]))
        cell = row.cells[4]
        colour = str(cell.text_frame.paragraphs[0].runs[0].font.color.rgb)
        if level == "within":  # Brentwood's −2.6%: no mark, not coloured
            assert cell.text.rstrip("\u2007")[-1].isdigit(), cell.text
            text_colour = colour
            assert colour != "1E7B34", name
        else:
            assert cell.text.endswith("\u2021" if level == "well beyond" else "\u2020"), name
            assert colour == "1E7B34", name  # the brand's good colour: a real fall
    assert text_colour is not None  # the seed has one change within noise: Brentwood
    words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "other changes are within it and not coloured" in words


def test_the_sample_says_the_force_total_is_more_than_the_districts(
        sample: Presentation) -> None:
    slide = _slide(sample, "Anti-Social Behaviour by district")
    words = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    counts = _seed_counts().drop("TOTAL")
    a, b = counts["mar_apr_2015"].sum(), counts["mar_apr_2016"].sum()
    assert (f"TOTAL is as published (the source does not say why it is more than the districts "
            f"listed); the "
            f"rows above add up to {a:,} and {b:,}.") in words


def test_the_sample_chart_states_its_finding_and_marks_only_beyond_noise(
        sample: Presentation) -> None:
    slide = _slide(sample, "Anti-social Behaviour")  # the seed's title, kept
    subtitle = next(sh.text_frame.text for sh in slide.shapes if sh.name == "Subtitle")
    counts = _seed_counts()
    now, then = counts.loc["Southend", "mar_apr_2016"], counts.loc["Southend", "mar_apr_2015"]
    force = (counts.loc["TOTAL", "mar_apr_2016"] / counts.loc["TOTAL", "mar_apr_2015"] - 1) * 100
    assert subtitle == (f"ASB in Southend {_signed_words((now - then) / then * 100)}, "
                        f"{_level(now, then)} normal variation; force-wide it "
                        f"{_signed_words(force)}")
    alt = next(sh for sh in slide.shapes if sh.name == "Chart")._element.nvPicPr.cNvPr.get("descr")
    assert "Change notable beyond normal variation: Maldon." in alt
    assert "Brentwood" not in alt.partition("Change significant")[2]
    assert MINUS + "11.1%" in alt


def _xmr_side(counts: list[float], baseline: int = 12, assess: int = 3) -> str:
    """Independently: an XmR chart over the first `baseline` months (centre ± 2.66 × mean
    moving range, the lower limit at least 0), and whether any of the last `assess` months
    lies beyond a limit, or 7 in a row sit on one side of the centre ending in them."""
    import numpy as np

    base = np.array(counts[:baseline], dtype=float)
    centre = base.mean()
    spread = 2.66 * np.abs(np.diff(base)).mean()
    upper, lower = centre + spread, max(centre - spread, 0.0)
    recent = counts[-assess:]
    if any(v > upper for v in recent):
        return "high"
    if any(v < lower for v in recent):
        return "low"
    for end in range(len(counts) - assess, len(counts)):
        run = counts[max(0, end - 6):end + 1]
        if len(run) == 7 and all(v > centre for v in run):
            return "high"
        if len(run) == 7 and all(v < centre for v in run):
            return "low"
    return "none"


@pytest.mark.parametrize("district, lad", [("Southend", "Southend-on-Sea"),
                                           ("Basildon", "Basildon"), ("Harlow", "Harlow")])
def test_the_crime_mix_trend_and_neighbourhood_titles(monthly_pack: Path, district: str,
                                                       lad: str) -> None:
    titles = _titles(monthly_pack, district=district)
    files = sorted((monthly_pack / "data" / "police-uk-SYNTHETIC").glob("*/*.csv.gz"))
    every = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    every = every[every["LSOA name"] != ""]
    every = every.assign(District=every["LSOA name"].str.rsplit(" ", n=1).str[0])
    here = every[every["District"] == lad]
    # the crime mix: the largest type's share of the district's crime (ASB left out)
    year = _months("2016-04", 12)
    crime = here[(here["Crime type"] != "Anti-social behaviour") & here["Month"].isin(year)]
    shares = crime["Crime type"].value_counts() / len(crime) * 100
    assert titles[2][0] == (f"{shares.index[0]}: {shares.iloc[0]:.0f}% of {lad}'s recorded "
                            "crime")
    # the trend: the control chart's latest signal, in words
    asb = here[here["Crime type"] == "Anti-social behaviour"]
    counts = [float((asb["Month"] == m).sum()) for m in _months("2016-04", 15)]
    words = {"high": "has been above its usual level", "low": "has been below its usual level",
             "none": "stayed within its normal range"}
    assert titles[4][0] == f"{lad}'s ASB {words[_xmr_side(counts)]}"
    # the neighbourhood map: the highest rate of any of the district's LSOAs with ASB
    census = pd.read_csv(monthly_pack / "data" / "census2011-essex-lsoa-usual-residents.csv")
    people = census.set_index("LSOA11CD")["All usual residents"]
    lsoa = asb[asb["Month"].isin(year)].groupby("LSOA code").size()
    rates = lsoa / people.reindex(lsoa.index) * 1000
    assert titles[6][0] == (f"{lad}'s highest neighbourhood ASB rate: {rates.max():,.0f} per "
                            "1,000 residents")


def test_the_crime_mix_compares_with_the_rest_named_as_the_slide_names_it(
        monthly_pack: Path) -> None:
    """`compare:` with `other: All other types`: the rest of each is one bar of that name,
    no type is listed twice at 0, and both series add up to 100."""
    planned = app.check(monthly_pack / "deck.yaml", {}, Options())
    chart = next(e.chart for e in planned.plans[2].elements if hasattr(e, "chart"))
    assert chart.categories[-1] == "All other types" and len(chart.categories) == 8
    for series in chart.series:
        assert sum(series.values) == pytest.approx(100.0)
        assert min(series.values) > 0
