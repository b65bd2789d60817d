"""The Home Office example (examples/homeoffice-2017-18): built from the real table as published,
every figure it shows checked against plain pandas over the same files, written here without
deckgen's steps; every slide names its source and licence; the real table is read as deckgen's
Home Office format though it has no CSP column."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu

from deckgen import app
from deckgen.data import formats
from deckgen.layout.plan import ChartPicture
from deckgen.options import Options

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "homeoffice-2017-18"
SHARED = ROOT.parent / "shared" / "data"
NATIONAL = ("Action Fraud", "CIFAS", "Financial Fraud Action UK", "UK Finance",
            "British Transport Police")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE / "data" / "prc-pfa-2017-18.csv")


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("ho") / "homeoffice-2017-18"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("output"))
    built = app.build(folder / "deck.yaml", folder / "out" / "deck.pptx")
    assert not built.warnings, built.warnings
    return Presentation(str(built.output))


def _texts(slide: Any) -> str:
    return " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_the_table_shows_essex_by_offence_group_against_england_and_wales(
        deck: Any, table: pd.DataFrame) -> None:
    essex = table[table["Force Name"] == "Essex"].groupby("Offence Group")[
        "Number of Offences"].sum().sort_values(ascending=False)
    forces = table[~table["Force Name"].isin(NATIONAL)]
    assert forces["Force Name"].nunique() == 43  # the territorial forces of England and Wales
    ew = forces.groupby("Offence Group")["Number of Offences"].sum()
    assert essex.sum() == 134_153  # the figure the data README states
    shape = next(sh for sh in deck.slides[2].shapes if sh.has_table)
    rows = [[c.text for c in row.cells] for row in shape.table.rows]
    want = [[group, f"{n:,}", f"{n / essex.sum() * 100:.1f}",
             f"{ew[group] / ew.sum() * 100:.1f}"] for group, n in essex.items()]
    assert rows[1:-1] == want
    assert rows[-1][:3] == ["All offence groups", "134,153", "100.0"]


def test_the_rate_is_essex_crimes_over_its_census_2011_population(deck: Any,
                                                                  table: pd.DataFrame) -> None:
    census = pd.read_csv(EXAMPLE / "data" / "census2011-essex-lsoa-usual-residents.csv")
    assert census["LAD11CD"].nunique() == 14 and len(census) == 1077
    people = int(census["All usual residents"].sum())
    assert people == 1_724_950
    offences = int(table.loc[table["Force Name"] == "Essex", "Number of Offences"].sum())
    text = _texts(deck.slides[1])
    assert f"{offences / people * 1000:.1f} crimes per 1,000 residents" in text
    assert "Census 2011 population" in text and f"{people:,}" in text
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "not ranked" in notes and "wrong figure" in notes


def test_the_chart_shows_the_two_mixes(table: pd.DataFrame) -> None:
    essex = table[table["Force Name"] == "Essex"].groupby("Offence Group")[
        "Number of Offences"].sum()
    forces = table[~table["Force Name"].isin(NATIONAL)]
    ew = forces.groupby("Offence Group")["Number of Offences"].sum()
    planned = app.check(EXAMPLE / "deck.yaml", {}, Options())
    chart = next(e.chart for p in planned.plans for e in p.elements
                 if isinstance(e, ChartPicture))
    series = {s.name: dict(zip(chart.categories, s.values)) for s in chart.series}
    assert set(series) == {"Essex", "England and Wales"}
    for group in essex.index:
        assert series["Essex"][group] == pytest.approx(essex[group] / essex.sum() * 100)
        assert series["England and Wales"][group] == pytest.approx(ew[group] / ew.sum() * 100)


def test_every_slide_names_the_source_and_the_licence(deck: Any) -> None:
    for number, slide in enumerate(deck.slides, 1):
        shown = _texts(slide)
        notes = slide.notes_slide.notes_text_frame.text
        for words in ("Source: Home Office, police recorded crime", "Open Government Licence"):
            assert words in shown, (number, words, shown)
            assert "Home Office" in notes and "Open Government Licence" in notes, number
        for shape in slide.shapes:  # nothing off the slide
            assert Emu(shape.left + shape.width) <= deck.slide_width, (number, shape.name)


def test_the_real_table_is_read_as_the_home_office_format() -> None:
    """The table by force area has `Force Name` and `Number of Offences` (an older edition's
    names) and no `CSP Name`: it is still the Home Office's format."""
    header = (EXAMPLE / "data" / "prc-pfa-2017-18.csv").read_text(encoding="utf-8").split(
        "\n", 1)[0].split(",")
    found = formats.recognise(header)
    assert found is not None and found.format.name == "home-office"
    assert "Police Force" in found.names and "Offence Count" in found.names


@pytest.mark.skipif(not SHARED.is_dir(), reason="the project's copy of the real data is absent")
def test_the_copies_are_the_real_files() -> None:
    """The Home Office table byte for byte; the census rows as the cutting script makes them."""
    import importlib.util

    assert (EXAMPLE / "data" / "prc-pfa-2017-18.csv").read_bytes() == (
        SHARED / "homeoffice" / "prc-pfa-2017-18.csv").read_bytes()
    spec = importlib.util.spec_from_file_location("cut", ROOT / "scripts" / "cut_census_essex.py")
    assert spec is not None and spec.loader is not None
    cut = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cut)
    made = cut.cut(SHARED / "ons" / "census2011-lsoa-usual-residents.csv")
    for folder in (EXAMPLE, ROOT / "examples" / "monthly-pack"):
        assert (folder / "data" / "census2011-essex-lsoa-usual-residents.csv").read_bytes() == made
