"""Maps: class breaks, colour ramps, boundary files read and checked, and the drawn areas' colours
read back from the matplotlib figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.data import boundaries
from deckgen.errors import DeckError
from deckgen.layout import mapdata
from deckgen.layout.mapdata import MapArea, MapData
from deckgen.layout.theme import Theme
from deckgen.source import numformat
from deckgen.source.schema import Brand

ROOT = Path(__file__).resolve().parents[2]
ESSEX = ROOT / "data" / "boundaries" / "essex-lsoa11"


# --- classes ---------------------------------------------------------------------------------

def test_quantile_breaks_of_counts_are_whole_numbers_with_equal_shares() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    breaks = mapdata.class_breaks(values, "quantiles", 4)
    assert breaks == (1.0, 26.0, 51.0, 76.0, 100.0)
    classes = [mapdata.class_of(v, breaks) for v in values]
    assert [classes.count(k) for k in range(4)] == [25, 25, 25, 25]


def test_equal_interval_breaks() -> None:
    values = [0.5, 2.0, 4.0, 6.0, 8.0, 10.5]
    # at most 5 equal intervals on a round step (2 would need 6): 2.5
    assert mapdata.class_breaks(values, "equal", 5) == (0.5, 2.5, 5.0, 7.5, 10.0, 10.5)


def test_never_more_classes_than_figures_that_differ() -> None:
    assert mapdata.class_breaks([0.5, 2.0, 10.5], "equal", 5, step=0.1) == (0.5, 5.0, 10.0, 10.5)
    assert len(mapdata.class_breaks([3.0, 9.0], "quantiles", 5)) - 1 <= 2


def test_counts_get_whole_number_edges_whatever_the_method() -> None:
    """A legend of counts says '12–14': an edge of 12.4 would put 12 in the class below while
    the legend, in whole numbers, said '12–...'."""
    counts = [1.0, 5.0, 10.0, 31.0, 17.0, 22.0]
    breaks = mapdata.class_breaks(counts, "equal", 5)
    assert breaks == (1.0, 10.0, 20.0, 30.0, 31.0)  # a round step: 10 (5 would need 7)
    labels = mapdata.legend_labels(breaks, lambda v: f"{v:.0f}", True)
    assert labels == ("1–9", "10–19", "20–29", "30–31")
    for value in counts:  # each count in the class whose label states it
        lo, _, hi = labels[mapdata.class_of(value, breaks)].partition("–")
        assert float(lo) <= value <= float(hi)


def test_zero_counts_are_a_class_of_their_own() -> None:
    """Most LSOAs have no weapons offence in a month: the areas with none must not share a
    colour (or a legend line) with the ones that have some."""
    counts = [0.0] * 40 + [1.0, 1.0, 2.0, 3.0, 7.0]
    breaks = mapdata.class_breaks(counts, "quantiles", 5)
    labels = mapdata.legend_labels(breaks, lambda v: f"{v:.0f}", True)
    assert labels[0] == "0" and all(mapdata.class_of(v, breaks) == 0 for v in counts[:40])
    assert all(mapdata.class_of(v, breaks) > 0 for v in counts[40:])
    assert labels[1].startswith("1")  # the next class starts at one


def test_figures_are_classed_on_the_grid_they_are_shown_on() -> None:
    """Edges between 1.14 and 1.16 would all read '1.1' in '0.0': the labels said '1.1 to
    under 1.1'. Edges fall on the format's grid, and equal ones merge."""
    values = [1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.2]
    shown = [numformat.parse("0.0").as_shown(v) for v in values]
    breaks = mapdata.class_breaks(shown, "quantiles", 5, step=0.1)
    labels = mapdata.legend_labels(breaks, lambda v: f"{v:.1f}", False)
    assert len(set(labels)) == len(labels)
    assert all(lo != hi for lo, _, hi in (lab.partition(" to under ") for lab in labels[:-1]))


def test_given_breaks_make_every_class_whatever_the_data() -> None:
    """Two districts' maps with breaks [10, 20, 30]: the same figure takes the same colour."""
    low = mapdata.class_breaks([3.0, 7.0, 12.0], "breaks", 5, [10, 20, 30])
    high = mapdata.class_breaks([12.0, 25.0, 41.0], "breaks", 5, [10, 20, 30])
    assert len(low) == len(high) == 5  # four classes each
    assert mapdata.class_of(12.0, low) == mapdata.class_of(12.0, high) == 1
    labels = mapdata.legend_labels(low, lambda v: f"{v:.0f}", True, open_ends=True)
    assert labels == ("under 10", "10–19", "20–29", "30 or more")
    assert mapdata.class_breaks([1.0, 5.0], "breaks", 5, [2.5, 20]) == (1.0, 3.0, 20.0, 20.0)


