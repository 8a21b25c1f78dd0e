"""``summarizer prompts``: the shipped prompt templates, to edit and compare."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from summarizer.evaluation.cli import Decorator


def register(main: click.Group, errors: Decorator) -> None:
    @main.group()
    def prompts() -> None:
        """The prompt templates: copy them to edit, then compare the copy in one eval run
        (`summarizer eval --systems pipeline,pipeline:prompts=DIR`)."""

    @prompts.command("copy")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace templates FOLDER already has.")
    @errors
    def copy(folder: Path, force: bool) -> None:
        """Write the shipped templates into FOLDER, to start editing from."""
        from summarizer.errors import UsageError
        from summarizer.prompts import TEMPLATES
        from summarizer.resources import data_dir

        shipped = data_dir("prompts")
        targets = [folder / f"{name}.j2" for name in TEMPLATES]
        if (existing := [t.name for t in targets if t.exists()]) and not force:
            raise UsageError(
                f"{folder} already has {', '.join(existing)}: pass --force to replace them"
            )
        folder.mkdir(parents=True, exist_ok=True)
        for target in targets:
            shutil.copyfile(shipped / target.name, target)
        click.echo(
            f"wrote {len(targets)} templates to {folder}; edit any of them (delete the ones "
            f"you keep as shipped), then: summarizer eval --systems "
            f"pipeline,pipeline:prompts={folder}"
        )

    @prompts.command("check")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    @errors
    def check(folder: Path) -> None:
        """Check FOLDER's templates as a run would, before any call."""
        from summarizer.prompts import load_prompts

        found = load_prompts(folder)
        changed = found.diffs()
        click.echo(
            f"{folder}: templates fine; {len(changed)} differ from the shipped ones"
            + (f" ({', '.join(changed)})" if changed else "")
        )
