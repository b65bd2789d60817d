"""The monthly pack (examples/monthly-pack), built from its SYNTHETIC police.uk-format extract.

Every figure the pack shows is checked against an independent computation: plain pandas over
the same gzipped monthly files, written here without deckgen's steps. At period 2016-04 the ASB
table shows the Southend briefing's own figures (the extract was made to add up to them); at
2016-05 every label and figure moves to April-May.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation

from deckgen import app
from deckgen.layout.plan import ChartPicture, Table, TextBox
from deckgen.options import Options
from deckgen.pipeline import PlannedDeck

ROOT = Path(__file__).resolve().parents[2]
SEED_NAMES = {"Castlepoint": "Castle Point", "Epping": "Epping Forest",
              "Southend": "Southend-on-Sea"}


@pytest.fixture(scope="module")
def pack(monthly_pack: Path) -> Path:
    """A copy of the example with its extract made (by the documented command, conftest.py)."""
    return monthly_pack


@pytest.fixture(scope="module")
def records(pack: Path) -> pd.DataFrame:
    """Every row of the extract, read with plain pandas."""
    files = sorted((pack / "data" / "police-uk-SYNTHETIC").glob("*/*.csv.gz"))
    frame = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in files])
    frame["District"] = frame["LSOA name"].str.rsplit(" ", n=1).str[0]
    return frame


def _asb(records: pd.DataFrame, months: list[str]) -> pd.Series:
    rows = records[(records["Crime type"] == "Anti-social behaviour")
                   & records["Month"].isin(months) & (records["LSOA name"] != "")]
    return rows.groupby("District").size()


def _planned(pack: Path, **overrides: str) -> "PlannedDeck":
    return app.check(pack / "deck.yaml", overrides, Options())


def _table(planned: object) -> list[list[str]]:
    table = next(e for p in planned.plans for e in p.elements  # type: ignore[attr-defined]
                 if isinstance(e, Table))
    return [[c.text for c in row] for row in table.rows]


def _chart(planned: object, slide: int) -> object:
    """The chart on slide `slide` (from 1): a finding title changes with the figures."""
    plan = planned.plans[slide - 1]  # type: ignore[attr-defined]
    return next(e.chart for e in plan.elements if isinstance(e, ChartPicture))


def _signed(number: float, places: str = ",") -> str:
    """A signed figure as the brand writes it: with the true minus sign (true_minus)."""
    return f"{number:+{places}}".replace("-", "\u2212")


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("+", "").replace("\u2212", "-")
                 .rstrip("\u2020\u2021"))


def _marker(now: float, then: float) -> str:
    """Independently: the Poisson flag of a change, ‡ for |z| >= 3 and † for |z| >= 2."""
    z = 2 * (math.sqrt(now) - math.sqrt(then))
    return "\u2021" if abs(z) >= 3 else "\u2020" if abs(z) >= 2 else ""


def test_the_extract_is_police_uk_format_and_adds_up_to_the_seed(pack: Path,
                                                                 records: pd.DataFrame) -> None:
    assert list(records.columns[:12]) == [
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
    asb = records["Crime type"] == "Anti-social behaviour"
    assert (records.loc[asb, "Crime ID"] == "").all()
    assert (records.loc[~asb, "Crime ID"].str.fullmatch(r"[0-9a-f]{64}")).all()
    assert records["Crime type"].nunique() == 14
    assert (records["Location"] == "No Location").sum() > 0
    seed = pd.read_csv(ROOT / "data" / "asb_mar_apr_2015_2016.csv")
    for year in ("2015", "2016"):
        got = _asb(records, [f"{year}-03", f"{year}-04"])
        for _, row in seed[seed["district"] != "TOTAL"].iterrows():
            name = SEED_NAMES.get(row["district"], row["district"])
            assert got[name] == row[f"mar_apr_{year}"], (name, year)
        total = ((records["Crime type"] == "Anti-social behaviour")
                 & records["Month"].isin([f"{year}-03", f"{year}-04"])).sum()
        assert total == int(seed.loc[seed["district"] == "TOTAL", f"mar_apr_{year}"].iloc[0])


def test_at_april_2016_the_asb_table_shows_the_briefings_figures(pack: Path) -> None:
    table = _table(_planned(pack))
    assert table[0] == ["ASB incidents", "Mar\u2013Apr 2015", "Mar\u2013Apr 2016", "Change",
                        "% change"]
    seed = pd.read_csv(ROOT / "data" / "asb_mar_apr_2015_2016.csv")
    by_name = {row[0]: row for row in table[1:-1]}
    for _, row in seed[seed["district"] != "TOTAL"].iterrows():
        shown = by_name[SEED_NAMES.get(row["district"], row["district"])]
        a, b = int(row["mar_apr_2015"]), int(row["mar_apr_2016"])
        assert [_number(t) for t in shown[1:]] == [a, b, b - a, round((b - a) / a * 100, 1)]
    total = table[-1]
    districts = seed[seed["district"] != "TOTAL"]
    a, b = districts["mar_apr_2015"].sum(), districts["mar_apr_2016"].sum()
    flag = _marker(b, a)  # the force's fall is far beyond noise
    assert flag == "\u2021"
    assert total == ["All districts", f"{a:,}", f"{b:,}", _signed(b - a),
                     _signed((b - a) / a * 100, ".1f") + flag]


@pytest.mark.parametrize("period", ["2016-04", "2016-05", "2016-06"])
def test_every_figure_follows_an_independent_computation(pack: Path, records: pd.DataFrame,
                                                         period: str) -> None:
    planned = _planned(pack, period=period, district="Basildon")
    assert not planned.warnings, [str(w) for w in planned.warnings]
    year, month = int(period[:4]), int(period[5:])

    def back(n: int) -> list[str]:  # the n months ending at the period
        index = year * 12 + month - 1
        return [f"{(i // 12):04d}-{i % 12 + 1:02d}" for i in range(index - n + 1, index + 1)]

    current, previous = back(2), [f"{int(m[:4]) - 1}-{m[5:]}" for m in back(2)]
    table = _table(planned)
    want_now, want_then = _asb(records, current), _asb(records, previous)
    for row in table[1:-1]:
        a, b = want_then[row[0]], want_now[row[0]]
        assert [_number(t) for t in row[1:4]] == [a, b, b - a]
        assert math.isclose(_number(row[4]), round((b - a) / a * 100, 1))
        # the % change carries the flag; the change in incidents does not repeat it
        assert row[4].endswith(_marker(b, a)) and row[3][-1] in "0123456789", row
    # the crime mix: Basildon's crimes by type over the 12 months, as shares, top 7 + Other
    mix = _chart(planned, 3)
    crimes = records[(records["Crime type"] != "Anti-social behaviour")
                     & records["Month"].isin(back(12)) & (records["District"] == "Basildon")]
    shares = (crimes.groupby("Crime type").size() / len(crimes) * 100).sort_values(
        ascending=False)
    assert list(mix.categories[:7]) == list(shares.index[:7])  # type: ignore[attr-defined]
    assert mix.series[-1].values[:7] == pytest.approx(list(shares.values[:7]))  # type: ignore
    assert mix.series[-1].values[7] == pytest.approx(shares.values[7:].sum())  # type: ignore
    # beside it (`compare:`), every district's crimes together, in the same categories
    every = records[(records["Crime type"] != "Anti-social behaviour")
                    & records["Month"].isin(back(12)) & (records["LSOA name"] != "")]
    force = every.groupby("Crime type").size() / len(every) * 100
    named = list(shares.index[:7])
    assert mix.series[0].name == "All districts"  # type: ignore[attr-defined]
    assert mix.series[0].values == pytest.approx(  # type: ignore[attr-defined]
        [force[k] for k in named] + [100 - force[named].sum()])
    # the trend: Basildon's ASB in each of the 15 months
    trend = _chart(planned, 5)
    asb = records[(records["Crime type"] == "Anti-social behaviour")
                  & (records["District"] == "Basildon")]
    assert trend.series[0].values == tuple(  # type: ignore[attr-defined]
        float((asb["Month"] == m).sum()) for m in back(15))
    # the rate: ASB over 12 months per 1,000 of the Census 2011 population (LSOAs summed)
    rate = _chart(planned, 6)
    census = pd.read_csv(pack / "data" / "census2011-essex-lsoa-usual-residents.csv")
    people = census.groupby(census["LSOA11NM"].str.rsplit(" ", n=1).str[0])[
        "All usual residents"].sum()
    year_asb = _asb(records, back(12))
    want = (year_asb / people * 1000).sort_values(ascending=False)
    assert list(rate.categories) == list(want.index)  # type: ignore[attr-defined]
    assert rate.series[0].values == pytest.approx(list(want.values))  # type: ignore


def test_a_month_later_every_label_moves(pack: Path) -> None:
    planned = _planned(pack, period="2016-05")
    assert _table(planned)[0][1:3] == ["Apr\u2013May 2015", "Apr\u2013May 2016"]
    texts = [e.paragraphs[0].text for p in planned.plans for e in p.elements
             if getattr(e, "name", "") == "Subtitle" and hasattr(e, "paragraphs")]
    assert any("12 months to May 2016" in t for t in texts)
    assert any("15 months to May 2016" in t for t in texts)
    assert planned.outline.deck.subtitle == "Crime and anti-social behaviour to May 2016"
    # the extract's `as_of: "{period}"`: the title slide and every source line run to May
    assert "Data to 31st May 2016" in [p.text for e in planned.plans[0].elements
                                       if getattr(e, "name", "") == "Subtitle"
                                       for p in e.paragraphs]  # type: ignore[attr-defined]
    sources = [e.paragraphs[0].text for p in planned.plans for e in p.elements
               if getattr(e, "name", "") == "Source"]  # type: ignore[attr-defined]
    made = ("SYNTHETIC DATA – not real figures. Source: a made-up police.uk-format street-level "
            "extract for Essex. Data to 31st May 2016.")
    # two charts take the extract's line; the table and the rate chart set their own, which
    # say SYNTHETIC themselves
    # the map of ASB by LSOA (a rate) names its population too; the change map takes the
    # extract's line
    assert [s == made for s in sources] == [True, False, True, False, False, True], sources
    assert all("SYNTHETIC" in s for s in sources)
    assert sum("Census 2011 population" in s for s in sources) == 2
    assert all("SYNTHETIC" in s for s in sources), sources


def test_every_month_the_readme_promises_plans_without_a_warning(pack: Path) -> None:
    """examples/monthly-pack/README.md: a period from 2016-03 to 2016-09 works."""
    assert "from 2016-03 to 2016-09 works" in " ".join(
        (pack / "README.md").read_text(encoding="utf-8").split())
    for month in range(3, 10):
        planned = _planned(pack, period=f"2016-{month:02d}")
        assert [str(w) for w in planned.warnings] == []
        assert len(planned.plans) == 8


def test_a_period_the_data_does_not_cover_is_an_error(pack: Path) -> None:
    with pytest.raises(app.DeckError) as info:
        _planned(pack, period="2015-06")
    message = str(info.value)
    # the first source read (the figures' asb_table) reports it
    assert ("data 'asb_table', step 2 (window): the data has no rows for 2014-05, 2014-06 in "
            "column 'Month', so it cannot show window 'previous' (May–Jun 2014): it has "
            "2015-01 to 2016-09; choose another period, or add the missing months") in message
    for typed, hint in (("May 2016", "did you mean 2016-05?"), ("2016-5", "did you mean "
                        "2016-05?"), ("2016-13", "e.g. 2016-04"), ("Sept 2015", "did you mean "
                        "2015-09?")):
        with pytest.raises(app.DeckError) as info:
            _planned(pack, period=typed)
        assert str(info.value).endswith(f"--set period={typed}: '{typed}' is not a month; "
                                        f"write it YYYY-MM{':' if 'mean' in hint else ','} "
                                        f"{hint}")


def _lsoa_extremes(records: pd.DataFrame, pack: Path, code: str, months: list[str]
                   ) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Independently: a district's LSOAs with the highest and lowest ASB incidents per 1,000
    residents (Census 2011) over the months (an LSOA with no row had none), as the map shows
    them (one decimal), ties going to the first name as the map numbers them, each with what
    the alt text says of the others tied with it."""
    lsoas = pd.read_csv(pack / "data" / "essex_lsoa11.csv", dtype=str)
    lsoas = lsoas[lsoas["LAD"] == code]
    people = pd.read_csv(pack / "data" / "census2011-essex-lsoa-usual-residents.csv"
                         ).set_index("LSOA11CD")["All usual residents"]
    rows = records[(records["Crime type"] == "Anti-social behaviour")
                   & records["Month"].isin(months)]
    counts = rows.groupby("LSOA code").size()
    pairs = [(name, round(int(counts.get(cd, 0)) / int(people[cd]) * 1000, 1))
             for cd, name in zip(lsoas["LSOA11CD"], lsoas["LSOA11NM"])]
    top = min(pairs, key=lambda p: (-p[1], p[0]))
    low = min(pairs, key=lambda p: (p[1], p[0]))

    def tied(n: float) -> str:
        others = sum(1 for _, c in pairs if c == n) - 1
        return f" (and {others} more at that figure)" if others else ""

    return (top[0], f"{top[1]:.1f}", tied(top[1])), (low[0], f"{low[1]:.1f}", tied(low[1]))


