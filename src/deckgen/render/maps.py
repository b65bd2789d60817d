"""Draw maps with matplotlib (Agg, no pyplot state): a plain, north-up choropleth, no basemap.

Its own module beside charts.py (the two are the only modules that import matplotlib): a map
shares the charts' fonts, size and resolution but nothing of their drawing. Every area is one
compound path of a single PathCollection (not a patch each), which is what lets the force's
1,077 LSOAs draw in a fraction of a second. What the map shows, its classes and colours, is
decided in the layout stage (layout/mapdata.py). The key (the legend, and the list of the
highest areas under it) is a column on the right, measured as drawn and made smaller until it
fits; the map takes the rest of the width.
"""

from __future__ import annotations

import io
import math
from typing import Any, Optional, Sequence

from deckgen.layout.mapdata import MARK_HATCH, NO_DATA, MapArea, MapData
from deckgen.layout.theme import Theme
from deckgen.render import mapnames
from deckgen.render.charts import DPI, LABEL_PT, _register_fonts, clashes

HATCH = "////"
#: The lines of the map: thin, so a coast of inlets and islands (Tendring's estuaries) and a
#: town-centre LSOA stay visible under them (points).
AREA_LINE, OUTLINE_LINE, HIGHLIGHT_LINE, SMALL_HIGHLIGHT_LINE = 0.3, 0.9, 1.6, 1.0
#: The smallest axes the key leaves the map (a fraction of the figure): names are fitted in it.
SMALLEST_MAP = (0.0, 0.0, 0.48, 1.0)


def drawn(data: MapData, theme: Theme, width_in: float, height_in: float
          ) -> tuple[bytes, tuple[str, ...]]:
    """The map as PNG bytes, drawn at width_in x height_in inches, and what is wrong with its
    text as drawn (labels over each other or cut off, the key's included)."""
    fig, ax = figure(data, theme, width_in, height_in)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None}, transparent=True)
    key = [*fig.legends[0].get_texts(), fig.legends[0].get_title(), *fig.texts]
    found = clashes(fig, ax, key)
    wanted, named = len(_highest(data)), len(ax.texts)  # the numbers on the map
    if named < wanted and not data.named:
        found.append(f"{f'only {named}' if named else 'none'} of the {wanted} highest areas "
                     f"{'is' if named == 1 else 'are'} named (top: {len(data.labelled)}); the "
                     "others do not fit beside the map")
    return out.getvalue(), tuple(found)


#: Where the legend is first drawn, to be measured, as a fraction of the figure's width.
_ANCHOR = 0.6
#: The key's type sizes, from the first that fits down to the smallest readable.
_KEY_PT = (LABEL_PT - 2, LABEL_PT - 4, LABEL_PT - 5, LABEL_PT - 6)


