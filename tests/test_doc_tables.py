"""Every table in the docs that a committed run makes is the output of its command.

A table is marked by an HTML comment on the line before it, invisible on the page:
``<!-- table: summarizer eval table evals/reference/RUN [--metrics ...] -->``. The test
runs that command (on the committed ``summary.json``, no model) and finds its output,
row for row, right below the comment: a table edited by hand, or left behind when its
run was made again, fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main

ROOT = Path(__file__).resolve().parents[1]
MARK = re.compile(r"^<!-- table: summarizer (eval table .+?) -->$", re.MULTILINE)
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])


def marked_tables() -> list[tuple[str, str, str]]:
    """(file, command, the table written below its mark) for every mark in the docs."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for mark in MARK.finditer(text):
            rest = text[mark.end() + 1 :].splitlines()
            rows = []
            for line in rest:
                if not line.startswith("|"):
                    break
                rows.append(line)
            found.append((path.name, mark.group(1), "\n".join(rows) + "\n"))
    return found


def difference(command: str, written: str) -> str | None:
    """None if ``written`` is the command's output, else the first row that differs."""
    result = CliRunner().invoke(main, shlex.split(command), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    made = result.stdout.splitlines()
    rows = written.splitlines()
    for n, (a, b) in enumerate(zip(rows, made, strict=False)):
        if a != b:
            return f"row {n + 1}: written {a!r}, made {b!r}"
    if len(rows) != len(made):
        return f"{len(rows)} rows written, {len(made)} made"
    return None


@pytest.mark.parametrize(("doc", "command", "written"), marked_tables())
def test_marked_table_is_its_commands_output(doc: str, command: str, written: str) -> None:
    assert difference(command, written) is None, f"{doc}: `summarizer {command}`"


def test_a_changed_figure_is_found() -> None:
    """The check trips on a table whose figure was typed over, or whose row was lost."""
    tables = marked_tables()
    assert tables, "no marked table in the docs"
    _, command, written = tables[0]
    typed = re.sub(r"\d\.\d{3}", "0.999", written, count=1)
    assert typed != written
    assert "row" in (difference(command, typed) or "")
    assert difference(command, "\n".join(written.splitlines()[:-1]) + "\n") is not None
