"""ECB+ whole topics (``ecbplus_topics_dev.jsonl``), for the storyline eval.

Each row is one ECB+ document of a topic that holds two real-world events of one kind
(its two subtopics), with the text and the mentions annotated in it. A row becomes a
:class:`TopicArticle`: its doc, topic and subtopic, the article, and the ACTION mentions
of its annotated sentences as :class:`GoldMention` (span, text and the cross-document
coreference cluster). Whole topics fall in one half (tune / report), fixed by the
topic's id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.article import Article
from summarizer.errors import InputError
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.halves import Half, in_half

DATASET = "ecbplus-topics"
FILE = "ecbplus_topics_dev.jsonl"


@dataclass(frozen=True)
class GoldMention:
    key: tuple[str, str]  # (doc, mention id)
    start: int
    end: int
    text: str
    cluster: str


@dataclass(frozen=True)
class TopicArticle:
    doc: str
    topic: str
    subtopic: str
    article: Article
    mentions: list[GoldMention]

    @property
    def fixture(self) -> Fixture:
        """The article as an eval item, for the systems that analyse it."""
        slug = self.doc.removesuffix(".xml").lower().replace(".", "-")
        return Fixture(
            id=f"ecbplus-{slug}", source="ECB+", topic="events", text=self.article.text, labelled=[]
        )


def load_topics(path: Path, half: Half = "all", limit: int | None = None) -> list[TopicArticle]:
    file = path / FILE if path.is_dir() else path
    if not file.is_file():
        raise InputError(f"{DATASET} data file not found: {file}")
    articles: list[TopicArticle] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            topic = str(row["topic"])
            if not in_half(topic, half):  # a topic's two stories stay in one half
                continue
            articles.append(_article(row))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{file}: line {number} is not an ECB+ topics row: {exc}") from exc
    if limit is not None:
        articles = articles[:limit]
    if not articles:
        raise InputError(f"{file} has no article in the {half} half")
    return articles


def _article(row: dict[str, Any]) -> TopicArticle:
    text = str(row["text"])
    annotated = set(row["annotated_sentences"])
    mentions = [
        GoldMention(
            (str(row["doc"]), str(m["m_id"])), m["start"], m["end"], m["text"], m["cluster"]
        )
        for m in row["mentions"]
        if str(m["tag"]).startswith("ACTION") and m["sentence"] in annotated
    ]
    for m in mentions:
        if text[m.start : m.end] != m.text:
            raise ValueError(f"mention {m.key[1]} does not match the text at {m.start}-{m.end}")
    return TopicArticle(
        str(row["doc"]), str(row["topic"]), str(row["subtopic"]), Article.from_text(text), mentions
    )
