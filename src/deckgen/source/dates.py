"""Dates as analysts write them in an outline, read one way and shown one way.

Understood: ISO (2016-07-07, 2016-7-7), day first as in the UK (07/07/2016, 31-05-2016,
7.7.2016), words (7 July 2016, 7th July 2016, 7 Jul 2016, July 7, 2016) and a month alone
(July 2016, 2016-07). A date written with numbers that could be read two ways (05/07/2016: 5
July in the UK, 7 May in the US) is refused with the way to write it, never guessed; so is
anything else. The brand's `date_style` says how every date on a slide is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, Union

#: How a date is shown: 7th July 2016 (ordinal), 7 July 2016 (long), 07/07/2016 (short) or
#: 2016-07-07 (iso).
DateStyle = Literal["ordinal", "long", "short", "iso"]

_MONTHS = {name.lower(): i for i, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_ONLY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$|^(\d{4})-(\d{1,2})$")


class Month(str):
    """A month written without a day (July 2016): shown as its month and year."""


def how_to_write(text: str) -> str:
    return (f"'{text}' is not a date deckgen can read for certain; write it like 2016-07-05 "
            "or 5 July 2016 (a time of day is not shown on slides)")


def parse_date(text: str) -> Union[dt.date, Month]:
    """The date a text means; raises ValueError with how to write it."""
    t = " ".join(str(text).split())
    try:
        if m := _ISO.match(t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(t):
            day, month, year = int(m[1]), int(m[3]), int(m[4])
            if day <= 12 and month <= 12 and day != month:
                raise ValueError(
                    f"'{t}' could be {dt.date(year, month, day):%-d %B %Y} (day first, as in "
                    f"the UK) or {dt.date(year, day, month):%-d %B %Y} (month first); write "
                    f"{year}-{month:02d}-{day:02d} or {day} {dt.date(year, month, 1):%B} {year}")
            return dt.date(year, month, day)
        if m := _DAY_MONTH.match(t):
            return dt.date(int(m[3]), _month(m[2], t), int(m[1]))
        if m := _MONTH_DAY.match(t):
            return dt.date(int(m[3]), _month(m[1], t), int(m[2]))
        if m := _MONTH_ONLY.match(t):
            year, month = (int(m[2]), _month(m[1], t)) if m[1] else (int(m[3]), int(m[4]))
            return Month(f"{dt.date(year, month, 1):%B %Y}")
    except ValueError as exc:
        if "could be" in str(exc) or "not a month" in str(exc):
            raise
        raise ValueError(f"'{t}' is not a date of the calendar ({exc}); write a date that "
                         "is, like 2016-07-05 or 5 July 2016") from None
    raise ValueError(how_to_write(t))


def _month(name: str, text: str) -> int:
    month = _MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise ValueError(f"'{name}' in '{text}' is not a month; write it like 2016-07-05 or "
                         "5 July 2016")
    return month


def show_date(value: Union[dt.date, str, None], style: DateStyle = "ordinal") -> str:
    """A date as the brand's style shows it; a month alone as 'July 2016'."""
    if value is None or value == "":
        return ""
    if isinstance(value, Month):
        return str(value)
    if isinstance(value, str):
        parsed = parse_date(value)
        return show_date(parsed, style)
    if style == "long":
        return f"{value.day} {value:%B %Y}"
    if style == "short":
        return f"{value:%d/%m/%Y}"
    if style == "iso":
        return value.isoformat()
    day = value.day
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix} {value:%B %Y}"


def checked(value: Union[dt.date, str, None]) -> Union[dt.date, str, None]:
    """A date field's validator: a text date is read (or refused) when the outline is
    checked; a month alone stays text (Month)."""
    if isinstance(value, str) and value.strip():
        return parse_date(value)
    return value
