"""The storylines benchmark's replay of a kept run's last update (`scripts/bench.py
--only k --keep DIR --again`): how an update at a million is timed again on new code,
and told whether its stories are the run's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _bench(folder: Path, *extra: str) -> dict[str, Any]:
    found = folder.parent / "result.json"
    command = [sys.executable, "scripts/bench.py", "--only", "k", "--batch-size", "300"]
    command += ["--chunk", "100", "--keep", str(folder), "--json", str(found), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    detail: dict[str, Any] = json.loads(found.read_text())[0]["values"]
    return detail


def test_a_kept_runs_last_update_replayed_gives_its_stories_and_a_change_is_seen(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "run"
    run = _bench(folder)
    assert len(run["update_s"]) == 2 and "again_s" not in run
    # The state as the last update found it was kept: replaying it is deterministic.
    again = _bench(folder, "--again")
    assert again["again_same"] is True and again["again_s"] > 0
    assert again["seconds"] == run["seconds"]  # nothing was run again but the replay
    # Planted: the run's own storylines name one story otherwise; the replay sees it.
    out = folder / "s.json"
    written = out.read_text()
    first = json.loads(written)["stories"][0]["id"]
    out.write_text(written.replace(first, "story-planted", 1))
    assert _bench(folder, "--again")["again_same"] is False
