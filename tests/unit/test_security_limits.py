"""The bounds on work one outline can ask for, held where they are computed.

Text an expression makes is refused before it is made; formats have a bounded number of places
and round any float; text is measured once, whatever sizes fitting tries; and writing a deck
does work in proportion to its slides, not to their square, with the very bytes python-pptx's
own `add_slide` gives. (tests/e2e/test_security_bounds.py runs the same cases as a user does.)
"""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from typing import Any

import pandas as pd
import pytest
from PIL import Image

from deckgen.data.evaluate import MAX_TEXT_CELL, TextBudget, evaluate
from deckgen.layout import textfit
from deckgen.layout.plan import Box, Paragraph, Picture, Run, SlidePlan, TextBox, Title, inches
from deckgen.office import write as pptx_writer
from deckgen.render.document import DocInfo
from deckgen.source import numformat
from deckgen.source.expr import ExprError, parse
from deckgen.source.numformat import FormatError

# --- expressions ------------------------------------------------------------------------------


def test_replace_is_refused_before_its_text_is_made() -> None:
    """9,000 characters with 900 put for each: 8.1 million in the one cell, never allocated."""
    frame = pd.DataFrame({"a": ["x" * 9000]})
    text = f"replace(a, 'x', '{'y' * 900}')"
    tracemalloc.start()
    try:
        with pytest.raises(ExprError) as error:
            evaluate(parse(text), frame)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.pos == 0
    assert error.value.message.startswith("the text made by replace() would be 8.1 million "
                                          "characters long in a row, more than 10,000")
    assert peak < 2_000_000


def test_a_join_at_the_bound_is_made_and_one_past_it_refused() -> None:
    half = MAX_TEXT_CELL // 2
    frame = pd.DataFrame({"a": ["x" * half, None], "b": ["y" * half, "z" * MAX_TEXT_CELL]})
    value, _ = evaluate(parse("a + b"), frame)  # a blank row makes no text
    assert len(value.data[0]) == MAX_TEXT_CELL and value.data[1] is None
    with pytest.raises(ExprError) as error:
        evaluate(parse("b + 'z' + a"), frame)
    assert error.value.pos == 2 and "10,001 characters" in error.value.message


def test_the_text_budget_is_shared_by_the_expressions_given_it() -> None:
    frame = pd.DataFrame({"a": ["x" * 1000] * 1000})  # 1 million characters a column
    budget = TextBudget(limit=2_500_000)
    evaluate(parse("lower(a)"), frame, budget)
    evaluate(parse("upper(a)"), frame, budget)
    assert budget.made == 2_000_000
    with pytest.raises(ExprError) as error:
        evaluate(parse("trim(a)"), frame, budget)
    assert error.value.pos == 0 and error.value.message.startswith(
        "the text made by trim() would bring the text the outline's expressions make to 3.0 "
        "million characters, more than 2,500,000")
    assert budget.made == 2_000_000
    evaluate(parse("trim(a)"), frame)  # a budget of its own


def test_each_blank_row_is_counted_under_its_cause() -> None:
    frame = pd.DataFrame({"n": [4.0, -1.0, 0.0], "t": ["1", "one", "2"]})
    _, report = evaluate(parse("sqrt(n) + n * 1e300 * 1e300 / n"), frame)
    assert (report.negative_roots, report.too_large, report.divided_by_zero) == (1, 2, 1)
    assert report.causes() == ("a square root of a negative number or a result too large to "
                               "be a number")
    _, report = evaluate(parse("number(t)"), frame)
    assert report.not_numbers == 1 and report.causes() == "text that is not a number"
    # an overflow is caught where it happens: inf - inf is no other cause
    value, report = evaluate(parse("n * 1e300 * 1e300 - n * 1e300 * 1e300"), frame.iloc[:1])
    assert value.data.isna().all() and report.too_large == 2 and report.invalid == 2
    # a figure too large to scale to its places has none to round
    value, _ = evaluate(parse("round(n * 1e300, 10)"), frame.iloc[:1])
    assert value.data.tolist() == [4e300]


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "pos"), [("0." + "0" * 30, 1), ("#,##0." + "0" * 11, 5),
                                           ('"£"0.' + "0" * 12 + ";-0.0", 4), (".11f", 0),
                                           ("+,.12%", 2)])
