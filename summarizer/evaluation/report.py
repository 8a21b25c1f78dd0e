"""The self-contained HTML pages of eval runs. A run's report: metrics side by side with
their intervals and distributions, the prompt variants, then every item with gold next
to each system's prediction and the evidence highlighted in the article. A comparison's
page: the gate's metric changes, then the items that changed most, A beside B."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from summarizer.evaluation import charts, intervals
from summarizer.evaluation.compare import Comparison, item_changes, read_summary
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.metrics import GROUP_OF, METRIC_GROUPS, METRICS, QUALITY, fmt, full_label
from summarizer.evaluation.runner import ItemRecord, RunSummary, read_records

REPORT = "report.html"
# The comparison page shows this many of the items that changed most.
MOST_CHANGED = 15


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


def systems_table(
    systems: dict[str, dict[str, float | None]], metrics: Sequence[str], rows: str = "system"
) -> str:
    """One row per system (or what ``rows`` names: a language), one column per metric:
    strategies side by side on one source."""
    chosen = [METRICS[k] for k in metrics]
    labels = [m.label for m in chosen]
    # "F1" twice (events, stances) says nothing: name the group where a label repeats.
    header = " | ".join(
        f"{GROUP_OF[m.key]} {m.label}" if labels.count(m.label) > 1 else m.label for m in chosen
    )
    lines = [f"| {rows} | {header} |", f"|---|{'---|' * len(chosen)}"]
    for name, values in systems.items():
        cells = " | ".join(fmt(values.get(m.key), m.kind) for m in chosen)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines) + "\n"


def reliability_table(calibration: dict[str, list[dict[str, float]]]) -> str:
    """Each system's reliability table: how often a label was right against how sure it
    was, per bin of confidence (an empty string where no label had a confidence)."""
    lines = []
    for name, bins in calibration.items():
        lines += [
            f"{name}:",
            "",
            "| confidence | labels | mean confidence | share right |",
            "|---|---|---|---|",
        ]
        for b in bins:
            lines.append(
                f"| {b['low']:.1f}-{b['high']:.1f} | {int(b['pairs']):,} | "
                f"{b['confidence']:.3f} | {b['right']:.3f} |"
            )
        lines.append("")
    return "\n".join(lines)


# The parts of an attribution, each shown in its own colour over the evidence's: the
# cue over the source over the content, where they meet.
PARTS = ("content", "source", "cue")


def highlighted(
    text: str,
    spans: Sequence[tuple[int, int]],
    parts: Sequence[tuple[int, int, str]] = (),
) -> Markup:
    """The text with the evidence ranges in <mark> and the attributions' parts (``(start,
    end, part)``, a part of :data:`PARTS`) in ``<mark class="PART">``; a character in
    several shows the last of PARTS, then evidence."""
    paint: list[str] = [""] * len(text)
    for start, end in spans:
        paint[max(0, start) : max(0, min(len(text), end))] = ["mark"] * max(
            0, min(len(text), end) - max(0, start)
        )
    for part in PARTS:
        for start, end, kind in parts:
            if kind == part:
                a, b = max(0, start), max(0, min(len(text), end))
                paint[a:b] = [part] * max(0, b - a)
    out, cursor = [], 0
    while cursor < len(text):
        run = cursor
        while run < len(text) and paint[run] == paint[cursor]:
            run += 1
        piece = escape(text[cursor:run])
        kind = paint[cursor]
        if not kind:
            out.append(piece)
        elif kind == "mark":
            out.append(Markup("<mark>") + piece + Markup("</mark>"))
        else:
            out.append(Markup(f'<mark class="{kind}">') + piece + Markup("</mark>"))
        cursor = run
    return Markup("").join(out)


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.evaluation", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """A unified diff's lines, each with its kind (add, del, hunk, file, ctx) for colour;
    the template escapes the text."""
    out = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        out.append((kind, line))
    return out


def _variants(diffs: dict[str, dict[str, str]]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (system, template, diff_lines(text))
        for system, templates in diffs.items()
        for template, text in templates.items()
    ]


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
        parts = [
            (piece.start, piece.end, kind)
            for a in (pred.attributions if pred else [])
            for kind, piece in (("content", a.content), ("source", a.source), ("cue", a.cue))
            if piece is not None
        ]
        items.append(
            {
                "fixture": f,
                "records": mine,
                "highlight_system": shown,
                "article_html": highlighted(f.text, spans, parts),
                "any_events": any(r.prediction and r.prediction.events for r in mine.values()),
                "any_stances": any(r.prediction and r.prediction.stances for r in mine.values()),
                "any_attributions": bool(parts),
            }
        )
    best = {}
    for key, metric in METRICS.items():
        scored = [(v, s) for s in systems if (v := summary.systems[s].get(key)) is not None]
        if len(scored) > 1 and metric.ranked:
            pick = max(scored) if metric.higher_is_better else min(scored)
            best[key] = pick[1]
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
    spans_of = intervals.intervals(records)
    html = (
        _env()
        .get_template("report.html.j2")
        .render(
            summary=summary,
            systems=systems,
            metric_groups=shown_groups,
            items=items,
            best=best,
            fmt=fmt,
            spans={s: spans_of.get(s, {}) for s in systems},
            pooled=intervals.POOLED,
            interval_text=intervals.interval_text,
            charts=_charts(
                summary, records, [m.key for _, ms in shown_groups for m in ms], spans_of
            ),
            resamples=f"{intervals.RESAMPLES:,}",
            seed=intervals.SEED,
            prompt_variants=_variants(summary.prompt_diffs),
            prompt_versions=prompt_versions(summary),
            prompted=[s for s in systems if (summary.config.get(s) or {}).get("prompts")],
        )
    )
    path = run_dir / REPORT
    path.write_text(html, encoding="utf-8")
    return path


def prompt_versions(summary: RunSummary) -> dict[str, dict[str, str]]:
    """Template -> system -> the version (content hash) the system used, for the systems
    that send prompts."""
    table: dict[str, dict[str, str]] = {}
    for system, config in summary.config.items():
        for template, version in (config.get("prompts") or {}).items():
            table.setdefault(template, {})[system] = str(version)
    return dict(sorted(table.items()))


def _charts(
    summary: RunSummary,
    records: Sequence[ItemRecord],
    keys: Sequence[str],
    spans: dict[str, dict[str, intervals.Interval]],
) -> dict[str, Markup]:
    """Per metric with per-item values, its distribution chart, one row per system."""
    out = {}
    by_system: dict[str, list[ItemRecord]] = {s: [] for s in summary.systems}
    for r in records:
        by_system.setdefault(r.system, []).append(r)
    for key in keys:
        per_system = {
            s: [v for r in by_system[s] if (v := r.scores.get(key)) is not None]
            for s in summary.systems
        }
        if not any(per_system.values()):
            continue  # a run-level figure only (claims' macro-F1)
        out[key] = charts.distribution_svg(
            key,
            per_system,
            {s: summary.systems[s].get(key) for s in summary.systems},
            {s: i for s in summary.systems if (i := spans.get(s, {}).get(key)) is not None},
        )
    return out


def write_comparison(
    page: Path,
    comparison: Comparison,
    before: Path,
    after: Path,
    *,
    threshold: float | None = None,
    most: int = MOST_CHANGED,
) -> Path:
    """The comparison of ``before`` (A) and ``after`` (B) for one system as a page: the
    gate's verdict and metric changes (the numbers the terminal table shows), the
    configuration differences, and the items that changed most, A's answer beside B's."""
    system = comparison.system
    a = {r.item: r for r in read_records(before) if r.system == system}
    b = {r.item: r for r in read_records(after) if r.system == system}
    changed = item_changes(a, b)
    rows = [
        {
            "metric": c.metric,
            "label": full_label(c.metric),
            "n": c.items,
            "before": fmt(c.before, METRICS[c.metric].kind),
            "after": fmt(c.after, METRICS[c.metric].kind),
            "delta": f"{c.delta:+.3f}",
            "ci": f"[{c.low:+.3f}, {c.high:+.3f}]",
            "regression": c.regression,
            # Better beyond doubt: the whole interval on the better side of zero.
            "gain": c.low > 0 if c.higher_is_better else c.high < 0,
        }
        for c in comparison.changes
    ]
    shown = [
        {
            "id": change.item,
            "change": change.change,
            "a": a[change.item],
            "b": b[change.item],
            "scores": _score_rows(a[change.item], b[change.item], change.metrics),
        }
        for change in changed[:most]
    ]
    diffs = [
        (name, _variants({system: read_summary(run).prompt_diffs.get(system, {})}))
        for name, run in (("A", before), ("B", after))
    ]
    html = (
        _env()
        .get_template("compare.html.j2")
        .render(
            c=comparison,
            before=before,
            after=after,
            code=comparison.code,
            reasons=comparison.reasons(),
            threshold=threshold,
            rows=rows,
            shown=shown,
            changed=len(changed),
            shared=len(set(a) & set(b)),
            prompt_variants=diffs,
        )
    )
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    return page


def _score_rows(a: ItemRecord, b: ItemRecord, moved: Sequence[str]) -> list[dict[str, Any]]:
    """The item's quality scores in A and B, in the catalogue's order."""
    out = []
    for key in QUALITY:
        va, vb = a.scores.get(key), b.scores.get(key)
        if va is None and vb is None:
            continue
        kind = METRICS[key].kind
        delta = f"{vb - va:+.3f}" if va is not None and vb is not None else "–"
        out.append(
            {
                "label": full_label(key),
                "before": fmt(va, kind),
                "after": fmt(vb, kind),
                "delta": delta,
                "changed": key in moved,
            }
        )
    return out
