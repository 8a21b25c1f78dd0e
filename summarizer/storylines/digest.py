"""What a storylines run keeps of each analysis: enough to group it and to rebuild its
story, without its text.

A run over a million analyses cannot hold them, and an update weeks later no longer
has them. An article's digest is its tokens (:func:`article_tokens`, what grouping
reads), and what its story's title and events are built from: its title, the opening
of its text, the sentences its analysis cites, its events and stances. It is stored
(:mod:`.store`) and read back only for the stories an update touches.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from summarizer.article import OPENING_CHARS
from summarizer.schema import Analysis, Event, Stance, _Model
from summarizer.storylines.stories import StoryArticle, Tokens, article_tokens

# Enough of the text that its opening is split as the whole text's would be
# (:func:`summarizer.article.opening_sentences` looks at OPENING_CHARS).
LEAD_CHARS = 2 * OPENING_CHARS


class Digest(_Model):
    id: str
    published: dt.date | None
    title: str | None
    language: str | None
    lead: str = Field(description="The text's first LEAD_CHARS characters.")
    cited: dict[int, str] = Field(description="Sentences the analysis cites, by number.")
    events: list[Event]
    stances: list[Stance]

    @classmethod
    def of_text(
        cls, article_id: str, text: str, title: str | None, published: dt.date | None
    ) -> Digest:
        """The digest of an article with no analysis (to group articles alone)."""
        return cls(
            id=article_id,
            published=published,
            title=title,
            language=None,
            lead=text[:LEAD_CHARS],
            cited={},
            events=[],
            stances=[],
        )


def digest(article_id: str, analysis: Analysis) -> tuple[Digest, Tokens]:
    """The digest of one analysis, and its tokens."""
    info = analysis.article
    language = analysis.metadata.language
    tokens = article_tokens(
        StoryArticle(article_id, info.text, info.title, info.published, language)
    )
    kept = Digest(
        id=article_id,
        published=info.published,
        title=info.title,
        language=language,
        lead=info.text[:LEAD_CHARS],
        cited=_cited(analysis),
        events=analysis.events,
        stances=analysis.stances,
    )
    return kept, tokens


def _cited(analysis: Analysis) -> dict[int, str]:
    """Each sentence the analysis cites, by number: its widest span."""
    spans = [s for point in analysis.summary.key_points for s in point.evidence]
    spans += [s for event in analysis.events for s in event.evidence]
    spans += [s for stance in analysis.stances for s in stance.evidence]
    found: dict[int, str] = {}
    for span in spans:
        if len(span.text) > len(found.get(span.sentence, "")):
            found[span.sentence] = span.text
    return found
