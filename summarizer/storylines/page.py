"""Storylines as one self-contained HTML page: stories, shared events, who says what."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from summarizer.storylines.schema import Storylines


@dataclass(frozen=True)
class PageTable:
    """A table of figures: one row per system, the best cell of each column marked."""

    id: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[dict[str, Any]]]]
    note: str = ""


@dataclass(frozen=True)
class PageStory:
    title: str
    articles: list[str]
    tags: list[str] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def figures_table(
    table_id: str, title: str, rows: dict[str, dict[str, float | str | None]], note: str = ""
) -> PageTable:
    """``rows`` maps a system to its figures; numbers are shown to three places and the
    highest in each column is marked."""
    columns = list(dict.fromkeys(c for values in rows.values() for c in values))
    best = {
        c: max(v for values in rows.values() if isinstance(v := values.get(c), float))
        for c in columns
        if sum(isinstance(values.get(c), float) for values in rows.values()) > 1
    }
    shaped = [
        (
            name,
            [
                {
                    "text": _shown(values.get(c)),
                    "best": isinstance(values.get(c), float) and values.get(c) == best.get(c),
                }
                for c in columns
            ],
        )
        for name, values in rows.items()
    ]
    return PageTable(table_id, title, columns, shaped, note)


def write_page(
    path: Path,
    *,
    title: str,
    subtitle: str,
    stories: list[PageStory],
    tables: list[PageTable] | None = None,
) -> Path:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.storylines", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template("storylines.html.j2").render(
        title=title, subtitle=subtitle, stories=stories, tables=tables or []
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def storylines_page(storylines: Storylines, path: Path) -> Path:
    m = storylines.metadata
    subtitle = (
        f"{m.articles} analyses · {len(storylines.stories)} stories · {m.events} events"
        + (f" · {m.skipped} records skipped" if m.skipped else "")
        + (f" · model {m.model}" if m.model else "")
    )
    stories = [PageStory(s.title, s.articles, events=list(s.events)) for s in storylines.stories]
    return write_page(path, title="summarizer storylines", subtitle=subtitle, stories=stories)


def _shown(value: float | str | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
