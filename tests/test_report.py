"""The pages people read: a run's report (intervals, charts, prompt variants) and the
comparison page of ``summarizer eval compare --html``, on real runs of the fixtures with
systems that need no model, some copies spoiled on purpose."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from markupsafe import escape

from summarizer.evaluation import charts, intervals
from summarizer.evaluation.compare import compare_runs, config_diff
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.metrics import METRICS, MICRO_RATIOS
from summarizer.evaluation.report import write_report
from summarizer.evaluation.runner import (
    ITEMS,
    SUMMARY,
    ItemRecord,
    RunSummary,
    aggregate,
    read_records,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
REFERENCE = ROOT / "evals" / "reference" / "fixtures"
BIG, SMALL = "courts-pulsewise-fine-overturned", "diplomacy-mackerel-accord"
PLANTED_DIFF = """--- shipped/summary.j2
+++ variant/summary.j2
@@ -1,3 +1,3 @@
 Summarize the article.
-Keep it short.
+Keep it <script>alert('diff')</script> short & plain.
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", "eval", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two real runs of the fixtures with lead3 and rules, made at the same time."""
    base = tmp_path_factory.mktemp("runs")
    command = [sys.executable, "-m", "summarizer", "eval", str(FIXTURES), "--systems"]
    started = {
        name: subprocess.Popen(
            [*command, "lead3,rules", "--out", str(base / name), "--no-cache", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name in ("a", "b")
    }
    for process in started.values():
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    return {name: base / name for name in started}


def edited(
    run: Path, target: Path, change: Callable[[dict[str, Any]], None], **summary: Any
) -> Path:
    """A copy of ``run`` with ``change`` applied to every item record (as JSON) and the
    summary's systems recomputed from them, ``summary`` fields replaced."""
    shutil.copytree(run, target)
    lines = [json.loads(line) for line in (target / ITEMS).read_text().splitlines() if line]
    for line in lines:
        change(line)
    (target / ITEMS).write_text("".join(json.dumps(line) + "\n" for line in lines))
    old = RunSummary.model_validate_json((target / SUMMARY).read_text())
    new = old.model_copy(update={"systems": aggregate(read_records(target)), **summary})
    (target / SUMMARY).write_text(new.model_dump_json(indent=2))
    return target


def plant_changes(line: dict[str, Any]) -> None:
    """rules: a large change on BIG (its summary scores to 0, a new headline) and a
    small one on SMALL."""
    if line["system"] != "rules":
        return
    if line["item"] == BIG:
        line["prediction"]["headline"] = "PLANTED <script>alert('x')</script>"
        for key in ("rouge1", "rouge2", "rougeL", "key_fact_recall"):
            line["scores"][key] = 0.0
    elif line["item"] == SMALL:
        line["scores"]["rouge1"] -= 0.05


def report_of(run: Path) -> str:
    summary = RunSummary.model_validate_json((run / SUMMARY).read_text())
    return write_report(run, summary, read_records(run), load_fixtures(FIXTURES)).read_text()


def metric_rows(page: str) -> dict[str, str]:
    """The report's metric table: its HTML row per metric key."""
    table = page[page.index('<table id="metrics">') : page.index("</table>")]
    return dict(re.findall(r'<tr data-metric="([^"]+)">(.*?)</tr>', table, re.S))


# --- intervals ------------------------------------------------------------------------


def test_the_figures_resampled_are_the_runs_own(runs: dict[str, Path]) -> None:
    """Every weight 1 must give what aggregate() reports, pooled metrics included (the
    reference run's pipeline labels claims: macro-F1 and FNC-1 are pooled there)."""
    for run in (runs["a"], REFERENCE):
        records = read_records(run)
        reported = aggregate(records)
        for system, values in reported.items():
            mine = intervals.figures_at([r for r in records if r.system == system])
            for key in METRICS:
                if values.get(key) is None:
                    assert mine.get(key) is None, (system, key)
                else:
                    assert mine[key] == pytest.approx(values[key], abs=1e-12), (system, key)
    assert aggregate(read_records(REFERENCE))["pipeline"]["claim_macro_f1"]


def test_intervals_hold_the_figure_and_spread_like_items(runs: dict[str, Path]) -> None:
    records = read_records(runs["a"])
    summary = aggregate(records)
    spans = intervals.intervals(records)
    for system, per_metric in spans.items():
        assert per_metric, system
        for key, span in per_metric.items():
            value = summary[system][key]
            assert value is not None
            assert span.low - 1e-9 <= value <= span.high + 1e-9, (system, key, span)
    # A mean over every fixture: about as wide as the normal approximation says.
    rouge = np.array([r.scores["rouge1"] for r in records if r.system == "lead3"], dtype=float)
    expected = 2 * 1.96 * rouge.std() / math.sqrt(len(rouge))
    span = spans["lead3"]["rouge1"]
    assert span.items == len(rouge) == len(load_fixtures(FIXTURES))
    assert span.high - span.low == pytest.approx(expected, rel=0.3)
    assert spans["rules"]["event_f1"].pooled and not spans["rules"]["rouge1"].pooled


def test_equal_per_item_values_give_a_zero_width_interval(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    def level(line: dict[str, Any]) -> None:
        if line["system"] == "rules":
            line["scores"]["rouge1"] = 0.5

    run = edited(runs["a"], tmp_path / "run", level)
    spans = intervals.intervals(read_records(run))
    assert (spans["rules"]["rouge1"].low, spans["rules"]["rouge1"].high) == pytest.approx(
        (0.5, 0.5), abs=1e-12
    )
    assert spans["lead3"]["rouge1"].high - spans["lead3"]["rouge1"].low > 0.02
    row = metric_rows(report_of(run))["rouge1"]
    assert "0.500 <span" in row and ">[0.50, 0.50]</span>" in row


def test_a_pooled_figure_resamples_its_counts_not_the_items_ratios() -> None:
    """Recall pooled over items (0.833) is not the mean of their recalls (0.7): the
    interval must be about the first."""

    def item(n: int, tp: float, gold: float) -> ItemRecord:
        scores = {"event_tp": tp, "event_predicted": tp, "event_gold": gold}
        scores["event_recall"] = tp / gold
        return ItemRecord(system="s", item=f"i{n}", ok=True, scores=scores)

    records = [item(n, 1, 2) if n % 2 else item(n, 9, 10) for n in range(20)]
    assert aggregate(records)["s"]["event_recall"] == pytest.approx(100 / 120)
    span = intervals.intervals(records)["s"]["event_recall"]
    assert span.pooled and span.low < 100 / 120 < span.high
    assert span.low > 0.7


def test_one_item_gets_no_interval() -> None:
    records = [ItemRecord(system="s", item="i", ok=True, scores={"rouge1": 0.4})]
    assert intervals.intervals(records)["s"] == {}
    assert intervals.interval_text(None, "ratio") == ""


def test_interval_text_rounds_outwards() -> None:
    span = intervals.Interval(low=0.546, high=0.5951, items=9, pooled=False)
    assert intervals.interval_text(span, "ratio") == "[0.54, 0.60]"
    assert intervals.interval_text(span, "seconds") == "[0.5, 0.6] s"


# --- the run's report -----------------------------------------------------------------


# Figures with no per-item value to chart: pooled over items' counts only.
RUN_LEVEL = ("claim_macro_f1", *intervals.POOLED_CALIBRATION, *MICRO_RATIOS)


def test_report_shows_intervals_and_a_chart_per_metric(runs: dict[str, Path]) -> None:
    page = (runs["a"] / "report.html").read_text()
    rows = metric_rows(page)
    summary = RunSummary.model_validate_json((runs["a"] / SUMMARY).read_text())
    spans = intervals.intervals(read_records(runs["a"]))
    assert len(rows) > 20
    for key, row in rows.items():
        kind = METRICS[key].kind
        for system in ("lead3", "rules"):
            span = spans[system].get(key)
            if span is not None:
                assert f">{escape(intervals.interval_text(span, kind))}</span>" in row, key
        if key in RUN_LEVEL:  # no per-item value
            assert "<svg" not in row and "run-level only" in row
            continue
        assert row.count('<svg class="dist"') == 1, key
        assert row.count('<g class="row">') == len(summary.systems), key
    assert f"lead3: {len(load_fixtures(FIXTURES))} items" in rows["rouge1"]
    ticks = sum(
        1
        for key in rows
        if key not in RUN_LEVEL
        for values in summary.systems.values()
        if values.get(key) is not None
    )
    assert sum(row.count('<line class="fig"') for row in rows.values()) == ticks
    assert len(page.encode()) < 2_000_000


def test_prompt_variants_are_shown_escaped(runs: dict[str, Path], tmp_path: Path) -> None:
    plain = (runs["a"] / "report.html").read_text()
    assert "Prompt variants" not in plain

    run = edited(
        runs["a"],
        tmp_path / "run",
        lambda line: None,
        prompt_diffs={"rules": {"summary.j2": PLANTED_DIFF}},
    )
    page = report_of(run)
    section = page[page.index('id="prompt-variants"') : page.index("<h2>Items</h2>")]
    assert "rules · summary.j2" in section
    escaped = escape("+Keep it <script>alert('diff')</script> short & plain.")
    assert f'<span class="add">{escaped}</span>' in section
    assert '<span class="del">-Keep it short.</span>' in section
    assert '<span class="hunk">@@ -1,3 +1,3 @@</span>' in section
    assert '<span class="ctx"> Summarize the article.</span>' in section
    assert "<script>alert" not in page


# --- the comparison page ----------------------------------------------------------------


def test_compare_page_lists_the_metrics_and_the_planted_item_first(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    after = edited(runs["b"], tmp_path / "b", plant_changes)
    page = tmp_path / "pages" / "compare.html"
    done = cli("compare", str(runs["a"]), str(after), "--system", "rules", "--html", str(page))
    assert done.returncode == 0, done.stderr
    text = page.read_text()
    result = compare_runs(runs["a"], after, system="rules")
    table = text[text.index('<table id="changes">') : text.index("</table>")]
    for change in result.changes:
        row = re.search(rf'<tr data-metric="{change.metric}"[^>]*>(.*?)</tr>', table, re.S)
        assert row, change.metric
        shown = f"{change.delta:+.3f}", f"[{change.low:+.3f}, {change.high:+.3f}]"
        assert all(f">{s}</td>" in row.group(1) for s in shown), change.metric
        assert all(s in done.stdout for s in shown)
    items = re.findall(r'<details class="item"[^>]*><summary><b>([^<]+)</b>', text)
    assert items == [BIG, SMALL]
    first = text[text.index(f"<b>{BIG}</b>") : text.index(f"<b>{SMALL}</b>")]
    assert "PLANTED &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in first
    assert "<script>" not in text
    assert "No configuration differences." in text
    assert len(text.encode()) < 2_000_000


def test_the_page_changes_neither_the_gates_output_nor_its_status(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    def spoil(line: dict[str, Any]) -> None:
        if line["system"] == "rules":
            line["scores"]["rouge1"] = 0.0

    summary = RunSummary.model_validate_json((runs["b"] / SUMMARY).read_text())
    config = {**summary.config, "rules": {**summary.config["rules"], "planted": "<b>x</b>"}}
    worse = edited(runs["b"], tmp_path / "worse", spoil, config=config)
    for after, extra, status in (
        (runs["b"], (), 0),
        (worse, (), 1),
        (worse, ("--allow-config-change",), 1),
    ):
        args = ("compare", str(runs["a"]), str(after), "--system", "rules", *extra)
        page = tmp_path / f"{after.name}{len(extra)}.html"
        without, with_page = cli(*args), cli(*args, "--html", str(page))
        assert without.returncode == with_page.returncode == status, with_page.stderr
        assert (without.stdout, without.stderr) == (with_page.stdout, with_page.stderr)
        assert page.is_file()
    text = page.read_text()
    assert re.search(r'<tr data-metric="rouge1" class="regression">', text)
    assert "gate failed" in text and "regression: rouge1" in text
    before = RunSummary.model_validate_json((runs["a"] / SUMMARY).read_text())
    lines = config_diff(before.config["rules"], config["rules"])
    assert lines and all(f"<code>{escape(line)}</code>" in text for line in lines)


def test_compare_page_shows_a_runs_prompt_variants(runs: dict[str, Path], tmp_path: Path) -> None:
    after = edited(
        runs["b"],
        tmp_path / "b",
        lambda line: None,
        prompt_diffs={"rules": {"summary.j2": PLANTED_DIFF}},
    )
    page = tmp_path / "compare.html"
    done = cli("compare", str(runs["a"]), str(after), "--system", "rules", "--html", str(page))
    assert done.returncode == 0, done.stderr
    text = page.read_text()
    assert "Prompt variants in B" in text and "Prompt variants in A" not in text
    assert '<span class="del">-Keep it short.</span>' in text
    assert "No item's scores changed." in text


def test_the_chart_axis_follows_the_metrics_scale() -> None:
    spans: dict[str, intervals.Interval] = {}
    share = charts.distribution_svg("rouge1", {"s": [0.2, 0.4]}, {"s": 0.3}, spans)
    assert ">0</text>" in share and ">1</text>" in share
    words = charts.distribution_svg("summary_words", {"s": [12.0, 80.0]}, {"s": 46.0}, spans)
    assert ">12.0</text>" in words and ">80.0</text>" in words
    assert words.count('<rect class="bar"') == 2  # one bin each, at both ends
    graded = [k for k, m in METRICS.items() if m.kind == "score"]
    for key in graded:  # a judge's grades, 1 to 5
        grades = charts.distribution_svg(key, {"s": [3.0, 4.0]}, {"s": 3.5}, spans)
        assert ">1</text>" in grades and ">5</text>" in grades


def test_the_report_lists_each_systems_prompt_versions(tmp_path: Path) -> None:
    from summarizer.evaluation.compare import read_summary
    from summarizer.evaluation.report import prompt_versions

    summary = read_summary(REFERENCE)
    table = prompt_versions(summary)
    assert table["events"]["pipeline"] == summary.config["pipeline"]["prompts"]["events"]
    assert "lead3" not in table["events"]  # a system that sends no prompt has no row
    run = tmp_path / "ref"
    shutil.copytree(REFERENCE, run)
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "eval", "rescore", str(run)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    html = (run / "report.html").read_text(encoding="utf-8")
    assert 'id="prompt-versions-table"' in html and table["events"]["pipeline"] in html


def test_attributions_are_highlighted_by_part_over_the_evidence() -> None:
    from summarizer.evaluation.report import highlighted

    text = "Lee said <the plan> works. Rain fell."
    found = str(
        highlighted(
            text, [(0, 26), (27, 37)], [(0, 3, "source"), (4, 8, "cue"), (9, 25, "content")]
        )
    )
    assert found == (
        '<mark class="source">Lee</mark><mark> </mark><mark class="cue">said</mark><mark> </mark>'
        '<mark class="content">&lt;the plan&gt; works</mark><mark>.</mark> <mark>Rain fell.</mark>'
    )
    # The cue wins where parts meet; without parts, evidence as before.
    assert str(highlighted("ab", [], [(0, 2, "content"), (1, 2, "cue")])) == (
        '<mark class="content">a</mark><mark class="cue">b</mark>'
    )
    assert str(highlighted("abc", [(0, 1), (1, 2)])) == "<mark>ab</mark>c"
