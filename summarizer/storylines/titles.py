"""A story's title a reader can use: an article's own title, else its first sentence.

A generated headline is no title for a story: on the embedded model it was "TASK" for
one story of twelve earthquake reports, and "Indonesia is facing a new threat from a
powerful 6." for another. So the title is what an article of the story wrote, taken
from its most central article first: its title, else its first sentence without its
dateline (else the next sentence). A candidate that is empty, one word, about the
article rather than its news, or cut short (:func:`summarizer.outputs.headline.flaw`;
a sentence that does not end as a sentence does) is passed over for the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.article import Article
from summarizer.outputs.headline import flaw, without_dateline

# Articles tried, most central first, and sentences tried in each: a story whose first
# few articles all open with unusable sentences is rare, and splitting every article of
# a large story into sentences would cost more than its title is worth.
MAX_ARTICLES = 5
MAX_SENTENCES = 3
MIN_WORDS = 2
# Only an article's opening is split into sentences (a long article's whole text would
# cost milliseconds a story); a sentence that runs past it is not taken.
OPENING_CHARS = 2000
_ENDINGS = (".", "!", "?", "…", '"', "”", "’", "'", ")", "»", "」", "。", "！", "？")


def usable(title: str) -> bool:
    """Whether ``title`` can name a story: two words at least, and no flaw."""
    return len(title.split()) >= MIN_WORDS and flaw(title) is None


def story_title(articles: Sequence[tuple[str | None, str]]) -> str:
    """The title of a story whose articles are ``(title, text)``, most central first."""
    for title, text in articles[:MAX_ARTICLES]:
        if title and usable(title):
            return " ".join(title.split())
        if not text.strip():  # an analysis always has text; a hand-made one may not
            continue
        opening = text[:OPENING_CHARS]
        article = Article.from_text(opening)
        for number in range(1, min(MAX_SENTENCES, len(article.sentences)) + 1):
            if len(opening) < len(text) and article.sentences[number - 1].end >= len(opening):
                break  # it may go on past the opening
            sentence = " ".join(without_dateline(article.sentence_text(number)).split())
            # A sentence that does not end as one was cut by the splitter's length limit.
            if usable(sentence) and sentence.endswith(_ENDINGS):
                return sentence
    count = len(articles)
    return f"Untitled story ({count} article{'' if count == 1 else 's'})"
