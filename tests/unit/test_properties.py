"""Property tests: whatever a user writes, the loader ends in an outline or a DeckError."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.data.csvread import read_csv
from deckgen.errors import DeckError
from deckgen.pipeline import load_outline

# DECKGEN_EXAMPLES=2000 pytest tests/unit/test_properties.py for a longer search
EXAMPLES = int(os.environ.get("DECKGEN_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = ["title", "slides", "kind", "points", "data", "file", "variables", "columns", "column",
        "chart", "x", "y", "where", "highlight", "stats", "value", "label", "root", "role",
        "children", "image", "alt", "output", "derive", "extends", "remove", "notes", "total"]
KINDS = ["title", "section", "bullets", "table", "chart", "stats", "team", "headlines", "image",
         "summary", "bulets"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.sampled_from(KINDS), st.text(max_size=20),
                    st.sampled_from(["{district}", "{x}", "d.csv", "../x", "**b**", "a.b"]))
trees = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.sampled_from(KEYS), children, max_size=5)), max_leaves=25)


def _load(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_outline(path)
    except DeckError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"#&*!|>\n\t %,.0123")),
                    max_size=80))
def test_any_text_gives_an_outline_or_a_deck_error(tmp_path: Path, text: str) -> None:
    _load(tmp_path, text)


@SETTINGS
@given(tree=st.dictionaries(st.sampled_from(KEYS), trees, max_size=6))
def test_any_structure_gives_an_outline_or_a_deck_error(tmp_path: Path, tree: object) -> None:
    _load(tmp_path, yaml.safe_dump(tree))


@SETTINGS
@given(slides=st.lists(st.dictionaries(st.sampled_from(KEYS), trees, max_size=5).map(
    lambda d: {"kind": d.pop("kind", "bullets"), "title": "T", **d}), min_size=1, max_size=3))
def test_any_slides_give_an_outline_or_a_deck_error(tmp_path: Path, slides: list) -> None:
    _load(tmp_path, yaml.safe_dump({"title": "T", "slides": slides}))


@SETTINGS
@given(data=st.binary(max_size=120) | st.text(
    alphabet=st.sampled_from(list('ab,"\n\r1-%.\ufeff\u2212 ')), max_size=120).map(
        lambda t: t.encode("utf-8")))
def test_any_csv_gives_a_frame_or_a_deck_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(data)
    try:
        frame = read_csv(path, "d.csv").frame
    except DeckError as exc:
        assert exc.problems
    else:
        assert len(frame.columns) >= 1


texts = st.text(min_size=1, max_size=60).filter(lambda t: t.strip() != "")


@settings(max_examples=max(EXAMPLES // 2, 60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts, points=st.lists(texts, min_size=1, max_size=8), value=texts, label=texts)
def test_any_text_lays_out_or_gives_a_deck_error(tmp_path: Path, title: str, points: list,
                                                 value: str, label: str) -> None:
    from deckgen.app import check

    outline = {"title": title, "slides": [
        {"kind": "bullets", "title": title, "points": points},
        {"kind": "stats", "title": "S", "stats": [{"value": value, "label": label}] * 2},
        {"kind": "headlines", "title": "H", "headlines": [{"headline": p} for p in points[:6]]},
        {"kind": "team", "title": "T", "root": {"role": value, "children": [{"role": label}]}},
    ]}
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")
    try:
        check(path)
    except DeckError as exc:
        assert exc.problems


@SETTINGS
@given(data=st.text(alphabet=st.sampled_from(list('ab,"\n1-%.\u2212 0')), max_size=100))
def test_any_csv_in_a_table_and_chart_gives_a_deck_or_a_deck_error(tmp_path: Path,
                                                                   data: str) -> None:
    from deckgen.app import check

    (tmp_path / "d.csv").write_text("name,value\n" + data, encoding="utf-8")
    outline = {"title": "T", "data": {"d": {"file": "d.csv", "derive": {"twice": "value * 2"}}},
               "slides": [
                   {"kind": "table", "title": "T", "data": "d", "total": True,
                    "columns": [{"column": "name"}, {"column": "value", "format": ",.1f"},
                                {"column": "twice", "good": "up"}]},
                   {"kind": "chart", "title": "C", "chart": "hbar", "data": "d", "x": "name",
                    "y": "value", "percent": True}]}
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(outline), encoding="utf-8")
    try:
        check(path)
    except DeckError as exc:
        assert exc.problems