def test_every_district_builds_in_one_batch_with_no_warnings(pack: Path,
                                                             records: pd.DataFrame) -> None:
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "--each",
                             "district", "-o", "all", "-j", "2"], cwd=pack,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    decks = sorted((pack / "all").glob("*-2016-04-pack.pptx"))
    assert len(decks) == 14
    districts = pd.read_csv(pack / "data" / "districts.csv", dtype=str)
    year = [f"2015-{m:02d}" for m in range(5, 13)] + [f"2016-{m:02d}" for m in range(1, 5)]
    now = _asb(records, ["2016-03", "2016-04"])
    then = _asb(records, ["2015-03", "2015-04"])
    change = (now - then) / then * 100
    for deck in decks:
        prs = Presentation(str(deck))
        assert len(prs.slides) == 8
        notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
        assert all("SYNTHETIC" in n for n in notes), deck.name
        row = districts[districts["district"].str.lower().str.replace(" ", "-")
                        + "-2016-04-pack.pptx" == deck.name].iloc[0]
        # both maps, for this district: its LSOAs' ASB, and the change by district
        lsoa_map, change_map = ([sh for sh in prs.slides[i].shapes if sh.name == "Map"]
                                for i in (6, 7))
        assert len(lsoa_map) == 1 and len(change_map) == 1, deck.name
        alt = lsoa_map[0]._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]
        (top, most, ties), (low, fewest, low_ties) = _lsoa_extremes(records, pack, row["code"],
                                                                   year)
        assert f"Highest: {top}, {most}{ties}. Lowest: {low}, {fewest}{low_ties}." in alt, \
            (deck.name, alt)
        alt = change_map[0]._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]
        mine = change[row["lad"]]
        assert f"Outlined: {row['lad']}, {_signed(mine, '.1f')}%." in alt, (deck.name, alt)
        text = " ".join(sh.text_frame.text for sh in prs.slides[7].shapes if sh.has_text_frame)
        assert "Contains National Statistics data © Crown copyright and database right" in text


