"""Pictures, drawn with matplotlib's Agg backend (no display, no global pyplot state): a bar or
donut chart of a report's label/value rows, and an account's ego network.

Each function writes one PNG of a fixed size (``width`` x ``height`` pixels) and returns its path.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from mutuals.base import validate as v
from mutuals.base.errors import InvalidInput

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI: Final = 100
CHART_SIZE: Final = (800, 500)
EGO_SIZE: Final = (900, 900)
MAX_BARS: Final = 40
COLOURS: Final = {
    "user": "#264653",
    "friends": "#2a9d8f",
    "followers_only": "#e9c46a",
    "following_only": "#e76f51",
}
PALETTE: Final = ("#2a9d8f", "#e9c46a", "#e76f51", "#264653", "#8ab17d", "#f4a261", "#6d597a", "#b56576")


def _figure(size: tuple[int, int]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def target(path: Any, field: str = "out") -> Path:
    """Where a picture goes: a ``.png`` file in a directory that exists (checked before any work)."""
    out = v.path(field, path)
    if out.suffix.lower() != ".png":
        raise InvalidInput(field, f"the picture is written as PNG: give a file name ending in .png, got {out.name!r}")
    if not out.parent.exists():
        raise InvalidInput(field, f"the directory {out.parent} does not exist")
    return out


def _save(figure: Figure, out: Path, field: str = "out") -> Path:
    try:
        figure.savefig(out, format="png", dpi=DPI)
    except OSError as e:
        raise InvalidInput(field, f"cannot write {out}: {e.strerror or e}") from None
    return out


def chart(kind: str, labels: Sequence[str], values: Sequence[float], *, title: str, path: Path | str) -> Path:
    """A horizontal bar chart (``bar``) or a donut of shares (``donut``) of label/value pairs."""
    out = target(path, "chart")
    figure = _figure(CHART_SIZE)
    shown = list(zip(labels, values, strict=True))[:MAX_BARS]
    note = f" (first {MAX_BARS} of {len(labels)} rows)" if len(labels) > MAX_BARS else ""
    axes = figure.add_subplot()
    axes.set_title(title + note)
    if not shown or all(value == 0 for _, value in shown):
        axes.axis("off")
        axes.text(0.5, 0.5, "no data", ha="center", va="center", fontsize=14, transform=axes.transAxes)
    elif kind == "donut":
        if any(value < 0 for _, value in shown):
            raise InvalidInput("chart", "a donut needs values that are zero or more")
        total = sum(value for _, value in shown)
        slices = [(label, value, PALETTE[i % len(PALETTE)]) for i, (label, value) in enumerate(shown)]
        drawn = [item for item in slices if item[1] > 0]
        axes.pie(
            [value for _, value, _ in drawn],
            colors=[colour for _, _, colour in drawn],
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.42, "edgecolor": "white"},
        )
        for label, value, colour in slices:
            axes.scatter([], [], color=colour, marker="s", s=80, label=f"{label}  {value / total:.0%}  ({_fmt(value)})")
        axes.legend(loc="center left", bbox_to_anchor=(0.92, 0.5), frameon=False)
        axes.set_aspect("equal")
    else:
        names = [label for label, _ in shown][::-1]
        numbers = [value for _, value in shown][::-1]
        bars = axes.barh(names, numbers, color=PALETTE[0])
        axes.bar_label(bars, labels=[_fmt(n) for n in numbers], padding=3, fontsize=8)
        axes.margins(x=0.15)
        axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _save(figure, out, "chart")


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def ego(
    user: str,
    segments: dict[str, Sequence[str]],
    totals: dict[str, int],
    edges: Sequence[tuple[str, str]],
    *,
    path: Path | str,
) -> Path:
    """The ego network of ``user``: friends on the inner ring, followers-only and following-only on
    the outer ring, each in its colour, with the follows among them drawn faintly. ``totals`` are
    the full segment sizes: when more exist than are drawn, the picture says so."""
    out = target(path)
    figure = _figure(EGO_SIZE)
    axes = figure.add_subplot()
    axes.set_aspect("equal")
    axes.axis("off")
    position: dict[str, tuple[float, float]] = {user: (0.0, 0.0)}
    _ring(position, list(segments.get("friends", ())), 1.0, 0.0)
    outer = [*segments.get("followers_only", ()), *segments.get("following_only", ())]
    _ring(position, outer, 2.0, math.pi / max(len(outer), 1))
    segment_of = {uid: name for name, ids in segments.items() for uid in ids}
    for a, b in edges:
        if a in position and b in position and user not in (a, b):
            (x1, y1), (x2, y2) = position[a], position[b]
            axes.plot([x1, x2], [y1, y2], color="#cccccc", linewidth=0.5, zorder=1)
    for uid, name in segment_of.items():
        (x, y), colour = position[uid], COLOURS[name]
        if name == "friends":
            axes.plot([0, x], [0, y], color=colour, linewidth=1.6, zorder=2)
        else:
            start, end = ((x, y), (0.0, 0.0)) if name == "followers_only" else ((0.0, 0.0), (x, y))
            axes.annotate(
                "",
                xy=_towards(end, start, 0.12),
                xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 0.9, "shrinkA": 6, "shrinkB": 0},
                zorder=2,
            )
    labelled = len(segment_of) <= 60
    for uid, (x, y) in position.items():
        colour = COLOURS["user"] if uid == user else COLOURS[segment_of[uid]]
        size = 420 if uid == user else 120
        axes.scatter([x], [y], s=size, color=colour, edgecolors="white", linewidths=1.0, zorder=3)
        if uid == user or labelled:
            axes.annotate(
                uid,
                (x, y),
                xytext=(0, 9 if uid != user else 14),
                textcoords="offset points",
                ha="center",
                fontsize=8 if uid != user else 11,
                zorder=4,
            )
    for name, label in (
        ("friends", "friends"),
        ("followers_only", "followers only"),
        ("following_only", "following only"),
    ):
        drawn, total = len(segments.get(name, ())), totals.get(name, 0)
        count = f"{total:,}" if drawn == total else f"{drawn:,} of {total:,}"
        axes.scatter([], [], color=COLOURS[name], s=80, label=f"{label} ({count})")
    axes.legend(loc="upper left", frameon=False, fontsize=9)
    axes.set_xlim(-2.5, 2.5)
    axes.set_ylim(-2.5, 2.5)
    drawn_all, total_all = len(segment_of), sum(totals.values())
    title = f"ego network of {user}"
    axes.set_title(title, fontsize=13)
    if drawn_all < total_all:
        axes.text(
            0.5,
            0.01,
            f"showing {drawn_all:,} of {total_all:,} accounts (a sample of each segment, by id)",
            ha="center",
            va="bottom",
            fontsize=9,
            color="#555555",
            transform=axes.transAxes,
        )
    figure.tight_layout()
    return _save(figure, out)


def _ring(position: dict[str, tuple[float, float]], ids: list[str], radius: float, offset: float) -> None:
    for i, uid in enumerate(ids):
        angle = offset + 2 * math.pi * i / max(len(ids), 1) + math.pi / 2
        position[uid] = (radius * math.cos(angle), radius * math.sin(angle))


def _towards(end: tuple[float, float], start: tuple[float, float], gap: float) -> tuple[float, float]:
    """A point just short of ``end`` on the way from ``start`` (so an arrow head stays visible)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    return end[0] - dx / length * gap, end[1] - dy / length * gap
