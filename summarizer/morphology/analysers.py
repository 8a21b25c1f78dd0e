"""Which analyser reads which language, and what to install where one is missing."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from importlib import import_module
from types import ModuleType

from summarizer.errors import ConfigError
from summarizer.morphology.token import Token

# Language (ISO 639-1) -> module of this package, and the extra that installs its
# analyser (None: a core dependency).
_MODULES = {"ko": "korean", "zh": "chinese", "ja": "japanese", "ru": "russian"}
_EXTRAS = {"ko": ("korean", "kiwipiepy"), "ja": ("japanese", "fugashi and unidic-lite")}
ANALYSED = frozenset(_MODULES)


class MissingExtra(ConfigError):
    """The analyser of a language is an optional extra that is not installed."""


def missing_extra(language: str) -> str | None:
    """What to install to read ``language`` fully, if it is missing (else None)."""
    if language not in _MODULES:
        return None
    try:
        _analyser(language)
    except MissingExtra as exc:
        return str(exc)
    return None


def tokens(text: str, language: str) -> list[Token] | None:
    """The tokens of ``text`` in ``language``, or None where no analyser reads it (or
    its extra is not installed: :func:`missing_extra` says which)."""
    if language not in _MODULES:
        return None
    try:
        return list(_analysed(text, language))
    except MissingExtra:
        return None


def content_words(text: str, language: str) -> list[str] | None:
    """The dictionary forms of the words of ``text`` that carry meaning (no particle,
    ending, auxiliary verb or punctuation: each analyser's tags say which), in order; or
    None where no analyser reads ``language``."""
    found = tokens(text, language)
    if found is None:
        return None
    carries: Callable[[str], bool] = _module(language).carries_meaning
    return [t.lemma for t in found if carries(t.tag)]


# A sentence is read for its names, then for its events: remembered, it is analysed once.
@lru_cache(maxsize=4096)
def _analysed(text: str, language: str) -> tuple[Token, ...]:
    return tuple(_analyser(language)(text))


def _analyser(language: str) -> Callable[[str], list[Token]]:
    analyse: Callable[[str], list[Token]] = _module(language).analyse
    return analyse


@cache
def _module(language: str) -> ModuleType:
    try:
        return import_module(f"summarizer.morphology.{_MODULES[language]}")
    except ImportError as exc:
        extra, package = _EXTRAS.get(language, ("", str(exc.name)))
        raise MissingExtra(
            f"names and words of this language need {package}: "
            f"pip install 'summarizer[{extra or 'world'}]'"
        ) from exc