def test_ties_merge_classes_rather_than_show_empty_ones() -> None:
    assert mapdata.class_breaks([2.0] * 9 + [5.0], "quantiles", 5) == (2.0, 5.0)
    assert mapdata.class_breaks([4.0, 4.0], "equal", 3) == (4.0, 4.0)


def test_class_of_puts_an_edge_in_the_upper_class_and_the_maximum_in_the_last() -> None:
    breaks = (0.0, 10.0, 20.0)
    assert [mapdata.class_of(v, breaks) for v in (0, 9.99, 10, 19, 20)] == [0, 0, 1, 1, 1]


def test_diverging_breaks_gain_zero_so_no_class_mixes_falls_and_rises() -> None:
    assert mapdata.with_zero((-12.0, -4.0, 3.0, 9.0)) == (-12.0, -4.0, 0.0, 3.0, 9.0)
    assert mapdata.with_zero((2.0, 5.0)) == (2.0, 5.0)


def test_legend_labels_state_every_class_range() -> None:
    assert mapdata.legend_labels((1, 26, 51, 100), lambda v: f"{v:,.0f}", True) == (
        "1\u201325", "26\u201350", "51\u2013100")
    assert mapdata.legend_labels((0.5, 1.5, 2.0), lambda v: f"{v:.1f}", False) == (
        "0.5 to under 1.5", "1.5 to 2.0")


def test_on_the_grid_a_class_ends_at_the_last_figure_shown_in_it() -> None:
    """'−7.5% to −6.0%', not '−7.5% to under −5.9%' (which reads backwards for falls); and
    every figure shown lies inside the range its class's label states."""
    values = [-18.3, -16.8, -13.8, -12.1, -11.1, -9.5, -9.0, -8.5, -7.2, -6.8, -5.9, -5.9,
              -4.3, -2.6]
    breaks = mapdata.class_breaks(values, "quantiles", 5, step=0.1)
    labels = mapdata.legend_labels(breaks, lambda v: f"{v:.1f}%", False, step=0.1)
    assert not any("under" in lab for lab in labels), labels
    for v in values:
        lo, _, hi = labels[mapdata.class_of(v, breaks)].partition(" to ")
        assert float(lo.rstrip("%")) <= v <= float((hi or lo).rstrip("%")), (v, labels)
    # an edge off the grid (a given break) keeps 'under'
    assert mapdata.legend_labels((0.0, 1.05, 2.0), lambda v: f"{v:.2f}", False, step=0.1) == (
        "0.00 to under 1.05", "1.05 to 2.00")


def test_a_diverging_split_at_zero_leaves_no_class_that_no_area_is_in() -> None:
    """Quantile edges with 0 added can leave a sliver class (+0.1% to +0.5%) that no area
    falls in: its colour would be in the legend and nowhere on the map. It merges into its
    neighbour on the same side of zero, and zero stays an edge."""
    values = [-15.0, -8.2, -4.9, -2.2, -0.6, 1.0, 3.1, 7.7, 12.4, 25.5]
    breaks = mapdata.without_empty((-15.0, -4.4, 0.0, 0.6, 6.8, 25.5), values)
    assert breaks == (-15.0, -4.4, 0.0, 6.8, 25.5)
    assert {mapdata.class_of(v, breaks) for v in values} == set(range(len(breaks) - 1))
    assert mapdata.without_empty((-15.0, -4.4, -0.5, 0.0, 6.8, 25.5),
                                 [-15.0, -8.2, -4.9, 3.1, 25.5]) == (-15.0, 0.0, 6.8, 25.5)


def test_alt_text_names_the_first_of_tied_areas_as_the_map_numbers_them() -> None:
    areas = tuple(mapdata.MapArea(k, n, v, 0, (), (0.0, 0.0), 1.0) for k, n, v in (
        ("a", "Zeta", 60.0), ("b", "Alpha", 60.0), ("c", "Mid", 30.0), ("d", "Low", 2.0)))
    data = mapdata.MapData(areas, "x", (2.0, 30.0, 60.0), ("111111", "222222"), ("a", "b"),
                           "ASB")
    assert "Highest: Alpha, 60 (and 1 more at that figure). Lowest: Low, 2." in \
        mapdata.alt_text(data)