def test_more_than_ten_places_are_refused_at_the_point(text: str, pos: int) -> None:
    with pytest.raises(FormatError) as error:
        numformat.parse(text)
    assert error.value.pos == pos
    assert "decimal places; a format shows at most 10" in error.value.message


def test_any_float_is_rounded_to_its_places() -> None:
    assert numformat.parse("0.0000000000").show(4.5e20) == \
        "450000000000000000000.0000000000"
    assert numformat.parse("#,##0").show(1.5e300).endswith(",000")
    assert numformat.parse(".10f").show(0.12345678905) == "0.1234567891"


# --- measuring text ---------------------------------------------------------------------------


def test_a_text_is_measured_once_whatever_sizes_are_tried(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    measured: list[str] = []
    font = type(textfit._font(False, False))
    real = font.getlength

    def counting(self: Any, text: str, *args: Any, **kwargs: Any) -> float:
        measured.append(text)
        return float(real(self, text, *args, **kwargs))

    monkeypatch.setattr(font, "getlength", counting)
    textfit._width_units.cache_clear()
    words = " ".join(f"word{i % 50}" for i in range(400))
    paragraphs = [Paragraph((Run(words),), 24.0, "222222")]
    scale = textfit.fit_scale(paragraphs, inches(4), inches(1), min_scale=0.5)
    assert scale == 0.5  # every size from 1.0 down to 0.5 was tried
    assert len(measured) == len(set(measured)) <= 51  # 50 words and a space, once each


def test_hard_line_breaks_are_split_in_one_pass() -> None:
    pieces = [("a\nb", False, False), ("c\n\nd", True, False)]
    assert textfit._hard_lines(pieces) == [[("a", False, False)],
                                           [("b", False, False), ("c", True, False)],
                                           [("", False, False)], [("d", True, False)]]
    par = Paragraph((Run("a\n" * 3000),), 12.0, "222222")
    assert textfit.paragraph_lines(par, 500.0) == 3001


# --- writing a deck ---------------------------------------------------------------------------

INFO = DocInfo(title="T", author="A", subject="S", when=dt.datetime(2016, 7, 7), font="Arial",
               heading_font="Arial")


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


PICTURES = [_png("red"), _png("blue")]


def _plans(n: int) -> list[SlidePlan]:
    """Slides with text, notes on every other one, and one of two pictures each."""
    plans = []
    for i in range(n):
        title = Title(f"Slide {i}", Box(inches(1), inches(0.5), inches(8), inches(1)), 30.0,
                      "1B365D")
        text = TextBox(Box(inches(1), inches(2), inches(6), inches(2)),
                       (Paragraph((Run(f"Point {i}"),), 20.0, "222222"),), "Body")
        picture = Picture(Box(inches(8), inches(2), inches(2), inches(2)), PICTURES[i % 2],
                          f"alt {i}", "Picture")
        plans.append(SlidePlan(title, [text, picture], f"notes {i}" if i % 2 else ""))
    return plans


class _PythonPptx:
    """Slides added by python-pptx's own `add_slide`, as the writer did before."""

    def __init__(self, prs: Any) -> None:
        self.prs = prs

    def add(self, layout: Any) -> Any:
        return self.prs.slides.add_slide(layout)


def test_slides_are_added_as_python_pptx_adds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    width, height = inches(13.333), inches(7.5)
    ours = pptx_writer.render(_plans(12), INFO, width, height)
    monkeypatch.setattr(pptx_writer, "SlideAppender", _PythonPptx)
    theirs = pptx_writer.render(_plans(12), INFO, width, height)
    assert ours == theirs


def _relationships_read(n: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many relationships python-pptx reads while a deck of n slides is written."""
    from pptx.opc.package import _Relationships

    count = [0]
    real = _Relationships.__getitem__

    def counting(self: Any, rid: str) -> Any:
        count[0] += 1
        return real(self, rid)

    with monkeypatch.context() as patch:
        patch.setattr(_Relationships, "__getitem__", counting)
        pptx_writer.render(_plans(n), INFO, inches(13.333), inches(7.5))
    return count[0]


def test_writing_a_deck_reads_relationships_in_proportion_to_its_slides(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """python-pptx read every relationship of the deck for each slide, notes page and
    picture: 4,000 slides took 58 s. The work per slide is now the same at any length."""
    small, large = (_relationships_read(n, monkeypatch) for n in (40, 120))
    assert large < 3.3 * small, (small, large)
