"""A terminal view of storylines, with rich: each story, its shared events, who disagrees."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.storylines.schema import Story, StoryEvent, Storylines

# Stories with one article and no shared event say little: shown as a count.
_POSITION_STYLE = {"support": "green", "oppose": "red", "neutral": "white", "mixed": "yellow"}


def render_storylines(storylines: Storylines, console: Console, *, limit: int = 20) -> None:
    shown = [s for s in storylines.stories if len(s.articles) > 1][:limit]
    for story in shown:
        console.print(_story(story))
    rest = len(storylines.stories) - len(shown)
    m = storylines.metadata
    console.print(
        Text.assemble(
            (f"{len(storylines.stories)} stories", "bold"),
            f" from {m.articles} articles · {m.events} events",
            f" · {m.skipped} records skipped" if m.skipped else "",
            f" · {rest} more not shown (single articles, or past the first {limit})"
            if rest
            else "",
            f" · {m.latency_s:.2f} s",
            style="dim",
        )
    )


def _story(story: Story) -> RenderableType:
    shared = [e for e in story.events if len({m.article for m in e.mentions}) > 1]
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    for column in ("event", "who", "when", "where", "status", "articles"):
        table.add_column(column, overflow="fold")
    for event in shared:
        table.add_row(*_row(event))
    lines: list[RenderableType] = (
        [table] if shared else [Text("no event reported by two articles", style="dim")]
    )
    for event in shared:
        for conflict in event.conflicts:
            says = "; ".join(f"{v.value} ({', '.join(v.articles)})" for v in conflict.values)
            lines.append(
                Text(f"⚠ {event.action}: {conflict.field} differs: {says}", style="yellow")
            )
        for stance in event.stances:
            lines.append(
                Text.assemble(
                    f"  {stance.article}: {stance.holder} ",
                    (stance.position, _POSITION_STYLE[stance.position]),
                    f" — {stance.claim}",
                )
            )
    title = f"{story.title} · {len(story.articles)} articles"
    return Panel(Group(*lines), title=title, title_align="left", box=box.ROUNDED)


def _row(event: StoryEvent) -> tuple[str, ...]:
    articles = sorted({m.article for m in event.mentions})
    conflicted = {c.field for c in event.conflicts}

    def mark(field: str, value: str) -> str:
        return f"{value} ⚠" if field in conflicted else value

    return (
        event.action,
        ", ".join(event.actors),
        mark("date", event.date.isoformat() if event.date else ""),
        mark("location", event.location or ""),
        mark("status", event.status),
        f"{len(articles)}: {', '.join(articles[:4])}{' …' if len(articles) > 4 else ''}",
    )
