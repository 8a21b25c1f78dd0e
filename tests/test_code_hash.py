"""Cache keys follow the code: a change to any module or prompt template gives another
hash, so a cached prediction made by older code is never served."""

from __future__ import annotations

import shutil
from pathlib import Path

from summarizer.cache import call_key, call_parts, code_hash, content_hash
from summarizer.resources import data_dir
from summarizer.settings import load_settings

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    package, prompts = tmp_path / "summarizer", tmp_path / "prompts"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(data_dir("prompts"), prompts)
    return package, prompts


def test_the_hash_is_of_this_install() -> None:
    assert code_hash() == content_hash(PACKAGE, data_dir("prompts"))
    assert call_parts(load_settings())["code"] == code_hash()


def test_a_change_to_post_processing_code_changes_the_hash(tmp_path: Path) -> None:
    package, prompts = _copy(tmp_path)
    before = content_hash(package, prompts)
    assert content_hash(package, prompts) == before  # stable
    grounding = package / "grounding.py"
    grounding.write_text(grounding.read_text() + "\n# changed\n")
    assert content_hash(package, prompts) != before


def test_a_change_to_a_prompt_or_a_new_module_changes_the_hash(tmp_path: Path) -> None:
    package, prompts = _copy(tmp_path)
    before = content_hash(package, prompts)
    (prompts / "events.j2").write_text((prompts / "events.j2").read_text() + " ")
    after_prompt = content_hash(package, prompts)
    assert after_prompt != before
    (package / "evaluation" / "new_module.py").write_text("X = 1\n")
    assert content_hash(package, prompts) != after_prompt


def test_call_keys_carry_the_code_hash() -> None:
    settings = load_settings()
    messages = [{"role": "user", "content": "x"}]
    key = call_key(settings, "events", messages, {})
    assert key == call_key(settings, "events", messages, {})
    assert "version" not in call_parts(settings)


SCRIPT = """
import sys
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.runner import item_key
from summarizer.evaluation.systems import make_system
from summarizer.settings import load_settings
from pathlib import Path
fixture = load_fixtures(Path(sys.argv[1]))[0]
import summarizer
assert summarizer.__file__.startswith(sys.argv[2]), summarizer.__file__
print(item_key(make_system("pipeline", load_settings()), fixture))
"""


def test_a_cached_prediction_is_not_served_to_changed_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    package, _ = _copy(tmp_path)
    fixtures = PACKAGE.parent / "evals" / "fixtures"

    def key() -> str:
        env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        command = [sys.executable, "-c", SCRIPT, str(fixtures), str(tmp_path)]
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    before = key()
    assert key() == before
    grounding = package / "grounding.py"
    grounding.write_text(grounding.read_text() + "\n# a change to post-processing\n")
    assert key() != before
