"""Read a cell's text as a number the way spreadsheets write numbers, and never guess.

`1,234` is 1234 and `-5.9%` is -5.9 where the decimal mark is a point (as in the UK); where it
is a comma (a semicolon-separated export from a European Excel) `1.234,5` is 1234.5. A cell such
as `1,234` in a file whose decimal mark is not known could be either: `decimal_mark` finds what
the cells themselves prove and refuses to choose when they prove nothing.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional, TypeVar

Where = TypeVar("Where")

_MINUS = "\u2212"
#: A sign, then a currency sign (money columns: £48,250.50 is 48250.5), then the digits.
_POINT = re.compile(r"^[-+\u2212]?[£$€]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$"
                    r"|^[-+\u2212]?[£$€]?\.\d+%?$")
_COMMA = re.compile(r"^[-+\u2212]?[£$€]?(\d{1,3}([.\u00a0\u202f ]\d{3})+|\d+)(,\d+)?%?$"
                    r"|^[-+\u2212]?[£$€]?,\d+%?$")
#: A code such as 007 or 012: digits with a leading zero stay text (district codes, beats).
_LEADING_ZERO = re.compile(r"^[-+]?0\d")
#: What statistical tables write for "no figure": such cells in a column of numbers are blank.
MISSING_MARKERS = frozenset({"n/a", "N/A", "NA", "na", "n.a.", "N.A.", "n.a", "N.A", "-",
                             "\u2013", "\u2014", "..", ":", "x", "*", "null", "NULL", "#N/A",
                             "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                             "[x]", "[c]", "[z]", "[low]", "[u]", "[w]", "[X]", "[C]", "[Z]"})
#: What the markers of ONS and other official statistics mean (the Government Analysis
#: Function's symbols), for the message that says a cell is read as no figure.
MARKER_MEANINGS = {"[x]": "not available", "[c]": "confidential", "[z]": "not applicable",
                   "[low]": "a figure that rounds to 0", "[u]": "low reliability",
                   "[w]": "no cases", "..": "not available", ":": "not available"}
#: More significant digits than a float holds exactly (9007199254740993 would show as ...992).
MAX_DIGITS = 15


def significant_digits(text: str) -> int:
    """How many significant digits a number is written with: 001,234.50 has 6."""
    digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0")
    return len(digits.rstrip("0")) if "." not in text else len(digits)


def to_number(text: str, decimal: str = ".") -> Optional[float]:
    """'1,234' -> 1234, '-5.9%' -> -5.9, '−3' (minus sign) -> -3, '£48,250.50' -> 48250.5;
    None if not a number.

    With decimal=",": '1.234,5' -> 1234.5 and '4,5' -> 4.5.
    """
    if not isinstance(text, str):
        return None
    t = text.strip()
    if decimal == ",":
        if not _COMMA.match(t):
            return None
        for group in (".", "\u00a0", "\u202f", " "):
            t = t.replace(group, "")
        t = t.replace(",", ".")
    else:
        if not _POINT.match(t):
            return None
        t = t.replace(",", "")
    for mark in "%£$€":
        t = t.replace(mark, "")
    return float(t.replace(_MINUS, "-"))


def is_code(text: str) -> bool:
    """Digits with a leading zero (007, 012): a code to keep as written, not a number."""
    return bool(_LEADING_ZERO.match(text.strip()))


def decimal_evidence(text: str) -> Optional[str]:
    """What one cell proves about the decimal mark: '.', ',', 'ambiguous' (it reads as two
    different numbers, like 1,234) or None (not a number, or the same number either way)."""
    point, comma = to_number(text, "."), to_number(text, ",")
    if point is None and comma is None:
        return None
    if point is None:
        return ","
    if comma is None:
        return "."
    return None if point == comma else "ambiguous"


def decimal_mark(cells: Iterable[tuple[str, Where]]
                 ) -> tuple[Optional[str], Optional[Where], Optional[Where]]:
    """The decimal mark the cells prove: (mark, where a point was proved, where a comma was),
    or (None, where, None) when some cell is ambiguous and none decides. `cells` are
    (text, where) pairs; mark is '.' when no cell has a mark at all."""
    point_at: Optional[Where] = None
    comma_at: Optional[Where] = None
    ambiguous_at: Optional[Where] = None
    for text, where in cells:
        seen = decimal_evidence(text)
        if seen == "." and point_at is None:
            point_at = where
        elif seen == "," and comma_at is None:
            comma_at = where
        elif seen == "ambiguous" and ambiguous_at is None:
            ambiguous_at = where
    if point_at is not None and comma_at is not None:
        return "mixed", point_at, comma_at
    if comma_at is not None:
        return ",", None, comma_at
    if point_at is not None:
        return ".", point_at, None
    if ambiguous_at is not None:
        return None, ambiguous_at, None
    return ".", None, None
