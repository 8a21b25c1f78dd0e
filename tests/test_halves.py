"""Tuning and reporting halves: fixed by id, a partition, and what a run says it used."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.halves import half_of, select

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"


def test_halves_partition_the_fixtures_and_depend_on_the_id_alone() -> None:
    items = load_fixtures(FIXTURES)
    tune, report = select(items, "tune"), select(items, "report")
    assert sorted(f.id for f in tune + report) == sorted(f.id for f in items)
    assert not {f.id for f in tune} & {f.id for f in report}
    assert select(items, "all") == items
    # The salt keeps today's fixtures within one item of an even split.
    assert abs(len(tune) - len(report)) <= 1
    # The order or company of an item does not move it.
    assert select(list(reversed(items)), "tune") == list(reversed(tune))
    assert all(half_of(f.id) == "tune" for f in tune)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "summarizer", "eval", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_a_run_of_one_half_says_so_and_tables_pick_a_half(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = _run(
        str(FIXTURES),
        "--systems",
        "lead3",
        "--half",
        "report",
        "--out",
        str(out),
        "--no-cache",
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    expected = {f.id for f in select(load_fixtures(FIXTURES), "report")}
    assert summary["half"] == "report" and summary["items"] == len(expected)
    items = {json.loads(line)["item"] for line in (out / "items.jsonl").read_text().splitlines()}
    assert items == expected

    table = _run("table", str(out), "--half", "report", "--metrics", "rouge1")
    assert table.returncode == 0 and f"{len(expected)} items, half: report" in table.stderr
    wrong = _run("table", str(out), "--half", "tune")
    assert wrong.returncode == 2 and "ran the report half only" in wrong.stderr


def test_a_table_of_one_half_aggregates_only_its_items(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = _run(str(FIXTURES), "--systems", "lead3", "--out", str(out), "--no-cache", "--quiet")
    assert done.returncode == 0, done.stderr
    rows = {}
    for half in ("all", "tune", "report"):
        table = _run("table", str(out), "--half", half, "--metrics", "summary_words")
        assert table.returncode == 0, table.stderr
        rows[half] = float(table.stdout.strip().splitlines()[-1].split("|")[2])
    sizes = {h: len(select(load_fixtures(FIXTURES), h)) for h in ("tune", "report")}
    # The whole set's mean is the halves' means weighted by their sizes.
    mixed = (rows["tune"] * sizes["tune"] + rows["report"] * sizes["report"]) / sum(sizes.values())
    assert abs(mixed - rows["all"]) < 0.1 and rows["tune"] != rows["report"]


def test_fail_under_exits_1_with_a_one_line_reason(tmp_path: Path) -> None:
    base = [str(FIXTURES), "--systems", "lead3", "--no-cache", "--quiet", "--limit", "3"]
    done = _run(
        *base,
        "--out",
        str(tmp_path / "a"),
        "--fail-under",
        "rouge1=0.99",
        "--fail-under",
        "valid_rate=1",
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("lead3: rouge1 0.")
    ok = _run(*base, "--out", str(tmp_path / "b"), "--fail-under", "valid_rate=1")
    assert ok.returncode == 0, ok.stderr
    bad = _run(*base, "--out", str(tmp_path / "c"), "--fail-under", "rouge9=1")
    assert bad.returncode == 2 and "bad --fail-under 'rouge9=1'" in bad.stderr
