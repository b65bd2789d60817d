"""Name a map's areas where a reader looks for them: inside each area where its name fits (on
two lines if need be), and a number keyed beside the map where it does not.

A district map whose areas are only colours cannot be read alone: thirteen of Essex's fourteen
districts are unknown shapes to most readers. The fit is measured where matplotlib draws: the
name's box, with a margin, must lie inside its area's outline at the scale of the map. It is
measured with the map as small as the key can make it (the key takes at most 40% of the
width), so a name that fits then fits on the map as drawn.
"""

from __future__ import annotations

from typing import Any, Sequence

from deckgen.layout.mapdata import MapArea, MapData

#: The names' size: the smallest the key uses, readable on a projected slide.
NAME_PT = 10.0
#: The white edge round each name, so it reads on the darkest class (points).
HALO = 2.5


def candidates(name: str) -> list[str]:
    """A name as it may be written: on one line, or on two at its middle space or hyphen."""
    out = [name]
    cuts = [i for i, ch in enumerate(name) if ch in " -"]
    if cuts:
        middle = min(cuts, key=lambda i: abs(i - len(name) / 2))
        keep = name[middle] if name[middle] == "-" else ""
        out.append(f"{name[:middle]}{keep}\n{name[middle + 1:]}")
    return out


def fitting(fig: Any, data: MapData, box: tuple[float, float, float, float]
            ) -> dict[str, str]:
    """The areas whose name fits inside them, each with the name as written (one line or two),
    on a map drawn in `box` (the smallest axes the key leaves, as a fraction of the figure)."""
    ax = fig.add_axes(box)
    xs = [x for a in data.areas for r in a.rings for x, _ in r]
    ys = [y for a in data.areas for r in a.rings for _, y in r]
    pad_x, pad_y = (max(xs) - min(xs)) * 0.02, (max(ys) - min(ys)) * 0.02  # as drawn
    ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    ax.set_aspect("equal")
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    out: dict[str, str] = {}
    for area in data.areas:
        outline = path_of(area.rings).transformed(ax.transData)
        x, y = ax.transData.transform(area.label_at)
        for text in candidates(area.name):
            probe = fig.text(0, 0, text, fontsize=NAME_PT, linespacing=1.0)
            extent = probe.get_window_extent(renderer)
            probe.remove()
            if _inside(outline, x, y, extent.width + 2 * HALO, extent.height + 2 * HALO):
                out[area.key] = text
                break
    ax.remove()
    return out


def path_of(rings: Any) -> Any:
    """An area's rings as one compound path (each ring closed), filled by the winding rule."""
    from matplotlib.path import Path

    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for ring in rings:
        vertices.extend(ring)
        codes.extend([int(Path.MOVETO), *[int(Path.LINETO)] * (len(ring) - 2),
                      int(Path.CLOSEPOLY)])
    return Path(vertices, codes)


def _inside(outline: Any, x: float, y: float, width: float, height: float) -> bool:
    """Whether a box of `width` x `height` pixels centred at (x, y) lies inside the outline:
    its corners, the middles of its sides and its centre."""
    points = [(x + dx * width / 2, y + dy * height / 2) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    return bool(outline.contains_points(points).all())


def numbered(data: MapData, fits: dict[str, str]) -> list[MapArea]:
    """The areas whose names do not fit, in the order of their names: numbered 1, 2, … on the
    map and keyed beside it."""
    return sorted((a for a in data.areas if a.key not in fits), key=lambda a: a.name)


def draw(ax: Any, data: MapData, fits: dict[str, str], keyed: Sequence[MapArea],
         colour: str) -> None:
    """Each fitting name inside its area, and each other area's number, at its label point."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=HALO, foreground="white")]
    for area in data.areas:
        if area.key in fits:
            ax.text(*area.label_at, fits[area.key], ha="center", va="center",
                    fontsize=NAME_PT, color=f"#{colour}", linespacing=1.0, zorder=6,
                    path_effects=halo)
    for number, area in enumerate(keyed, 1):
        ax.annotate(str(number), area.label_at, ha="center", va="center",
                    fontsize=NAME_PT - 1, fontweight="bold", color=f"#{colour}", zorder=6,
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white",
                              edgecolor=f"#{colour}", linewidth=0.8))


def key_lines(keyed: Sequence[MapArea]) -> list[str]:
    """The key of the numbered areas, for the column beside the map."""
    if not keyed:
        return []
    return ["Areas numbered", *(f"{n}  {a.name}" for n, a in enumerate(keyed, 1))]
