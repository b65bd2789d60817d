"""Draw the sample brand's logo and the stand-in graphics in assets/ (run once; outputs are kept).

Everything here is drawn by this script: no third-party marks, no photos. The seed deck's photos
are not available, so its picture slides show these simple flat illustrations instead, and the
slides say so.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAVY, GOLD, SKY, SEA, GREEN, LIGHT = "#1B365D", "#E0A526", "#DCE6F2", "#7FA7CF", "#7BA05B", "#EEF2F7"


def _figure(w: float, h: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(w, h), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.axis("off")
    return fig, ax


def _save(fig: Figure, name: str, transparent: bool = False) -> None:
    out = ROOT / "assets" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=150, transparent=transparent, metadata={"Software": None})
    print(f"wrote {out.relative_to(ROOT)}")


def logo() -> None:
    """A plain shield with a chevron: a generic civic mark, not any real force's badge."""
    fig, ax = _figure(2, 2)
    shield = [(0.3, 1.75), (1.7, 1.75), (1.7, 0.95), (1.0, 0.2), (0.3, 0.95)]
    ax.add_patch(Polygon(shield, closed=True, facecolor=NAVY, edgecolor=GOLD, linewidth=6,
                         joinstyle="round"))
    ax.add_patch(Polygon([(0.45, 0.95), (1.0, 1.35), (1.55, 0.95), (1.55, 0.75), (1.0, 1.15),
                          (0.45, 0.75)], closed=True, facecolor=GOLD))
    for x in (0.7, 1.0, 1.3):
        ax.add_patch(Circle((x, 1.55), 0.07, facecolor="white"))
    _save(fig, "logo.png", transparent=True)


def hubs() -> None:
    """Hub and spokes: partners joined around one shared centre."""
    fig, ax = _figure(8, 4.5)
    ax.add_patch(Rectangle((0, 0), 8, 4.5, facecolor=LIGHT))
    import math

    cx, cy = 4, 2.25
    for i in range(7):
        a = 2 * math.pi * i / 7 + 0.3
        x, y = cx + 2.6 * math.cos(a), cy + 1.55 * math.sin(a)
        ax.plot([cx, x], [cy, y], color=SEA, linewidth=5, zorder=1)
        ax.add_patch(Circle((x, y), 0.42, facecolor="white", edgecolor=NAVY, linewidth=4,
                            zorder=2))
        ax.add_patch(Circle((x, y + 0.08), 0.12, facecolor=NAVY, zorder=3))
        ax.add_patch(FancyBboxPatch((x - 0.2, y - 0.27), 0.4, 0.2, boxstyle="round,pad=0.02",
                                    facecolor=NAVY, zorder=3))
    ax.add_patch(Circle((cx, cy), 0.85, facecolor=NAVY, edgecolor=GOLD, linewidth=8, zorder=4))
    for dx in (-0.3, 0, 0.3):
        ax.add_patch(Circle((cx + dx, cy + 0.15), 0.13, facecolor="white", zorder=5))
        ax.add_patch(FancyBboxPatch((cx + dx - 0.16, cy - 0.3), 0.32, 0.25,
                                    boxstyle="round,pad=0.02", facecolor="white", zorder=5))
    _save(fig, "images/community-safety-hubs.png")


def village() -> None:
    """A village street with a church and neighbours out together: parish volunteering."""
    fig, ax = _figure(8, 4.5)
    ax.add_patch(Rectangle((0, 0), 8, 4.5, facecolor=SKY))
    ax.add_patch(Rectangle((0, 0), 8, 1.2, facecolor=GREEN))
    ax.add_patch(Rectangle((0, 0.55), 8, 0.35, facecolor="#C9CFD6"))
    # church
    ax.add_patch(Rectangle((5.6, 1.2), 1.4, 1.3, facecolor="white", edgecolor=NAVY, linewidth=3))
    ax.add_patch(Polygon([(5.5, 2.5), (6.3, 3.2), (7.1, 2.5)], facecolor=NAVY))
    ax.add_patch(Rectangle((5.0, 1.2), 0.6, 2.1, facecolor="white", edgecolor=NAVY, linewidth=3))
    ax.add_patch(Polygon([(4.95, 3.3), (5.3, 4.2), (5.65, 3.3)], facecolor=NAVY))
    # houses
    for x, colour in ((0.5, "#F4E3C1"), (1.9, "white"), (3.3, "#F4E3C1")):
        ax.add_patch(Rectangle((x, 1.2), 1.1, 0.95, facecolor=colour, edgecolor=NAVY,
                               linewidth=3))
        ax.add_patch(Polygon([(x - 0.1, 2.15), (x + 0.55, 2.7), (x + 1.2, 2.15)],
                             facecolor="#B3473B"))
        ax.add_patch(Rectangle((x + 0.42, 1.2), 0.26, 0.45, facecolor=NAVY))
    # trees
    for x in (7.4, 4.6):
        ax.add_patch(Rectangle((x - 0.05, 1.2), 0.1, 0.5, facecolor="#6B4F3A"))
        ax.add_patch(Circle((x, 1.95), 0.38, facecolor="#4E7D3A"))
    # volunteers in high-visibility tabards
    for x in (1.6, 2.2, 2.8):
        ax.add_patch(Circle((x, 0.95 + 0.55), 0.13, facecolor="#E8C4A0", zorder=5))
        ax.add_patch(FancyBboxPatch((x - 0.16, 0.75), 0.32, 0.55, boxstyle="round,pad=0.03",
                                    facecolor="#D7E63A", edgecolor=NAVY, linewidth=2, zorder=5))
    _save(fig, "images/parish-safety-volunteers.png")


def coast() -> None:
    """A calm Essex coast at dusk: estuary, pier and fields."""
    fig, ax = _figure(6, 4.5)
    ax.add_patch(Rectangle((0, 0), 6, 4.5, facecolor="#F6E7C8"))
    ax.add_patch(Circle((4.4, 2.6), 0.6, facecolor=GOLD))
    ax.add_patch(Rectangle((0, 0), 6, 1.9, facecolor=SEA))
    ax.add_patch(Polygon([(0, 1.9), (0, 2.6), (1.2, 2.3), (2.6, 2.15), (3.4, 1.9)],
                         facecolor=GREEN))
    ax.add_patch(Rectangle((1.6, 1.55), 4.4, 0.07, facecolor=NAVY))
    for x in [1.7 + 0.35 * i for i in range(13)]:
        ax.add_patch(Rectangle((x, 1.05), 0.04, 0.5, facecolor=NAVY))
    ax.add_patch(Rectangle((5.5, 1.62), 0.4, 0.25, facecolor=NAVY))
    for y, w in ((0.6, 2.4), (0.35, 1.6)):
        ax.plot([0.4, 0.4 + w], [y, y], color="white", linewidth=2, alpha=0.7)
    _save(fig, "images/essex-coast.png")


if __name__ == "__main__":
    logo()
    hubs()
    village()
    coast()
