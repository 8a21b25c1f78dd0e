"""Training examples from a corpus's items: the pipeline's request and the gold answer.

- ``events``: for every passage the pipeline would ask about (the whole article, or
  each chunk of a long one), its events request and the gold events as an events draft
  (:mod:`training.events`). A passage with no usable event gives no example.
- ``claim_label``: for every related claim (agree, disagree, discuss), the claim
  label request and the label as the one word the model answers. Unrelated claims give
  none: the lexical gate stops them before the model is asked.

The article is the one the eval suite builds for the item (title, text, date), so the
sentence numbers the gold cites are those the model is shown; where the title would
change the sentence split (it can change the detected language), the item is skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from summarizer.article import Article
from summarizer.errors import InputError
from summarizer.evaluation.systems import article_of
from summarizer.prompts import Message
from training.corpus import Corpus, Item, reason_of
from training.events import events_answer
from training.requests import Requests

EVENTS, CLAIM_LABEL = "events", "claim_label"
NOT_ASKED = "articles the pipeline asks no events of (not English: the model writes English only)"
NO_EVENT = "passages with no usable event"
UNRELATED = "unrelated claims (the lexical gate stops them before the model)"
SPLIT_CHANGES = "sentence split changes with the title (gold numbers would not hold)"


@dataclass(frozen=True)
class Example:
    task: str
    source: str
    source_id: str
    messages: list[Message]
    answer: str
    stratum: str  # what --max-per-task keeps the mix of: the label, or the corpus
    prompt_tokens: int
    answer_tokens: int  # with the end-of-turn token

    def line(self) -> str:
        """The example as one line of the training format (docs: format.md)."""
        fields = {
            "task": self.task,
            "source": self.source,
            "source_id": self.source_id,
            "messages": self.messages,
            "answer": self.answer,
        }
        return json.dumps(fields, ensure_ascii=False)


@dataclass
class Builder:
    requests: Requests
    cut: dict[str, Counter[str]] = field(
        default_factory=lambda: {EVENTS: Counter(), CLAIM_LABEL: Counter()}
    )

    def examples(self, corpus: Corpus) -> Iterator[Example]:
        for item in corpus.items:
            try:
                article = _article(item)
            except (InputError, ValueError) as exc:
                corpus.skip(reason_of(exc), item.source_id)
                continue
            labelled = item.fixture.labelled
            if EVENTS in labelled and item.fixture.events:
                yield from self._events(corpus, item, article)
            if "claims" in labelled:
                yield from self._claims(corpus, item, article)

    def _events(self, corpus: Corpus, item: Item, article: Article) -> Iterator[Example]:
        asked = self.requests.events(article)
        if not asked:
            self.cut[EVENTS][NOT_ASKED] += 1
        for one in asked:
            answer = events_answer(
                item.fixture.events, one.passage, one.request.response_model, self.cut[EVENTS]
            )
            if answer is None:
                self.cut[EVENTS][NO_EVENT] += 1
                continue
            yield self._example(EVENTS, corpus, item, one.request.messages, answer, corpus.name)

    def _claims(self, corpus: Corpus, item: Item, article: Article) -> Iterator[Example]:
        for claim in item.fixture.claims:
            if claim.label == "unrelated":
                self.cut[CLAIM_LABEL][UNRELATED] += 1
                continue
            messages = self.requests.claim_label(article, claim.claim)
            yield self._example(CLAIM_LABEL, corpus, item, messages, claim.label, claim.label)

    def _example(
        self,
        task: str,
        corpus: Corpus,
        item: Item,
        messages: list[Message],
        answer: str,
        stratum: str,
    ) -> Example:
        prompt, answered = self.requests.tokenizer.chat_tokens(messages, answer)
        return Example(
            task, corpus.name, item.source_id, messages, answer, stratum, prompt, answered
        )


def _article(item: Item) -> Article:
    """The article the eval suite builds for the item; its gold sentence numbers were
    computed on the text alone, so the split must not change with the title."""
    fixture = item.fixture
    article = article_of(fixture)
    if fixture.title and not fixture.sentences:
        bare = Article.from_text(fixture.text)
        if bare.sentences != article.sentences:
            raise ValueError(SPLIT_CHANGES)
    return article
