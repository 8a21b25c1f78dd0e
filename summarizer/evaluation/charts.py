"""How each metric spreads over a run's items: the per-item values drawn as a small
inline SVG (no script, no file), with the figure's interval (:mod:`.intervals`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from markupsafe import Markup, escape

from summarizer.evaluation.intervals import Interval
from summarizer.evaluation.metrics import METRICS

BINS = 20
# Kinds whose values have a known range share it as the axis: a share, a 1-5 grade.
FIXED_AXES = {"ratio": (0.0, 1.0), "score": (1.0, 5.0)}
LABEL_W, PLOT_W, ROW_H, AXIS_H = 74, 120, 13, 11


def distribution_svg(
    key: str,
    per_system: dict[str, list[float]],
    figures: dict[str, float | None],
    spans: dict[str, Interval],
) -> Markup:
    """One row per system: a histogram of its per-item values, a band for its interval
    and a tick at its run-level figure, on an axis the systems share (0 to 1 for a
    share). Bins, not dots: the size stays the same for 27 items or 25,000."""
    kind = METRICS[key].kind
    every = [v for vs in per_system.values() for v in vs]
    lo, hi = FIXED_AXES.get(kind) or ((min(every), max(every)) if every else (0.0, 1.0))
    if hi <= lo:
        hi = lo + 1.0
    axis = _Axis(lo, hi)
    width = LABEL_W + PLOT_W + 4
    height = len(per_system) * ROW_H + AXIS_H
    label = escape(f"{METRICS[key].label}: per-item values by system")
    parts = [
        f'<svg class="dist" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
    ]
    for row, (system, values) in enumerate(per_system.items()):
        parts.append(
            _row(axis, row * ROW_H, system, values, figures.get(system), spans.get(system))
        )
    base = height - 2
    parts.append(f'<text x="{LABEL_W}" y="{base}">{_tick(lo, kind)}</text>')
    parts.append(
        f'<text x="{LABEL_W + PLOT_W}" y="{base}" text-anchor="end">{_tick(hi, kind)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class _Axis:
    lo: float
    hi: float

    def x(self, value: float) -> float:
        share = (min(max(value, self.lo), self.hi) - self.lo) / (self.hi - self.lo)
        return round(LABEL_W + share * PLOT_W, 1)


def _row(
    axis: _Axis,
    top: int,
    system: str,
    values: list[float],
    figure: float | None,
    span: Interval | None,
) -> str:
    bottom = top + ROW_H - 1
    short = system if len(system) <= 13 else system[:12] + "…"
    parts = [
        f'<g class="row"><title>{escape(system)}: {len(values)} items</title>',
        f'<text x="{LABEL_W - 3}" y="{top + 10}" text-anchor="end">{escape(short)}</text>',
        f'<line class="base" x1="{LABEL_W}" x2="{LABEL_W + PLOT_W}" y1="{bottom}" y2="{bottom}"/>',
    ]
    if span is not None:
        left = axis.x(span.low)
        wide = max(axis.x(span.high) - left, 0.8)  # a zero-width interval still shows
        parts.append(
            f'<rect class="band" x="{left}" y="{top}" width="{wide:.1f}" height="{ROW_H - 1}"/>'
        )
    if values:
        counts, _ = np.histogram(values, bins=BINS, range=(axis.lo, axis.hi))
        peak = int(counts.max())
        step = (axis.hi - axis.lo) / BINS
        for b, count in enumerate(counts.tolist()):
            if count:
                tall = round((ROW_H - 2) * count / peak, 1)
                parts.append(
                    f'<rect class="bar" x="{axis.x(axis.lo + b * step)}" y="{bottom - tall:.1f}" '
                    f'width="{PLOT_W / BINS - 0.6:.1f}" height="{tall}"/>'
                )
    if figure is not None:
        at = axis.x(figure)
        parts.append(f'<line class="fig" x1="{at}" x2="{at}" y1="{top}" y2="{bottom}"/>')
    parts.append("</g>")
    return "".join(parts)


def _tick(value: float, kind: str) -> str:
    if kind in FIXED_AXES:
        return f"{value:g}"
    return f"{value:,.1f}" + (" s" if kind == "seconds" else "")
