"""Clustered bars: a bar or hbar chart whose `y` lists columns (two periods side by side)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from deckgen.app import build, check
from deckgen.errors import DeckError

ROWS = [("Southend", 8068, 7174), ("Basildon", 6501, 6120), ("Maldon", 1160, 1077),
        ("Southend", 10, 20)]  # a second Southend row: its figures are added in


def _deck(folder: Path, extra: str = "", engine: str = "matplotlib") -> Path:
    (folder / "c.csv").write_text("district,y2015,y2016\n" + "".join(
        f"{d},{a},{b}\n" for d, a, b in ROWS), encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text("title: T\ndata:\n  c: {file: c.csv}\nslides:\n"
                    "  - {kind: chart, title: Two periods, chart: hbar, data: c, x: district, "
                    "y: [y2015, y2016], y_labels: [Mar-Apr 2015, Mar-Apr 2016], "
                    f"highlight: Maldon, engine: {engine}{extra}}}\n", encoding="utf-8")
    return deck


def _sums() -> dict[str, tuple[int, int]]:
    """Independently: each district's two periods, added up."""
    out: dict[str, tuple[int, int]] = {}
    for d, a, b in ROWS:
        before = out.get(d, (0, 0))
        out[d] = (before[0] + a, before[1] + b)
    return out


def test_clustered_bars_show_each_categorys_columns_sorted_by_the_last(tmp_path: Path) -> None:
    planned = check(_deck(tmp_path))
    chart = next(e.chart for e in planned.plans[0].elements if hasattr(e, "chart"))
    sums = _sums()
    order = sorted(sums, key=lambda d: sums[d][1], reverse=True)
    assert list(chart.categories) == order
    assert [s.name for s in chart.series] == ["Mar-Apr 2015", "Mar-Apr 2016"]
    assert [list(s.values) for s in chart.series] == [[sums[d][0] for d in order],
                                                      [sums[d][1] for d in order]]
    alt = next(e.alt for e in planned.plans[0].elements if hasattr(e, "alt"))
    assert "3 categories, 2 bars each: Mar-Apr 2015, Mar-Apr 2016." in alt
    assert "Highlighted: Maldon, 1,160 in Mar-Apr 2015, 1,077 in Mar-Apr 2016." in alt


def test_clustered_bars_draw_as_a_picture_and_natively(tmp_path: Path,
                                                       ooxml_findings: Any) -> None:
    pictures = build(_deck(tmp_path), tmp_path / "p.pptx").output
    shapes = Presentation(str(pictures)).slides[0].shapes
    assert any(sh.name == "Chart" and sh.shape_type == 13 for sh in shapes)
    native = build(_deck(tmp_path, engine="native"), tmp_path / "n.pptx").output
    chart = next(sh.chart for sh in Presentation(str(native)).slides[0].shapes if sh.has_chart)
    assert [s.name for s in chart.plots[0].series] == ["Mar-Apr 2015", "Mar-Apr 2016"]
    assert chart.has_legend
    assert ooxml_findings(native) == [] and ooxml_findings(pictures) == []


@pytest.mark.parametrize("extra,message", [
    (", percent: true", "clustered bars ('y' listing columns) show the figures as they are"),
    (", top: 2", "clustered bars ('y' listing columns) show the figures as they are"),
])
def test_clustered_bars_refuse_what_they_cannot_show(tmp_path: Path, extra: str,
                                                     message: str) -> None:
    with pytest.raises(DeckError) as info:
        check(_deck(tmp_path, extra))
    assert message in str(info.value)


def test_y_labels_must_name_every_column(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    deck.write_text(deck.read_text().replace("y_labels: [Mar-Apr 2015, Mar-Apr 2016]",
                                             "y_labels: [Mar-Apr 2015]"))
    with pytest.raises(DeckError) as info:
        check(deck)
    assert "'y_labels' has 1 names for 2 columns in 'y'" in str(info.value)
