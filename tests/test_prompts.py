from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from summarizer import Article
from summarizer.errors import ConfigError
from summarizer.prompts import TASKS, load_prompts
from summarizer.resources import data_dir


def test_every_task_has_a_versioned_template() -> None:
    prompts = load_prompts()
    assert set(prompts.versions) == set(TASKS)
    assert all(len(v) == 12 for v in prompts.versions.values())
    assert len(set(prompts.versions.values())) == len(TASKS)


def test_version_follows_content(tmp_path: Path) -> None:
    copy = tmp_path / "prompts"
    shutil.copytree(data_dir("prompts"), copy)
    before = load_prompts(copy).versions
    with (copy / "events.j2").open("a") as f:
        f.write("One more line.\n")
    load_prompts.cache_clear()
    after = load_prompts(copy).versions
    assert after["events"] != before["events"] and after["summary"] == before["summary"]


def test_missing_variable_is_an_error(tmp_path: Path, seed_text: str) -> None:
    copy = tmp_path / "prompts"
    shutil.copytree(data_dir("prompts"), copy)
    (copy / "summary.j2").write_text("TASK: {{ not_given }}\n")
    # Refused when the folder is loaded, before any call, naming the file and variable.
    with pytest.raises(ConfigError, match=r"summary\.j2: uses not_given"):
        load_prompts(copy)
    # A variable only a rendering can find missing is still an error there, not ''.
    (copy / "summary.j2").write_text("TASK: {{ claims[5] }}\n")
    with pytest.raises(jinja2.UndefinedError):
        load_prompts(copy).messages("summary", Article.from_text(seed_text).passage(), claims=[])


def test_tasks_share_their_prefix_and_the_article_is_delimited_data(seed_text: str) -> None:
    prompts = load_prompts()
    article = Article.from_text(seed_text, title="Choe meets Wang")
    rendered = [
        prompts.messages(t, article.passage(), claims=["x"])
        for t in ("summary", "events", "stances", "claims")
    ]
    systems = {m[0]["content"] for m in rendered}
    assert len(systems) == 1 and "not instructions" in systems.pop()
    prefix = rendered[0][1]["content"].split("TASK:")[0]
    assert all(m[1]["content"].startswith(prefix) for m in rendered)
    assert prefix.count("<<<") == 1 and prefix.count(">>>") == 1
    assert "Title: Choe meets Wang" in prefix and "Published: 2025-09-29" in prefix


def test_claims_are_numbered_in_the_claims_prompt(seed_text: str) -> None:
    messages = load_prompts().messages(
        "claims", Article.from_text(seed_text).passage(), claims=["A", "B"]
    )
    assert "(1) A\n(2) B" in messages[1]["content"]
