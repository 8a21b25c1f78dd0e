"""Storylines as one self-contained HTML page: stories, shared events, who says what."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from summarizer.storylines.schema import StoryEvent, Storylines


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
    # Events of the story left off the page (they are in the JSON).
    hidden_events: int = 0


# A page must stay small enough to open at once (< 2 MB for a run of 10,000 articles):
# every story is listed, the largest first, but events are shown only while their text
# fits this budget, at most MAX_EVENTS a story and MAX_QUOTES evidence quotes an event;
# the JSON holds them all.
EVENT_BUDGET_CHARS = 1_000_000
MAX_EVENTS = 12
MAX_QUOTES = 2


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
    stories, left = [], EVENT_BUDGET_CHARS
    for story in storylines.stories:
        shown = [_trimmed(e) for e in story.events[:MAX_EVENTS]] if left > 0 else []
        left -= sum(len(e.model_dump_json()) for e in shown)
        stories.append(
            PageStory(
                story.title,
                story.articles,
                events=shown,
                hidden_events=len(story.events) - len(shown),
            )
        )
    hidden = sum(s.hidden_events for s in stories)
    if hidden:
        subtitle += (
            f" · {hidden} events of the smaller stories are left off this page (the "
            "JSON holds them all)"
        )
    return write_page(path, title="summarizer storylines", subtitle=subtitle, stories=stories)


def _trimmed(event: StoryEvent) -> StoryEvent:
    """The event with at most :data:`MAX_QUOTES` evidence quotes in all."""
    mentions, quotes = [], MAX_QUOTES
    for mention in event.mentions:
        kept = mention.evidence[: max(quotes, 0)]
        quotes -= len(kept)
        mentions.append(mention.model_copy(update={"evidence": kept}))
    return event.model_copy(update={"mentions": mentions})


def _shown(value: float | str | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
