"""Change that reflects noise: which changes in a count are more than normal variation.

Police recorded crime is a full count, not a sample, so the question is not sampling error but
Poisson noise: a count of c varies by about √c from period to period by chance alone. The
z-score of a change from `previous` to `current` is

    z = 2 (√current − √previous)

(the Poisson z-score crime analysts use, A. Wheeler 2016: 2√c is about normal with variance 1
for a Poisson count c, and the earlier count is taken as the level to compare with; a test
that takes both counts as noisy divides it by √2, which `notable: 2.83, significant: 4.24`
gives). |z| ≥ 2 is *notable* and |z| ≥ 3 *significant* by default; below that the change is
within normal variation. A
percentage change on a small base (previous < 10) says more about the base than the change,
so it is not shown. Counts from 1 to below a threshold can be suppressed (shown as "*"), the
totals computed before suppression.
"""

from __future__ import annotations

import math
from typing import Any, Literal, Optional, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["significant", "notable", "noise"]
LEVELS: tuple[Level, ...] = ("significant", "notable", "noise")
MARKERS: dict[Level, str] = {"significant": "\u2021", "notable": "\u2020", "noise": ""}
SMALL_BASE_TEXT = "\u2013"  # an en dash where a % change on a small base would be
#: After a figure with no mark in a column of marked ones: a figure space, as wide as a digit
#: and as the marks (Arial, Liberation Sans), so the figures line up.
NO_MARK = "\u2007"
SUPPRESSED_TEXT = "*"


class ChangeSpec(BaseModel):
    """`change:` on a table column (or a figure): the two counts the change is between, and
    when it is flagged."""

    model_config = ConfigDict(extra="forbid")

    current: str
    previous: str
    notable: float = Field(default=2.0, gt=0)
    significant: float = Field(default=3.0, gt=0)
    small_base: float = Field(
        default=10, ge=0,
        description="a % change on fewer than this shows '–'")

    @model_validator(mode="after")
    def _ordered(self) -> "ChangeSpec":
        if self.significant < self.notable:
            raise ValueError(f"'significant' ({self.significant:g}) must be at least "
                             f"'notable' ({self.notable:g})")
        return self


def is_count(value: Any) -> TypeGuard[float]:
    """Whether a figure can be a count of crimes or incidents: a whole number, not negative
    (a rate, an average or a share is not, and its change has no Poisson noise)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 \
        and value == int(value)


def z_score(current: float, previous: float) -> float:
    """2(√current − √previous): the change between two Poisson counts in standard units."""
    return 2 * (math.sqrt(current) - math.sqrt(previous))


def level(z: float, notable: float = 2.0, significant: float = 3.0) -> Level:
    if abs(z) >= significant:
        return "significant"
    return "notable" if abs(z) >= notable else "noise"


def change_kinds(value: float, current: float, previous: float) -> set[bool]:
    """What `value` can be of the two counts: their % change (True, to the places it is
    written with), their difference (False), both (a base of 100) or neither (empty)."""
    difference = current - previous
    kinds = set()
    if math.isclose(value, difference, rel_tol=1e-6, abs_tol=1e-6):
        kinds.add(False)
    # a % change as published is rounded: -15.8 stands for -15.789..., so allow half a unit
    # of its last written place
    places = next((d for d in range(7) if abs(round(value, d) - value) < 1e-9), None)
    allowed = 0.5 * 10 ** -places + 1e-9 if places is not None else 1e-6
    if previous and abs(value - difference / previous * 100) <= max(allowed, 1e-6 * abs(value)):
        kinds.add(True)
    return kinds


def footnote(levels: set[str], coloured: bool, small_base: Optional[float],
             notable: float = 2.0, significant: float = 3.0,
             suppressed: Optional[int] = None) -> str:
    """What the table's marks mean, in a line under it: only the marks it shows."""
    parts = []
    limits = {"significant": significant, "notable": notable}
    marks = [f"{MARKERS[lv]} {lv} (|z| \u2265 {limits[lv]:g})"
             for lv in ("significant", "notable") if lv in levels]
    if marks:
        parts.append(f"{' and '.join(marks)} change: beyond normal (Poisson) variation; other "
                     "changes are within it" + (" and not coloured" if coloured else "") + ".")
    elif levels:
        parts.append("No change is beyond normal (Poisson) variation"
                     + (", so none is coloured" if coloured else "") + ".")
    if small_base:
        parts.append(f"{SMALL_BASE_TEXT} % change not shown: fewer than {small_base:g} "
                     "before.")
    if suppressed:
        parts.append(f"{SUPPRESSED_TEXT} fewer than {suppressed}, not shown; totals include "
                     "them.")
    return " ".join(parts)


def notes(notable: float = 2.0, significant: float = 3.0) -> str:
    """What the speaker notes say of the flags: the test, for a presenter asked."""
    return ("Changes are flagged by the Poisson z-score of their two counts, z = 2(\u221acurrent "
            "\u2212 \u221aprevious): recorded crime is a full count, and a count varies by about "
            f"its square root by chance alone. |z| \u2265 {significant:g} is significant "
            f"({MARKERS['significant']}), \u2265 {notable:g} notable ({MARKERS['notable']}); "
            "smaller changes are within normal variation.")
