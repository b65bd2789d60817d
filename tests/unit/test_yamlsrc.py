"""Loading YAML with locations, safely."""

from __future__ import annotations

import pytest

from deckgen.errors import DeckError, Location
from deckgen.source.yamlsrc import loads


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


def test_merge_keys_then_explicit_keys_win() -> None:
    data, source = loads("base: &b {kind: bullets, title: Base, size: 20}\n"
                         "other: &o {title: Other, lead: L}\n"
                         "one:\n  <<: *b\n  title: Mine\n"
                         "two:\n  <<: [*b, *o]\n", "d.yaml")
    assert data["one"] == {"kind": "bullets", "title": "Mine", "size": 20}
    assert data["two"] == {"kind": "bullets", "title": "Base", "size": 20, "lead": "L"}
    assert source.at(("one", "title")) == Location("d.yaml", 5, 10)
    with pytest.raises(DeckError, match="key 'title' appears twice"):
        loads("one:\n  <<: {title: A}\n  title: B\n  title: C\n", "d.yaml")


def test_a_date_yaml_cannot_make_is_an_error_at_its_place() -> None:
    for text in ("date: 2016-13-45\n", "date: 2016-02-30\n", "date: 2016-07-07 25:61:00\n"):
        with pytest.raises(DeckError) as info:
            loads(text, "d.yaml")
        assert str(info.value).startswith("d.yaml:1:7: '2016-")
        assert "is not a valid date or time" in str(info.value)


def test_numbers_only_yaml_reads_stay_as_written() -> None:
    data, _ = loads("a: 0x10\nb: 1_000\nc: 012\nd: 1:30\ne: .inf\nf: 12\ng: -4.5\nh: 1e3\n",
                    "d.yaml")
    assert data == {"a": "0x10", "b": "1_000", "c": "012", "d": "1:30", "e": ".inf", "f": 12,
                    "g": -4.5, "h": "1e3"}


def test_a_character_inside_text_is_located() -> None:
    _, source = loads("a: x + @y\nb: 'x + @y'\nc: \"x\\t@\"\nd: |\n  x @\n"
                      "e: 'it''s @'\nf: >-\n  first\n  then @\n", "d.yaml")
    assert source.at_char(("a",), 4) == Location("d.yaml", 1, 8)
    assert source.at_char(("b",), 4) == Location("d.yaml", 2, 9)
    assert source.at_char(("c",), 2) == Location("d.yaml", 3, 8)  # after an escape
    assert source.at_char(("d",), 2) == Location("d.yaml", 5, 5)  # in a block
    assert source.at_char(("e",), 5) == Location("d.yaml", 6, 11)  # after a doubled quote
    assert source.at_char(("f",), 11) == Location("d.yaml", 9, 8)  # folded lines
