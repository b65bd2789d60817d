"""A bar chart keeps its value labels and names on the picture, however long or many
(issue 24: the sample's % change chart, its labels marked ‡ for noise, on a narrow 4:3 slide).

Drawn with matplotlib as a build draws it, and read back with `drawn`'s own check of what is cut
off or overlaps (render/charts.py `clashes`, which the review reports as a warning)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.layout.chartdata import ChartData, Series
from deckgen.pipeline import load_outline, load_theme
from deckgen.render.charts import LABEL_PT, MIN_BAR_PT, drawn

NAMES = ("Castle Point", "Uttlesford", "Harlow", "Braintree", "Southend", "Chelmsford",
         "Colchester", "Rochford", "Maldon", "Epping Forest", "Thurrock", "Basildon",
         "Tendring", "Brentwood")
FALLS = (-18.3, -16.8, -13.8, -12.1, -11.1, -9.5, -9.0, -8.5, -7.2, -6.8, -5.9, -5.9, -4.3,
         -2.6)


@pytest.fixture(scope="module")
def theme(root: Path):  # type: ignore[no-untyped-def]
    outline = load_outline(root / "deck.yaml")
    return load_theme(outline.deck, outline.base_dir, outline.source)


def _chart(count: int = len(NAMES)) -> ChartData:
    return ChartData("hbar", NAMES[:count], (Series("pct", FALLS[:count]),),
                     value_format="+0.0;-0.0", value_suffix="%", minus="\u2212",
                     marks=("\u2021",) * count)


@pytest.mark.parametrize("width, height", [(4.6, 3.4), (5.2, 3.0), (8.0, 4.5)])
def test_marked_falls_on_a_narrow_chart_are_not_cut_off(theme, width: float,  # type: ignore
                                                        height: float) -> None:
    png, problems = drawn(_chart(), theme, width, height)
    assert png.startswith(b"\x89PNG")
    assert problems == (), problems


def test_fourteen_bars_in_a_short_chart_step_their_text_down_but_not_below_the_floor(
        theme) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    from deckgen.render import charts

    figure = Figure(figsize=(5.0, 2.9))
    short = charts._fitted_size(figure.add_subplot(), 14)
    tall = charts._fitted_size(Figure(figsize=(5.0, 6.0)).add_subplot(), 14)
    tiny = charts._fitted_size(Figure(figsize=(5.0, 1.0)).add_subplot(), 14)
    assert MIN_BAR_PT <= short < LABEL_PT and tall == LABEL_PT and tiny == MIN_BAR_PT
    assert drawn(_chart(), theme, 5.0, 2.9)[1] == ()
