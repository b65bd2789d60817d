"""The lines a matplotlib chart draws besides its figures: reference lines across bars, a
control chart's centre line, limits and special-cause points, the same months a year earlier,
and the value axis fixed to end on a round tick above them all (layout/chartcontext.py decides
each; render/charts.py draws the figures). The axes come in from render/charts.py, the only
module that imports matplotlib: this one only calls their methods.
"""

from __future__ import annotations

from typing import Any

from deckgen.layout.chartcontext import ValueAxis
from deckgen.layout.chartdata import ChartData
from deckgen.layout.theme import Theme

#: Size of a reference line's or a key's text, in points: smaller than the figures' labels.
CONTEXT_PT = 13.0


def fixed_axis(ax: Any, axis: ValueAxis | None, horizontal: bool, shown: bool) -> None:
    """The value axis from its bottom to its top tick, a tick every step (`shown`: with its
    labels, as a line chart's; bars are labelled, and keep the axis hidden)."""
    if axis is None:
        return
    ticks = [axis.bottom + i * axis.step for i in range(axis.ticks)]
    if horizontal:
        ax.set_xlim(axis.bottom, axis.top)
    else:
        ax.set_ylim(axis.bottom, axis.top)
        if shown:
            ax.set_yticks(ticks)


def references(ax: Any, data: ChartData, theme: Theme, horizontal: bool) -> None:
    """Each reference line across the bars, dashed, in the brand's text colour, behind the
    bars' figures (which have a white ground when there are lines); its name and value
    beyond the plot (above an hbar chart, to the right of a bar chart), one row each, where
    no bar's label is: placed in points from the plot's edge, so no count of bars can push
    a label onto them."""
    if not data.references:
        return
    colour = f"#{theme.colours.text}"
    k = len(data.references)
    for i, ref in enumerate(data.references):
        text = f"{ref.label} {data.label(ref.value)}"
        if horizontal:
            ax.axvline(ref.value, color=colour, linestyle=(0, (5, 3)), linewidth=1.6,
                       zorder=2.5)
            ax.annotate(text, (ref.value, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(0, 3 + (CONTEXT_PT + 5) * (k - 1 - i)),
                        textcoords="offset points", ha="center", va="bottom",
                        fontsize=CONTEXT_PT, color=colour, fontweight="bold")
        else:
            ax.axhline(ref.value, color=colour, linestyle=(0, (5, 3)), linewidth=1.6,
                       zorder=2.5)
            ax.annotate(text, (1.0, ref.value), xycoords=("axes fraction", "data"),
                        xytext=(4, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=CONTEXT_PT, color=colour, fontweight="bold")


def year_earlier(ax: Any, data: ChartData, theme: Theme, x: list[int]) -> list[Any]:
    """The same months a year earlier: thinner, dashed, in the brand's muted colour, under
    the line; its handle for the key."""
    if data.earlier is None:
        return []
    muted = f"#{theme.colours.muted}"
    return list(ax.plot(x, data.earlier.values, color=muted, linewidth=2,
                        linestyle=(0, (4, 2)), zorder=2, label=data.earlier.name))


def control(ax: Any, data: ChartData, theme: Theme, x: list[int]) -> list[Any]:
    """The centre line and control limits, solid over the baseline and dashed beyond it, and
    the special-cause points in Making Data Count's colours; their handles for the key."""
    lines = data.control
    if lines is None:
        return []
    muted = f"#{theme.colours.muted}"
    end = lines.baseline - 1
    handles = []
    for value, width, name in ((lines.centre, 1.6, "Mean"),
                               (lines.upper, 1.2, "Control limits"),
                               (lines.lower, 1.2, "")):
        drawn = ax.plot([x[0], x[end]], [value, value], color=muted, linewidth=width,
                        zorder=1, label=name or "_")
        if end < x[-1]:
            ax.plot([x[end], x[-1]], [value, value], color=muted, linewidth=width,
                    linestyle=(0, (3, 3)), zorder=1)
        if name:
            handles += list(drawn)
    values = data.series[0].values
    seen = set()
    for i, reason in lines.special:
        shown = ax.plot([x[i]], [values[i]], marker="o", markersize=13, linestyle="none",
                        color=f"#{lines.colour(reason)}", zorder=5,
                        label={"improvement": "Improvement", "concern": "Concern",
                               "neither": "Beyond normal variation"}[reason])
        if reason not in seen:
            seen.add(reason)
            handles += list(shown)
    return handles


def key(ax: Any, main: list[Any], more: list[Any]) -> None:
    """A key above the plot naming the line and its context, when there is context."""
    if not more:
        return
    handles = main + more
    ax.legend(handles=handles, frameon=False, fontsize=CONTEXT_PT, loc="lower left",
              bbox_to_anchor=(0.0, 1.03), ncols=min(len(handles), 4), handlelength=2.2,
              borderaxespad=0.2, columnspacing=1.2)