def test_the_pack_says_its_data_is_synthetic(pack: Path, ooxml_findings: Any) -> None:
    readme = (pack / "data" / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "Census 2011" in readme
    assert "Open Government Licence" in readme
    deck = app.build(pack / "deck.yaml", pack / "out" / "pack.pptx")
    prs = Presentation(str(deck.output))
    for slide in prs.slides:
        shown = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text
        assert "SYNTHETIC" in shown + notes
    json.dumps([str(w) for w in deck.warnings])
    assert not deck.warnings
    assert ooxml_findings(deck.output) == []  # valid OOXML: footnotes, fields, charts


@pytest.mark.parametrize("period,district,lad", [
    ("2016-06", "Epping Forest", "Epping Forest"),  # ASB rose there
    ("2016-05", "Brentwood", "Brentwood"),  # 0.04%: shown as 0.0, so unchanged
    ("2016-04", "Southend", "Southend-on-Sea"),  # fell
])
def test_the_at_a_glance_words_follow_an_independent_computation(
        pack: Path, records: pd.DataFrame, period: str, district: str, lad: str) -> None:
    planned = _planned(pack, period=period, district=district)
    slide = planned.plans[1]
    # the points as a list ("Points") or, laid out to fill the slide, as cards ("Point 1", ...)
    points = [e for e in slide.elements if isinstance(e, TextBox)
              and (e.name == "Points" or e.name.startswith("Point "))]
    text = "\n".join("".join(r.text for r in p.runs) for e in points for p in e.paragraphs)
    title = slide.title.text  # the finding, in words the figures choose (issue 24)
    year, month = map(int, period.split("-"))
    now = [f"{year}-{m:02d}" for m in (month - 1, month)]
    before = [f"{year - 1}-{m:02d}" for m in (month - 1, month)]
    current, previous = _asb(records, now), _asb(records, before)
    pct = (current[lad] - previous[lad]) / previous[lad] * 100
    shown = f"{abs(pct):.1f}"
    words = ("was unchanged" if shown == "0.0" else
             f"rose {shown}%" if pct > 0 else f"fell {shown}%")
    level = {"\u2021": "well beyond", "\u2020": "beyond", "": "within"}[
        _marker(current[lad], previous[lad])]
    assert title == f"{lad}'s ASB {words}, {level} normal variation", title
    assert (f"{int(current[lad]):,} ASB incidents in " in text
            and f", against {int(previous[lad]):,} in " in text), text
    # force-wide: every incident, those with no location (in no district) too
    asb = records[records["Crime type"] == "Anti-social behaviour"]
    now_all, before_all = asb["Month"].isin(now).sum(), asb["Month"].isin(before).sum()
    force = (now_all - before_all) / before_all * 100
    assert (f"Force-wide (with incidents of no location), ASB {'rose' if force > 0 else 'fell'}"
            f" by {abs(force):.1f}%") in " ".join(text.split()), text
