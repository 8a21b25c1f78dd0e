"""``summarizer eval``: run, compare and meta-evaluate. Kept apart from the main CLI so
that module stays small; it only maps options to the evaluation library."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click
from click_default_group import DefaultGroup
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from summarizer.errors import InputError
from summarizer.evaluation.halves import HALVES, Half

if TYPE_CHECKING:
    from summarizer.cache import ResponseCache
from summarizer.evaluation.fixtures import Fixture

DEFAULT_FIXTURES = Path("evals") / "fixtures"

half_option = click.option(
    "--half",
    type=click.Choice(HALVES),
    default="all",
    show_default=True,
    help="Every item, or the half that settings are chosen on (tune) or figures are "
    "reported on (report); each item's half is fixed by its id.",
)
DEFAULT_SYSTEMS = "pipeline,naive-bounded,naive,lead3,rules"
# What --fail-under takes on ecbplus-topics (StorylineResult.metrics).
STORYLINE_METRICS = (
    "stories_conll_f1",
    "events_gold_conll_f1",
    "events_predicted_conll_f1",
    "stories_chunked_vs_one_run_conll_f1",
)
# The loaders' DATASETS and the storyline set, written out so that the CLI starts
# without importing the loaders (a test keeps the two lists the same).
DATASET_NAMES = (
    "summeval",
    "fnc1",
    "fnc1-natural",
    "wikievents",
    "ecbplus",
    "casie",
    "polnear",
    "polnear-titles",
    "ecbplus-topics",
)


def _eval() -> None:
    """Score systems on hand-labelled fixtures or a public dataset."""


# `summarizer eval [PATH]` means `summarizer eval run [PATH]`.
eval_group: click.Group = click.group(  # type: ignore[no-untyped-call]
    cls=DefaultGroup, default="run", default_if_no_args=True
)(_eval)


F = TypeVar("F", bound=Callable[..., Any])


class Decorator(Protocol):
    def __call__(self, func: F, /) -> F: ...


def cache_options(func: F) -> F:
    """``--cache FILE`` and ``--no-cache``, for every command that may call a model."""
    func = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the response cache."
    )(func)
    return click.option(
        "--cache",
        "cache_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Response cache (SQLite, shared by processes). Default: ~/.cache/summarizer.",
    )(func)


def eval_progress(console: Console, *, disable: bool) -> Progress:
    """The progress bar of a long eval step: done of total, elapsed, time left."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )


def judge_options(func: F) -> F:
    """``--judge``, ``--judge-base-url``, ``--judge-logprobs``: a model that grades
    summaries, for ``eval run`` and ``eval meta``."""
    func = click.option(
        "--judge-logprobs/--no-judge-logprobs",
        default=None,
        help="Ask the judge's endpoint for top log-probabilities: the grade is their "
        "weighted mean over 1-5, not the digit. Default: off.",
    )(func)
    func = click.option("--judge-base-url", help="The judge's OpenAI-compatible endpoint.")(func)
    return click.option(
        "--judge",
        "judge_spec",
        metavar="embedded|MODEL",
        help="Grade every summary's faithfulness and relevance (1-5) with a judge model: "
        "the embedded one, or a model at --judge-base-url (default: --base-url, else the "
        "environment's endpoint). Off by default.",
    )(func)


def _check_judge(spec: str | None, base_url: str | None, logprobs: bool | None) -> None:
    if spec is None and (base_url or logprobs is not None):
        raise click.UsageError("--judge-base-url and --judge-logprobs need --judge")


def system_names(spec: str) -> list[str]:
    """The systems of ``--systems``, each once, in order; an unknown one is an error."""
    from summarizer.evaluation.systems import SYSTEMS

    names = list(dict.fromkeys(n.strip() for n in spec.split(",") if n.strip()))
    variants = ("pipeline:", "tagger:model=", "combined:model=")
    if unknown := [n for n in names if n not in SYSTEMS and not n.startswith(variants)]:
        raise click.UsageError(f"unknown system(s) {unknown}; choose from {list(SYSTEMS)}")
    return names


def open_cache(cache_path: Path | None, no_cache: bool) -> ResponseCache | None:
    from summarizer.cache import DEFAULT_PATH, ResponseCache

    return None if no_cache else ResponseCache(cache_path or DEFAULT_PATH)


