"""deckgen's one number-format language: how a figure is written on a slide.

Two spellings are read, because analysts arrive with one or the other, and both mean the same
thing everywhere (table columns, chart labels, figures in text):

- **Excel's**, the common part of it: `0`, `0.0`, `#,##0`, `0.0%`, `£#,##0.00`, `+0.0;-0.0`,
  `0.0;(0.0)`, literal text in quotes (`0.0" pts"`) or after a backslash (`0.0\\%`). Up to three
  sections separated by `;`: positive; negative (shown without its sign, the section writes
  one); zero.
- **Python's** format spec for numbers: `.1f`, `,.0f`, `+.1f`, `.0%`, with a currency sign in
  front (`£,.2f`).

`%` multiplies by 100, as in Excel and Python (0.064 shows as 6.4%). A figure that is already
in percent (6.4 meaning 6.4%) is written with a literal sign: `0.0"%"` or `0.0\\%` (or the column
says `unit: percent`). Everything else Excel can say (dates, colours, conditions, `?`, `E+`,
`@`) is refused with the spelling to use instead: a format must never print a wrong figure.

Rounding is half away from zero, as Excel and people round (2.5 shows as 3, not Python's 2).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import Any, Optional

from deckgen.errors import TextError

CURRENCY = "£$€"
TRUE_MINUS = "\u2212"
#: Decimal places a format may show: beyond this no figure on a slide is that exact.
MAX_PLACES = 10
#: Rounding exactly, with room for every digit of the largest float (about 1.8e308) and the
#: decimal places (Decimal's default 28 digits refuse 1e20 to 10 places).
_EXACT = Context(prec=330 + MAX_PLACES, rounding=ROUND_HALF_UP)


class FormatError(TextError, ValueError):
    """A format that is not in the language: the message says what to write, `pos` where (a
    ValueError, so a pydantic field validator reports it at the key)."""


@dataclass(frozen=True)
class Section:
    """One way of writing a number: its digits, and the text around them."""

    places: int = 0
    thousands: bool = False
    percent: bool = False  # multiplies by 100
    prefix: str = ""
    suffix: str = ""
    plus: bool = False  # a + before positive numbers (Python's '+')
    words_only: bool = False  # a zero section of text alone: "no change"


@dataclass(frozen=True)
class NumberFormat:
    """A parsed format: one section, or Excel's positive; negative; zero."""

    written: str
    positive: Section
    negative: Optional[Section] = None  # shown with the number's size; writes its own sign
    zero: Optional[Section] = None

    @property
    def percent(self) -> bool:
        """Whether the format multiplies by 100 (`0.0%`, `.1%`)."""
        return self.positive.percent

    def shows_zero(self, value: float, in_percent: bool = False) -> bool:
        """Whether the format rounds the value to zero (0.04 in '0.0', 0.00004 in '0.0%'): so
        words chosen by a figure's sign agree with the figure shown."""
        return _rounded(abs(value), self.positive, in_percent) == 0

    def as_shown(self, value: float, in_percent: bool = False) -> float:
        """The value as the format shows it, as a number: -5.86 in '0.0' is -5.9, 0.0412 in
        '0.0%' is 0.041. What is classed by its figure (a map's areas) is classed by what a
        reader sees, so a figure and its class's label agree."""
        section = self.negative if value < 0 and self.negative is not None else self.positive
        scale = 100 if section.percent and not in_percent else 1
        size = float(_rounded(abs(value), section, in_percent) / scale)
        return -size if value < 0 and size else size

    def step(self, in_percent: bool = False) -> float:
        """The smallest difference the format shows (0.1 for '0.0', 0.001 for '0.0%')."""
        scale = 100 if self.positive.percent and not in_percent else 1
        return float(Decimal(1).scaleb(-self.positive.places) / scale)

    def show(self, value: float, minus: str = "-", in_percent: bool = False) -> str:
        """The value written in this format. `minus` is the sign negatives get ('-', or the
        true minus '−'); `in_percent` says the value is already in percent (6.4 for 6.4%), so a
        `%` format shows it as it is rather than multiplied by 100."""
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a figure")
        section, size, sign = self.positive, value, ""
        if self.shows_zero(value, in_percent):  # -0.04 in '0.0' is 0.0: never '-0.0'
            section, size, value = self.zero or self.positive, 0.0, 0.0
        if value < 0 and self.negative is not None:
            section, size = self.negative, -value
        elif value < 0:
            size, sign = -value, minus
        elif section.plus:
            sign = "+"
        if section.words_only:
            return section.prefix
        digits = _digits(_rounded(abs(size), section, in_percent), section)
        text = f"{sign}{section.prefix}{digits}{'%' if section.percent else ''}{section.suffix}"
        return text.replace("-", minus) if minus != "-" and self.negative is not None else text