def figure(data: MapData, theme: Theme, width_in: float, height_in: float) -> tuple[Any, Any]:
    """The map's matplotlib Figure and Axes, laid out (for drawing, and for tests that read the
    drawn areas back: the areas' collection has each polygon's area key as its url)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _register_fonts()
    c = theme.colours
    style: dict[str, Any] = {"font.family": family, "font.size": LABEL_PT,
                             "text.color": f"#{c.text}", "hatch.color": f"#{c.muted}",
                             "hatch.linewidth": 0.6}
    with rc_context(style):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_in, height_in), dpi=DPI)
        FigureCanvasAgg(fig)
        fits = mapnames.fitting(fig, data, SMALLEST_MAP) if data.named else {}
        keyed = mapnames.numbered(data, fits) if data.named else []
        left, named = _key(fig, data, theme, keyed)
        # the map on the left, in what the key leaves
        ax = fig.add_axes((0.0, 0.0, max(left - 0.02, 0.3), 1.0))
        _areas(ax, data)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.xaxis.set_visible(False)  # no ticks for the text check (render/charts.clashes)
        ax.yaxis.set_visible(False)
        ax.autoscale_view()
        ax.margins(0.02)
        if data.named:  # the areas named: the highest are listed, not numbered
            mapnames.draw(ax, data, fits, keyed, c.text)
        else:
            _labels(fig, ax, _highest(data)[:named], theme)
        fig.canvas.draw()
    return fig, ax


def _key(fig: Any, data: MapData, theme: Theme, keyed: list[MapArea]) -> tuple[float, int]:
    """The legend and the list of the highest areas, at the right: in one column, the list
    under the legend, at the largest size (`_KEY_PT`) at which the column is at most 40% of
    the width and the two fit its height without meeting (long labels on two lines first);
    else side by side, the two at most half the width; else with the unit (`value_suffix`)
    said once, in the legend's title, not on every class; else with as many of the highest
    areas as fit. Returns the key's left edge, as a fraction of the figure's width, and how
    many areas it lists. (When nothing fits, the smallest key is left for the text check to
    report.)"""
    highest = _highest(data)
    attempts = [(size, wrapped, short, len(highest)) for short in (False, True)
                for size in _KEY_PT for wrapped in (False, True)
                if not (short and not data.value_suffix.strip())]
    attempts += [(_KEY_PT[-1], wrapped, bool(data.value_suffix.strip()), n)
                 for n in range(len(highest) - 1, 0, -1) for wrapped in (False, True)]
    for size, wrapped, short, n in attempts:
        placed = _try_key(fig, data, theme, size, wrapped, short, highest[:n], keyed)
        if placed is not None:
            return placed, n
    # not even the legend fits: it alone, at its smallest, for the text check to report
    short = bool(data.value_suffix.strip())
    legend = _legend(fig, data, theme, _labels_as(data, True, short), _KEY_PT[-1], short)
    fig.canvas.draw()
    reach = _boxes(fig, legend, [])[0].x1 - _ANCHOR
    return _place(fig, data, legend, [], 0.995 - reach, 0.0, None), 0


def _try_key(fig: Any, data: MapData, theme: Theme, size: float, wrapped: bool, short: bool,
             highest: list[Any], keyed: list[MapArea]) -> Optional[float]:
    """The key drawn one way, placed when it fits (see `_key`), else taken away: None. The
    legend is drawn from `_ANCHOR` first, so what it takes to the right of its anchor, and
    where its title starts (the list under it starts there too), are measured."""
    legend = _legend(fig, data, theme, _labels_as(data, wrapped, short), size, short)
    listed = _listed(fig, data, theme, size, highest, short, keyed)
    fig.canvas.draw()
    key, *more = _boxes(fig, legend, listed)
    right = key.x1 - _ANCHOR  # the legend's reach from its anchor
    indent = _boxes(fig, legend.get_title(), [])[0].x0 - _ANCHOR  # where its text starts
    width = max([right, *(indent + b.width for b in more)])
    if width <= 0.4 and key.y0 >= 0.0 and all(b.y1 <= key.y0 - 0.02 for b in more):
        return _place(fig, data, legend, listed, 0.995 - width, indent, None)
    if more and right + more[0].width + 0.02 <= 0.5 and key.height <= 0.98 \
            and more[0].height <= 0.96:
        beside = 0.995 - more[0].width
        return _place(fig, data, legend, listed, beside - 0.02 - right, indent, beside)
    legend.remove()
    for text in listed:
        text.remove()
    return None


def _boxes(fig: Any, legend: Any, listed: list[Any]) -> list[Any]:
    """The legend's and the list's boxes as drawn, in fractions of the figure."""
    to_figure = fig.transFigure.inverted()
    return [b.transformed(to_figure) for b in
            (legend.get_window_extent(), *(t.get_window_extent() for t in listed))]


def _labels_as(data: MapData, wrapped: bool, short: bool) -> tuple[str, ...]:
    """The classes' labels: without the unit when the title says it; on two lines when
    wrapped."""
    labels = tuple(t.replace(data.value_suffix, "") for t in data.legend) if short \
        else data.legend
    return tuple(_two_lines(t) for t in labels) if wrapped else labels


def _highest(data: MapData) -> list[Any]:
    """The areas to number on the map, highest first (`labelled`, those with a figure)."""
    by_key = {a.key: a for a in data.areas}
    return [by_key[k] for k in data.labelled if by_key[k].value is not None]


def _place(fig: Any, data: MapData, legend: Any, listed: list[Any], left: float,
           indent: float, beside: Optional[float]) -> float:
    """Anchor the legend at `left`; the list under it, from where its title starts (`indent`
    on), or from `beside` at the top when the two stand side by side."""
    left = float(left)
    legend.set_bbox_to_anchor((left, _anchor_y(data)), transform=fig.transFigure)
    for text in listed:
        if beside is None:
            text.set_x(left + float(indent))
        else:
            text.set_position((beside, 0.98))
            text.set_verticalalignment("top")
    return left


def _anchor_y(data: MapData) -> float:
    return 0.98 if data.labelled else 0.5


def _two_lines(label: str) -> str:
    """A class's range on two lines ('1,234 per 1,000\nto under 2,000 per 1,000')."""
    head, sep, tail = label.partition(" to ")
    return f"{head}\n{sep.strip()} {tail}" if sep else label


