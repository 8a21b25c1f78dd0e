"""``summarizer storylines``: group a batch run's records into stories and shared events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console

from summarizer.evaluation.cli import Decorator


def run_storylines(
    records: Path,
    output: Path,
    *,
    update: Path | None,
    quiet: bool,
    console: Console,
    html: Path | None = None,
) -> None:
    from summarizer.storylines import read_storylines, update_storylines, write_storylines
    from summarizer.storylines.page import storylines_page
    from summarizer.storylines.runs import storylines_metadata
    from summarizer.storylines.view import render_storylines

    if update is None:
        change = write_storylines(records, output)
    else:
        change = update_storylines(update, records, output)
    if html is not None or not quiet:
        storylines = read_storylines(output)
        if html is not None:
            storylines_page(storylines, html)
        if not quiet:
            render_storylines(storylines, console)
        m = storylines.metadata
    else:
        m = storylines_metadata(output)
    done = [f"{m.stories} stories, {m.events} events from {m.articles} analyses in {output}"]
    if update is not None:
        done.insert(
            0, f"{change.added} new analyses, {change.stories_touched} stories new or changed"
        )
        if change.already_held:
            done.append(f"{change.already_held} already held, skipped")
        if change.merged:
            done.append(f"{len(change.merged)} stories merged into others")
        if change.split:
            done.append(f"{len(change.split)} split off")
    if m.skipped:
        done.append(f"{m.skipped} record(s) skipped")
    console.print("; ".join(done), highlight=False)


def register(main: click.Group, errors: Decorator) -> None:
    @main.command()
    @click.argument("records", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Storylines JSON (schemas/storylines.schema.json); its state, which "
        "--update reads, is written beside it as OUTPUT.state.",
    )
    @click.option(
        "--update",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="STORYLINES",
        help="Add RECORDS to these storylines (and their STORYLINES.state) instead of "
        "starting afresh: new articles join a story or start one, story ids stay.",
    )
    @click.option(
        "--html",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the storylines as a self-contained HTML page.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="Only the one-line summary.")
    @errors
    def storylines(
        records: Path,
        output: Path,
        update: Path | None,
        html: Path | None,
        quiet: bool,
        **_: Any,
    ) -> None:
        """Group the analyses of RECORDS (what `summarizer batch` writes) into stories,
        and merge the events their articles share. Failed records are skipped and
        counted. With --update, add them to earlier storylines: a story keeps its id,
        and one merged into another is listed under "merged"."""
        run_storylines(records, output, update=update, quiet=quiet, console=Console(), html=html)
