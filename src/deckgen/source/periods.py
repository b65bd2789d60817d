"""Periods: a month variable (`period: 2016-04`) and the named windows an outline derives from it.

    variables:
      period: {default: "2016-04", type: month}
    windows:
      current: {months: 2}                      # Mar–Apr 2016
      previous: {months: 2, years_before: 1}    # Mar–Apr 2015
      year: {months: 12}                        # 12 months to April 2016
      fy: {financial_year: last}                # 2015/16
      quarter: {financial_quarter: last}        # 2015/16 Q4

A window is a run of whole months; it is written as people write periods, and matches data whose
period lies inside it: a month (`2016-03`), a date (`2016-03-14`), a financial year (`2015/16`,
April to March) or a financial quarter (`2015/16 Q4`). Changing the month is one `--set
period=2016-05`: every window, label and filter moves with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_FY = re.compile(r"^(\d{4})[/-](\d{2})$")
_FYQ = re.compile(r"^(\d{4})[/-](\d{2}) ?Q([1-4])$")


def parse_month(text: str) -> Optional[int]:
    """A month written YYYY-MM as a number of months since year 0 (for arithmetic), or None."""
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return year * 12 + month - 1 if 1 <= month <= 12 else None


def how_to_write_month(text: str) -> str:
    """What to say of text that is not a month: how to write the month it seems to mean
    ('May 2016', '5/2016', '2016-5' -> 2016-05), else how months are written."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
    month = None
    for w in words:
        if w.isalpha() and len(w) >= 3:
            month = next((i + 1 for i, m in enumerate(MONTHS)
                          if m.lower().startswith(w.lower())), month)
        elif w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 12 and month is None:
            month = int(w)
    if year is not None and month is not None:
        return f"write it YYYY-MM: did you mean {year}-{month:02d}?"
    return "write it YYYY-MM, e.g. 2016-04"


def month_text(index: int) -> str:
    """2016-04 for the month numbered `index` (see parse_month)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_name(index: int, short: bool = False) -> str:
    name = MONTHS[index % 12]
    return name[:3] if short else name


def span(value: str) -> Optional[tuple[int, int]]:
    """The first and last month a value of a period column covers: a month, a date, a
    financial year (2015/16: April 2015 to March 2016) or quarter (2015/16 Q1: April to June
    2015); None when it is not a period."""
    text = value.strip()
    month = parse_month(text)
    if month is not None:
        return month, month
    match = _DATE.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        index = int(match.group(1)) * 12 + int(match.group(2)) - 1
        return index, index
    match = _FYQ.match(text)
    if match and _next_year(match):
        start = int(match.group(1)) * 12 + 3 + (int(match.group(3)) - 1) * 3
        return start, start + 2
    match = _FY.match(text)
    if match and _next_year(match):
        start = int(match.group(1)) * 12 + 3
        return start, start + 11
    return None


def _next_year(match: re.Match[str]) -> bool:
    """Whether a financial year's second part is the year after its first: 2015/16."""
    return (int(match.group(1)) + 1) % 100 == int(match.group(2))


def financial_year(index: int) -> str:
    """The financial year (April to March) a month is in: 2015/16 for 2016-03."""
    start = index // 12 if index % 12 >= 3 else index // 12 - 1
    return f"{start}/{(start + 1) % 100:02d}"


class WindowSpec(BaseModel):
    """A window as the outline declares it (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")

    months: Optional[int] = Field(
        default=None, ge=1, le=240,
        description="the N months ending at period")
    financial_year: Optional[Literal["last", "to_date"]] = None
    financial_quarter: Optional[Literal["last"]] = None
    years_before: int = Field(default=0, ge=0, le=50, description="the same window N years earlier")
    months_before: int = Field(default=0, ge=0, le=600, description="or N months earlier")
    of: str = Field(default="period", description="the month variable it is counted back from")
    label: Optional[str] = Field(
        default=None,
        description="the window's text, when the usual one will not do")
    coverage: Literal["full", "partial"] = Field(
        default="full",
        description="a month in it the data does not cover (never published) is an error; "
                    "`partial` goes ahead, and every slide of it says \"11 of 12 months; November "
                    "2024 not published\"")

    @model_validator(mode="after")
    def _one_shape(self) -> "WindowSpec":
        shapes = [self.months is not None, self.financial_year is not None,
                  self.financial_quarter is not None]
        if sum(shapes) != 1:
            raise ValueError("give a window one of 'months: N', 'financial_year: last' (or "
                             "to_date) or 'financial_quarter: last'")
        return self


@dataclass(frozen=True)
class Window:
    """A run of whole months, from `start` to `end` inclusive (see parse_month)."""

    name: str
    start: int
    end: int
    shape: str  # months, financial_year, financial_quarter, year_to_date
    text: Optional[str] = None
    partial: bool = False  # `coverage: partial`: months the data lacks are stated, not refused

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    @property
    def label(self) -> str:
        """The window as people write it: April 2016, Mar–Apr 2016, Nov 2015–Jan 2016,
        12 months to April 2016, 2015/16, 2015/16 Q4."""
        if self.text:
            return self.text
        end_name = f"{month_name(self.end)} {self.end // 12}"
        if self.shape == "financial_year":
            return financial_year(self.start)
        if self.shape == "financial_quarter":
            quarter = (self.start % 12 - 3) % 12 // 3 + 1
            return f"{financial_year(self.start)} Q{quarter}"
        if self.shape == "year_to_date":
            return f"{financial_year(self.start)} to {end_name}"
        if self.months == 1:
            return end_name
        if self.months >= 12:
            return f"{self.months} months to {end_name}"
        if self.start // 12 == self.end // 12:
            return (f"{month_name(self.start, True)}\u2013{month_name(self.end, True)} "
                    f"{self.end // 12}")
        return (f"{month_name(self.start, True)} {self.start // 12}\u2013"
                f"{month_name(self.end, True)} {self.end // 12}")

    def values(self) -> dict[str, str]:
        """What text may say of the window: {name} is its label; {name.start}, {name.end}
        its first and last months (YYYY-MM); {name.months} how many."""
        return {self.name: self.label, f"{self.name}.label": self.label,
                f"{self.name}.start": month_text(self.start),
                f"{self.name}.end": month_text(self.end), f"{self.name}.months": str(self.months)}


def window(name: str, spec: WindowSpec, period: int) -> Window:
    """The window `spec` counted back from the month `period`."""
    shift = spec.years_before * 12 + spec.months_before
    end = period - shift
    partial = spec.coverage == "partial"
    if spec.months is not None:
        return Window(name, end - spec.months + 1, end, "months", spec.label, partial)
    if spec.financial_quarter is not None:
        # the last complete quarter (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar) ending at or before end
        last = end - (end % 12 - 2) % 3
        return Window(name, last - 2, last, "financial_quarter", spec.label, partial)
    first_april = end - (end % 12 - 3) % 12  # the April at or before `end`
    if spec.financial_year == "to_date":
        return Window(name, first_april, end, "year_to_date", spec.label, partial)
    last = end if end % 12 == 2 else first_april - 1  # the March ending the last whole year
    return Window(name, last - 11, last, "financial_year", spec.label, partial)