def _areas(ax: Any, data: MapData) -> None:
    """Each area as one path of all its rings, filled by the winding rule, so its holes stay
    open and an area inside another shows its own colour or hatching whatever the order."""
    from matplotlib.collections import PathCollection, PolyCollection

    chosen = data.highlight
    faded = data.fade and chosen is not None
    paths, colours, owners = [], [], []
    empty, empty_owners = [], []
    for area in sorted(data.areas, key=lambda a: -a.size):
        if area.value is None:
            empty.append(mapnames.path_of(area.rings))
            empty_owners.append(area.key)
        else:
            paths.append(mapnames.path_of(area.rings))
            owners.append(area.key)
            colour = data.colours[area.klass]
            colours.append(f"#{colour}" + ("66" if faded and area.key != chosen else ""))
    if empty:
        ax.add_collection(PathCollection(empty, facecolors=f"#{NO_DATA}", hatch=HATCH,
                                         edgecolors=f"#{data.line}", linewidths=AREA_LINE,
                                         urls=empty_owners, label="no data"))
    if paths:
        ax.add_collection(PathCollection(paths, facecolors=colours,
                                         edgecolors=f"#{data.line}", linewidths=AREA_LINE,
                                         urls=owners, label="areas"))
    if data.outline:
        ax.add_collection(PolyCollection(list(data.outline), facecolors="none",
                                         edgecolors=f"#{data.emphasis}",
                                         linewidths=OUTLINE_LINE, label="outline"))
    _marks(ax, data)
    if chosen is not None:
        area = next(a for a in data.areas if a.key == chosen)
        # a small area (a town-centre LSOA) would vanish under a heavy line: a lighter one
        share = area.size / max(sum(a.size for a in data.areas), 1e-12)
        ax.add_collection(PathCollection([mapnames.path_of(area.rings)], facecolors="none",
                                         edgecolors=f"#{data.emphasis}",
                                         linewidths=HIGHLIGHT_LINE if share >= 0.005
                                         else SMALL_HIGHLIGHT_LINE,
                                         label="highlight", zorder=3))


def _marks(ax: Any, data: MapData) -> None:
    """The areas whose change is beyond normal variation, hatched over their colour: one hatch
    for significant, another for notable (MARK_HATCH, named in the legend)."""
    from matplotlib.collections import PathCollection

    for level, hatch in MARK_HATCH.items():
        marked = [a for a in data.areas if a.mark == level and a.value is not None]
        if marked:
            ax.add_collection(PathCollection([mapnames.path_of(a.rings) for a in marked],
                                             facecolors="none", hatch=hatch,
                                             edgecolors=f"#{data.emphasis}", linewidths=0.0,
                                             urls=[a.key for a in marked], label=level,
                                             zorder=2))


