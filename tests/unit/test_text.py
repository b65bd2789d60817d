"""Inline emphasis and text measurement."""

from __future__ import annotations

from deckgen.layout import markup, textfit
from deckgen.layout.plan import Paragraph, Run, inches


def test_bold_and_italic_runs() -> None:
    runs = markup.runs("managed by a **district commander** and *others*")
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("managed by a ", False, False), ("district commander", True, False),
        (" and ", False, False), ("others", False, True)]


def test_unmatched_stars_stay_as_text() -> None:
    assert markup.plain("5 * 3 = 15") == "5 * 3 = 15"
    assert markup.plain("By *Sarah Hills* | Posted") == "By Sarah Hills | Posted"


def test_liberation_sans_has_arial_widths() -> None:
    # Arial's advance width for 'M' is 1706/2048 em; at 12 pt that is 9.996 pt
    assert abs(textfit.text_width_pt("M", 12) - 12 * 1706 / 2048) < 0.01
    assert textfit.text_width_pt("Southend", 10, bold=True) > textfit.text_width_pt("Southend", 10)


def test_wrapping_counts_lines() -> None:
    pieces = [("one two three four five six seven eight nine ten", False, False)]
    one_line = textfit.text_width_pt(pieces[0][0], 20)
    assert textfit.wrap_words(pieces, 20, one_line + 1) == 1
    assert textfit.wrap_words(pieces, 20, one_line / 2 + 30) == 2


def test_a_word_wider_than_the_box_never_fits() -> None:
    assert textfit.wrap_words([("£1,194,677", True, False)], 44, 100) >= textfit.UNBREAKABLE


def test_fit_scale_shrinks_long_text_and_grows_short_text() -> None:
    long = [Paragraph((Run("word " * 200),), 22, "000000")]
    short = [Paragraph((Run("Hello"),), 22, "000000")]
    assert textfit.fit_scale(long, inches(6), inches(2), 0.5) == 0.5
    assert textfit.fit_scale(short, inches(6), inches(2), 0.5, 1.3) == 1.3
    scale = textfit.fit_scale([Paragraph((Run("word " * 60),), 22, "000000")],
                              inches(6), inches(2), 0.3)
    assert 0.3 < scale < 1.0
    fitted = textfit.scaled(long, 0.5)
    assert fitted[0].size == 11


def test_hard_line_breaks_count() -> None:
    par = Paragraph((Run("Essex\nis a safe\ncounty"),), 48, "000000")
    assert textfit.paragraph_lines(par, 1000) == 3
