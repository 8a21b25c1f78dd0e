"""The self-contained HTML report of a run: metrics side by side, then every item with
gold next to each system's prediction and the evidence highlighted in the article."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.metrics import GROUP_OF, METRIC_GROUPS, METRICS, fmt
from summarizer.evaluation.runner import ItemRecord, RunSummary

REPORT = "report.html"


def markdown_table(systems: dict[str, dict[str, float | None]]) -> str:
    """The run's metrics as a Markdown table, for a README or a pull request."""
    names = list(systems)
    lines = [f"| metric | {' | '.join(names)} |", f"|---|{'---|' * len(names)}"]
    for group, metrics in METRIC_GROUPS:
        for m in metrics:
            values = [systems[s].get(m.key) for s in names]
            if all(v is None for v in values):
                continue
            cells = " | ".join(fmt(v, m.kind) for v in values)
            lines.append(f"| {group}: {m.label} | {cells} |")
    return "\n".join(lines) + "\n"


def systems_table(systems: dict[str, dict[str, float | None]], metrics: Sequence[str]) -> str:
    """One row per system, one column per metric: strategies side by side on one source."""
    chosen = [METRICS[k] for k in metrics]
    labels = [m.label for m in chosen]
    # "F1" twice (events, stances) says nothing: name the group where a label repeats.
    header = " | ".join(
        f"{GROUP_OF[m.key]} {m.label}" if labels.count(m.label) > 1 else m.label for m in chosen
    )
    lines = [f"| system | {header} |", f"|---|{'---|' * len(chosen)}"]
    for name, values in systems.items():
        cells = " | ".join(fmt(values.get(m.key), m.kind) for m in chosen)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines) + "\n"


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """The text with the given character ranges in <mark>, overlapping ranges merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        cursor = end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)


def write_report(
    run_dir: Path, summary: RunSummary, records: Sequence[ItemRecord], fixtures: Sequence[Fixture]
) -> Path:
    systems = list(summary.systems)
    by_item: dict[str, dict[str, ItemRecord]] = {}
    for r in records:
        by_item.setdefault(r.item, {})[r.system] = r
    shown = "pipeline" if "pipeline" in systems else (systems[0] if systems else "")
    items: list[dict[str, Any]] = []
    for f in fixtures:
        mine = by_item.get(f.id, {})
        pred = mine[shown].prediction if shown in mine else None
        spans = [(s.start, s.end) for s in pred.all_evidence()] if pred else []
        items.append(
            {
                "fixture": f,
                "records": mine,
                "highlight_system": shown,
                "article_html": highlighted(f.text, spans),
                "any_events": any(r.prediction and r.prediction.events for r in mine.values()),
                "any_stances": any(r.prediction and r.prediction.stances for r in mine.values()),
            }
        )
    best = {}
    for key, metric in METRICS.items():
        scored = [(v, s) for s in systems if (v := summary.systems[s].get(key)) is not None]
        if len(scored) > 1 and metric.ranked:
            pick = max(scored) if metric.higher_is_better else min(scored)
            best[key] = pick[1]
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.evaluation", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    shown_groups = [
        (group, kept)
        for group, metrics in METRIC_GROUPS
        if (
            kept := [
                m
                for m in metrics
                if any(summary.systems[s].get(m.key) is not None for s in systems)
            ]
        )
    ]
    html = env.get_template("report.html.j2").render(
        summary=summary,
        systems=systems,
        metric_groups=shown_groups,
        items=items,
        best=best,
        fmt=fmt,
    )
    path = run_dir / REPORT
    path.write_text(html, encoding="utf-8")
    return path
