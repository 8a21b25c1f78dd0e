"""The command line: ``summarizer analyze``, ``batch``, ``eval``, ``schema``.

Thin by design: parse options, call the library, map its errors to exit codes
(2: the caller can fix it, 3: the model or endpoint failed) and one-line messages.
"""

from __future__ import annotations

import functools
import logging
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from summarizer.errors import ModelError, SummarizerError, UsageError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USAGE = 2
EXIT_MODEL = 3


def _errors_to_exit_codes(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageError as exc:
            _fail(str(exc), EXIT_USAGE)
        except ModelError as exc:
            detail = f" (after {exc.attempts} requests)" if exc.attempts else ""
            _fail(f"{exc}{detail}", EXIT_MODEL)
        except SummarizerError as exc:
            _fail(str(exc), EXIT_MODEL)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    Console(stderr=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
    )
    sys.exit(code)


def model_options(func: F) -> F:
    """Settings for every subcommand that calls a model; unset means "from the environment"."""
    options = [
        click.option("--model", "-m", help="Model name. Default: the embedded SmolLM2-135M."),
        click.option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL)."),
        click.option(
            "--strategy",
            type=click.Choice(["per_task", "combined"]),
            help="One call per task (default) or one combined call.",
        ),
        click.option(
            "--summary",
            type=click.Choice(["abstractive", "extractive", "lead", "lead3"]),
            help="The model's own summary, the sentences its key points cite, the "
            "first sentence and those, or the first three sentences. Default: lead on "
            "the embedded model, abstractive on an endpoint.",
        ),
        click.option(
            "--examples/--no-examples",
            default=None,
            help="Show a short worked example in each task's prompt. Default: off.",
        ),
        click.option(
            "--grounded-fields/--no-grounded-fields",
            default=None,
            help="Keep only actors, targets and holders the cited sentences name. Default: off.",
        ),
        click.option(
            "--verify/--no-verify",
            default=None,
            help="Ask the model whether each event's and stance's cited sentence states it; "
            "drop those it denies. Default: off.",
        ),
        click.option(
            "--headline-guard/--no-headline-guard",
            default=None,
            help="Ask again once when the headline names what the article lacks. Default: on.",
        ),
        click.option(
            "--headline",
            type=click.Choice(["auto", "model", "tuned", "rule"]),
            help="The headline written by the model with the summary, by the embedded "
            "model through its adapter (tuned), or the title, else the first sentence "
            "(rule). Default: rule for the embedded model, model for an endpoint.",
        ),
        click.option(
            "--key-points",
            type=click.Choice(["auto", "model", "quote"]),
            help="The key points in the model's words, or each the sentence it cites "
            "(quote). Default: quote for the embedded model, model for an endpoint.",
        ),
        click.option(
            "--extractor",
            type=click.Choice(["auto", "tuned", "model", "rule"]),
            help="Events and stances by the model, by the embedded model through its "
            "adapter (tuned) or by rule. Default: rule for the embedded model, model for "
            "an endpoint.",
        ),
        click.option(
            "--attributions",
            type=click.Choice(["combined", "tagger", "rule", "none"]),
            help="Who said what: by a tagger trained on PolNeAR, by rule (cues, quotation "
            "marks, speakers' turns), the tagger where it is sure and the rule where it "
            "found nothing (combined), or not looked for. Default: combined.",
        ),
        click.option(
            "--claim-labels",
            type=click.Choice(["auto", "tuned", "scores", "generated", "rule"]),
            help="Labels of related claims (a lexical gate decides 'unrelated'). Default: "
            "rule for the embedded model, generated for an endpoint.",
        ),
        click.option(
            "--candidates/--no-candidates",
            default=None,
            help="The model chooses actors, holders and places from the article's names. "
            "Default: off.",
        ),
        click.option(
            "--output-language",
            help="Language of the headline, summary, key points, actions and claims "
            "(ISO 639-1: en, fr, ko, zh...). Default: the article's.",
        ),
        click.option(
            "--prompts",
            type=click.Path(file_okay=False, path_type=Path),
            help="A folder of edited prompt templates (see `summarizer prompts copy`); "
            "a template it lacks is the shipped one.",
        ),
        click.option(
            "--logprobs/--no-logprobs",
            default=None,
            help="Ask an endpoint for log-probabilities: generated labels get a "
            "confidence. Default: off.",
        ),
        click.option(
            "--adapter",
            help="The embedded model's LoRA adapter: auto (the shipped one, if any), none "
            "(the base model alone) or a GGUF LoRA file. Default: auto.",
        ),
        click.option("--temperature", type=float, help="Sampling temperature. Default: 0."),
        click.option(
            "--repeat-penalty", type=float, help="Penalty on repeated tokens. Default: 1.1."
        ),
        click.option(
            "--mode",
            type=click.Choice(["auto", "tools", "json_schema", "json", "md_json"]),
            help="instructor mode for structured output. Default: auto.",
        ),
        click.option("--max-output-tokens", type=int, help="Token limit of one answer."),
        click.option("--context-tokens", type=int, help="Context window of the model."),
        click.option("--timeout", type=float, help="Seconds per HTTP request."),
        click.option("--reasks", type=int, help="Validation re-asks per call."),
        click.option("--transport-retries", type=int, help="Retries of failed requests."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    Console(stderr=True).print(f"[yellow]warning:[/] {escape(str(message))}", highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Summaries, events and stances from news articles, grounded in the text."""
    # A warning of ours (the embedded model's extractive output on another language) is
    # a line for the reader, shown once, not a source location.
    warnings.showwarning = _show_warning
    # instructor logs every failed attempt at ERROR; the CLI reports failures itself
    # (and some dependencies configure the root logger on import).
    quiet = logging.getLogger("instructor")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "json", "html"]),
    default="auto",
    show_default=True,
    help="Input format.",
)
@click.option("--title", help="Article title (overrides the input's).")
@click.option("--published", help="Publication date, YYYY-MM-DD (overrides the input's).")
@click.option(
    "--language",
    help="The article's language, ISO 639-1 (overrides the input's). Default: detected.",
)
@click.option(
    "--claim",
    "claims",
    multiple=True,
    help="A claim to label agree/disagree/discuss/unrelated; repeatable.",
)
@model_options
@_errors_to_exit_codes
def analyze(
    file: str,
    as_json: bool,
    fmt: str,
    title: str | None,
    published: str | None,
    language: str | None,
    claims: tuple[str, ...],
    **settings: Any,
) -> None:
    """Analyse FILE (plain text, JSON or HTML; '-' reads standard input)."""
    from summarizer.article import Article, parse_published
    from summarizer.inputs import parse_article, read_source

    name = "standard input" if file == "-" else file
    article, given_claims = parse_article(read_source(file), name=name, fmt=fmt)
    if title is not None or published is not None or language is not None:
        article = Article.from_text(
            article.text,
            title=title if title is not None else article.title,
            published=parse_published(published) if published is not None else article.published,
            language=language or article.language,
        )
    # Imported once the input is known to be good: openai alone takes most of a second
    # to import, which a mistyped file name should not have to wait for.
    from summarizer.client import Summarizer

    client = Summarizer(**settings)
    result = client.analyze(article, claims=[*given_claims, *claims])
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        from summarizer.render import render

        render(result, Console())


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into. Default: the package's schemas/ folder.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the files differ from the models.")
@_errors_to_exit_codes
def schema(out: Path | None, check: bool) -> None:
    """Write the JSON Schema files of the output format (or check them)."""
    from summarizer.resources import data_dir
    from summarizer.schemas_export import stale_schemas, write_schemas

    folder = out or data_dir("schemas")
    if check:
        stale = stale_schemas(folder)
        for name in stale:
            click.echo(f"out of date: {folder / name}", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(folder):
        click.echo(f"wrote {path}")


def _register_subcommands() -> None:
    from summarizer.batch_cli import register as register_batch
    from summarizer.evaluation.cli import register as register_eval
    from summarizer.prompts_cli import register as register_prompts
    from summarizer.storylines_cli import register as register_storylines

    register_batch(main, model_options, _errors_to_exit_codes)
    register_eval(main, model_options, _errors_to_exit_codes)
    register_storylines(main, _errors_to_exit_codes)
    register_prompts(main, _errors_to_exit_codes)


_register_subcommands()

if __name__ == "__main__":  # pragma: no cover
    main()