def _rounded(size: float, section: Section, in_percent: bool) -> Decimal:
    scale = 100 if section.percent and not in_percent else 1
    exact = Decimal(repr(float(size))) * scale
    return exact.quantize(Decimal(1).scaleb(-section.places), context=_EXACT)


def _digits(number: Decimal, section: Section) -> str:
    return format(number, f"{',' if section.thousands else ''}.{section.places}f")


# --- reading a format ---------------------------------------------------------------------------

_PYTHON = re.compile(r"^(?P<cur>[£$€]?)(?P<plus>[+-]?)(?P<comma>,?)(?:\.(?P<places>\d{1,2}))?"
                     r"(?P<type>[f%d]?)$")


#: A printf spec (%.1f), a Python format string ({:.1f}) or a spec with a % after (.1f%).
_SPEC = r"\+?(?P<comma>,?)(?:\.(?P<places>\d{1,2}))?"
_OTHER_SPELLINGS = (re.compile(rf"^%{_SPEC}[fd]$"),
                    re.compile(rf"^\{{:{_SPEC}(?P<type>[fd%])\}}$"), re.compile(rf"^{_SPEC}f%$"))


@lru_cache(maxsize=256)
def parse(text: str) -> NumberFormat:
    """A format written in either spelling; raises FormatError saying what to write instead.
    A C or Python format string is refused first, naming its spelling here (read as Excel's, it
    would be refused for Excel's codes), then Python's spec is tried, then Excel's sections."""
    if not isinstance(text, str) or not text.strip():
        raise FormatError("a format must be text, e.g. '0.0', '#,##0' or '+0.0%'")
    _refuse_other_spellings(text)
    return _python_spec(text) or _excel_sections(text)


def _refuse_other_spellings(text: str) -> None:
    """Refuse a printf spec (%.1f), a Python format string ({:.1f}) or a spec with a % after
    it (.1f%), with the same format in this language's spellings: analysts paste these from
    code, and each would otherwise show a figure wrong or fail later."""
    other = next((m for m in (p.match(text.strip()) for p in _OTHER_SPELLINGS) if m), None)
    if not other:
        return
    places = int(other["places"] or 0)
    digits = ("#,##0" if other["comma"] else "0") + ("." + "0" * places if places else "")
    if other.groupdict().get("type") == "%":  # Python's % multiplies by 100, as here
        raise FormatError(f"'{text}' is written as in a Python format string; here write "
                          f"'{other['comma'] or ''}.{places}%' or '{digits}%' (it multiplies "
                          "by 100 as Python's does, for fractions like 0.064), or "
                          f"'{digits}\\%' if the figure is already in percent")
    raise FormatError(f"'{text}' is written as in C or in a Python format string; here "
                      f"write '{digits}' (or Python's '{other['comma'] or ''}.{places}f'), "
                      "with a % sign written as text after it if the figure is already "
                      f"in percent: '{digits}\\%'")


def _python_spec(text: str) -> Optional[NumberFormat]:
    """The format in Python's spelling (`.1f`, `,.0f`, `+.1%`, `£,.2f`), one section; None
    when it is not one, to be read as Excel's."""
    python = _PYTHON.match(text)
    if not python or not (python["type"] or python["places"] is not None or python["comma"]):
        return None
    if python["type"] == "d" and python["places"] is not None:
        raise FormatError(f"'{text}' mixes whole numbers (d) with decimal places; write "
                          f"'.{python['places']}f' or '0.{'0' * int(python['places'])}'")
    places = int(python["places"] or 0)
    if places > MAX_PLACES:
        raise FormatError(_too_many_places(text, places), text.index("."))
    return NumberFormat(text, Section(places=places, thousands=bool(python["comma"]),
                                      percent=python["type"] == "%", prefix=python["cur"],
                                      plus=python["plus"] == "+"))


