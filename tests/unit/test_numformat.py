"""The format language, dates and text placeholders: figures never shown wrong."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping, Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deckgen.source import numformat
from deckgen.source.dates import Month, parse_date, show_date
from deckgen.source.figures import Declared, FigureError, Ref, contradiction, parse
from deckgen.source.variables import fill


def _excel_like(value: float, places: int, thousands: bool) -> str:
    """An independent rounding: half away from zero on the decimal the value was written as."""
    q = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    digits = f"{abs(q):,.{places}f}" if thousands else f"{abs(q):.{places}f}"
    return ("-" if q < 0 else "") + digits


@pytest.mark.parametrize("fmt,value,shown", [
    ("0", 212.0, "212"), ("0.0", 6.44, "6.4"), ("0.0", 2.25, "2.3"), ("0", 2.5, "3"),
    ("0", -2.5, "-3"), ("#,##0", 48250.5, "48,251"), ("£#,##0.00", 48250.5, "£48,250.50"),
    ("0.0%", 0.064, "6.4%"), (".1%", 0.064, "6.4%"), ("0.0\\%", 6.4, "6.4%"),
    ('0.0"%"', 6.4, "6.4%"), ("+0.0;-0.0", -9.5694, "-9.6"), ("+0.0;-0.0", 3.2, "+3.2"),
    ("0.0;0.0", -9.5694, "9.6"), ("0.0;(0.0)", -2.25, "(2.3)"),
    ('#,##0;-#,##0;"no change"', 0, "no change"), (",.0f", 57004, "57,004"),
    ("£,.0f", 1194677, "£1,194,677"), ("+.1f", 3.25, "+3.3"), (".1f", -0.04, "0.0"),
    ('0.0" pts"', 1.25, "1.3 pts"), ("d", 663, "663"), (",d", 1194677, "1,194,677"),
    ("0,0", 12345.6, "12,346"), ("0,000", 1234, "1,234"),
])
def test_formats_show_what_excel_and_people_write(fmt: str, value: float, shown: str) -> None:
    assert numformat.parse(fmt).show(value) == shown


@pytest.mark.parametrize("fmt,hint", [
    ("0.0#", "'0.00'"), ("dd/mm/yyyy", "date codes"), ("[Red]0", "good: up|down"),
    ("0.00E+00", "scientific"), ("#,##0,", "divides by 1,000"), ("+0.0", "'+0.0;-0.0'"),
    ("0;0;0;0", "at most three"), ("0.0x", "quote literal text"), ('"x', "does not close"),
    (".2d", "'.2f'"), ("#.0", "'#0.0'"), ("?", "'0' or '#'"),
    ("%.1f", "write '0.0'"), (".1f%", "write '0.0'"), ("{:,.0f}", "write '#,##0'"),
    ("{:.1%}", "write '.1%' or '0.0%' (it multiplies by 100 as Python's does"),
])
def test_formats_that_would_mislead_are_refused_with_the_right_spelling(fmt: str,
                                                                          hint: str) -> None:
    with pytest.raises(numformat.FormatError) as info:
        numformat.parse(fmt)
    assert hint in info.value.message


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
       st.integers(min_value=0, max_value=3), st.booleans())
def test_a_format_rounds_as_an_independent_decimal_rounding(value: float, places: int,
                                                            thousands: bool) -> None:
    fmt = ("#,##0" if thousands else "0") + ("." + "0" * places if places else "")
    expected = _excel_like(value, places, thousands)
    if expected.startswith("-") and set(expected[1:]) <= set("0.,"):
        expected = expected[1:]  # never -0.0
    assert numformat.parse(fmt).show(value) == expected


def test_percent_of_a_percent_is_caught_and_a_true_minus_is_used_when_asked() -> None:
    message = numformat.percent_warning([6.41], "0.0%", "unit")
    assert message is not None and "shows as 641.0%" in message and "6.4%" in message
    assert numformat.percent_warning([0.064], "0.0%", "unit") is None
    assert numformat.parse("0.0%").show(6.41, in_percent=True) == "6.4%"
    assert numformat.parse("+0.0;-0.0").show(-2.5, minus="\u2212") == "\u22122.5"
    assert numformat.show_value(212.0, None) == "212"
    assert numformat.show_value(0.1 + 0.2, None) == "0.3"


@pytest.mark.parametrize("text,date", [
    ("07/07/2016", dt.date(2016, 7, 7)), ("2016-7-7", dt.date(2016, 7, 7)),
    ("31-05-2016", dt.date(2016, 5, 31)), ("7 July 2016", dt.date(2016, 7, 7)),
    ("7th Jul 2016", dt.date(2016, 7, 7)), ("June 23, 2016", dt.date(2016, 6, 23)),
    ("13.05.2016", dt.date(2016, 5, 13)),
])
def test_dates_in_the_common_uk_forms_are_read(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize("text,hint", [
    ("05/07/2016", "could be 5 July 2016 (day first, as in the UK) or 7 May 2016"),
    ("31/02/2016", "not a date of the calendar"), ("Summer 2016", "write it like"),
    ("7 Jly 2016", "'Jly' in '7 Jly 2016' is not a month"),
])
def test_an_ambiguous_or_impossible_date_is_refused(text: str, hint: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert hint in str(info.value)


def test_dates_show_in_the_brands_style() -> None:
    day = dt.date(2016, 7, 7)
    assert [show_date(day, s) for s in ("ordinal", "long", "short", "iso")] == [
        "7th July 2016", "7 July 2016", "07/07/2016", "2016-07-07"]
    assert show_date(parse_date("July 2016")) == "July 2016"
    assert isinstance(parse_date("2016-07"), Month)


class _Figures:
    """A stand-in for the data: cells by reference."""

    def __init__(self, cells: Mapping[str, Any], named: Mapping[str, str] = {},
                 minus: str = "-") -> None:
        self.cells = cells
        self.minus = minus
        self.named = {k: Declared(parse(v).ref, "") for k, v in named.items()}  # type: ignore

    def declared(self) -> Mapping[str, Declared]:
        return self.named

    def value(self, ref: Ref) -> Any:
        if str(ref) not in self.cells:
            raise FigureError(f"no row for {ref}")
        return self.cells[str(ref)]

    def caution(self, ref: Ref, value: Any) -> Optional[str]:
        return None


def test_placeholders_fill_variables_figures_formats_and_words() -> None:
    figures = _Figures({"asb[district=Medway].pct": 6.3, "asb[district=Swale].pct": -9.57,
                        "asb[total].n": 51992.0},
                       {"medway": "asb[district=Medway].pct"})
    values = {"district": "Swale"}
    text = ("{district}: ASB {asb[district={district}].pct|down:fell|up:rose|zero:held} by "
            "{asb[district={district}].pct:0.0;0.0}%; Medway {medway|down:fell|up:rose|zero:"
            "held}; force {asb[total].n:#,##0} ({asb[total].n}); {{literal}}")
    filled = fill(text, values, figures)
    assert filled.errors == []
    assert filled.text == ("Swale: ASB fell by 9.6%; Medway rose; force 51,992 (51992); "
                           "{literal}")


def test_a_direction_word_the_figure_contradicts_is_an_error() -> None:
    figures = _Figures({"asb[district=Medway].pct": 6.3})
    filled = fill("Medway: ASB down {asb[district=Medway].pct:0.0}%", {}, figures)
    assert [e.message.split(",")[0] for e in filled.errors] == ["'down' next to 6.3"]
    assert fill("ASB up {asb[district=Medway].pct:0.0}%", {}, figures).errors == []
    assert contradiction("rose by", "", -2.0) == "rose"
    assert contradiction("in Basildon", "", -2.0) is None


@pytest.mark.parametrize("text,message,pos", [
    ("X {distrct}", "unknown name '{distrct}'", 2),
    ("X {asb[district=Medway].pct:0.0x}", "'x' has no meaning", 31),
    ("X {asb[district=Medway].pct|down:fell|up:rose}", "add zero:", 28),
    ("X {asb[district].pct}", "picks a row by 'column=value'", 7),
    ("X {asb[district=Kent].pct}", "no row for", 2),
    ("X {district:0.0}", "not a number: a format is for numbers", 2),
    ("X {asb.[x]}", "is not a figure", 2),
])
def test_placeholder_errors_point_at_their_character(text: str, message: str,
                                                     pos: int) -> None:
    figures = _Figures({"asb[district=Medway].pct": 6.3})
    filled = fill(text, {"district": "Swale"}, figures)
    assert [(message in e.message, e.pos) for e in filled.errors] == [(True, pos)], \
        filled.errors


def test_words_follow_the_figure_as_its_format_rounds_it() -> None:
    figures = _Figures({"a[k=x].p": 0.04, "a[k=y].p": 0.0006})
    words = "|down:fell|up:rose|zero:held"
    assert fill(f"{{a[k=x].p:0.0{words}}} {{a[k=x].p{words}}}", {}, figures).text == \
        "held rose"
    # 0.0006 in '0.0%' shows 0.1%: a rise, not 'held'
    assert fill(f"{{a[k=y].p:0.0%{words}}}", {}, figures).text == "rose"


def test_a_percent_format_on_a_figure_already_in_percent_is_a_warning_in_text() -> None:
    figures = _Figures({"a[k=x].rate": 6.4})
    filled = fill("{a[k=x].rate:0.0%}", {}, figures)
    assert filled.text == "640.0%"
    assert [w.message.split(";")[0] for w in filled.warnings] == [
        "format '0.0%' multiplies by 100, so 6.4 shows as 640.0%"]
    figures.named = {"rate": Declared(Ref("a", (("k", "x"),), "rate"), "0.0%", True)}
    said = fill("{rate}", {}, figures)
    assert (said.text, said.warnings) == ("6.4%", [])


@pytest.mark.parametrize("fmt,shown", [("+0.0;-0.0", "+0.0"), ("0.0;(0.0)", "0.0"),
                                       ('+0.0;-0.0;"nil"', "nil"), ("0.0", "0.0")])
def test_a_fall_that_rounds_to_zero_is_shown_as_zero(fmt: str, shown: str) -> None:
    assert numformat.parse(fmt).show(-0.04) == shown


def test_the_poisson_z_score_and_its_levels() -> None:
    import math

    from deckgen.source import noise

    # z = 2(√c − √p): 100 -> 144 is exactly 2(12 − 10) = 4
    assert noise.z_score(144, 100) == 4.0
    assert noise.z_score(100, 144) == -4.0
    assert math.isclose(noise.z_score(52, 50), 2 * (math.sqrt(52) - math.sqrt(50)))
    assert [noise.level(z) for z in (3.0, -3.0, 2.99, 2.0, -1.99, 0.0)] == [
        "significant", "significant", "notable", "notable", "noise", "noise"]
    assert noise.level(2.5, notable=1, significant=2.5) == "significant"
    # what a change column is, found from its figures
    assert noise.change_kinds(20, 120, 100) == {False, True}  # a base of 100: either
    assert noise.change_kinds(-5, 95, 100) == {False, True}
    assert noise.change_kinds(30, 130, 100 + 0) == {False, True}
    assert noise.change_kinds(10, 110, 50) == set()
    assert noise.change_kinds(60, 80, 50) == {True}
    assert noise.change_kinds(30, 80, 50) == {False}


@pytest.mark.parametrize("body,message", [
    ("f|significant:a|up:b", "'up:b' is not one of significant:, notable:, noise:"),
    ("f|down:a|notable:b", "'notable:b' is not one of down:, up:, zero:"),
    ("f|significant:a|notable:b", "give words for every level of change the figure may take: "
     "add noise:..."),
])
def test_words_are_by_sign_or_by_level_never_both(body: str, message: str) -> None:
    with pytest.raises(FigureError) as info:
        parse(body)
    assert message in info.value.message


@pytest.mark.parametrize("fmt,in_percent,suffix,code", [
    (".1f", False, "%", '0.0"%";"-"0.0"%"'),
    ("+.1f", False, "%", '"+"0.0"%";"-"0.0"%"'),
    ("#,##0", False, "", '#,##0;"-"#,##0'),
    ("+0.0;-0.0", False, "", '"+"0.0;"-"0.0'),
    ("0.0%", True, "", '0.0"%";"-"0.0"%"'),  # already in percent: the sign as text
    (".1%", False, "", '0.0%;"-"0.0%'),  # a fraction: Excel multiplies, as we do
    ("£#,##0.00", False, "", '"£"#,##0.00;"-£"#,##0.00'),
    ('0.0;(0.0);"nil"', False, "", '0.0;"("0.0")";"nil"'),
])
def test_a_format_as_excel_writes_its_code(fmt: str, in_percent: bool, suffix: str,
                                           code: str) -> None:
    assert numformat.excel_code(numformat.parse(fmt), in_percent, suffix) == code
