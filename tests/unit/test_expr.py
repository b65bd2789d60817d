"""deckgen's expression language: what it computes, and what it refuses before anything runs."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from deckgen.data.evaluate import NotNumbers, evaluate
from deckgen.source import expr
from deckgen.source.expr import ExprError, parse


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "district": ["Southend", "Basildon", "Castle Point", None],
        "lsoa": ["Southend 012B", "Basildon 001A", "Castle Point 003C", "Maldon 004D"],
        "y15": [8068.0, 6501.0, 2338.0, 0.0],
        "y16": [7174.0, 6120.0, 1910.0, 12.0],
        "Mar-Apr 2016": [1.0, 2.0, 3.0, float("nan")],
    }, index=[2, 3, 5, 6])  # rows keep their lines in the file


def values(text: str, frame: pd.DataFrame) -> list[object]:
    out, _ = evaluate(parse(text), frame)
    return [None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v
            for v in out.data.tolist()]


def test_arithmetic_follows_an_independent_computation(frame: pd.DataFrame) -> None:
    got = values("(y16 - y15) / y15 * 100", frame)
    want = [(b - a) / a * 100 if a else None for a, b in zip(frame.y15, frame.y16)]
    assert got[:3] == pytest.approx(want[:3])
    assert got[3] is None  # divided by zero: no value, and reported
    _, report = evaluate(parse("y16 / y15"), frame)
    assert report.divided_by_zero == 1 and report.first_zero_row == 3


def test_precedence_unary_and_brackets(frame: pd.DataFrame) -> None:
    assert values("1 + 2 * 3", frame)[0] == 7
    assert values("(1 + 2) * 3", frame)[0] == 9
    assert values("-y15 + 10", frame)[0] == -8058
    assert values("10 - 2 - 3", frame)[0] == 5  # left to right
    assert values("7 % 3", frame)[0] == 1
    assert values("`Mar-Apr 2016` * 2", frame)[:3] == [2, 4, 6]


def test_comparisons_and_logic_are_conditions(frame: pd.DataFrame) -> None:
    assert values("y16 > y15", frame) == [False, False, False, True]
    assert values("district = 'Southend'", frame) == [True, False, False, None]
    assert values("not (y16 > y15) and y15 > 3000", frame) == [True, True, False, False]
    assert values("district != 'Southend' or y15 = 0", frame)[3] is True


def test_functions(frame: pd.DataFrame) -> None:
    assert values("round(2.5)", frame)[0] == 3  # half away from zero, as Excel
    assert values("round(-2.45, 1)", frame)[0] == -2.5
    assert values("abs(y16 - y15)", frame)[0] == 894
    assert values("min(y15, y16)", frame)[:2] == [7174, 6120]
    assert values("max(y15, y16, 7000)", frame)[2] == 7000
    assert values("sqrt(y16)", frame)[3] == pytest.approx(math.sqrt(12))
    assert values("y16 / sum(y16) * 100", frame)[0] == pytest.approx(7174 / 15216 * 100)
    assert values("if(y16 > y15, 'up', 'down')", frame) == ["down", "down", "down", "up"]
    assert values("before_last(lsoa, ' ')", frame) == ["Southend", "Basildon", "Castle Point",
                                                       "Maldon"]
    assert values("after_last(lsoa, ' ')", frame)[0] == "012B"
    assert values("upper(left(district, 3))", frame)[:3] == ["SOU", "BAS", "CAS"]
    assert values("district + ' (' + text(y16) + ')'", frame)[0] == "Southend (7174)"
    assert values("coalesce(district, 'unknown')", frame)[3] == "unknown"
    assert values("is_blank(district)", frame) == [False, False, False, True]
    assert values("number('1,234') + 1", frame)[0] == 1235
    assert values("starts_with(lsoa, 'Castle')", frame) == [False, False, True, False]
    assert values("len(district)", frame)[0] == 8
    assert values("replace(lsoa, ' ', '_')", frame)[0] == "Southend_012B"


def test_constants_fill_the_column(frame: pd.DataFrame) -> None:
    assert values("1", frame) == [1, 1, 1, 1]
    assert values("'ASB'", frame) == ["ASB"] * 4
    out, _ = evaluate(expr.constant(1), frame)
    assert out.kind == "number" and out.data.tolist() == [1.0] * 4


def test_text_used_as_a_number_names_the_column(frame: pd.DataFrame) -> None:
    with pytest.raises(NotNumbers) as info:
        evaluate(parse("district * 2"), frame)
    assert info.value.column == "district"
    with pytest.raises(ExprError, match="compares text .* with a number"):
        evaluate(parse("district = 5"), frame)
    with pytest.raises(ExprError, match=r"unknown column 'y2015'; columns are: district, lsoa, "
                                        r"y15, y16, Mar-Apr 2016; did you mean 'y15'\?"):
        evaluate(parse("y16 - y2015"), frame)


#: Ways an attacker (or a Python habit) might try to reach outside the data, and the character
#: where each must be refused. Each is parsed in a fresh process-free check: nothing runs.
ESCAPES = [
    ("@pd.io.common.os.system('touch {sentinel}')", 0, "'@' is not allowed"),
    ("y15.__class__.__mro__", 3, "'.' is not allowed"),
    ("district.str.upper()", 8, "'.' is not allowed"),
    ("__import__('os').system('touch {sentinel}')", 0, "names starting with '__'"),
    ("`y15`.__class__", 5, "'.' is not allowed"),
    ("open('{sentinel}', 'w')", 0, "unknown function 'open'"),
    ("eval('1')", 0, "unknown function 'eval'"),
    ("exec('import os')", 0, "unknown function 'exec'"),
    ("getattr(y15, 'real')", 0, "unknown function 'getattr'"),
    ("lambda: 1", 6, "':' is not allowed"),
    ("(lambda x: x)(1)", 9, "':' is not allowed"),
    ("[x for x in y15]", 0, "'[' is not allowed"),
    ("{'a': 1}", 0, "'{' is not allowed"),
    ("10**10**10", 2, "'**' is not allowed"),
    ("2 ^ 1000", 2, "'^' is not allowed"),
    ("y15; import os", 3, "';' is not allowed"),
    ("y15 if y15 > 0 else y16", 4, "write if(condition, then, else)"),
    ("y15[0]", 3, "'[' is not allowed"),
    ("y15 | y16", 4, "'|' is not allowed"),
    ("~y15", 0, "'~' is not allowed"),
    ("\\x40", 0, "'\\' is not allowed"),
    ("#{sentinel}", 0, "'#' is not allowed"),
    ("round", 0, "'round' is a function"),
    ("y15 < y16 < 3", 10, "comparisons cannot be chained"),
    ("1" * 40, 0, "more than 30 digits"),
    ("1e400", 0, "too large"),
    ("(" * 200 + "1" + ")" * 200, 40, "nests more than 40 levels"),
    ("-" * 500 + "1", 40, "nests more than 40 levels"),
    ("abs(" * 100 + "1" + ")" * 100, 163, "nests more than 40 levels"),
    ("not " * 100 + "true", 160, "nests more than 40 levels"),
    ("y15 + " * 300 + "1", 1000, "at most 1,000"),
    ("'unclosed", 0, "not closed"),
    ("`unclosed", 0, "not closed"),
    ("", 0, "empty"),
    ("round(1, y15)", 9, "whole number from 0 to 10 written out"),
    ("min(1)", 0, "min() takes two or more numbers"),
]


@pytest.mark.parametrize("text,pos,message", ESCAPES, ids=[e[0][:30] for e in ESCAPES])
def test_escape_attempts_are_refused_at_their_place_quickly(text: str, pos: int, message: str,
                                                           tmp_path: Path) -> None:
    sentinel = tmp_path / "pwned"
    text = text.replace("{sentinel}", str(sentinel))
    frame = pd.DataFrame({"y15": [1.0], "y16": [2.0], "district": ["A"]})
    start = time.monotonic()
    with pytest.raises(ExprError) as info:
        evaluate(parse(text), frame)
    assert time.monotonic() - start < 1.0
    assert message in info.value.message
    assert info.value.pos == pos
    assert not sentinel.exists()
    assert not os.path.exists("pwned")


def test_columns_lists_what_an_expression_reads() -> None:
    assert expr.columns(parse("round((b - a) / `Mar-Apr` * 100, 1) + if(c > 0, d, 0)")) == [
        "b", "a", "Mar-Apr", "c", "d"]


def test_documented_functions_are_the_language() -> None:
    from deckgen.data.evaluate import IMPLEMENTATIONS

    assert sorted(IMPLEMENTATIONS) == sorted(expr.SIGNATURES)  # each one checked and computed
    doc = (Path(__file__).resolve().parents[2] / "docs" / "outline.md").read_text()
    for name in expr.SIGNATURES:
        assert f"`{name}(" in doc, f"docs/outline.md does not document {name}()"


def test_other_digits_and_long_chains_are_refused_not_crashes() -> None:
    for text, message in (("y15 * \u00b2", "'\u00b2' is not allowed"),
                          ("y15" + " * y15" * 150, "more than 100 operators"),
                          ("y15" + " - 1" * 150, "more than 100 operators")):
        with pytest.raises(ExprError, match=message):
            parse(text)


def test_round_and_formats_round_half_away_from_zero() -> None:
    from deckgen.data.frames import format_value

    frame = pd.DataFrame({"x": [2.5, -2.5, 1.005, 2.4999999996, 0.125]})
    got = evaluate(parse("round(x, 2)"), frame)[0].data.tolist()
    assert got == [2.5, -2.5, 1.01, 2.5, 0.13]
    assert evaluate(parse("round(x)"), frame)[0].data.tolist() == [3, -3, 1, 2, 0]
    assert [format_value(v, ".0f") for v in (2.5, 3.5, -2.5, 0.5)] == ["3", "4", "-3", "1"]
    assert format_value(-0.0004, ".1%") == "0.0%"
    assert format_value(-0.04, "+.1f") == "+0.0"
    assert format_value(-0.001, ".1%") == "-0.1%"


def test_results_too_large_are_blank_and_counted() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [1e-320, 0.0]})
    value, report = evaluate(parse("a * 1e300 * 1e300"), frame)
    assert value.data.isna().all() and report.invalid == 2
    value, report = evaluate(parse("a / b"), frame)
    assert value.data.isna().all() and report.invalid + report.divided_by_zero == 2
