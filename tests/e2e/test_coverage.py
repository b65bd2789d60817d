"""Data as it really arrives (issue 25): a police.uk extract with a month never published, a
neighbouring force's border areas among its rows, and a period asked for beyond it.

The extract is SYNTHETIC and seeded (tests/e2e/westshire.py); every figure is checked against
pandas over the raw files here, not against deckgen's code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation

from deckgen import app
from deckgen.errors import DeckError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import westshire  # noqa: E402

OWN = sorted(westshire.OWN)
YEAR = [m for m in westshire.months() if "2024-11" <= m <= "2025-10"]  # 12 months to Oct 2025


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = westshire.write(tmp_path_factory.mktemp("westshire"))
    shutil.copy(HERE / "westshire-pack.yaml", work / "deck.yaml")
    return work


@pytest.fixture(scope="module")
def built(folder: Path) -> app.Written:
    return app.build(folder / "deck.yaml", folder / "out" / "pack.pptx")


@pytest.fixture(scope="module")
def deck(built: app.Written) -> Path:
    return built.output


@pytest.fixture(scope="module")
def raw(folder: Path) -> pd.DataFrame:
    files = sorted((folder / "police-uk").glob("*/*.csv"))
    return pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)


def _slide(deck: Path, title: str) -> Any:
    return next(s for s in Presentation(str(deck)).slides
                if s.shapes.title is not None and s.shapes.title.text_frame.text == title)


def _source_line(slide: Any) -> str:
    return str(next(sh.text_frame.text for sh in slide.shapes if sh.name == "Source"))


def _table(slide: Any) -> list[list[str]]:
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    return [[c.text for c in row.cells] for row in table.rows]


def _asb_by_district(raw: pd.DataFrame) -> pd.Series:
    asb = raw[(raw["Crime type"] == "Anti-social behaviour") & raw["Month"].isin(YEAR)]
    district = asb["LSOA name"].str.rsplit(" ", n=1).str[0]
    return district.value_counts()


def test_the_extract_has_the_gap_and_the_border_areas(raw: pd.DataFrame) -> None:
    months = set(raw["Month"])
    assert "2024-11" not in months and {"2024-10", "2024-12"} <= months
    districts = set(raw["LSOA name"].str.rsplit(" ", n=1).str[0])
    assert {"Dunmere", "Otherford"} <= districts


def test_the_table_keeps_only_the_forces_own_districts(deck: Path, raw: pd.DataFrame) -> None:
    counts = _asb_by_district(raw)
    rows = _table(_slide(deck, "ASB by district, 12 months to October 2025"))
    assert [r[0] for r in rows[1:-1]] == OWN  # no Dunmere, no Otherford
    assert rows[-1] == ["Total", f"{sum(counts[d] for d in OWN):,}"]
    assert sum(counts[d] for d in OWN) < counts.sum()  # the border rows were there to leave out


def test_a_group_within_the_forces_districts_names_what_it_leaves_out(
        built: app.Written, raw: pd.DataFrame) -> None:
    counts = _asb_by_district(raw)
    rows = _table(_slide(built.output, "ASB by district (told), 12 months to October 2025"))
    assert [r[0] for r in rows[1:-1]] == OWN
    assert rows[-1] == ["Total", f"{sum(counts[d] for d in OWN):,}"]
    warnings = [str(w) for w in built.warnings]
    assert len(warnings) == 1, warnings  # the quiet `missing: drop` says nothing
    assert warnings[0].endswith(
        "data 'asb_told', step 2 (group): 2 value(s) of District are not in "
        f"districts.district, so their rows are left out: 'Dunmere' ({counts['Dunmere']} rows), "
        f"'Otherford' ({counts['Otherford']} rows); if they are yours, add them to data "
        "'districts'")


def test_a_partial_window_is_stated_and_its_rates_scaled(deck: Path, raw: pd.DataFrame) -> None:
    counts = _asb_by_district(raw)
    slide = _slide(deck, "ASB per 1,000 residents, 12 months to October 2025")
    rows = _table(slide)
    for row in rows[1:-1]:
        want = counts[row[0]] / westshire.OWN[row[0]] * 1000 * 12 / 11
        assert row[3] == f"{want:.2f}"
    total = sum(counts[d] for d in OWN) / sum(westshire.OWN.values()) * 1000 * 12 / 11
    assert rows[-1][3] == f"{total:.2f}"
    line = _source_line(slide)
    assert "12 months to October 2025: 11 of 12 months; November 2024 not published" in line
    assert "rates are scaled to 12 months from the 11 covered (× 12/11)" in line
    # the table of counts says the same of its window, and cites only the extract: the
    # districts lookup was joined only to keep the force's own rows (`columns: []`)
    counts_line = _source_line(_slide(deck, "ASB by district, 12 months to October 2025"))
    assert "11 of 12 months; November 2024 not published" in counts_line
    assert "district populations" not in counts_line
    assert "district populations" in line


def test_the_trend_line_breaks_at_the_missing_month(deck: Path, raw: pd.DataFrame) -> None:
    chart = next(sh for sh in _slide(deck, "ASB month by month (native)").shapes
                 if sh.has_chart)
    plot = chart.chart.plots[0]
    months = list(plot.categories)
    assert months == westshire.months()  # November 2024 is a point, not skipped
    values = list(plot.series[0].values)
    asb = raw[raw["Crime type"] == "Anti-social behaviour"]["Month"].value_counts()
    assert values[months.index("2024-11")] is None  # blank: no data, never 0
    assert [v for m, v in zip(months, values) if m != "2024-11"] == \
        [asb[m] for m in months if m != "2024-11"]
    xml = chart.chart._chartSpace.xml
    assert '<c:dispBlanksAs val="gap"/>' in xml
    descr = chart._element.xpath("./p:nvGraphicFramePr/p:cNvPr/@descr")[0]
    assert "No data for 2024-11: the line is broken there." in descr
    # no window says so here: the slide itself does
    assert _source_line(_slide(deck, "ASB month by month (native)")).endswith(
        "No data for November 2024 (not published).")


def test_the_picture_chart_says_which_month_is_missing(deck: Path) -> None:
    slide = _slide(deck, "ASB month by month")
    picture = next(sh for sh in slide.shapes if sh.shape_type == 13)
    assert "No data for Nov 2024" in picture._element.xpath(".//p:cNvPr/@descr")[0]
    assert "No data for Nov 2024" in slide.notes_slide.notes_text_frame.text
    assert "18 months to October 2025: 17 of 18 months; November 2024 not published" in \
        _source_line(slide)


def test_a_window_across_the_gap_is_an_error_by_default(folder: Path) -> None:
    text = (folder / "deck.yaml").read_text(encoding="utf-8")
    strict = folder / "strict.yaml"
    strict.write_text(text.replace(", coverage: partial}", "}"), encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.check(strict)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 4  # every window that fails, at once
    assert messages[1] == (
        "the data has no rows for 2024-11 in column 'Month' (a month never published, or a "
        "file missing), so window 'year' (12 months to October 2025) would have 11 of 12 "
        "months; November 2024 not published; add the month, or say 'coverage: partial' on "
        "window 'year' to go ahead and state the gap on its slides")


def test_a_period_beyond_the_data_is_said_plainly(folder: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "deckgen", "check", "deck.yaml", "--set",
                             "period=2025-11"], cwd=folder, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5 and lines[-1] == "4 problems; nothing was written."
    for line in lines[:4]:
        assert ": 2025-11 is not in the data; the latest month is 2025-10: window '" in line
        assert "choose a period up to 2025-10, or add the months' data" in line
