"""Prompt templates: files in ``prompts/``, rendered with Jinja2, versioned by content.

Every task's messages share one layout so that the calls for one article share their
prefix and a llama.cpp backend reuses its KV cache between them:

    system:  system.j2                      identical for every task
    user:    article.j2  (numbered article) identical for every task of one article
             <task>.j2                      the only part that differs
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, get_args

import jinja2
from jinja2 import meta as jinja2_meta

from summarizer.article import Passage
from summarizer.echo import word_runs
from summarizer.errors import ConfigError
from summarizer.prompt_text import as_data
from summarizer.resources import data_dir

Task = Literal[
    "summary",
    "headline",
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
    # Template name ("events") -> the file it was loaded from: the variant folder's, or
    # the shipped one where the folder has none.
    sources: dict[str, Path] = field(default_factory=dict)
    # The English name of the language asked for the written fields ("Korean"), told in
    # the system message; None: no instruction, the prompts of an English run as before.
    output_language: str | None = None

    def speaking(self, language: str | None) -> Prompts:
        """These prompts asking for answers in ``language`` (an English name)."""
        if language == self.output_language:
            return self
        return dataclasses.replace(self, output_language=language)

    @cached_property
    def instructions(self) -> frozenset[tuple[str, ...]]:
        """Runs of words of every template the pipeline sends: what an answer must not
        repeat (see :mod:`summarizer.echo`)."""
        templates = sorted(self.sources.items()) or [
            (p.stem, p) for p in sorted(self.directory.glob("*.j2"))
        ]
        return word_runs(
            "\n".join(p.read_text("utf-8") for name, p in templates if name not in STANDALONE)
        )

    def diffs(self) -> dict[str, str]:
        """Template name -> unified diff of each template that differs from the shipped
        one (empty for the shipped set)."""
        shipped = data_dir("prompts")
        found: dict[str, str] = {}
        for name, path in sorted(self.sources.items()):
            original = shipped / f"{name}.j2"
            if path.resolve() == original.resolve():
                continue
            before = original.read_text("utf-8").splitlines(keepends=True)
            after = path.read_text("utf-8").splitlines(keepends=True)
            if before != after:
                lines = difflib.unified_diff(before, after, f"prompts/{name}.j2", str(path))
                found[name] = "".join(lines)
        return found

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
        system = self._render("system", {"output_language": self.output_language})
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


# Every template the pipeline renders: the tasks, and the shared system and article parts.
TEMPLATES: tuple[str, ...] = ("system", "article", *TASKS)


@cache
def load_prompts(directory: Path | None = None) -> Prompts:
    """Load and version the templates; a missing template variable is an error, not ''.

    ``directory`` holds edited copies of some templates (``summarizer prompts copy``);
    each template it lacks is the shipped one. It is checked before any call: a syntax
    error, a variable the pipeline does not give that template, an unknown file name or
    a missing folder is a :class:`ConfigError` naming the file.
    """
    shipped = data_dir("prompts")
    folders = [shipped] if directory is None else [directory, shipped]
    if directory is not None:
        check_prompts(directory)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    sources = {
        name: next(f / f"{name}.j2" for f in folders if (f / f"{name}.j2").is_file())
        for name in TEMPLATES
    }
    text = {name: path.read_text("utf-8") for name, path in sources.items()}
    shared = [text["system"], text["article"]]
    versions: dict[str, str] = {
        task: _version(*([] if task in STANDALONE else shared), text[task]) for task in TASKS
    }
    return Prompts(directory=folders[0], env=env, versions=versions, sources=sources)


def check_prompts(directory: Path) -> None:
    """Refuse a prompt folder that would fail mid-run, before any call is made."""
    if not directory.is_dir():
        raise ConfigError(f"prompt folder not found: {directory}")
    files = sorted(directory.glob("*.j2"))
    if not files:
        raise ConfigError(
            f"{directory} has no templates (*.j2): `summarizer prompts copy {directory}` "
            "writes the shipped ones to start from"
        )
    shipped = data_dir("prompts")
    env = jinja2.Environment(autoescape=False)
    for path in files:
        if path.stem not in TEMPLATES:
            raise ConfigError(
                f"{path}: not a template the pipeline uses (expected one of "
                f"{', '.join(f'{t}.j2' for t in TEMPLATES)})"
            )
        try:
            tree = env.parse(path.read_text("utf-8"))
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(
                f"{path}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        given = GIVEN[path.stem]
        if unknown := sorted(jinja2_meta.find_undeclared_variables(tree) - given):
            raise ConfigError(
                f"{path}: uses {', '.join(unknown)}, which the pipeline does not give "
                f"{path.name} (it gives: {', '.join(sorted(given)) or 'nothing'})"
            )
        for referenced in jinja2_meta.find_referenced_templates(tree):
            if referenced is not None and not any(
                (folder / referenced).is_file() for folder in (directory, shipped)
            ):
                raise ConfigError(f"{path}: includes {referenced}, which does not exist")


# What the pipeline gives each template (see Prompts.messages and its callers): a
# variant may use any of these, and nothing else.
_TASK = frozenset({"title", "examples", "claims"})
GIVEN: dict[str, frozenset[str]] = {
    "system": frozenset({"output_language"}),
    "article": frozenset({"title", "published", "numbered"}),
    **{task: _TASK for task in ("summary", "headline", "events", "stances", "claims", "combined")},
    "claim_label": frozenset({"title", "examples", "claim"}),
    "reduce": frozenset({"title", "examples", "parts"}),
    "verify": frozenset({"title", "examples", "statements"}),
    "recheck": frozenset({"unsupported"}),
    "naive": frozenset({"title", "published", "text", "claims"}),
}
