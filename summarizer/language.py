"""Which language an article is written in, and what a language code names.

Detection is py3langid's (Adrien Barbaresi's maintained port of langid.py, whose
naive-Bayes model ships inside the package: nothing is downloaded). Codes are ISO
639-1, the ones py3langid returns; pycountry supplies their English names for prompts.
"""

from __future__ import annotations

from typing import Any

import py3langid
import pycountry
import regex

from summarizer.errors import ConfigError

ENGLISH = "en"
# Below this many letters a guess is noise ("OK", a dateline): the article is taken as
# English, the language every rule was first written for.
MIN_LETTERS = 20
# Scripts that name their language outright, whatever py3langid's guess on a short or
# mixed text: Hangul is Korean, kana Japanese. (Han alone is Chinese or Japanese, and
# Arabic script also writes Persian and Urdu, so those are left to the model.)
_SCRIPT_LANGUAGE = (
    (regex.compile(r"\p{Hangul}"), "ko"),
    (regex.compile(r"[\p{Hiragana}\p{Katakana}]"), "ja"),
)
_LETTER = regex.compile(r"\p{L}")
# The model reads words, not markup or numbers; a long article says enough in its start.
_SAMPLE_CHARS = 5000


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language; ``en`` for text too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    letters = _LETTER.findall(sample)
    if len(letters) < MIN_LETTERS:
        return ENGLISH
    for pattern, code in _SCRIPT_LANGUAGE:
        # A few Hangul or kana letters quoted in an English text do not make it Korean.
        if len(pattern.findall(sample)) * 5 >= len(letters):
            return code
    code, _score = py3langid.classify(sample)
    return str(code)


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 (or 639-3) code: ``ko`` -> ``Korean``."""
    found = _language(code)
    return str(found.name)


def normalise_code(code: str) -> str:
    """``code`` checked and lower-cased (``KO`` -> ``ko``); a name ("Korean") is accepted
    too. A ConfigError names what is wrong."""
    found = _language(code)
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


def _language(code: str) -> Any:
    value = code.strip()
    found = (
        pycountry.languages.get(alpha_2=value.lower())
        if len(value) == 2
        else pycountry.languages.get(alpha_3=value.lower())
        if len(value) == 3
        else pycountry.languages.get(name=value.title())
    )
    if found is None:
        raise ConfigError(
            f"unknown language {code!r}: give an ISO 639-1 code such as en, fr, ko or zh"
        )
    return found
