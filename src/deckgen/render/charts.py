"""Draw charts with matplotlib (Agg, no pyplot state): the only module that imports matplotlib.

Charts are drawn at the exact size of their box on the slide, so a 16 pt label in the chart is
16 pt on the screen, and at 200 dpi so they stay crisp on a projector. What a chart shows, and
its alt text, is decided in the layout stage (layout/chartdata.py).
"""

from __future__ import annotations

import io
import re
import textwrap
from functools import lru_cache
from typing import Any, Callable, Optional, Sequence

from deckgen.layout import chartdata
from deckgen.layout.chartdata import ChartData
from deckgen.layout.textfit import font_path
from deckgen.layout.theme import Theme
from deckgen.render import chartlines

DPI = 200
LABEL_PT = 16.0
VALUE_PT = 16.0
#: A line chart names at most this many points along its axis (the others are left blank).
MAX_LINE_LABELS = 8


@lru_cache(maxsize=1)
def _register_fonts() -> str:
    from matplotlib import font_manager

    for bold in (False, True):
        for italic in (False, True):
            font_manager.fontManager.addfont(font_path(bold, italic))
    return "Liberation Sans"


def render(data: ChartData, theme: Theme, width_in: float, height_in: float) -> bytes:
    """The chart as PNG bytes, drawn at width_in x height_in inches."""
    return drawn(data, theme, width_in, height_in)[0]


