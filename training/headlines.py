"""Reference headlines in sentence case, as the pipeline's headline is written.

Titles are often in title case ("Bellwether County Says Trump Should Win GOP
Nomination"). Taught as they are, the model would capitalise every word, and every
capitalised word is a name to the unsupported-content check, so "Says" and "Should"
would count as names the article lacks and the headline would be thrown away for the
rule's. So each capitalised word after the first is lowered unless it is a name: kept
where the article writes it capitalised and never in lower case, lowered where the
article writes it in lower case, and, where the article lacks it, lowered if it is a
common English word (wordfreq) and kept otherwise. Acronyms ("GOP") and initials
("U.S.") stay.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

# A word at least this frequent (Zipf scale: 3 is once per million words) is taken for
# a common word, not a name, where the article does not show which it is.
COMMON_ZIPF = 3.0
# A word this frequent is a function word ("the": 7.7) even where a short text writes it
# capitalised only; names in the news stay below it ("trump": 4.6).
FUNCTION_ZIPF = 5.5
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLOSING = re.compile(r"(?<!\b[A-Z])[.;,:]+$")


def as_written(headline: str, article_text: str) -> str:
    """``headline`` as the pipeline writes one: one line, in sentence case, no double
    quotes (the draft's grammar has none: single ones instead), and no closing period
    (PolNeAR's titles end with one), an initial's aside ("U.S.")."""
    text = " ".join(headline.split()).replace('"', "'")
    text = _CLOSING.sub("", text)
    return sentence_case(text, article_text)


def sentence_case(headline: str, article_text: str) -> str:
    """``headline`` with the capitals of words that are not names lowered."""
    lowered = _words(article_text.lower())
    written = _words(article_text)
    out: list[str] = []
    cursor = 0
    for index, match in enumerate(_WORD.finditer(headline)):
        word = match.group()
        out.append(headline[cursor : match.start()])
        cursor = match.end()
        initial = headline[cursor : cursor + 1] == "."  # "U.S.", "George W. Bush"
        keep = index == 0 or (initial and len(word) == 1)
        out.append(word if keep else _cased(word, written, lowered))
    out.append(headline[cursor:])
    return "".join(out)


def _cased(word: str, written: frozenset[str], lowered: frozenset[str]) -> str:
    if not word[0].isupper() or (len(word) > 1 and word.isupper()):
        return word
    lower = word.lower()
    if lower in written:  # the article writes it in lower case somewhere
        return lower
    if word in written:  # only ever capitalised there: a name, unless a function word
        return lower if zipf_frequency(lower, "en") >= FUNCTION_ZIPF else word
    if lower not in lowered and zipf_frequency(lower, "en") >= COMMON_ZIPF:
        return lower
    return word


@lru_cache(maxsize=8)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text))
