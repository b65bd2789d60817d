"""Maps that can be read alone (issue 26): the district map names its areas (inside where the
name fits, numbered and keyed where not), takes the room it has, hatches the changes beyond
Poisson noise (checked against a z-score computed here with numpy), keeps its lines thin; an LSOA
map can show readable names from a lookup; a map of counts says it shows counts.

Each map is planned from a real outline over the repository's real boundaries and the 2016
briefing's ASB table, then drawn with matplotlib as the deck would draw it, and read back from
the figure: the texts drawn, their boxes, the hatched areas' keys, the legend.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from deckgen import app
from deckgen.errors import DeckError
from deckgen.layout.mapdata import MapData
from deckgen.layout.plan import ChartPicture
from deckgen.layout.theme import Theme
from deckgen.options import Options
from deckgen.render import mapnames, maps
from deckgen.source.schema import Brand

ROOT = Path(__file__).resolve().parents[2]
HEAD = """title: Maps
data:
  asb:
    file: data/asb_mar_apr_2015_2016.csv
    source: Essex Police, ASB incidents, March–April 2015 and 2016
    total_row: TOTAL
    labels: {district: districts.name}
    derive:
      change: mar_apr_2016 - mar_apr_2015
      pct_change: change / mar_apr_2015 * 100
  districts: {file: data/districts.csv}
slides:
"""
CHANGE_MAP = """  - kind: map
    title: Change in ASB by district
    data: asb
    boundaries: data/boundaries/essex-lsoa11
    area: LADCD_ACTIVE
    union: true
    column: district
    via: {data: districts, key: code, column: district}
    value: pct_change
    colours: diverging
    highlight: Tendring
    value_format: "+0.0;-0.0"
    value_suffix: "%"
    legend: "% change in ASB"
    what: district
    change: {current: mar_apr_2016, previous: mar_apr_2015}
"""
COUNT_MAP = """  - kind: map
    title: ASB by district
    data: asb
    boundaries: data/boundaries/essex-lsoa11
    area: LADCD_ACTIVE
    union: true
    column: district
    via: {data: districts, key: code, column: district}
    value: mar_apr_2016
    legend: ASB incidents