# --- colours ---------------------------------------------------------------------------------

def test_sequential_ramp_runs_from_a_pale_tint_to_the_brand_colour() -> None:
    ramp = mapdata.sequential("1B365D", 5)
    assert ramp[-1] == "1B365D"
    assert ramp[0] == mapdata.tint("1B365D", 0.85)
    lightness = [sum(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in ramp]
    assert lightness == sorted(lightness, reverse=True)  # darker class by class


def test_diverging_ramp_colours_falls_and_rises_paler_towards_zero() -> None:
    good, bad = "1E7B34", "B3261E"
    colours = mapdata.diverging((-20.0, -10.0, 0.0, 5.0), good, bad)
    assert colours == (good, mapdata.tint(good, 0.375), mapdata.tint(bad, 0.1))


# --- boundaries ------------------------------------------------------------------------------

def _collection(tmp_path: Path, features: list[dict[str, object]], name: str = "b.geojson",
                crs: str | None = None) -> Path:
    doc: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / name
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def _square(key: str, x: float, y: float, **props: object) -> dict[str, object]:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Feature", "properties": {"code": key, **props},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_district_outlines_are_the_union_of_their_areas(tmp_path: Path) -> None:
    path = _collection(tmp_path, [_square("a", 0, 51, d="D1"), _square("b", 0.01, 51, d="D1"),
                                  _square("c", 0.05, 51, d="D2")])
    found = boundaries.areas([path], "d", None, True, {}, "")
    assert [a.key for a in found.areas] == ["D1", "D2"]
    d1 = found.areas[0]
    assert len(d1.rings) == 1  # two touching squares: one outline
    xs = [x for x, _ in d1.rings[0]]
    assert max(xs) - min(xs) == pytest.approx(0.02 * 0.6293, rel=1e-3)  # cos(51°)


def test_the_essex_lsoas_make_14_districts(tmp_path: Path) -> None:
    paths = boundaries.files_of(ESSEX, "", None)
    lsoas = boundaries.areas(paths, "LSOA11CD", "LSOA11NM", False, {}, "")
    assert len(lsoas.areas) == 1077
    districts = boundaries.areas(paths, "LADCD_ACTIVE", None, True, {}, "")
    assert len(districts.areas) == 14
    southend = boundaries.areas(paths, "LSOA11CD", None, False,
                                {"LADCD_ACTIVE": ["E06000033"]}, "")
    assert len(southend.areas) == 107


def _signed_area(ring: tuple[tuple[float, float], ...]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _ring_around(x: float, y: float, size: float) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def _enclave(tmp_path: Path) -> Path:
    """Area 'out' with a hole, and area 'in' filling it (as E01022052 lies inside E01022051)."""
    outer = {"type": "Feature", "properties": {"code": "out", "d": "D"},
             "geometry": {"type": "Polygon",
                          "coordinates": [_ring_around(0, 51, 0.03),
                                          _ring_around(0.01, 51.01, 0.01)[::-1]]}}
    inner = {"type": "Feature", "properties": {"code": "in", "d": "D"},
             "geometry": {"type": "Polygon", "coordinates": [_ring_around(0.01, 51.01, 0.01)]}}
    return _collection(tmp_path, [outer, inner])


def test_an_area_keeps_its_hole_and_a_union_closes_it(tmp_path: Path) -> None:
    found = {a.key: a for a in boundaries.areas([_enclave(tmp_path)], "code", None, False, {},
                                                 "").areas}
    outer = found["out"]
    assert len(outer.rings) == 2  # the outer ring and the hole
    assert _signed_area(outer.rings[0]) > 0 > _signed_area(outer.rings[1])  # winding rule
    assert abs(_signed_area(outer.rings[1])) == pytest.approx(
        _signed_area(found["in"].rings[0]), rel=1e-6)
    district = boundaries.areas([_enclave(tmp_path)], "d", None, True, {}, "").areas[0]
    assert len(district.rings) == 1  # the hole is filled by its neighbour


def test_essex_keeps_its_four_lsoa_enclaves_and_no_sliver_holes_in_districts() -> None:
    paths = boundaries.files_of(ESSEX, "", None)
    lsoas = boundaries.areas(paths, "LSOA11CD", None, False, {}, "")
    holes = sorted(a.key for a in lsoas.areas for r in a.rings if _signed_area(r) < 0)
    # each of these LSOAs surrounds others, as ONS draws them
    assert holes == ["E01021396", "E01021634", "E01021804", "E01022051"]
    districts = boundaries.areas(paths, "LADCD_ACTIVE", None, True, {}, "")
    # where the LSOAs' borders do not quite meet, their union leaves slivers: closed
    assert [a.key for a in districts.areas for r in a.rings if _signed_area(r) < 0] == []


def test_a_key_twice_without_union_is_an_error_not_a_union(tmp_path: Path) -> None:
    path = _collection(tmp_path, [_square("a", 0, 51), _square("a", 1, 51)])
    with pytest.raises(DeckError) as e:
        boundaries.areas([path], "code", None, False, {}, "slide 1 (map)")
    assert str(e.value) == (
        f"{boundaries.shown_path(path)}:38:4: slide 1 (map): feature 2 has the same code as "
        f"feature 1 of {boundaries.shown_path(path)} ('a'): to draw areas that are the union of "
        "several features (districts from their LSOAs), set 'union: true'")


def test_a_feature_without_the_key_property_is_located(tmp_path: Path) -> None:
    path = _collection(tmp_path, [_square("a", 0, 51), _square("b", 1, 51)])
    text = path.read_text().replace('"code": "b"', '"name": "b"')
    path.write_text(text)
    with pytest.raises(DeckError) as e:
        boundaries.areas([path], "code", None, False, {}, "")
    problem = e.value.problems[0]
    assert problem.message == "feature 2 has no property 'code'; its properties are: name"
    assert problem.location is not None and problem.location.line > 1
    assert text.splitlines()[problem.location.line - 1].strip().startswith('"type": "Feature"')


def test_a_file_that_is_not_json_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [,]}\n')
    with pytest.raises(DeckError) as e:
        boundaries.read(path)
    assert str(e.value).startswith(f"{boundaries.shown_path(path)}:2:15: this is not a GeoJSON "
                                   "file: Expecting value")


def test_mixed_coordinate_systems_are_refused(tmp_path: Path) -> None:
    a = _collection(tmp_path, [_square("a", 0, 51)], "a.geojson")
    b = _collection(tmp_path, [_square("b", 583989, 187186)], "b.geojson",
                    crs="urn:ogc:def:crs:EPSG::27700")
    with pytest.raises(DeckError) as e:
        boundaries.areas([a, b], "code", None, False, {}, "")
    assert "the boundary files mix coordinate systems" in str(e.value)
    assert "EPSG::27700" in str(e.value)


def test_metres_in_a_file_without_crs_are_refused(tmp_path: Path) -> None:
    path = _collection(tmp_path, [_square("b", 583989, 187186)])
    with pytest.raises(DeckError, match="are not longitude and latitude"):
        boundaries.read(path)


def test_a_file_is_read_once_while_unchanged(tmp_path: Path) -> None:
    path = _collection(tmp_path, [_square("a", 0, 51)])
    assert boundaries.read(path) is boundaries.read(path)


# --- the drawn map ---------------------------------------------------------------------------

def _known_map() -> MapData:
    """Four squares with known values, classes [0, 10), [10, 20), [20, 30], one with no data."""
    breaks = (0.0, 10.0, 20.0, 30.0)
    colours = ("DDEEFF", "7799BB", "1B365D")
    values = {"A": 5.0, "B": 15.0, "C": 30.0, "D": None}
    areas = tuple(MapArea(k, f"Area {k}", v, -1 if v is None else mapdata.class_of(v, breaks),
                          (((i, 0.0), (i + 1.0, 0.0), (i + 1.0, 1.0), (i, 1.0), (i, 0.0)),),
                          (i + 0.5, 0.5), 1.0)
                  for i, (k, v) in enumerate(values.items()))
    return MapData(areas, "test", breaks, colours,
                   mapdata.legend_labels(breaks, lambda v: f"{v:.0f}", True), "Incidents",
                   highlight="B")


def test_the_drawn_areas_have_their_class_colours() -> None:
    from matplotlib.colors import to_hex

    from deckgen.render import maps

    fig, ax = maps.figure(_known_map(), Theme(Brand(), None), 6, 4)
    drawn = {}
    for collection in ax.collections:
        urls = collection.get_urls()
        faces = collection.get_facecolors()
        for i, url in enumerate(urls):
            if url is not None:
                drawn[url] = to_hex(faces[i if len(faces) > 1 else 0]).upper()
    assert drawn == {"A": "#DDEEFF", "B": "#7799BB", "C": "#1B365D",
                     "D": f"#{mapdata.NO_DATA}"}
    assert ax.get_aspect() == 1.0 and not ax.axison
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    # every class, the areas with no data, and the outlined area by name
    assert legend == ["20\u201330", "10\u201319", "0\u20139", "No data (1)", "Area B"]


def test_the_legend_names_what_the_drawn_borders_are() -> None:
    from dataclasses import replace

    from deckgen.render import maps

    ring = ((0.0, 0.0), (4.0, 0.0), (4.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    data = replace(_known_map(), highlight=None, outline=(ring,), outline_name="Test district")
    fig, _ = maps.figure(data, Theme(Brand(), None), 6, 4)
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == "Test district"
    unnamed = maps.figure(replace(data, outline_name=""), Theme(Brand(), None), 6, 4)[0]
    assert "Test district" not in [t.get_text() for t in unnamed.legends[0].get_texts()]


def test_alt_text_names_the_highest_and_lowest_areas_and_no_data() -> None:
    text = mapdata.alt_text(_known_map())
    assert "Highest: Area C, 30. Lowest: Area A, 5." in text
    assert "Outlined: Area B, 15." in text
    assert "1 area has no data." in text


def test_fade_draws_the_other_areas_translucent_and_outlines_the_highlighted_one() -> None:
    from dataclasses import replace

    from deckgen.render import maps

    fig, ax = maps.figure(replace(_known_map(), fade=True), Theme(Brand(), None), 6, 4)
    areas = next(c for c in ax.collections if c.get_label() == "areas")
    alpha = dict(zip(areas.get_urls(), (round(float(f[3]), 1) for f in areas.get_facecolors())))
    assert alpha == {"A": 0.4, "B": 1.0, "C": 0.4}
    outline = next(c for c in ax.collections if c.get_label() == "highlight")
    assert len(outline.get_paths()) == 1 and outline.get_linewidths()[0] == maps.HIGHLIGHT_LINE


def _pixel(fig: object, ax: object, x: float, y: float) -> str:
    """The colour drawn at data point (x, y) of the figure's canvas."""
    import numpy as np
    from matplotlib.colors import to_hex

    px, py = ax.transData.transform((x, y))  # type: ignore[attr-defined]
    rgba = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    r, g, b, _ = rgba[rgba.shape[0] - int(round(py)), int(round(px))]
    return to_hex((r / 255, g / 255, b / 255)).upper()


@pytest.mark.parametrize("inner", [12.0, None])
def test_an_area_inside_another_shows_its_own_colour_or_no_data(tmp_path: Path,
                                                                inner: float | None) -> None:
    from deckgen.render import maps

    found = {a.key: a for a in boundaries.areas([_enclave(tmp_path)], "code", None, False, {},
                                                 "").areas}
    breaks, colours = (0.0, 10.0, 20.0), ("DDEEFF", "1B365D")
    areas = tuple(MapArea(k, k, v, -1 if v is None else mapdata.class_of(v, breaks),
                          found[k].rings, found[k].label_at, found[k].size)
                  for k, v in (("out", 5.0), ("in", inner)))
    data = MapData(areas, "test", breaks, colours,
                   mapdata.legend_labels(breaks, lambda v: f"{v:.0f}", True), "Incidents")
    fig, ax = maps.figure(data, Theme(Brand(), None), 6, 4)
    ring = found["out"].rings[0]
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    left, bottom = min(xs), min(ys)
    width, height = max(xs) - left, max(ys) - bottom
    # in the middle of the outer area's band, and in the middle of the enclave
    assert _pixel(fig, ax, left + width * 0.15, bottom + height * 0.5) == "#DDEEFF"
    middle = _pixel(fig, ax, left + width * 0.5, bottom + height * 0.5)
    assert middle != "#DDEEFF"
    if inner is not None:
        assert middle == "#1B365D"
