"""Draw maps with matplotlib (Agg, no pyplot state): a plain, north-up choropleth, no basemap.

Its own module beside charts.py (the two are the only modules that import matplotlib): a map
shares the charts' fonts, size and resolution but nothing of their drawing. Every area is one
polygon of a single PolyCollection (not a patch each), which is what lets the force's 1,077
LSOAs draw in a fraction of a second. What the map shows, its classes and colours, is decided
in the layout stage (layout/mapdata.py).
"""

from __future__ import annotations

import io
from typing import Any

from deckgen.layout.mapdata import NO_DATA, MapData
from deckgen.layout.theme import Theme
from deckgen.render.charts import DPI, LABEL_PT, _register_fonts, clashes

HATCH = "////"


def drawn(data: MapData, theme: Theme, width_in: float, height_in: float
          ) -> tuple[bytes, tuple[str, ...]]:
    """The map as PNG bytes, drawn at width_in x height_in inches, and what is wrong with its
    text as drawn (labels over each other or cut off)."""
    fig, ax = figure(data, theme, width_in, height_in)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None}, transparent=True)
    return out.getvalue(), tuple(clashes(fig, ax))


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
        # the map on the left, the legend in a column on the right
        ax = fig.add_axes((0.0, 0.0, 0.74, 1.0))
        _areas(ax, data)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.xaxis.set_visible(False)  # no ticks for the text check (render/charts.clashes)
        ax.yaxis.set_visible(False)
        ax.autoscale_view()
        ax.margins(0.02)
        _legend(fig, ax, data, theme)
        _labels(fig, ax, data, theme)
        fig.canvas.draw()
    return fig, ax


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
            empty.append(_path(area.rings))
            empty_owners.append(area.key)
        else:
            paths.append(_path(area.rings))
            owners.append(area.key)
            colour = data.colours[area.klass]
            colours.append(f"#{colour}" + ("66" if faded and area.key != chosen else ""))
    if empty:
        ax.add_collection(PathCollection(empty, facecolors=f"#{NO_DATA}", hatch=HATCH,
                                         edgecolors=f"#{data.line}", linewidths=0.4,
                                         urls=empty_owners, label="no data"))
    if paths:
        ax.add_collection(PathCollection(paths, facecolors=colours,
                                         edgecolors=f"#{data.line}", linewidths=0.4,
                                         urls=owners, label="areas"))
    if data.outline:
        ax.add_collection(PolyCollection(list(data.outline), facecolors="none",
                                         edgecolors=f"#{data.emphasis}", linewidths=1.6,
                                         label="outline"))
    if chosen is not None:
        rings = [r for a in data.areas if a.key == chosen for r in a.rings]
        ax.add_collection(PathCollection([_path(rings)], facecolors="none",
                                         edgecolors=f"#{data.emphasis}", linewidths=3.0,
                                         label="highlight", zorder=3))


def _path(rings: Any) -> Any:
    """The rings as one compound path (each ring closed)."""
    from matplotlib.path import Path

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for ring in rings:
        vertices.extend(ring)
        codes.extend([int(Path.MOVETO), *[int(Path.LINETO)] * (len(ring) - 2),
                      int(Path.CLOSEPOLY)])
    return Path(vertices, codes)


def _labels(fig: Any, ax: Any, data: MapData, theme: Theme) -> None:
    """The top areas numbered on the map (1 the highest), each number's area and figure listed
    under the legend: names would crowd each other in a town centre's small LSOAs. A number
    that would sit on an earlier one is moved up, with a line to its area."""
    c = theme.colours
    by_key = {a.key: a for a in data.areas}
    shown = [by_key[k] for k in data.labelled if by_key[k].value is not None]
    if not shown:
        return
    fig.canvas.draw()  # the axes' final limits, for distances on the picture
    to_pixels, to_data = ax.transData.transform, ax.transData.inverted().transform
    ax.set_autoscale_on(False)  # the leader lines must not move the map
    radius = (LABEL_PT - 4) * DPI / 72 * 0.75
    placed: list[tuple[float, float]] = []
    lines = []
    for number, area in enumerate(shown, 1):
        x, y = to_pixels(area.label_at)
        dy = 0.0
        while any((x - px) ** 2 + (y + dy - py) ** 2 < (2.3 * radius) ** 2 for px, py in placed):
            dy += 2.4 * radius
        placed.append((x, y + dy))
        at = tuple(to_data((x, y + dy)))
        if dy:  # a leader line from the area to its number (a line, not the text's arrow,
            # so the text check measures the number alone)
            ax.plot([area.label_at[0], at[0]], [area.label_at[1], at[1]], color=f"#{c.text}",
                    linewidth=1.0, zorder=4)
        ax.annotate(str(number), at, ha="center", va="center", fontsize=LABEL_PT - 4,
                    fontweight="bold", color=f"#{c.text}", zorder=5,
                    bbox=dict(boxstyle="circle,pad=0.25", facecolor="white",
                              edgecolor=f"#{c.text}", linewidth=1.2))
        assert area.value is not None
        lines.append(f"{number}  {area.name}: {data.label(area.value)}")
    fig.text(0.755, 0.03, "\n".join(["Highest", *lines]), ha="left", va="bottom",
             fontsize=LABEL_PT - 4, color=f"#{c.text}", linespacing=1.5)


def _legend(fig: Any, ax: Any, data: MapData, theme: Theme) -> None:
    """The classes, lowest at the bottom as on a ramp, then 'No data (n)' when any area has
    none: every colour on the map is named."""
    from matplotlib.patches import Patch

    c = theme.colours
    handles = [Patch(facecolor=f"#{colour}", edgecolor=f"#{c.muted}", linewidth=0.5,
                     label=text) for colour, text in zip(data.colours, data.legend)][::-1]
    if data.no_data:
        handles.append(Patch(facecolor=f"#{NO_DATA}", edgecolor=f"#{c.muted}", hatch=HATCH,
                             linewidth=0.5, label=f"No data ({data.no_data})"))
    fig.legend(handles=handles, loc="upper left" if data.labelled else "center left",
               bbox_to_anchor=(0.75, 0.98 if data.labelled else 0.5),
               frameon=False, fontsize=LABEL_PT - 2, title=_wrap(data.legend_title),
               title_fontsize=LABEL_PT - 2, alignment="left", handlelength=1.6,
               handleheight=1.2, labelspacing=0.6)


def _wrap(text: str, width: int = 20) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
