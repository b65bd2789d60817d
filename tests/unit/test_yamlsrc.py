"""Loading YAML with locations, safely."""

from __future__ import annotations

import pytest

from deckgen.errors import DeckError
from deckgen.yamlsrc import loads


def _error(text: str) -> str:
    with pytest.raises(DeckError) as info:
        loads(text, "deck.yaml")
    assert len(info.value.problems) == 1
    return str(info.value.problems[0])


def test_values_and_keys_keep_their_line_and_column() -> None:
    data, source = loads("title: A\nslides:\n  - kind: bullets\n    title: B\n", "deck.yaml")
    assert data == {"title": "A", "slides": [{"kind": "bullets", "title": "B"}]}
    assert str(source.at(("slides", 0, "title"))) == "deck.yaml:4:12"
    assert str(source.at(("slides", 0, "title"), key=True)) == "deck.yaml:4:5"
    assert str(source.at(("slides", 0, "missing"))) == "deck.yaml:3:5"


def test_dates_are_dates_and_numbers_are_numbers() -> None:
    import datetime as dt

    data, _ = loads("date: 2016-07-07\nn: 1.5\nm: 3\n", "x.yaml")
    assert data == {"date": dt.date(2016, 7, 7), "n": 1.5, "m": 3}


def test_python_tags_are_refused_not_executed() -> None:
    message = _error("title: !!python/object/apply:os.system ['echo hi']\n")
    assert message.startswith("deck.yaml:1:8: YAML tag 'tag:yaml.org,2002:python/object/apply")


def test_billion_laughs_fails_fast() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(10)) + "]")
    message = _error("\n".join(lines) + "\n")
    assert "expands to more than 100,000 values" in message


def test_tab_indentation_says_use_spaces() -> None:
    message = _error("slides:\n\t- kind: title\n")
    assert message.startswith("deck.yaml:2:1: YAML syntax error")
    assert "tab" in message


def test_unclosed_quote_is_located() -> None:
    message = _error('title: "Essex\nslides: []\n')
    assert message.startswith("deck.yaml:")
    assert "quote" in message or "quoted" in message


def test_bad_indent_is_located() -> None:
    message = _error("title: A\nslides:\n  - kind: title\n   title: B\n")
    assert message.startswith("deck.yaml:4:")


def test_duplicate_keys_are_errors() -> None:
    assert _error("title: A\ntitle: B\n") == (
        "deck.yaml:2:1: key 'title' appears twice in the same mapping; keep one")


def test_empty_file() -> None:
    assert "the file is empty" in _error("")
    assert "the file is empty" in _error("# only a comment\n")


def test_libyaml_and_python_loaders_agree(root, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import yaml

    text = (root / "deck.yaml").read_text(encoding="utf-8")
    fast_data, fast_source = loads(text, "deck.yaml")
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    slow_data, slow_source = loads(text, "deck.yaml")
    assert fast_data == slow_data
    assert fast_source.values == slow_source.values and fast_source.keys == slow_source.keys


def test_deep_nesting_is_refused_by_either_loader(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import yaml

    text = "a: " + "[" * 150 + "]" * 150 + "\n"
    first = _error(text)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert _error(text) == first
    assert "nested more than 100 levels deep" in first