"""
W, H = 12.3, 3.9  # about the body's box under a title and subtitle, in inches


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("maps")
    shutil.copytree(ROOT / "data", folder / "data")
    return folder


def _maps(work: Path, slides: str, name: str = "deck.yaml") -> list[MapData]:
    (work / name).write_text(HEAD + slides, encoding="utf-8")
    planned = app.check(work / name, {}, Options())
    return [e.chart for p in planned.plans for e in p.elements
            if isinstance(e, ChartPicture) and isinstance(e.chart, MapData)]


@pytest.fixture(scope="module")
def change_map(work: Path) -> tuple[MapData, Any, Any]:
    data = _maps(work, CHANGE_MAP)[0]
    fig, ax = maps.figure(data, Theme(Brand(), None), W, H)
    return data, fig, ax


def test_every_district_is_named_inside_it_or_numbered_and_keyed(
        change_map: tuple[MapData, Any, Any]) -> None:
    data, fig, ax = change_map
    assert data.named and len(data.areas) == 14
    renderer = fig.canvas.get_renderer()
    inside, numbers = {}, {}
    for text in ax.texts:
        words = text.get_text()
        if words.isdigit():
            numbers[int(words)] = text
        else:
            inside[" ".join(words.replace("-\n", "-").split())] = text
    keyed = [a for a in data.areas if a.name not in inside]
    assert sorted(numbers) == list(range(1, len(keyed) + 1))
    key = " ".join(t.get_text() for t in fig.texts)
    for n, area in enumerate(sorted(keyed, key=lambda a: a.name), 1):
        assert f"{n}  {area.name}" in key
    assert len(inside) >= 4, inside  # the large rural districts at least
    by_name = {a.name: a for a in data.areas}
    for name, text in inside.items():  # each name's box lies inside its own district
        box = text.get_window_extent(renderer)
        outline = mapnames.path_of(by_name[name].rings).transformed(ax.transData)
        corners = [(box.x0, box.y0), (box.x0, box.y1), (box.x1, box.y0), (box.x1, box.y1)]
        assert outline.contains_points(corners).all(), name
    # and nothing drawn overlaps or runs off the picture
    assert maps.drawn(data, Theme(Brand(), None), W, H)[1] == ()


def test_the_map_takes_the_width_or_the_height_it_has(
        change_map: tuple[MapData, Any, Any]) -> None:
    _, fig, ax = change_map
    ax.apply_aspect()
    box = ax.get_position()
    assert box.width >= 0.6 or box.height >= 0.9, box


def test_changes_beyond_noise_are_hatched_and_named(work: Path,
                                                   change_map: tuple[MapData, Any, Any]) -> None:
    data, fig, ax = change_map
    table = pd.read_csv(work / "data" / "asb_mar_apr_2015_2016.csv")
    table = table[table["district"] != "TOTAL"]
    names = pd.read_csv(work / "data" / "districts.csv").set_index("district")["name"]
    z = 2 * (np.sqrt(table["mar_apr_2016"]) - np.sqrt(table["mar_apr_2015"]))
    want = {level: sorted(names[d] for d, v in zip(table["district"], z) if test(abs(v)))
            for level, test in (("significant", lambda v: v >= 3),
                                ("notable", lambda v: 2 <= v < 3))}
    codes = {a.key: a.name for a in data.areas}
    hatched = {c.get_label(): sorted(codes[u] for u in c.get_urls())
               for c in ax.collections if c.get_label() in ("significant", "notable")}
    assert hatched == {k: v for k, v in want.items() if v}
    assert all(c.get_hatch() for c in ax.collections if c.get_label() in hatched)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "\u2021 Significant change (|z| \u2265 3)" in legend
    from deckgen.layout import mapdata

    alt = mapdata.alt_text(data)
    assert f"Significant change (|z| \u2265 3): {', '.join(want['significant'])}." in alt
    # a named map's alt text names each class's districts, as the legend states the classes
    table["pct"] = (table["mar_apr_2016"] - table["mar_apr_2015"]) / table["mar_apr_2015"] * 100
    shown = {names[d]: round(v, 1) for d, v in zip(table["district"], table["pct"])}
    for label in data.legend:  # each district in the class whose range states its figure
        lo, hi = sorted(float(x) for x in re.findall(r"-?\d+\.\d", label))
        inside = sorted(n for n, v in shown.items() if lo <= v <= hi)
        assert (f"{label}: {', '.join(inside)}." in alt) == bool(inside), label


def test_lines_are_thin_enough_for_coasts_and_small_areas(
        change_map: tuple[MapData, Any, Any]) -> None:
    _, _, ax = change_map
    widths = {c.get_label(): float(max(c.get_linewidths())) for c in ax.collections}
    assert widths["areas"] <= 0.4 and widths["highlight"] <= 1.6, widths


def test_the_breaks_are_round_and_centred_on_zero(change_map: tuple[MapData, Any, Any]) -> None:
    data = change_map[0]
    inner = data.breaks[1:-1]
    assert all(abs(b * 10 - round(b * 10)) < 1e-9 for b in inner), inner
    # every district's figure is a fall: each class is all falls, none beyond its edges
    assert all(a.value is not None and a.value < 0 for a in data.areas)
    assert all(len(f"{abs(b):g}".replace(".", "").strip("0")) <= 2 for b in inner), inner


def test_a_count_map_says_it_shows_counts_and_a_rate_map_does_not(work: Path) -> None:
    counts = _maps(work, COUNT_MAP, "counts.yaml")[0]
    assert counts.legend_title == "ASB incidents (counts, not rates)"
    assert counts.legend_title in mapdata_alt(counts)
    change = _maps(work, CHANGE_MAP, "change.yaml")[0]
    assert change.legend_title == "% change in ASB"


def mapdata_alt(data: MapData) -> str:
    from deckgen.layout import mapdata

    return mapdata.alt_text(data)


def test_an_lsoa_map_shows_readable_names_from_a_lookup(work: Path) -> None:
    lookup = work / "data" / "southend-names.csv"
    lookup.write_text("code,neighbourhood\nE01015814,Westcliff North\n"
                      "E01015815,Westcliff South\n", encoding="utf-8")
    slide = """  - kind: map
    title: ASB by LSOA
    data: lsoa
    boundaries: data/boundaries/essex-lsoa11
    area: LSOA11CD
    column: LSOA code
    name: LSOA11NM
    names: {data: names, key: code, column: neighbourhood}
    only: {LADCD_ACTIVE: E06000033}
    value: n
    missing: zero
    top: 2