def _labels(fig: Any, ax: Any, shown: list[Any], theme: Theme) -> None:
    """The top areas numbered on the map (1 the highest), each number's area and figure listed
    under the legend (`_listed`): names would crowd each other in a town centre's small LSOAs.
    A number that would sit on an earlier one is moved up (down near the top edge), with a line
    to its area."""
    c = theme.colours
    if not shown:
        return
    fig.canvas.draw()  # the axes' final limits, for distances on the picture
    to_pixels, to_data = ax.transData.transform, ax.transData.inverted().transform
    ax.set_autoscale_on(False)  # the leader lines must not move the map
    radius = (LABEL_PT - 4) * DPI / 72 * 0.75
    top = ax.bbox.y1 - 1.6 * radius
    unit = abs(to_pixels((1.0, 0.0))[0] - to_pixels((0.0, 0.0))[0])  # pixels per map unit
    placed: list[tuple[float, float]] = []
    for number, area in enumerate(shown, 1):
        x, y = to_pixels(area.label_at)
        y = min(y, top)
        # an area smaller than its number's circle would be hidden by it, and the number read
        # as its neighbours': the number stands off, with a line to a dot on the area
        small = area.size * unit * unit < math.pi * (2 * radius) ** 2
        step = 2.4 * radius if y + 2.4 * radius <= top else -2.4 * radius
        dy = step if small else 0.0
        while any((x - px) ** 2 + (y + dy - py) ** 2 < (2.3 * radius) ** 2 for px, py in placed):
            dy += step
            if y + dy > top:  # no room above: go below instead
                step, dy = -2.4 * radius, -2.4 * radius
        placed.append((x, y + dy))
        at = tuple(to_data((x, y + dy)))
        if dy or y != to_pixels(area.label_at)[1]:  # a leader line from the area to its number
            # (a line, not the text's arrow, so the text check measures the number alone)
            ax.plot([area.label_at[0], at[0]], [area.label_at[1], at[1]], color=f"#{c.text}",
                    linewidth=1.0, zorder=4)
            ax.plot([area.label_at[0]], [area.label_at[1]], marker="o", markersize=3.5,
                    color=f"#{c.text}", markeredgecolor="white", markeredgewidth=0.8,
                    zorder=4)
        ax.annotate(str(number), at, ha="center", va="center", fontsize=LABEL_PT - 4,
                    fontweight="bold", color=f"#{c.text}", zorder=5,
                    bbox=dict(boxstyle="circle,pad=0.25", facecolor="white",
                              edgecolor=f"#{c.text}", linewidth=1.2))


def _listed(fig: Any, data: MapData, theme: Theme, size: float, shown: list[Any],
            short: bool = False, keyed: Sequence[MapArea] = ()) -> list[Any]:
    """The list of the highest areas, under the legend: 'Highest', then '1  Name: figure'
    (without the unit when the legend's title says it; without the number when the areas are
    named on the map); then the key of the areas numbered because their names do not fit."""
    figures = [data.label(a.value) for a in shown]
    if short:
        figures = [f.replace(data.value_suffix, "") for f in figures]
    lines = [f"{'' if data.named else f'{n}  '}{a.name}: {f}"
             for n, (a, f) in enumerate(zip(shown, figures), 1)]
    block = (["Highest", *lines] if lines else []) + ([""] if lines and keyed else []) \
        + mapnames.key_lines(keyed)
    if not block:
        return []
    return [fig.text(0.755, 0.03, "\n".join(block), ha="left", va="bottom",
                     fontsize=size, color=f"#{theme.colours.text}", linespacing=1.5)]


def _legend(fig: Any, data: MapData, theme: Theme, labels: tuple[str, ...], size: float,
            short: bool = False) -> Any:
    """The classes, lowest at the bottom as on a ramp, then 'No data (n)' when any area has
    none, the outlined area by name and what the drawn borders are: everything drawn on the
    map is named."""
    from matplotlib.patches import Patch

    c = theme.colours
    handles = [Patch(facecolor=f"#{colour}", edgecolor=f"#{c.muted}", linewidth=0.5,
                     label=text) for colour, text in zip(data.colours, labels)][::-1]
    if data.no_data:
        handles.append(Patch(facecolor=f"#{NO_DATA}", edgecolor=f"#{c.muted}", hatch=HATCH,
                             linewidth=0.5, label=f"No data ({data.no_data})"))
    chosen = next((a for a in data.areas if a.key == data.highlight), None)
    if chosen is not None:
        handles.append(Patch(facecolor="none", edgecolor=f"#{data.emphasis}", linewidth=2.2,
                             label=chosen.name))
    for level, text in data.mark_legend:
        handles.append(Patch(facecolor="white", edgecolor=f"#{data.emphasis}",
                             hatch=MARK_HATCH.get(level, ""), linewidth=0.5, label=text))
    if data.outline and data.outline_name:
        handles.append(Patch(facecolor="none", edgecolor=f"#{data.emphasis}", linewidth=1.2,
                             label=data.outline_name))
    return fig.legend(handles=handles, loc="upper left" if data.labelled else "center left",
                      bbox_to_anchor=(_ANCHOR, _anchor_y(data)), frameon=False, fontsize=size,
                      title=_wrap(data.legend_title + (f" ({data.value_suffix.strip()})"
                                                       if short else "")),
                      title_fontsize=size, alignment="left",
                      handlelength=1.6, handleheight=1.2, labelspacing=0.6)


def _wrap(text: str, width: int = 20) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
