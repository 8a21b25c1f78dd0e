"""Prompt templates: files in ``prompts/``, rendered with Jinja2, versioned by content.

Every task's messages share one layout so that the calls for one article share their
prefix and a llama.cpp backend reuses its KV cache between them:

    system:  system.j2                      identical for every task
    user:    article.j2  (numbered article) identical for every task of one article
             <task>.j2                      the only part that differs
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, get_args

import jinja2

from summarizer.article import Passage
from summarizer.echo import word_runs
from summarizer.prompt_text import as_data
from summarizer.resources import data_dir

Task = Literal[
    "summary",
    "events",
    "stances",
    "claims",
    "claim_label",
    "combined",
    "reduce",
    "recheck",
    "verify",
    "naive",
]
TASKS: tuple[Task, ...] = get_args(Task)
# The recheck lists at most this many names the article lacks: its feedback stays
# within the room the chunk planner keeps for it.
RECHECK_NAMES = 8
# Templates that make the whole prompt on their own: the eval's naive baseline, which
# deliberately has none of the pipeline's system text, numbering or decomposition.
STANDALONE: frozenset[str] = frozenset({"naive"})
Message = dict[str, str]


@dataclass(frozen=True)
class Prompts:
    """The loaded template set; one per process is enough (see :func:`load_prompts`)."""

    directory: Path
    env: jinja2.Environment
    versions: dict[str, str]

    @cached_property
    def instructions(self) -> frozenset[tuple[str, ...]]:
        """Runs of words of every template the pipeline sends: what an answer must not
        repeat (see :mod:`summarizer.echo`)."""
        templates = sorted(self.directory.glob("*.j2"))
        return word_runs(
            "\n".join(p.read_text("utf-8") for p in templates if p.stem not in STANDALONE)
        )

    def messages(
        self, task: Task, passage: Passage, *, examples: bool = False, **variables: Any
    ) -> list[Message]:
        """The messages of one call; ``examples`` adds the task's worked example."""
        article = passage.article
        if task in STANDALONE:
            published = article.published.isoformat() if article.published else None
            given = {"title": article.title, "published": published, "text": article.text}
            return [
                {"role": "user", "content": self._render(task, {**given, **variables}).rstrip()}
            ]
        system = self._render("system", {})
        # A title or a claim is data too, like the article's sentences.
        title = as_data(article.title) if article.title is not None else None
        if "claims" in variables:
            variables = {**variables, "claims": [as_data(c) for c in variables["claims"]]}
        if "claim" in variables:
            variables = {**variables, "claim": as_data(variables["claim"])}
        task_text = self._render(task, {"title": title, "examples": examples, **variables})
        if task == "reduce":
            user = task_text
        else:
            block = self._render(
                "article",
                {
                    "title": title,
                    "published": article.published.isoformat() if article.published else None,
                    "numbered": passage.numbered(),
                },
            )
            user = f"{block}\n{task_text}"
        # No trailing newline: the chat template adds its own end-of-turn marker.
        return [
            {"role": "system", "content": system.rstrip()},
            {"role": "user", "content": user.rstrip()},
        ]

    def recheck(self, messages: list[Message], unsupported: dict[str, list[str]]) -> list[Message]:
        """``messages`` asked again, told which of the answer's names the article lacks.

        The feedback goes at the end of the user message, like a validation re-ask, so
        the article's prefix (and a llama.cpp KV cache of it) stays as it was.
        """
        listed = {
            field: [as_data(n)[:40] for n in names[:RECHECK_NAMES]]
            for field, names in unsupported.items()
        }
        *head, user = messages
        feedback = self._render("recheck", {"unsupported": listed})
        return [*head, {**user, "content": f"{user['content']}\n{feedback}".rstrip()}]

    def _render(self, name: str, variables: dict[str, Any]) -> str:
        return self.env.get_template(f"{name}.j2").render(**variables).strip() + "\n"


def _version(*sources: str) -> str:
    digest = hashlib.sha256("\x1e".join(sources).encode("utf-8")).hexdigest()
    return digest[:12]


@cache
def load_prompts(directory: Path | None = None) -> Prompts:
    """Load and version the templates; a missing template variable is an error, not ''."""
    folder = directory or data_dir("prompts")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    shared = [(folder / "system.j2").read_text("utf-8"), (folder / "article.j2").read_text("utf-8")]
    versions: dict[str, str] = {
        task: _version(
            *([] if task in STANDALONE else shared), (folder / f"{task}.j2").read_text("utf-8")
        )
        for task in TASKS
    }
    return Prompts(directory=folder, env=env, versions=versions)