def _excel_sections(text: str) -> NumberFormat:
    """The format in Excel's spelling: up to three sections (positive; negative; zero), each
    read by _section. A '+' in a lone section is refused: Excel would show a fall as '-+5'."""
    sections = _split_sections(text)
    if len(sections) > 3:
        raise FormatError(f"'{text}' has {len(sections)} sections; a format has at most three "
                          "(positive;negative;zero)", len(text) - 1)
    parsed = [_section(body, start, text, i == 2) for i, (body, start) in enumerate(sections)]
    if len(parsed) == 1 and "+" in parsed[0].prefix:
        raise FormatError(f"'{text}' would show a fall as '-+5' (as Excel does): give negatives "
                          f"their own section, e.g. '{text};{text.replace('+', '-', 1)}'",
                          text.index("+"))
    return NumberFormat(text, parsed[0], parsed[1] if len(parsed) > 1 else None,
                        parsed[2] if len(parsed) > 2 else None)


def _split_sections(text: str) -> list[tuple[str, int]]:
    """The text of each section and where it starts: split at each `;` outside quotes and not
    after a backslash (`0.0" pts; approx"` is one section)."""
    out, start, quoted, i = [], 0, False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted:
            i += 1
        elif ch == ";" and not quoted:
            out.append((text[start:i], start))
            start = i + 1
        i += 1
    out.append((text[start:], start))
    return out


_REFUSED = {
    "?": "'?' pads digits with spaces; write '0' or '#' for digits",
    "@": "'@' is Excel's text format; a figure needs a number format such as '0.0'",
    "[": "conditions and colours in brackets ([Red], [>100]) are not supported; colour "
         "changes with a table column's 'good: up|down'",
    "*": "'*' repeats a character to fill the cell; leave it out",
    "_": "'_' leaves the width of a character; leave it out",
    "E": "scientific notation is not supported; write '#,##0' or '0.0'",
    "e": "scientific notation is not supported; write '#,##0' or '0.0'",
    "/": "fractions are not supported; write decimals, e.g. '0.00'",
}
_DATE = set("dmyhsDMYHSAa")


def _section(body: str, start: int, text: str, zero: bool = False) -> Section:
    """One Excel section: literal text, then the digits (0 # , .), then % and literal text."""
    prefix: list[str] = []
    suffix: list[str] = []
    digits: list[str] = []
    percent, seen_digits, i = False, False, 0
    while i < len(body):
        ch, pos = body[i], start + i
        literal: Optional[str] = None
        if ch == '"':
            end = body.find('"', i + 1)
            if end < 0:
                raise FormatError(f"'{text}' opens a quote it does not close", pos)
            literal, i = body[i + 1:end], end
        elif ch == "\\":
            if i + 1 >= len(body):
                raise FormatError(f"'{text}' ends with a backslash; write the character to "
                                  "show after it, e.g. '0.0\\%'", pos)
            literal, i = body[i + 1], i + 1
        elif ch in "0#,." and not (seen_digits and suffix):
            if suffix or percent:
                raise FormatError(f"'{text}' has digits after its % or suffix", pos)
            digits.append(ch)
            seen_digits = True
        elif ch == "%":
            if not seen_digits or percent or suffix:
                raise FormatError(f"'{text}': put one % after the digits, e.g. '0.0%'", pos)
            percent = True
        elif ch in _REFUSED:
            raise FormatError(f"'{text}': {_REFUSED[ch]}", pos)
        elif ch in _DATE:
            raise FormatError(f"'{text}' is not a number format (letters such as d, m, y are "
                              "Excel's date codes); write a number format such as '0.0', or "
                              "quote literal text: '0.0\" pts\"'", pos)
        elif ch in CURRENCY + "+-() " + TRUE_MINUS:
            literal = ch
        else:
            raise FormatError(f"'{text}': '{ch}' has no meaning in a number format; quote "
                              f"literal text, e.g. '0\"{ch}\"'", pos)
        if literal is not None:
            (suffix if seen_digits else prefix).append(literal)
        i += 1
    if not digits and zero and prefix:
        return Section(prefix="".join(prefix), words_only=True)
    if not digits:
        raise FormatError(f"'{text}' has no digits; write e.g. '0' for whole numbers, '0.0' for "
                          "one decimal place, '#,##0' for thousands", start)
    return _number(prefix, digits, suffix, percent, text, start)


