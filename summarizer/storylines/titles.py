"""A story's title a reader can use: an article's own title, else its first sentence.

A generated headline is no title for a story: on the embedded model it was "TASK" for
one story of twelve earthquake reports, and "Indonesia is facing a new threat from a
powerful 6." for another. So the title is what an article of the story wrote, taken
from its most central article first: its title, else its first sentence without its
dateline (else the next sentence). A candidate that is empty, one word, about the
article rather than its news, or cut short (:func:`summarizer.headline_text.flaw`;
a sentence that does not end as a sentence does) is passed over for the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import takewhile

from summarizer.article import opening_sentences
from summarizer.headline_text import flaw, without_dateline

# Articles tried, most central first, and sentences tried in each: a story whose first
# few articles all open with unusable sentences is rare, and splitting every article of
# a large story into sentences would cost more than its title is worth (only the
# opening is split: :func:`opening_sentences`).
MAX_ARTICLES = 5
MAX_SENTENCES = 3
MIN_WORDS = 2
_ENDINGS = (".", "!", "?", "…", '"', "”", "’", "'", ")", "»", "」", "。", "！", "？")


def usable(title: str) -> bool:
    """Whether ``title`` can name a story: two words at least, and no flaw."""
    return len(title.split()) >= MIN_WORDS and flaw(title) is None


@dataclass(frozen=True)
class TitleSource:
    """What a story's title may come from, of one article: its title and text, the
    sentences its analysis cites (number -> text: the analysis's own split, so that the
    article is split again only where sentence 1 is not cited) and its language."""

    title: str | None
    text: str
    cited: Mapping[int, str] = field(default_factory=dict)
    language: str | None = None


def story_title(articles: Sequence[TitleSource]) -> str:
    """The title of a story whose articles are ``articles``, most central first."""
    for a in articles[:MAX_ARTICLES]:
        if a.title and usable(a.title):
            return " ".join(a.title.split())
        numbers = takewhile(a.cited.__contains__, range(1, MAX_SENTENCES + 1))
        opening = [a.cited[n] for n in numbers]
        for written in opening or opening_sentences(a.text, MAX_SENTENCES, a.language):
            sentence = " ".join(without_dateline(written).split())
            # A sentence that does not end as one was cut by the splitter's length limit.
            if usable(sentence) and sentence.endswith(_ENDINGS):
                return sentence
    count = len(articles)
    return f"Untitled story ({count} article{'' if count == 1 else 's'})"
