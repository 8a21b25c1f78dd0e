"""What makes a headline unusable whatever the article (empty, about the article, cut
short), and the dateline a wire story opens with: plain text checks, shared by the
headline source, the scorers and story titles without the model-calling machinery."""

from __future__ import annotations

import re
from typing import Literal

import regex

Flaw = Literal["empty", "about the article", "cut short"]

# A headline about the article instead of its news ("The article is about a disaster
# in ..."), or the prompt's words ("TASK", "Headline:"): what a zero-shot small model
# writes when it does not know what is asked.
_META = re.compile(
    r"\b(?:the|this) (?:article|text|passage|news story|story above|sentences?)\b"
    r"|^\W*(?:task|headline|title|summary|answer)\b\s*(?:[:.]|$)",
    re.IGNORECASE,
)
# Cut inside a number ("... a powerful 6.": one or two digits, a year or a count of
# three or more may end a sentence, "... on January 30, 2026.") or after a word that
# cannot end one ("in" can: "turn himself in").
_CUT = re.compile(r"(?<![\d,.])\d{1,2}[.,]$|\b(?:and|or|of|the|a|an|to|with|for)$", re.IGNORECASE)

# A dateline opens a wire story's first sentence and is no part of its news: "SEOUL/
# BEIJING — ", "HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "Rome (CNN)", "SAN FRANCISCO -- ";
# also a one-word label sentence ("ABSTRACT."). The place is in capitals, or an agency
# in brackets follows it; a hyphen counts only between spaces ("US-China talks" keeps
# its "US"), and the news after it starts with a capital, a digit or a quotation mark.
_PLACE = r"\p{Lu}[\p{L}'’.\-]*(?:[ /]\p{Lu}[\p{L}'’.\-]*)*"
_CAPITALS = r"\p{Lu}{2,}[\p{Lu}'’.\-]*(?:[ /]\p{Lu}[\p{Lu}'’.\-]*)*"
_MORE = r"(?:,[ ][\p{L}\p{N}.'’ ]{1,24}?){0,3}"  # ", N.Y., Sept. 26"
_DASH = r"(?:\s*[—–―]\s*|\s*--\s*|\s+-\s+)"
_NEWS = r"(?=[\p{Lu}\p{N}\"“‘'])"
_DATELINE = regex.compile(
    rf"\A\s*(?:(?:{_PLACE}{_MORE}[ ]?)?\(\p{{Lu}}[\p{{L}}. ]{{0,20}}\)(?:{_DASH}|(?=\p{{L}}))"
    rf"|{_CAPITALS}{_MORE}{_DASH}{_NEWS}"
    rf"|\p{{Lu}}{{3,}}[.:]\s*(?:{_NEWS}|\Z))"
)


def without_dateline(sentence: str) -> str:
    """``sentence`` without the dateline it opens with, if any."""
    found = _DATELINE.match(sentence)
    return sentence[found.end() :] if found else sentence


def flaw(headline: str) -> Flaw | None:
    """What makes ``headline`` unusable whatever the article: empty, about the article
    rather than its news, or cut short."""
    text = " ".join(headline.split())
    if not text:
        return "empty"
    if _META.search(text):
        return "about the article"
    if _CUT.search(text):
        return "cut short"
    return None