def register(main: click.Group, model_options: Decorator, errors: Decorator) -> None:
    """Attach ``eval`` to the main CLI, with its shared model options and error mapping."""

    @eval_group.command("run")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @click.option(
        "--dataset",
        type=click.Choice(DATASET_NAMES),
        help="PATH is this public dataset (a .jsonl file or the data folder).",
    )
    @click.option("--limit", type=int, help="Only the first N items (of the half, if given).")
    @half_option
    @click.option(
        "--systems",
        help="Comma-separated: pipeline, naive-bounded, naive, lead3, rules, "
        "constant:LABEL, gate:LABEL, fnc1-baseline; pipeline:FIELD=VALUE[:...] is a "
        "variant of the pipeline (e.g. pipeline:summary=abstractive). Default: pipeline, "
        "naive-bounded, naive, lead3 and rules, and the constant, gate and FNC-1 official "
        "baselines when the items have labelled claims.",
    )
    @click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        help="Run folder. Default: runs/<time>-<source>.",
    )
    @click.option("--concurrency", type=int, default=1, show_default=True)
    @cache_options
    @click.option("--resume", is_flag=True, help="Keep finished items in --out; rerun the rest.")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    @click.option(
        "--fail-under",
        "fail_under",
        multiple=True,
        metavar="METRIC=VALUE",
        help="Exit 1 if the first system's METRIC is below VALUE (repeatable; for CI, e.g. "
        "valid_rate=1). For a lower-is-better metric (failed_rate), above VALUE.",
    )
    @judge_options
    @model_options
    @errors
    def run(
        path: Path | None,
        dataset: str | None,
        limit: int | None,
        half: Half,
        systems: str | None,
        out: Path | None,
        concurrency: int,
        cache_path: Path | None,
        no_cache: bool,
        resume: bool,
        quiet: bool,
        fail_under: tuple[str, ...],
        judge_spec: str | None,
        judge_base_url: str | None,
        judge_logprobs: bool | None,
        **overrides: Any,
    ) -> None:
        """Run the eval over fixtures (default: evals/fixtures) or a dataset."""
        from summarizer.evaluation.judge import Judge, judge_settings
        from summarizer.evaluation.report import write_report
        from summarizer.evaluation.runner import read_records, run_eval
        from summarizer.evaluation.systems import SYSTEMS, make_system
        from summarizer.settings import load_settings

        if resume and out is None:
            raise click.UsageError("--resume needs --out, the run folder to resume")
        _check_judge(judge_spec, judge_base_url, judge_logprobs)
        if judge_spec is not None and dataset == "ecbplus-topics":
            raise click.UsageError("--judge grades summaries; ecbplus-topics has none")
        if dataset == "ecbplus-topics":
            floors = _floors(fail_under, STORYLINE_METRICS)
            _storylines_run(
                path, half, limit, systems, out, cache_path, no_cache, floors, quiet, overrides
            )
            return
        floors = _floors(fail_under)
        fixtures = _load_items(path, dataset, limit, half)
        if systems is None:
            systems = DEFAULT_SYSTEMS
            if any("claims" in f.labelled for f in fixtures):
                # A learned model must beat a learned baseline too, not only constants.
                claims = ("constant", "gate", "fnc1")
                systems += "," + ",".join(s for s in SYSTEMS if s.startswith(claims))
        names = system_names(systems)
        settings = load_settings(**overrides)
        graded_by = (
            judge_settings(judge_spec, judge_base_url or overrides.get("base_url"), judge_logprobs)
            if judge_spec is not None
            else None
        )
        cache = open_cache(cache_path, no_cache)
        judge = Judge(graded_by, cache) if graded_by is not None else None
        backends: dict[str, Any] = {}
        try:
            chosen = [make_system(n, settings, cache, backends) for n in names]
        except Exception:
            if cache:
                cache.close()
            raise
        label = (dataset or "fixtures") + ("" if half == "all" else f"-{half}")
        out = out or Path("runs") / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"
        shown = {
            "model": settings.model_name,
            "backend": settings.backend,
            "strategy": settings.strategy,
            "mode": settings.mode,
            "source": dataset or "fixtures",
            "half": half,
            "systems": ",".join(names),
            **({"judge": judge.name} if judge else {}),
        }
        console = Console(stderr=True)
        try:
            with eval_progress(console, disable=quiet) as progress:
                task = progress.add_task(f"eval {label}", total=len(fixtures) * len(chosen))

                def advance(done: int, total: int, record: Any) -> None:
                    progress.update(task, completed=done)
                    if not record.ok:
                        progress.console.print(
                            f"[yellow]{record.system} failed on {record.item}:[/] {record.error}",
                            highlight=False,
                            markup=True,
                            soft_wrap=True,
                        )

                summary = run_eval(
                    fixtures,
                    chosen,
                    out,
                    concurrency=concurrency,
                    cache=cache,
                    resume=resume,
                    settings=shown,
                    half=half,
                    on_record=advance,
                    judge=judge,
                )
        finally:
            for system in chosen:
                system.close()
            if judge:
                judge.close()
            if cache:
                cache.close()
        report = write_report(out, summary, read_records(out), fixtures)
        print_metrics(summary.systems)
        hits = (
            f", cache {summary.cache['hits']} hits / {summary.cache['misses']} misses"
            if summary.cache
            else ""
        )
        click.echo(f"{summary.model_calls} model calls in {summary.seconds:.1f} s{hits}")
        if judge:
            click.echo(f"judge ({judge.name}): {judge.cost.line()}")
        click.echo(
            f"items: {half} ({len(fixtures)}); wrote {out / 'items.jsonl'}, "
            f"{out / 'summary.json'}, {report}"
        )
        if below := _below(summary.systems[chosen[0].name], floors):
            click.echo(f"{chosen[0].name}: {'; '.join(below)}", err=True)
            sys.exit(1)

    @eval_group.command("compare")
    @click.argument("before", type=click.Path(file_okay=False, path_type=Path))
    @click.argument("after", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--system", default="pipeline", show_default=True)
    @click.option(
        "--threshold",
        type=float,
        default=0.02,
        show_default=True,
        help="A metric worse by more than this (and significantly) is a regression.",
    )
    @click.option(
        "--allow-config-change",
        is_flag=True,
        help="Gate runs whose settings or prompt versions differ (the differences are shown).",
    )
    @click.option(
        "--html",
        "html",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the comparison as a self-contained page: the metric changes, the "
        "configuration differences and the items that changed most, A beside B.",
    )
    @errors
    def compare(
        before: Path,
        after: Path,
        system: str,
        threshold: float,
        allow_config_change: bool,
        html: Path | None,
    ) -> None:
        """Gate AFTER against BEFORE, item by item; exit 1 with the reasons if it fails.

        It fails on an item missing from either run, an item answered in BEFORE and
        failed in AFTER, a changed deterministic prediction (named; accepted only by a
        new reference run), a significant drop beyond the threshold on any quality
        metric (paired bootstrap), or a change of settings or prompts unless allowed.
        """
        from summarizer.evaluation.compare import compare_runs
        from summarizer.evaluation.metrics import METRICS, fmt, full_label

        result = compare_runs(
            before,
            after,
            system=system,
            threshold=threshold,
            allow_config_change=allow_config_change,
        )
        if html is not None:
            from summarizer.evaluation.report import write_comparison

            # Written silently, before any output: the gate's output and exit status are
            # the same with the page as without it.
            write_comparison(html, result, before, after, threshold=threshold)
        table = Table(title=f"{system}: {before} → {after}", title_justify="left")
        for column in ("metric", "items", "before", "after", "change", "95% CI", ""):
            table.add_column(column, justify="right" if column not in ("metric", "") else "left")
        for c in result.changes:
            kind = METRICS[c.metric].kind
            verdict = "[red]regression[/]" if c.regression else ""
            table.add_row(
                full_label(c.metric),
                str(c.items),
                fmt(c.before, kind),
                fmt(c.after, kind),
                f"{c.delta:+.3f}",
                f"[{c.low:+.3f}, {c.high:+.3f}]",
                verdict,
            )
        Console().print(table)
        code_before, code_after = result.code
        if code_before != code_after:
            click.echo(f"code: {code_before or 'not recorded'} → {code_after}")
        if result.config_changes and allow_config_change:
            click.echo("configuration changed (allowed): " + "; ".join(result.config_changes))
        check = result.predictions
        if check.fields:
            compared = "; ".join(f"{s}: {', '.join(f)}" for s, f in check.fields.items())
            click.echo(f"predictions compared item by item on {check.items} items ({compared})")
        if reasons := result.reasons():
            for reason in reasons:
                click.echo(f"gate failed: {reason}", err=True)
            sys.exit(1)
        click.echo(f"gate passed: {len(result.changes)} metrics, no regression beyond {threshold}")

    @eval_group.command("rescore")
    @click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @click.option("--dataset", type=click.Choice(DATASET_NAMES))
    @errors
    def rescore_run(run_dir: Path, path: Path | None, dataset: str | None) -> None:
        """Score a run's stored predictions again with the current scorers (no model calls)."""
        from summarizer.evaluation.report import write_report
        from summarizer.evaluation.runner import read_records, rescore

        fixtures = _load_items(path, dataset, None)
        summary = rescore(run_dir, fixtures)
        write_report(run_dir, summary, read_records(run_dir), fixtures)
        print_metrics(summary.systems)

    @eval_group.command("table")
    @click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
    @click.option(
        "--metrics",
        help="Comma-separated metric keys (e.g. rouge1,event_f1): one row per system "
        "with these columns, instead of every metric.",
    )
    @click.option(
        "--language",
        help="Only the items in this language (ISO 639-1), from the run's per-language figures.",
    )
    @click.option(
        "--by-language",
        "system",
        metavar="SYSTEM",
        help="One row per language, of this system's figures (with --metrics).",
    )
    @click.option(
        "--reliability",
        is_flag=True,
        help="Print the reliability tables of the claim labels' and the attributions' "
        "confidences instead.",
    )
    @half_option
    @errors
    def table(
        run_dir: Path,
        metrics: str | None,
        language: str | None,
        system: str | None,
        half: Half,
        reliability: bool,
    ) -> None:
        """Print a run's metrics as a Markdown table (of one half of its items, or of one
        language's, if asked; or one row per language for one system)."""
        from summarizer.evaluation.compare import read_summary
        from summarizer.evaluation.halves import in_half
        from summarizer.evaluation.metrics import METRICS
        from summarizer.evaluation.report import markdown_table, reliability_table, systems_table
        from summarizer.evaluation.runner import aggregate, read_records

        run = read_summary(run_dir)
        if reliability:
            if half != "all" or language is not None:
                raise click.UsageError("--reliability takes the whole run")
            click.echo(reliability_table(run.calibration), nl=False)
            said = run.attribution_calibration
            click.echo(
                reliability_table({f"{k} (attributions)": v for k, v in said.items()}), nl=False
            )
            return
        if half != "all" and run.half not in ("all", half):
            raise InputError(f"{run_dir} ran the {run.half} half only, not the {half} half")
        if half in ("all", run.half):
            # The summary has these figures: a committed run keeps only its summary.json
            # (evals/reference/), without the item records that quote the articles.
            systems, items = run.systems, run.items
        else:
            records = [r for r in read_records(run_dir) if in_half(r.item, half)]
            systems, items = aggregate(records), len({r.item for r in records})
        shown: str = half if half != "all" else run.half
        if system is not None:
            if half != "all" or language is not None or metrics is None:
                raise click.UsageError("--by-language takes the whole run and --metrics")
            languages = {k: v[system] for k, v in run.by_language.items() if system in v}
            if not languages:
                raise InputError(f"{run_dir} has no per-language figures of {system!r}")
            systems, items = languages, run.items
        if language is not None:
            if half != "all":
                raise click.UsageError("--language takes the whole run: leave out --half")
            if language not in run.by_language:
                found = ", ".join(run.by_language) or "one language only"
                raise InputError(f"{run_dir} has no items in {language!r} (it has: {found})")
            systems = run.by_language[language]
            items = int(next(iter(systems.values())).get("items") or 0)
            shown = f"{shown}, language: {language}"
        click.echo(f"{run_dir}: {items} items, half: {shown}", err=True)
        if metrics is None:
            click.echo(markdown_table(systems), nl=False)
            return
        keys = [k.strip() for k in metrics.split(",") if k.strip()]
        if unknown := [k for k in keys if k not in METRICS]:
            raise click.UsageError(f"unknown metric(s) {unknown}; choose from {list(METRICS)}")
        click.echo(
            systems_table(systems, keys, "system" if system is None else "language"), nl=False
        )

    @eval_group.command("meta")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--limit", type=int, help="Only the first N articles.")
    @judge_options
    @cache_options
    @click.option("--quiet", is_flag=True, help="No progress bar while the judge grades.")
    @errors
    def meta(
        path: Path,
        limit: int | None,
        judge_spec: str | None,
        judge_base_url: str | None,
        judge_logprobs: bool | None,
        cache_path: Path | None,
        no_cache: bool,
        quiet: bool,
    ) -> None:
        """Kendall tau of our summary scorers with SummEval's expert ratings (PATH: the
        summeval .jsonl file or the data folder)."""
        from summarizer.evaluation.datasets import load_summeval_systems
        from summarizer.evaluation.judge import Judge, judge_settings
        from summarizer.evaluation.meta import meta_evaluate

        _check_judge(judge_spec, judge_base_url, judge_logprobs)
        items = load_summeval_systems(path, limit=limit)
        judge = None
        if judge_spec is not None:
            graded_by = judge_settings(judge_spec, judge_base_url, judge_logprobs)
            judge = Judge(graded_by, open_cache(cache_path, no_cache))
        started = time.monotonic()
        try:
            with eval_progress(Console(stderr=True), disable=quiet or judge is None) as progress:
                task = progress.add_task("articles graded", total=len(items))
                correlations = meta_evaluate(
                    items,
                    judge,
                    on_article=lambda done, _: progress.update(task, completed=done),
                )
        finally:
            if judge is not None:
                judge.close()
                if judge.cache:
                    judge.cache.close()
        shared = correlations[0].articles if correlations else 0
        table = Table(
            title=f"SummEval, {len(items)} articles × 16 systems: Kendall tau "
            f"(summary level on the {shared} articles where no scorer or rating is constant; "
            f"system level on all {len(items)})",
            title_justify="left",
        )
        for column in ("scorer", "rating", "summary level", "system level"):
            table.add_column(column, justify="left" if column in ("scorer", "rating") else "right")
        for c in correlations:
            table.add_row(c.scorer, c.rating, f"{c.summary_level:.3f}", f"{c.system_level:.3f}")
        Console().print(table)
        if judge is not None:
            click.echo(
                f"judge ({judge.name}): {judge.cost.line()}; "
                f"{time.monotonic() - started:.1f} s wall time"
            )

    main.add_command(eval_group, "eval")


def _storylines_run(
    path: Path | None,
    half: Half,
    limit: int | None,
    systems: str | None,
    out: Path | None,
    cache_path: Path | None,
    no_cache: bool,
    floors: dict[str, float],
    quiet: bool,
    overrides: dict[str, Any],
) -> None:
    """Stories and cross-article events on ECB+ topics; ``systems`` name what makes the
    events of the predicted setting (default: the pipeline)."""
    from summarizer.evaluation.storyline_eval import load_topics, run_storyline_eval
    from summarizer.evaluation.storyline_report import print_result, write_run
    from summarizer.evaluation.systems import make_system
    from summarizer.settings import load_settings

    if path is None:
        raise click.UsageError("--dataset needs PATH, the dataset file or folder")
    articles = load_topics(path, half, limit)
    names = system_names(systems or "pipeline")
    settings = load_settings(**overrides)
    cache = open_cache(cache_path, no_cache)
    backends: dict[str, Any] = {}
    chosen = [make_system(n, settings, cache, backends) for n in names]
    try:
        with eval_progress(Console(stderr=True), disable=quiet) as progress:
            task = progress.add_task("articles analysed", total=len(articles) * len(chosen))
            result = run_storyline_eval(
                articles, chosen, half, on_article=lambda: progress.advance(task)
            )
    finally:
        for system in chosen:
            system.close()
        if cache:
            cache.close()
    out = out or Path("runs") / f"{time.strftime('%Y%m%d-%H%M%S')}-ecbplus-topics-{half}"
    report = write_run(out, result, articles)
    print_result(result, Console())
    click.echo(f"items: {half} ({len(articles)} articles); wrote {out / 'summary.json'}, {report}")
    if below := _below(result.metrics(), floors):
        click.echo(f"storylines: {'; '.join(below)}", err=True)
        sys.exit(1)


def _load_items(
    path: Path | None, dataset: str | None, limit: int | None, half: Half = "all"
) -> list[Fixture]:
    from summarizer.evaluation.datasets import load_dataset
    from summarizer.evaluation.fixtures import load_fixtures
    from summarizer.evaluation.halves import select

    if limit is not None and limit < 0:
        raise InputError(f"--limit must be 0 or more, not {limit}")
    if dataset:
        if path is None:
            raise click.UsageError("--dataset needs PATH, the dataset file or folder")
        # A half is chosen from the whole set: load it all before taking the first N.
        fixtures = load_dataset(dataset, path, limit=limit if half == "all" else None)
    else:
        folder = path or DEFAULT_FIXTURES
        if not folder.is_dir():
            raise InputError(f"no fixtures folder at {folder}")
        fixtures = load_fixtures(folder)
    fixtures = select(fixtures, half)[:limit]
    if not fixtures:
        raise InputError("no items to evaluate")
    return fixtures


def _floors(specs: tuple[str, ...], known: Sequence[str] | None = None) -> dict[str, float]:
    """``METRIC=VALUE`` floors; ``known`` are the metric names (default: an item run's)."""
    from summarizer.evaluation.metrics import METRICS

    known = list(METRICS) if known is None else known
    floors = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep or name not in known:
            raise click.UsageError(
                f"bad --fail-under {spec!r}: write METRIC=VALUE with METRIC one of "
                f"{', '.join(known)}"
            )
        try:
            floors[name] = float(value)
        except ValueError:
            raise click.UsageError(
                f"bad --fail-under {spec!r}: {value!r} is not a number"
            ) from None
    return floors


def _below(values: dict[str, float | None], floors: dict[str, float]) -> list[str]:
    """The floors a system's run-level metrics break, one phrase each."""
    from summarizer.evaluation.metrics import METRICS

    out = []
    for name, floor in floors.items():
        value = values.get(name)
        better = METRICS[name].higher_is_better if name in METRICS else True
        if value is None:
            out.append(f"{name} was not measured")
        elif (value < floor) if better else (value > floor):
            out.append(f"{name} {value:.3f} {'<' if better else '>'} {floor:g}")
    return out


def print_metrics(systems: dict[str, dict[str, float | None]]) -> None:
    console = Console()
    for part in metrics_tables(systems, console.width):
        console.print(part)


def metrics_tables(systems: dict[str, dict[str, float | None]], width: int) -> list[Table]:
    """The metric table, its systems split over as many tables as ``width`` needs (a run
    with every trivial baseline has a dozen); each shows only the metrics its systems
    have, so the claim-label baselines' table is a few rows."""
    label_width = 42
    groups: list[list[str]] = [[]]
    used = label_width
    for name in systems:
        column = max(len(name), 8) + 2
        if groups[-1] and used + column > width:
            groups.append([])
            used = label_width
        groups[-1].append(name)
        used += column
    return [metrics_table({name: systems[name] for name in group}) for group in groups]


def metrics_table(systems: dict[str, dict[str, float | None]]) -> Table:
    from summarizer.evaluation.metrics import METRIC_GROUPS, fmt

    table = Table(box=None, title_justify="left")
    table.add_column("metric", no_wrap=True)
    for name in systems:
        table.add_column(name, justify="right", no_wrap=True)
    for group, metrics in METRIC_GROUPS:
        rows = [m for m in metrics if any(systems[s].get(m.key) is not None for s in systems)]
        if not rows:
            continue
        table.add_row(f"[bold]{group}[/]")
        for m in rows:
            table.add_row(f"  {m.label}", *(fmt(systems[s].get(m.key), m.kind) for s in systems))
    return table
