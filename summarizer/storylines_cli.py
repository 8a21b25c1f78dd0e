"""``summarizer storylines``: group a batch run's records into stories and shared events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console

from summarizer.evaluation.cli import Decorator


def write_storylines(
    records: Path, output: Path, *, quiet: bool, console: Console, html: Path | None = None
) -> None:
    from summarizer.storylines import storylines_from_file
    from summarizer.storylines.page import storylines_page
    from summarizer.storylines.view import render_storylines

    storylines = storylines_from_file(records)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(storylines.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if html is not None:
        storylines_page(storylines, html)
    if not quiet:
        render_storylines(storylines, console)
    m = storylines.metadata
    console.print(
        f"{len(storylines.stories)} stories, {m.events} events from {m.articles} analyses "
        f"in {output}" + (f"; {m.skipped} record(s) skipped" if m.skipped else ""),
        highlight=False,
    )


def register(main: click.Group, errors: Decorator) -> None:
    @main.command()
    @click.argument("records", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Storylines JSON (schemas/storylines.schema.json).",
    )
    @click.option(
        "--html",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the storylines as a self-contained HTML page.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="Only the one-line summary.")
    @errors
    def storylines(records: Path, output: Path, html: Path | None, quiet: bool, **_: Any) -> None:
        """Group the analyses of RECORDS (what `summarizer batch` writes) into stories,
        and merge the events their articles share. Failed records are skipped and
        counted."""
        write_storylines(records, output, quiet=quiet, console=Console(), html=html)