def _number(prefix: list[str], digits: list[str], suffix: list[str], percent: bool, text: str,
            start: int) -> Section:
    body = "".join(digits)
    whole, _, decimals = body.partition(".")
    if "." in decimals or set(decimals) - {"0", "#"}:
        raise FormatError(f"'{text}': the decimals must be 0s after one point, e.g. '0.00'",
                          start)
    if "#" in decimals:
        raise FormatError(f"'{text}': optional decimals ('#' after the point) would show 2.5 "
                          f"and 2 side by side; write '{whole or '0'}.{'0' * len(decimals)}' "
                          "so every figure has the same places", start)
    if whole and "0" not in whole:
        raise FormatError(f"'{text}' would show 0.5 as '.5'; write a 0 before the point: "
                          f"'{whole}0{'.' + decimals if decimals else ''}'", start)
    if whole.endswith(","):
        raise FormatError(f"'{text}': a comma at the end of the digits divides by 1,000 in "
                          "Excel; divide in the data (derive: {thousands: n / 1000}) and write "
                          "'#,##0'", start)
    if len(decimals) > MAX_PLACES:
        raise FormatError(_too_many_places(text, len(decimals)), text.index(".", start))
    return Section(places=len(decimals), thousands="," in whole, percent=percent,
                   prefix="".join(prefix), suffix="".join(suffix))


def _too_many_places(text: str, places: int) -> str:
    return (f"'{text}' shows {places} decimal places; a format shows at most {MAX_PLACES} "
            f"(e.g. '0.{'0' * min(places, 2)}')")


def percent_warning(values: list[float], written: str, unit_key: str) -> str | None:
    """A warning when a format that multiplies by 100 ('0.0%') meets figures that look like
    percentages already (6.4, which it would show as 640.0%), or None."""
    fmt = parse(written)
    large = [v for v in values if v == v and abs(v) > 1]
    literal = written.replace("%", "\\%")
    if not fmt.percent or not large:
        return None
    return (f"format '{written}' multiplies by 100, so {show_value(large[0], None)} "
            f"shows as {fmt.show(large[0])}; if the figures are already in percent, say "
            f"'{unit_key}: percent' (it then shows {fmt.show(large[0], in_percent=True)}), or "
            f"write the sign as text: '{literal}'")


def surely_in_percent(values: list[float]) -> bool:
    """Whether figures larger than 1 under a '%' format are surely not fractions, so that
    showing them multiplied by 100 would be wrong, not merely odd: several figures and every
    one of them beyond 1, or one that would show as 10,000% or more. (A few rises over 100%
    among fractions are real.)"""
    nonzero = [abs(v) for v in values if v == v and v != 0]
    return (len(nonzero) >= 3 and min(nonzero) > 1) or any(v >= 100 for v in nonzero)


def checked(text: str) -> str:
    """A format field's validator: the text, once it parses (a pydantic field_validator)."""
    if text:
        parse(text)
    return text


def show_value(value: Any, fmt: Optional[NumberFormat], minus: str = "-",
               in_percent: bool = False) -> str:
    """A cell or figure as text: numbers in the format (or, with none, as a spreadsheet shows
    them: 212, not 212.0; 0.12, not 0.12000000000000001), blanks empty, text as written."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    if hasattr(value, "__float__") and not isinstance(value, str):
        number = float(value)
        if fmt is not None:
            return fmt.show(number, minus, in_percent)
        if number.is_integer():
            text = str(int(number))
        else:
            text = f"{number:.15g}"
        return text.replace("-", minus, 1) if number < 0 else text
    return str(value)


def excel_code(fmt: NumberFormat, in_percent: bool = False, suffix: str = "",
               minus: str = "-") -> str:
    """The format as Excel and PowerPoint write a number format code, for a native chart's
    data labels: the same digits, signs and text, whichever spelling it was written in. A
    figure already in percent gets its % sign as text, as `show` writes it."""
    sections = [fmt.positive, fmt.negative or replace(fmt.positive, plus=False), fmt.zero]
    codes = []
    for i, section in enumerate(sections):
        if section is None:
            continue
        if section.words_only:
            codes.append(_quoted(section.prefix))
            continue
        digits = ("#,##0" if section.thousands else "0") + (
            "." + "0" * section.places if section.places else "")
        percent = ('"%"' if in_percent else "%") if section.percent else ""
        sign = "+" if section.plus and i != 1 else ""
        if i == 1 and fmt.negative is None:
            sign = minus  # Excel's negative section writes no sign of its own
        codes.append(f"{_quoted(sign + section.prefix)}{digits}{percent}"
                     f"{_quoted(section.suffix + suffix)}")
    return ";".join(codes)  # with two sections, Excel writes zero with the first, as `show`


def _quoted(text: str) -> str:
    return f'"{text}"' if text else ""