"""
    (work / "data" / "lsoa.csv").write_text("LSOA code,n\nE01015814,40\nE01015815,30\n"
                                            "E01015816,1\n", encoding="utf-8")
    head = HEAD.replace("slides:\n", "  lsoa: {file: data/lsoa.csv}\n"
                                     "  names: {file: data/southend-names.csv}\nslides:\n")
    (work / "names.yaml").write_text(head + slide, encoding="utf-8")
    planned = app.check(work / "names.yaml", {}, Options())
    data = next(e.chart for p in planned.plans for e in p.elements
                if isinstance(e, ChartPicture))
    assert isinstance(data, MapData) and not data.named  # 107 LSOAs: listed, not named
    shown = {a.key: a.name for a in data.areas}
    assert shown["E01015814"] == "Westcliff North (Southend-on-Sea 003A)"
    assert shown["E01015816"] == "Southend-on-Sea 003C"  # no readable name: its own
    assert "Highest: Westcliff North (Southend-on-Sea 003A), 40." in mapdata_alt(data)
    fig, _ = maps.figure(data, Theme(Brand(), None), W, H)
    assert "Westcliff North (Southend-on-Sea 003A): 40" in " ".join(t.get_text()
                                                                    for t in fig.texts)
    lookup.write_text("code,neighbourhood\nE01015814,Westcliff North\nE01015814,Chalkwell\n",
                      encoding="utf-8")
    with pytest.raises(DeckError, match="'E01015814' has two names in .*keep one name"):
        app.check(work / "names.yaml", {}, Options())


def test_names_can_be_left_off_and_the_highest_are_then_numbered(work: Path) -> None:
    """`labels: none` draws no names; with names on (the default for districts), the `top`
    list names its areas without numbers, since the map names them."""
    theme = Theme(Brand(), None)
    table = pd.read_csv(work / "data" / "asb_mar_apr_2015_2016.csv")
    names = pd.read_csv(work / "data" / "districts.csv").set_index("district")["name"]
    top = table[table["district"] != "TOTAL"].nlargest(2, "mar_apr_2016")
    (first, most), (second, next_most) = ((names[d], n) for d, n in
                                          zip(top["district"], top["mar_apr_2016"]))
    plain = _maps(work, COUNT_MAP + "    labels: none\n    top: 2\n", "plain.yaml")[0]
    assert not plain.named
    fig, ax = maps.figure(plain, theme, W, H)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2"]
    assert f"1  {first}: {most:,}\n2  {second}: {next_most:,}" in " ".join(
        t.get_text() for t in fig.texts)
    named = _maps(work, COUNT_MAP + "    top: 2\n", "named.yaml")[0]
    fig, ax = maps.figure(named, theme, W, H)
    listed = " ".join(t.get_text() for t in fig.texts)
    assert f"Highest\n{first}: {most:,}\n{second}: {next_most:,}" in listed
    assert maps.drawn(named, theme, W, H)[1] == ()
