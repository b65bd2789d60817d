"""Outline validation: every problem found, located, with a suggestion where one is close."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.errors import DeckError
from deckgen.pipeline import load_outline
from deckgen.source.schema import display_date


def _problems(tmp_path: Path, text: str, **overrides: str) -> list[str]:
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as info:
        load_outline(path, overrides)
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


def _ok(tmp_path: Path, text: str, **overrides: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return load_outline(path, overrides)


def test_minimal_outline_loads(tmp_path: Path) -> None:
    outline = _ok(tmp_path, "title: T\nslides:\n  - kind: section\n    title: Part one\n")
    assert [s.kind for s in outline.slides] == ["section"]
    assert outline.output_path() == tmp_path / "output" / "t.pptx"


def test_misspelt_kind_suggests_the_right_one(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nslides:\n  - kind: bulets\n    title: X\n")
    assert len(problems) == 1
    assert problems[0].endswith(
        "deck.yaml:3:11: slide 1: unknown kind 'bulets'; did you mean 'bullets'? (kinds: title, "
        "section, bullets, table, chart, stats, team, headlines, image, summary, map)")


def test_unknown_key_is_an_error_with_suggestion(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nslides:\n  - kind: bullets\n    title: X\n"
                                   "    pionts: [a]\n    points: [b]\n")
    assert problems == ["deck.yaml:5:5: slide 1 (bullets): unknown key 'pionts'; did you mean "
                        "'points'?"]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = ("title: T\nslides:\n  - kind: bullets\n    points: [a]\n"
            "  - kind: stats\n    title: S\n    stats:\n      - {value: 1, label: a}\n"
            "  - kind: chartt\n    title: C\n")
    problems = _problems(tmp_path, text)
    assert len(problems) == 3
    assert problems[0] == "deck.yaml:3:5: slide 1 (bullets): missing required key 'title'"
    assert "slide 2 (stats): 'stats': needs at least 2 item(s)" in problems[1]
    assert "unknown kind 'chartt'; did you mean 'chart'?" in problems[2]


def test_wrong_type_names_what_was_expected(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nslides:\n  - kind: chart\n    title: X\n"
                                   "    chart: bar\n    data: d\n    x: a\n    y: b\n"
                                   "    top: lots\n"
                                   "data:\n  d: {file: d.csv}\n")
    assert problems == ["deck.yaml:9:10: slide 1 (chart): 'top': expected a number, got 'lots'"]


def test_unknown_variable_is_located(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nvariables: {district: Southend}\nslides:\n"
                                   "  - kind: section\n    title: '{distrct} crime'\n")
    assert problems == ["deck.yaml:5:13: unknown name '{distrct}'; declare it under "
                        "'variables:' or 'figures:' (known: district) or write '{{' for a "
                        "literal brace; did you mean 'district'?"]


def test_variables_fill_every_text_and_slug_the_output(tmp_path: Path) -> None:
    outline = _ok(tmp_path, "title: '{district} briefing'\noutput: 'out/{district}.pptx'\n"
                            "variables: {district: Castle Point}\nslides:\n"
                            "  - kind: section\n    title: '{district} {{literal}}'\n")
    assert outline.deck.title == "Castle Point briefing"
    assert outline.slides[0].title == "Castle Point {literal}"
    assert outline.output_path() == tmp_path / "out" / "castle-point.pptx"


def test_set_overrides_a_variable(tmp_path: Path) -> None:
    outline = _ok(tmp_path, "title: '{district}'\nvariables: {district: Southend}\nslides:\n"
                            "  - kind: section\n    title: x\n", district="Basildon")
    assert outline.deck.title == "Basildon"


def test_set_unknown_variable_lists_the_known_ones(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nvariables: {district: Southend}\nslides:\n"
                                   "  - kind: section\n    title: x\n", distric="Basildon")
    assert problems == ["deck.yaml: --set distric: the outline has no variable 'distric' (it "
                        "declares: district); did you mean 'district'?"]


def test_not_a_mapping_and_no_slides(tmp_path: Path) -> None:
    assert "must be a mapping" in _problems(tmp_path, "- a\n- b\n")[0]
    assert _problems(tmp_path, "title: T\nslides: []\n") == [
        "deck.yaml:2:9: 'slides': needs at least 1 item(s)"]
    assert _problems(tmp_path, "title: T\n") == ["deck.yaml:1:1: missing required key 'slides'"]


def test_unknown_data_source_is_named(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\ndata:\n  asb: {file: a.csv}\nslides:\n"
                                   "  - kind: table\n    title: X\n    data: abs\n"
                                   "    columns: [{column: a}]\n")
    assert problems == ["deck.yaml:7:11: slide 1 (table): unknown data source 'abs'; declare it "
                        "under 'data:' (known: asb); did you mean 'asb'?"]


def test_sample_outline_is_valid(root: Path) -> None:
    outline = load_outline(root / "deck.yaml")
    assert len(outline.slides) == 19
    assert outline.output_path().name == "southend-briefing.pptx"


@pytest.mark.parametrize("day,text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (7, "7th"),
                                      (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                      (22, "22nd"), (31, "31st")])
def test_dates_read_the_british_way(day: int, text: str) -> None:
    import datetime as dt

    assert display_date(dt.date(2016, 7, day)) == f"{text} July 2016"
    assert display_date(dt.date(2016, 7, day), "long") == f"{day} July 2016"


def test_messages_speak_the_users_language(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "title: T\nslides:\n  - kind: bullets\n    titel: X\n"
                                   "    points:\n      - Note: this has a colon\n"
                                   "  - kind: headlines\n    title: H\n    headlines:\n"
                                   "      - {headline: A}\n"
                                   "      - {headline: B, date: 2016-06-23}\n"
                                   "  - kind: summary\n    title: S\n    statement: X\n"
                                   "    figure: 0.05\n")
    assert problems == [
        "deck.yaml:4:5: slide 1 (bullets): unknown key 'titel'; did you mean 'title'?",
        "deck.yaml:6:7: slide 1 (bullets): 'points': 'Note: this has a colon' was read as a "
        "heading with a sub-point; put quotes around a point that contains ': '",
        "deck.yaml:15:13: slide 3 (summary): 'figure': expected text, got 0.05 (put quotes "
        "around it if it is meant as text)",
    ]
