"""What a chart shows besides its own figures: reference lines, control limits and the value
axis's range, decided once in the layout stage so the matplotlib picture and the native chart
draw the same lines at the same values (render/charts.py, office/write/native.py).

The value axis ends on a round tick above everything drawn (the data, a reference line, an
upper control limit), with at most about six ticks: an axis that stops at 4,000 under a line
that reaches 4,650 makes the reader guess the top of the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal, Optional, Sequence

if TYPE_CHECKING:
    from deckgen.data.spc import ControlChart, Signal

#: Ticks a value axis shows at most (Government Analysis Function: few gridlines).
MAX_TICKS = 6

#: The least room between the highest value and the axis's top, as a share of the axis: a
#: point at 3,980 under a top of 4,000 sits on the frame.
HEADROOM = 0.04

#: Making Data Count's colours for special-cause points: blue an improvement, orange a concern,
#: purple a change that is neither (a chart with no `good:` direction). Fixed rather than the
#: brand's, so that readers used to NHS and police SPC charts read them as they always do.
IMPROVEMENT, CONCERN, NEITHER = "289DE0", "E46C0A", "7B3F9E"

Reason = Literal["improvement", "concern", "neither"]


@dataclass(frozen=True)
class ReferenceLine:
    """A labelled line across a bar chart at `value`: a force average, a named row, a target."""

    value: float
    label: str


@dataclass(frozen=True)
class ControlLines:
    """A control chart's centre line and limits (data/spc.py), computed over the first
    `baseline` points and drawn dashed beyond them; and the special-cause points, each with
    why it is marked."""

    method: Literal["xmr", "c"]
    centre: float
    lower: float
    upper: float
    baseline: int  # the points the limits were computed from: 0 .. baseline-1
    special: tuple[tuple[int, Reason], ...] = ()
    sentences: tuple[str, ...] = ()  # what the chart shows, in words (alt text, notes)
    note: str = ""  # the footnote: the method, its formula, what the colours mean
    latest: Literal["high", "low", "none"] = "none"  # the latest special cause's side

    def colour(self, reason: Reason) -> str:
        return {"improvement": IMPROVEMENT, "concern": CONCERN, "neither": NEITHER}[reason]


@dataclass(frozen=True)
class ValueAxis:
    """A value axis from `bottom` to `top` in steps of `step`: `top` a round tick above the
    highest value drawn."""

    bottom: float
    top: float
    step: float

    @property
    def ticks(self) -> int:
        return round((self.top - self.bottom) / self.step) + 1


def nice_step(span: float, most: int = MAX_TICKS) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k whose ticks cover `span` in at most `most - 1`
    steps."""
    if span <= 0:
        return 1.0
    raw = span / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw * (1 - 1e-9):
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - 10 × power always covers raw


def value_axis(values: Sequence[float], most: int = MAX_TICKS) -> Optional[ValueAxis]:
    """The axis for figures of one sign or the other: from 0 (or a round tick below the lowest
    negative) to a round tick strictly above the highest, with room for its marker, so the
    top point and its label sit under the axis's end, not on it (or at 0, for falls only);
    None for no figures."""
    if not values:
        return None
    high, low = max(max(values), 0.0), min(min(values), 0.0)
    if high == low:
        return ValueAxis(0.0, 1.0, 1.0) if high == 0 else None
    for ticks in range(most, 1, -1):
        step = nice_step((high - low) * 1.0001, ticks)
        bottom = math.floor(low / step) * step
        top = math.floor(high / step) * step + step  # strictly above the highest ...
        if top - high < HEADROOM * (top - bottom):  # ... with room for its marker
            top += step
        if high == 0:  # falls only: the axis ends at their zero end
            top = 0.0
        if round((top - bottom) / step) + 1 <= most:
            return ValueAxis(bottom, top, step)
    step = nice_step((high - low) * 2, most)  # pragma: no cover - one of the above fits
    return ValueAxis(math.floor(low / step) * step, math.floor(high / step) * step + step, step)


def control_lines(chart: "ControlChart", months: Sequence[str],
                  good: Optional[Literal["up", "down"]], label: Callable[[float], str]
                  ) -> ControlLines:
    """A control chart (data/spc.py) as the slide shows it: its lines, its special-cause
    points coloured by `good` (Making Data Count: blue an improvement, orange a concern,
    purple neither when the chart has no `good:`), and the sentences that say what it shows,
    in the chart's number format (`label`)."""
    limits = chart.limits
    special: dict[int, Reason] = {}
    said: list[str] = []
    for signal in chart.signals:
        reason: Reason = "neither" if good is None else \
            "improvement" if (signal.direction == "up") == (good == "up") else "concern"
        for i in signal.points:
            special.setdefault(i, reason)
        said.append(_signal_words(signal, months))
    assessed = len(months) - chart.assessed_from
    last = max(chart.signals, key=lambda s: s.points[-1], default=None)
    latest: Literal["high", "low", "none"] = \
        "none" if last is None else "high" if last.direction == "up" else "low"
    if not said:
        said.append(f"No month of the latest {assessed} ({months[chart.assessed_from]} to "
                    f"{months[-1]}) is outside normal variation.")
    start, stop = limits.baseline
    method = "XmR" if limits.method == "xmr" else "c-chart"
    head = (f"Control limits ({method}, from {months[start]} to {months[stop - 1]}): centre "
            f"{label(limits.centre)}, upper limit {label(limits.upper)}, lower limit "
            f"{label(limits.lower)}.")
    formula = ("mean \u00b1 2.66 \u00d7 mean moving range" if limits.method == "xmr"
               else "mean \u00b1 3\u221amean")
    colours = ("blue an improvement, orange a concern" if good is not None
               else "purple: beyond normal variation")
    note = (f"Control chart ({method}): centre line the mean of {months[start]} to "
            f"{months[stop - 1]}, limits {formula}, dashed beyond. Marked ({colours}): a "
            f"month beyond a limit, 7 in a row on one side of the centre or 7 rising or "
            f"falling, in the latest {assessed} months.")
    return ControlLines(limits.method, limits.centre, limits.lower, limits.upper, stop,
                        tuple(sorted(special.items())), (head, *said), note, latest)


def _signal_words(signal: "Signal", months: Sequence[str]) -> str:
    """A special cause in words: 'April 2016 was above the upper control limit.'"""
    first, last = months[signal.points[0]], months[signal.points[-1]]
    up = signal.direction == "up"
    if signal.rule == "beyond":
        return f"{first} was {'above the upper' if up else 'below the lower'} control limit."
    if signal.rule == "shift":
        return (f"{first} to {last}: {len(signal.points)} months in a row "
                f"{'above' if up else 'below'} the centre line.")
    return (f"{first} to {last}: {len(signal.points)} months in a row, each "
            f"{'higher' if up else 'lower'} than the one before.")
