"""``summarizer batch``: many articles from JSON Lines, and Batch-API files.

Kept apart from the main CLI like ``eval``; it only maps options to
:mod:`summarizer.batch` and :mod:`summarizer.batch_files`.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click
from click_default_group import DefaultGroup
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from summarizer.evaluation.cli import Decorator, cache_options, open_cache

EXIT_ITEMS_FAILED = 1


def _batch() -> None:
    """Analyse many articles (JSON Lines), or go through a Batch API."""


# `summarizer batch IN -o OUT` means `summarizer batch run IN -o OUT`.
batch_group: click.Group = click.group(  # type: ignore[no-untyped-call]
    cls=DefaultGroup, default="run", default_if_no_args=False
)(_batch)


class RateColumn(ProgressColumn):
    """Articles per second, over the run so far (rich's own speed is bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f}/s" if speed else "–/s", style="progress.data.speed")


def register(main: click.Group, model_options: Decorator, errors: Decorator) -> None:
    @batch_group.command("run")
    @click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Output JSON Lines: one record per input line, in input order.",
    )
    @click.option(
        "--concurrency",
        "-j",
        type=click.IntRange(1, 1024),
        default=8,
        show_default=True,
        help="Requests in flight on an endpoint (the embedded model runs one at a time).",
    )
    @click.option(
        "--storylines",
        "storylines_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also group OUTPUT's analyses into stories and shared events, into this JSON.",
    )
    @click.option("--resume", is_flag=True, help="Keep OUTPUT's finished records; run the rest.")
    @click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
    @cache_options
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    @model_options
    @errors
    def run(
        input_path: Path,
        output: Path,
        concurrency: int,
        storylines_path: Path | None,
        resume: bool,
        overwrite: bool,
        cache_path: Path | None,
        no_cache: bool,
        quiet: bool,
        **overrides: Any,
    ) -> None:
        """Analyse every article of INPUT (JSON Lines: {"id", "text", "title", "published",
        "claims"} per line) into OUTPUT.

        Exit status: 0 when every item succeeded, 1 when some failed (each is recorded
        in OUTPUT; --resume runs them again), 2 or 3 when the run itself could not go on.
        """
        from summarizer.batch import arun_batch, scan_ids
        from summarizer.settings import load_settings

        if resume and overwrite:
            raise click.UsageError("--resume and --overwrite exclude each other")
        settings = load_settings(**overrides)
        cache = open_cache(cache_path, no_cache)
        total = len(scan_ids(input_path))
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]batch[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("[red]{task.fields[failed]} failed[/]"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            disable=quiet,
        ) as progress:
            task = progress.add_task("batch", total=total, failed=0)

            def advance(summary: Any, record: Any) -> None:
                progress.update(task, completed=summary.done, failed=summary.failed)

            summary = asyncio.run(
                arun_batch(
                    input_path,
                    output,
                    settings,
                    concurrency=concurrency,
                    cache=cache,
                    resume=resume,
                    overwrite=overwrite,
                    on_record=advance,
                )
            )
            progress.update(task, completed=summary.done)
        parts = [
            f"{summary.done} of {summary.total} records in {output}",
            f"{summary.ok} ok",
            f"{summary.failed} failed",
        ]
        if summary.kept:
            parts.append(f"{summary.kept} kept from before")
        if cache is not None:
            parts.append(f"cache {summary.cache_hits} hits / {summary.cache_misses} misses")
        parts += [
            f"{summary.model_calls} model requests",
            f"{summary.usage.total_tokens:,} tokens",
            f"{summary.seconds:.1f} s",
        ]
        console.print("; ".join(parts), highlight=False)
        if storylines_path is not None:
            from summarizer.storylines_cli import run_storylines

            run_storylines(output, storylines_path, update=None, quiet=True, console=console)
        if summary.failed:
            console.print(
                f"[yellow]{summary.failed} item(s) failed:[/] their records in {output} say why; "
                "run again with --resume to retry them",
                highlight=False,
            )
            sys.exit(EXIT_ITEMS_FAILED)

    @batch_group.command("export")
    @click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Batch API input file to write (JSON Lines).",
    )
    @click.option(
        "--results",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Results of earlier rounds: export only what they do not answer. Repeatable.",
    )
    @model_options
    @errors
    def export(input_path: Path, output: Path, results: tuple[Path, ...], **overrides: Any) -> None:
        """Write the model requests INPUT's articles need as an OpenAI Batch API file
        (also the input format of `vllm run-batch`)."""
        from summarizer.batch_files import replay
        from summarizer.settings import load_settings

        summary = replay(
            input_path, load_settings(**overrides), results=results, requests_out=output
        )
        click.echo(
            f"wrote {summary.requests} requests for {summary.pending} of {summary.items} "
            f"articles to {output}",
            err=True,
        )

    @batch_group.command("import")
    @click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
    @click.option(
        "--results",
        multiple=True,
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Batch API results file; give every round's. Repeatable.",
    )
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Output JSON Lines, as from `summarizer batch run`.",
    )
    @click.option(
        "--next",
        "next_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Where to write the next round's requests. Default: OUTPUT.next-requests.jsonl",
    )
    @model_options
    @errors
    def import_(
        input_path: Path,
        results: tuple[Path, ...],
        output: Path,
        next_path: Path | None,
        **overrides: Any,
    ) -> None:
        """Read Batch API results back through validation and grounding into OUTPUT.

        Use the same model options as the export. Articles that need another round
        (a re-ask, or a long article's reduce step) get their requests written to --next;
        send that file, then import again with all results files.
        """
        from summarizer.batch_files import replay
        from summarizer.settings import load_settings

        settings = load_settings(**overrides)
        follow = next_path or output.with_name(output.name + ".next-requests.jsonl")
        summary = replay(input_path, settings, results=results, output=output, requests_out=follow)
        click.echo(
            f"{summary.items} records in {output}: {summary.finished} finished, "
            f"{summary.failed} failed, {summary.pending} waiting for another round; "
            f"read {summary.results} results ({summary.result_errors} errors)",
            err=True,
        )
        if summary.pending:
            click.echo(f"next round: {summary.requests} requests in {follow}", err=True)
            if summary.finished == 0 and summary.results and not summary.result_errors:
                click.echo(
                    "no result matched: import with the same model options as the export",
                    err=True,
                )
        else:
            follow.unlink(missing_ok=True)

    main.add_command(batch_group, "batch")
