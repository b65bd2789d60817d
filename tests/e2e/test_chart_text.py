"""The chart review: text a chart draws over other text, or off its edge, is a warning at the
slide, measured where matplotlib drew it (render/charts.py `clashes`), from a fresh drawing
and from the chart cache alike."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from deckgen.app import build, check
from deckgen.errors import DeckError
from deckgen.options import Options
from deckgen.render.charts import clashes

NAMES = ["Miscellaneous crimes against society", "Violence against the person",
         "Criminal damage and arson", "Possession of weapons offences", "Public order offences",
         "Theft from the person", "Vehicle offences", "Burglary residential",
         "Burglary business and community", "Sexual offences", "Robbery of personal property",
         "Drug offences", "Shoplifting", "Bicycle theft"]


def _deck(folder: Path, chart: str) -> Path:
    (folder / "c.csv").write_text("offence,count\n" + "".join(
        f"{name},{(i + 1) * 37}\n" for i, name in enumerate(NAMES)), encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  c: {file: c.csv}\nslides:\n  - {kind: chart, "
                    f"title: Crowded, chart: {chart}, data: c, x: offence, y: count}}\n",
                    encoding="utf-8")
    return deck


def _chart_warnings(warnings: Sequence[object]) -> list[str]:
    return [str(w) for w in warnings if "the chart's text" in str(w)]


def test_crowded_names_on_a_bar_chart_are_a_warning_at_the_slide(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "bar")
    first = build(deck, tmp_path / "a.pptx")
    found = _chart_warnings(first.warnings)
    assert len(found) == 1 and found[0].startswith(f"{deck}:5:5: slide 1 (chart): ")
    assert found[0].endswith("'Bicycle theft' runs into 'Shoplifting', and 12 more: draw it as "
                             "'chart: hbar', where long names read across, or use shorter "
                             "names")
    # drawn from the chart cache (another output), it is said again
    again = build(deck, tmp_path / "b.pptx")
    assert _chart_warnings(again.warnings) == found
    try:
        build(deck, tmp_path / "c.pptx", options=Options(strict=True))
    except DeckError as exc:
        assert "the chart's text overlaps" in str(exc) and "--strict" in str(exc)
    else:
        raise AssertionError("--strict wrote a deck with a chart warning")
    assert not (tmp_path / "c.pptx").exists()
    # check --strict refuses it too, as the build does (and writes no deck); a plain check
    # stays quick and draws nothing
    try:
        check(deck, options=Options(strict=True))
    except DeckError as exc:
        assert "the chart's text overlaps" in str(exc)
    else:
        raise AssertionError("check --strict passed a chart the build refuses")
    assert _chart_warnings(check(deck).warnings) == []
    assert not list(tmp_path.glob("output"))
    # the same names as a horizontal bar chart have room: nothing to say
    assert _chart_warnings(build(_deck(tmp_path, "hbar"), tmp_path / "h.pptx").warnings) == []


def test_text_past_the_edge_and_text_over_text_are_measured() -> None:
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "Tunbridge Wells", transform=ax.transAxes, fontsize=16)
    ax.text(0.55, 0.5, "-21.2%", transform=ax.transAxes, fontsize=16)
    ax.text(1.1, 0.2, "+14.3%", transform=ax.transAxes, fontsize=16)
    ax.text(0.1, 0.9, "apart", transform=ax.transAxes, fontsize=16)
    fig.canvas.draw()
    assert clashes(fig, ax) == [
        "the chart's text overlaps: 'Tunbridge Wells' runs into '-21.2%'",
        "the chart's text '+14.3%' is cut off at its edge"]


def test_the_sample_decks_charts_draw_clear(root: Path, tmp_path: Path,
                                            monthly_pack: Path) -> None:
    built = build(monthly_pack / "deck.yaml", tmp_path / "pack.pptx")
    assert _chart_warnings(built.warnings) == []
    sample = build(root / "deck.yaml", tmp_path / "sample.pptx")
    assert _chart_warnings(sample.warnings) == []
