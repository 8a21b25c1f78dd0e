"""A readable terminal view of an analysis, with rich."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from summarizer.headline_text import without_dateline
from summarizer.schema import Analysis, Attribution, Metadata, Span

_POSITION_STYLE = {"support": "green", "oppose": "red", "neutral": "white", "mixed": "yellow"}


def render(analysis: Analysis, console: Console) -> None:
    console.print(_summary(analysis))
    if analysis.events:
        console.print(_events(analysis))
    if analysis.stances:
        console.print(_stances(analysis))
    if analysis.attributions:
        console.print(_attributions(analysis))
    if analysis.claims:
        console.print(_claims(analysis))
    console.print(_footer(analysis))


def _cites(evidence: list[Span]) -> str:
    return ",".join(str(s.sentence) for s in evidence)


def _summary(a: Analysis) -> RenderableType:
    # A grid, not one text: a line of Chinese has no space to wrap at, and Rich would
    # leave a bullet alone on its line before it.
    points = Table.grid(padding=(0, 1))
    points.add_column(width=1)
    points.add_column(ratio=1, overflow="fold")
    # A key point that quotes the headline's sentence (key_points=quote) is shown once,
    # as the headline, with the key point's citations.
    headline = Text(a.summary.headline, style="bold")
    spaced = " ".join(a.summary.headline.split())
    for k in a.summary.key_points:
        if spaced and " ".join(k.text.split()) == spaced:
            headline.append(f"  [{_cites(k.evidence)}]", style="dim cyan")
            spaced = ""  # once
            continue
        point = Text(k.text)
        point.append(f"  [{_cites(k.evidence)}]", style="dim cyan")
        points.add_row("•", point)
    title = a.article.title or "Summary"
    dated = f" · {a.article.published.isoformat()}" if a.article.published else ""
    # A headline taken from the first sentence opens the summary too, after its
    # dateline: shown once.
    text = a.summary.text
    undated = without_dateline(text)
    if a.summary.headline and undated.startswith(a.summary.headline):
        text = undated[len(a.summary.headline) :].strip()
    parts: list[RenderableType] = [headline]
    if text:
        parts += [Text(""), Text(text)]
    if points.row_count:
        parts += [Text(""), points]
    body = Group(*parts)
    return Panel(body, title=f"{title}{dated}", title_align="left", box=box.ROUNDED)


def _table(title: str, columns: tuple[str, ...], rows: list[tuple[RenderableType, ...]]) -> Table:
    """A table whose columns are never narrower than their longest word (up to
    :data:`LONGEST_WORD`), so that a narrow terminal wraps between words, not inside
    them ("internationa / l")."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    for i, column in enumerate(columns):
        words = [w for row in rows for w in str(row[i]).split()] + column.split()
        longest = max((cell_len(w) for w in words), default=1)
        table.add_column(column, overflow="fold", min_width=min(longest, LONGEST_WORD))
    for row in rows:
        table.add_row(*row)
    return table


# A longer word is folded: a URL or a run of Chinese has no space to wrap at.
LONGEST_WORD = 16


def _events(a: Analysis) -> Table:
    rows: list[tuple[RenderableType, ...]] = []
    for e in a.events:
        when = " / ".join(x for x in (e.time_text, e.date.isoformat() if e.date else None) if x)
        rows.append(
            (
                ", ".join(e.actors),
                e.action,
                ", ".join(e.targets),
                when,
                e.location or "",
                e.status,
                _cites(e.evidence),
            )
        )
    columns = ("who", "did what", "to whom", "when", "where", "status", "src")
    return _table("Events", columns, rows)


def _stances(a: Analysis) -> Table:
    rows: list[tuple[RenderableType, ...]] = [
        (
            s.holder,
            Text(s.position, style=_POSITION_STYLE[s.position]),
            s.target,
            s.claim,
            s.attribution or "",
            _cites(s.evidence),
        )
        for s in a.stances
    ]
    columns = ("holder", "position", "toward", "claim", "according to", "src")
    return _table("Stances", columns, rows)


def _attributions(a: Analysis) -> Table:
    """Who said what, grouped by source: 'Donald Trump — 4', then what each said."""
    groups: dict[str, list[Attribution]] = {}
    for t in a.attributions:
        who = t.source_name or (t.source.text if t.source else "(no source)")
        groups.setdefault(who, []).append(t)
    rows: list[tuple[RenderableType, ...]] = [
        (f"{who} — {len(said)}" if i == 0 else "", t.content.text, t.kind, str(t.content.sentence))
        for who, said in groups.items()
        for i, t in enumerate(said)
    ]
    return _table("Attributions", ("source", "said", "kind", "src"), rows)


def _claims(a: Analysis) -> Table:
    rows: list[tuple[RenderableType, ...]] = [
        (c.claim, c.label, _cites(c.evidence)) for c in a.claims
    ]
    return _table("Claims", ("claim", "article's stance", "src"), rows)


def _footer(a: Analysis) -> RenderableType:
    m = a.metadata
    line = Text(
        f"{m.model} ({m.backend}, {m.strategy}) · {m.usage.total_tokens} tokens "
        f"({m.usage.prompt_tokens} prompt + {m.usage.completion_tokens} output) · "
        f"{m.calls} calls, {m.attempts} requests · {m.latency_s:.1f} s"
        + (f" · {m.chunks} chunks" if m.chunks > 1 else "")
        + _languages(m),
        style="dim",
    )
    if not m.warnings:
        return line
    warnings = Text("\n".join(f"⚠ {w}" for w in m.warnings), style="yellow")
    return Group(warnings, line)


def _languages(m: Metadata) -> str:
    if m.language == m.output_language == "en" and not m.extractive:
        return ""
    return f" · {m.language} → {m.output_language}" + (", extractive" if m.extractive else "")