def drawn(data: ChartData, theme: Theme, width_in: float, height_in: float,
          inspect: Optional[Callable[[Any], None]] = None) -> tuple[bytes, tuple[str, ...]]:
    """The chart as PNG bytes, drawn at width_in x height_in inches, and what is wrong with
    its text as drawn (`clashes`): a label over another, or cut off at the picture's edge.
    `inspect` is called with the drawn axes (tests read what was drawn where)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _register_fonts()
    c = theme.colours
    style: dict[str, Any] = {
        "font.family": family,
        "font.size": LABEL_PT,
        "text.color": f"#{c.text}",
        "axes.edgecolor": f"#{c.muted}",
        "axes.labelcolor": f"#{c.text}",
        "xtick.color": f"#{c.text}",
        "ytick.color": f"#{c.text}",
        "svg.hashsalt": "deckgen",
    }
    with rc_context(style):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        draw = _clustered if data.chart in ("bar", "hbar") and len(data.series) > 1 else {
            "bar": _bars, "hbar": _bars, "pie": _pie, "donut": _pie, "line": _line}[data.chart]
        draw(ax, data, theme)
        fig.tight_layout(pad=0.4)
        if data.chart in ("bar", "hbar"):
            for _ in range(3):  # a long value label (−18.3%‡) needs more room than a margin
                if not _room_for_labels(fig, ax, data.chart == "hbar"):
                    break
                fig.tight_layout(pad=0.4)
        _fit_legend(fig, ax)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                    transparent=True)
        problems = tuple(clashes(fig, ax))
        if inspect is not None:
            inspect(ax)
    if data.chart == "bar" and len(data.series) == 1:  # crowded names under upright bars
        names = {" ".join(str(c).split()) for c in data.categories}
        problems = tuple(f"{p}: {HBAR}" if _names_overlap(p, names) else p for p in problems)
    return out.getvalue(), problems


def _room_for_labels(fig: Any, ax: Any, horizontal: bool) -> bool:
    """Widen the value axis where a bar's value label runs past the picture's edge, by as
    much as it runs past (and a little more); whether it had to."""
    renderer = fig.canvas.get_renderer()
    edge = fig.bbox
    low = high = 0.0
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        if horizontal:
            low, high = max(low, edge.x0 - box.x0), max(high, box.x1 - edge.x1)
        else:
            low, high = max(low, edge.y0 - box.y0), max(high, box.y1 - edge.y1)
    if low <= 0 and high <= 0:
        return False
    start, end = ax.get_xlim() if horizontal else ax.get_ylim()
    size = ax.bbox.width if horizontal else ax.bbox.height
    per_pixel = (end - start) / max(size, 1.0)
    pad = 4.0  # pixels beyond the label
    start -= (low + pad) * per_pixel if low > 0 else 0.0
    end += (high + pad) * per_pixel if high > 0 else 0.0
    (ax.set_xlim if horizontal else ax.set_ylim)(start, end)
    return True


def _names_overlap(problem: str, names: set[str]) -> bool:
    """Whether a clash (`clashes`) is of category names running into each other."""
    found = _OVERLAP.match(problem)
    return found is not None and bool(names & set(found.groups()))


_OVERLAP = re.compile(r"the chart's text overlaps: '(.*?)' runs into '(.*?)'")
#: What to do about crowded category names under a bar chart's bars (`drawn` says it).
HBAR = "draw it as 'chart: hbar', where long names read across, or use shorter names"
#: What to do about any other text of a chart or map that clashes.
MORE_ROOM = "give the chart more room, or use shorter names or labels"


def _fit_legend(fig: Any, ax: Any) -> None:
    """A key beside the plot (a pie's) kept on the picture: tight_layout leaves it out of its
    sums, so the plot is narrowed until the key's right edge is inside the picture."""
    legend = ax.get_legend()
    if legend is None:
        return
    renderer = fig.canvas.get_renderer()
    for _ in range(4):
        over = legend.get_window_extent(renderer).x1 - fig.bbox.width + 4
        if over <= 0:
            return
        box = ax.get_position(original=False)
        ax.set_position([box.x0, box.y0, max(box.width - over / fig.bbox.width, 0.1),
                         box.height])
        fig.canvas.draw()


def _shown_ticks(axis: Any) -> list[Any]:
    """An axis's title and the labels of the ticks it draws (matplotlib also keeps labels for
    ticks beyond the axis's ends, which are not drawn)."""
    if not axis.get_visible():
        return []
    lo, hi = sorted(axis.get_view_interval())
    slack = (hi - lo) * 1e-6
    return [axis.label] + [label for loc, label in zip(axis.get_ticklocs(),
                                                       axis.get_ticklabels())
                           if lo - slack <= loc <= hi + slack]


def clashes(fig: Any, ax: Any, more: Sequence[Any] = ()) -> list[str]:
    """The chart's text that runs into other text or off the picture, measured where
    matplotlib drew it (each text's box on the canvas): what a reader would see as labels
    printed over each other, or a value cut off at the edge. `more`: texts outside the axes
    (a map's key)."""
    renderer = fig.canvas.get_renderer()
    texts = [*_shown_ticks(ax.xaxis), *_shown_ticks(ax.yaxis), *ax.texts,
             *(ax.get_legend().get_texts() if ax.get_legend() else []), *more]
    boxes = [(" ".join(t.get_text().split()), t.get_window_extent(renderer)) for t in texts
             if t.get_visible() and t.get_text().strip()]
    width, height = fig.bbox.width, fig.bbox.height
    slack = 1.5  # pixels at DPI: glyphs that touch are not a clash
    cut = [text for text, b in boxes if b.x0 < -slack or b.y0 < -slack
           or b.x1 > width + slack or b.y1 > height + slack]
    pairs = [(text, other) for i, (text, a) in enumerate(boxes) for other, b in boxes[i + 1:]
             if min(a.x1, b.x1) - max(a.x0, b.x0) > slack
             and min(a.y1, b.y1) - max(a.y0, b.y0) > slack]
    out = []
    if pairs:
        more = f", and {len(pairs) - 1} more" if len(pairs) > 1 else ""
        out.append(f"the chart's text overlaps: '{pairs[0][0]}' runs into '{pairs[0][1]}'"
                   f"{more}")
    if cut:
        more = f" and {len(cut) - 1} more" if len(cut) > 1 else ""
        out.append(f"the chart's text '{cut[0]}'{more} is cut off at its edge")
    return out


def _colours(data: ChartData, theme: Theme, names: tuple[str, ...]) -> list[str]:
    c = theme.colours
    if data.highlight is None:
        return [f"#{c.primary}"] * len(names)
    return [f"#{c.accent}" if n == data.highlight else f"#{c.primary}" for n in names]


def _axis_label(label: str, ax: Any, horizontal: bool) -> str:
    """An axis title wrapped to the figure's width (or height, along a vertical axis), so a
    long one never runs off a narrow chart."""
    along = ax.figure.get_figwidth() if horizontal else ax.figure.get_figheight()
    return _wrap(label, max(12, int(along * 72 * 0.85 / (14 * 0.55))))


def _wrap(label: str, width: int = 22) -> str:
    """A label on lines of about `width` characters, never breaking a word ("Miscellaneous")."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def _bars(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    c = theme.colours
    values = data.series[0].values
    colours = _colours(data, theme, data.categories)
    horizontal = data.chart == "hbar"
    labels = [_wrap(cat, 38 if horizontal else 12) for cat in data.categories]
    positions = range(len(values))
    if horizontal:
        bars = ax.barh(positions, values, color=colours, height=0.7)
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        if all(v <= 0 for v in values):  # falls grow left: name each bar at its zero end
            ax.yaxis.tick_right()
            ax.spines["right"].set_visible(False)
        ax.xaxis.set_visible(False)
        ax.axvline(0, color=f"#{c.muted}", linewidth=1)
    else:
        bars = ax.bar(positions, values, color=colours, width=0.7)
        ax.set_xticks(list(positions), labels)
        ax.yaxis.set_visible(False)
        ax.axhline(0, color=f"#{c.muted}", linewidth=1)
    size = _fitted_size(ax, len(values)) if horizontal else VALUE_PT
    if horizontal:
        ax.tick_params(axis="y", labelsize=size)
    figures = ax.bar_label(bars, labels=data.labels(), padding=6,
                           fontsize=size, fontweight="bold", color=f"#{c.text}")
    _bar_frame(ax, data, theme, horizontal, 0.18)
    if data.references:
        for figure in figures:  # a reference line passes behind a figure, never through it
            figure.set_bbox(dict(facecolor="white", edgecolor="none", pad=1.0))
        # the axis through every line, and room for their labels beyond the bars
        ax.autoscale_view()
        lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
        refs = [r.value for r in data.references]
        span = max(hi, *refs) - min(lo, *refs)
        low, high = min(lo, min(refs) - 0.05 * span), max(hi, max(refs) + 0.05 * span)
        (ax.set_xlim if horizontal else ax.set_ylim)(low, high)
        chartlines.references(ax, data, theme, horizontal)


#: The smallest size names and values of a crowded bar chart step down to (pt).
MIN_BAR_PT = 13.0


def _fitted_size(ax, count: int) -> float:  # type: ignore[no-untyped-def]
    """The size of the names and values of `count` horizontal bars: LABEL_PT, or smaller
    (to MIN_BAR_PT) where the chart is too short for a line of that size a bar."""
    per_bar: float = ax.figure.get_figheight() * 72 * 0.82 / max(count, 1)  # the axes' share
    return max(MIN_BAR_PT, min(LABEL_PT, round(per_bar / 1.25 * 2) / 2))


def _bar_frame(ax, data: ChartData, theme: Theme, horizontal: bool,  # type: ignore[no-untyped-def]
               margin: float) -> None:
    """What every bar chart shares around its bars: the highlighted category's name in bold,
    no frame or ticks, room beyond the bars (`margin` along them) and the axis title."""
    for tick, cat in zip(ax.get_yticklabels() if horizontal else ax.get_xticklabels(),
                         data.categories):
        if cat == data.highlight:
            tick.set_fontweight("bold")
    for side in ("top", "right", "bottom" if horizontal else "left"):
        ax.spines[side].set_visible(False)
    ax.spines["left" if horizontal else "bottom"].set_visible(False)
    ax.tick_params(length=0, pad=8)
    ax.margins(x=margin) if horizontal else ax.margins(y=0.15)
    if data.axis_label:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(
            _axis_label(data.axis_label, ax, horizontal), fontsize=14,
            color=f"#{theme.colours.muted}")
        (ax.xaxis if horizontal else ax.yaxis).set_visible(True)
        (ax.set_xticks if horizontal else ax.set_yticks)([])


def _clustered(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    """Bars side by side in each category, one for each column (two periods): the last, the
    period the briefing is about, in the primary colour (the highlighted category's in the
    accent), the others lighter; a legend names them."""
    c = theme.colours
    horizontal = data.chart == "hbar"
    n, k = len(data.categories), len(data.series)
    width = 0.8 / k
    shades = list(reversed(_shades(c.primary, max(k, 2))[:k]))
    # each bar's thickness in points: where it is thinner than a label, only the last column
    # (the period the briefing is about) is labelled, so labels never run into each other
    across = (ax.figure.get_figheight() if horizontal else ax.figure.get_figwidth()) * 72 * 0.8
    every = across / n * width * 0.92 >= (VALUE_PT - 3) * 1.15
    for j, series in enumerate(data.series):
        offsets = [i + (j - (k - 1) / 2) * width for i in range(n)]
        colours = [f"#{c.accent}" if j == k - 1 and cat == data.highlight else shades[j]
                   for cat in data.categories]
        bars = (ax.barh(offsets, series.values, height=width * 0.92, color=colours,
                        label=series.name) if horizontal else
                ax.bar(offsets, series.values, width=width * 0.92, color=colours,
                       label=series.name))
        if every or j == k - 1:
            ax.bar_label(bars, labels=[data.label(v) for v in series.values], padding=4,
                         fontsize=VALUE_PT - 3, fontweight="bold" if j == k - 1 else "normal",
                         color=f"#{c.text}")
    labels = [_wrap(cat, 38 if horizontal else 12) for cat in data.categories]
    if horizontal:
        ax.set_yticks(range(n), labels)
        ax.invert_yaxis()
        ax.xaxis.set_visible(False)
        ax.axvline(0, color=f"#{c.muted}", linewidth=1)
    else:
        ax.set_xticks(range(n), labels)
        ax.yaxis.set_visible(False)
        ax.axhline(0, color=f"#{c.muted}", linewidth=1)
    from matplotlib.patches import Patch

    # above the bars, never on them; each column in its own colour (not a highlighted bar's)
    ax.legend(handles=[Patch(facecolor=shades[j], label=s.name)
                       for j, s in enumerate(data.series)], frameon=False,
              fontsize=LABEL_PT - 2, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=k)
    _bar_frame(ax, data, theme, horizontal, 0.15)


def _pie(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    """A pie or donut with a key beside it: each label carries its value, so no colour-only
    reading is needed and small slices never crowd their labels."""
    from matplotlib.patches import Patch

    c = theme.colours
    values = data.series[0].values
    shades = _shades(c.primary, len(values))
    colours = [f"#{c.accent}" if cat == data.highlight else shade
               for cat, shade in zip(data.categories, shades)]
    ring = dict(width=0.42, edgecolor="white", linewidth=2) if data.chart == "donut" else dict(
        edgecolor="white", linewidth=2)
    ax.pie(values, colors=colours, startangle=90, counterclock=False, wedgeprops=ring)
    ax.set_aspect("equal")
    handles = [Patch(facecolor=col, label=f"{cat}  {data.label(v)}")
               for cat, v, col in zip(data.categories, values, colours)]
    legend = ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5),
                       frameon=False, fontsize=LABEL_PT, handlelength=1.2, handleheight=1.2,
                       labelspacing=0.7)
    for text, cat in zip(legend.get_texts(), data.categories):
        if cat == data.highlight:
            text.set_fontweight("bold")
    if data.chart == "donut" and data.axis_label:
        ax.text(0, 0, _wrap(data.axis_label, 12), ha="center", va="center", fontsize=LABEL_PT,
                color=f"#{c.primary}", fontweight="bold")


def _gaps(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    """A month with no data: the line breaks there (matplotlib leaves NaN undrawn), and a
    shaded band says 'no data', so the break reads as missing, never as a fall."""
    for i in (data.categories.index(c) for c in chartdata.gaps(data)):
        ax.axvspan(i - 0.4, i + 0.4, color=f"#{theme.colours.light}", zorder=1, lw=0)
        ax.annotate("no data", (i, 0), xycoords=("data", "axes fraction"), xytext=(0, 6),
                    textcoords="offset points", ha="center", va="bottom", rotation=90,
                    fontsize=VALUE_PT - 2, color=f"#{theme.colours.muted}")


def _line(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    c = theme.colours
    x = list(range(len(data.categories)))
    context = chartlines.year_earlier(ax, data, theme, x) + chartlines.control(ax, data,
                                                                               theme, x)
    main: list[Any] = []
    for s in data.series:
        single = len(data.series) == 1
        focus = single or s.name == data.highlight or data.highlight is None
        colour = f"#{c.accent}" if s.name == data.highlight else (
            f"#{c.primary}" if focus else "#B8C2CF")
        main += ax.plot(x, s.values, color=colour, linewidth=4 if focus else 1.5, marker="o",
                        markersize=8 if focus else 4, zorder=3 if focus else 2,
                        label=data.axis_label if single and data.axis_label else s.name)
        if focus:  # the last value, named when lines need telling apart
            name = "" if single else f"{s.name} "
            ax.annotate(f"{name}{data.label(s.values[-1])}", (x[-1], s.values[-1]),
                        xytext=(10, 0), textcoords="offset points", va="center",
                        fontsize=VALUE_PT, fontweight="bold", color=colour)
    _highlighted_point(ax, data, theme)
    _gaps(ax, data, theme)
    _point_names(ax, data, x)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.margins(x=0.25 if len(x) <= MAX_LINE_LABELS else 0.12)
    values = [v for s in data.series for v in s.values if v == v]
    if values and min(values) >= 0:
        ax.set_ylim(bottom=0)  # a count's axis starts at 0, so a change is not exaggerated
    # ends on a round tick above the line and its context (layout/chartcontext.py)
    chartlines.fixed_axis(ax, data.axis, False, True)
    chartlines.key(ax, main[:1] if len(data.series) == 1 else [], context)
    if data.axis_label:
        ax.set_ylabel(_axis_label(data.axis_label, ax, False), fontsize=14,
                      color=f"#{c.muted}")
    from matplotlib.ticker import FuncFormatter

    # the axis in the figures' own format: 4,000 beside a label of 3,613, not 4000
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: data.label(v)))


def _highlighted_point(ax, data: ChartData, theme: Theme) -> None:  # type: ignore[no-untyped-def]
    """A single line's highlighted point (a month the briefing is about), ringed and labelled."""
    if len(data.series) != 1 or data.highlight not in data.categories:
        return
    i = data.categories.index(data.highlight)
    value = data.series[0].values[i]
    ax.plot([i], [value], marker="o", markersize=14, color=f"#{theme.colours.accent}", zorder=4)
    ax.annotate(data.label(value), (i, value), xytext=(0, 14), textcoords="offset points",
                ha="center", fontsize=VALUE_PT, fontweight="bold",
                color=f"#{theme.colours.text}")


def _point_names(ax, data: ChartData, x: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Every point's name when they fit; else every k-th, from the last (the month a briefing
    is about): at most MAX_LINE_LABELS, and no more than the axis has room for side by side
    (a narrow chart on a 4:3 slide holds fewer "Feb 2015"s than a wide one)."""
    longest = max((len(str(c)) for c in data.categories), default=1)
    room = ax.figure.get_figwidth() * 72 * 0.8  # the axis, in points
    fit = max(1, int(room // (longest * LABEL_PT * 0.6 + LABEL_PT)))  # a gap of a character
    step = max(1, -(-len(x) // min(MAX_LINE_LABELS, fit)))
    shown = set(range(len(x) - 1, -1, -step))
    ax.set_xticks(x, [label if i in shown else "" for i, label in enumerate(data.categories)])


def _shades(hex_colour: str, n: int) -> list[str]:
    """n tints of the brand colour, darkest first, so neighbouring wedges stay distinct."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    out = []
    for i in range(n):
        t = 0.72 * i / max(n - 1, 1)
        out.append("#%02X%02X%02X" % tuple(int(v + (255 - v) * t) for v in (r, g, b)))
    return out
