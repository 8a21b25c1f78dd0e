"""A storylines eval run's figures: in the terminal, in summary.json and in report.html."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from summarizer.evaluation.storyline_eval import StorylineResult, TopicArticle
from summarizer.storylines.page import PageStory, PageTable, figures_table, write_page

METRICS = {"muc": "MUC", "b_cubed": "B³", "ceaf_e": "CEAF-e", "lea": "LEA"}
SECTIONS = (
    ("stories", "Stories: articles against ECB+ subtopics"),
    ("events_gold", "Events, gold mentions: ACTION coreference across articles"),
    ("events_predicted", "Events, predicted: the system's events matched to gold mentions"),
)


def flat(figures: dict[str, Any]) -> dict[str, float | str | None]:
    """One system's figures as columns: each metric's F1, then CoNLL F1 and the rest."""
    row: dict[str, float | str | None] = {}
    for metric, label in METRICS.items():
        if metric in figures:
            row[f"{label} F1"] = float(figures[metric]["f1"])
    for name, value in figures.items():
        if name not in METRICS:
            shown = "CoNLL F1" if name == "conll_f1" else name.replace("_", " ")
            row[shown] = float(value) if isinstance(value, float) else value
    return row


def tables(result: StorylineResult) -> list[PageTable]:
    return [
        figures_table(section, title, {s: flat(f) for s, f in getattr(result, section).items()})
        for section, title in SECTIONS
        if getattr(result, section)
    ]


def print_result(result: StorylineResult, console: Console) -> None:
    for table in tables(result):
        shown = Table(title=table.title, title_justify="left")
        shown.add_column("system")
        for column in table.columns:
            shown.add_column(column, justify="right")
        for name, cells in table.rows:
            shown.add_row(
                name, *(f"[bold]{c['text']}[/]" if c["best"] else c["text"] for c in cells)
            )
        console.print(shown)


def write_run(out: Path, result: StorylineResult, articles: Sequence[TopicArticle]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    subtopic = {a.doc: a.subtopic for a in articles}
    stories = [
        PageStory(
            title=f"story {n}",
            articles=docs,
            tags=sorted({f"gold {subtopic[d]}" for d in docs}),
        )
        for n, docs in enumerate(result.story_groups, start=1)
    ]
    subtitle = (
        f"ECB+ dev topics, {result.half} half · {result.articles} articles in "
        f"{result.topics} topics · {result.seconds:.1f} s"
    )
    return write_page(
        out / "report.html",
        title="summarizer eval · storylines",
        subtitle=subtitle,
        stories=stories,
        tables=tables(result),
    )
