"""Training examples from a corpus's items: the pipeline's request and the gold answer.

- ``events``: for every passage the pipeline would ask about (the whole article, or
  each chunk of a long one), its events request and the gold events as an events draft
  (:mod:`training.events`). A passage with no usable event gives no example.
- ``claim_label``: for every related claim (agree, disagree, discuss), the claim
  label request and the label as the one word the model answers. Unrelated claims give
  none: the lexical gate stops them before the model is asked.
- ``headline``: for every reference headline of an untitled article (a PolNeAR title
  taken off its article; an FNC-1 headline its body agrees with), the headline request
  on the article's first sentences and the headline as a headline draft.

The article is the one the eval suite builds for the item (title, text, date), so the
sentence numbers the gold cites are those the model is shown; where the title would
change the sentence split (it can change the detected language), the item is skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.drafts import HeadlineDraft
from summarizer.errors import InputError
from summarizer.evaluation.systems import article_of
from summarizer.grounding import unsupported_content
from summarizer.headline_text import flaw
from summarizer.outputs.headline import lead_passage
from summarizer.prompts import Message
from training.corpus import Corpus, Item, reason_of
from training.events import events_answer
from training.headlines import as_written
from training.requests import Requests

EVENTS, CLAIM_LABEL, HEADLINE = "events", "claim_label", "headline"
TASKS = (EVENTS, CLAIM_LABEL, HEADLINE)
NOT_ASKED = "articles the pipeline asks no events of (not English: the model writes English only)"
NO_EVENT = "passages with no usable event"
UNRELATED = "unrelated claims (the lexical gate stops them before the model)"
SPLIT_CHANGES = "sentence split changes with the title (gold numbers would not hold)"
NO_HEADLINE = "articles the pipeline asks no headline of (titled, or not English)"
FLAWED = "reference headlines that the pipeline would reject (empty, meta or cut short)"
UNSUPPORTED = "reference headlines naming what the first sentences lack"
UNWRITABLE = "reference headlines a headline draft cannot hold (over 120 characters, brackets)"


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
        default_factory=lambda: {task: Counter() for task in TASKS}
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
            if HEADLINE in labelled:
                yield from self._headlines(corpus, item, article)

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

    def _headlines(self, corpus: Corpus, item: Item, article: Article) -> Iterator[Example]:
        """One example per reference headline that the tuned source would keep: one it
        would replace by the rule's (flawed, or naming what the shown sentences lack)
        would teach what the pipeline throws away."""
        messages = self.requests.headline(article)
        if messages is None:
            self.cut[HEADLINE][NO_HEADLINE] += 1
            return
        shown = lead_article(article)
        for written in item.fixture.headlines:
            text = as_written(written, article.text)
            if flaw(text):
                self.cut[HEADLINE][FLAWED] += 1
                continue
            if unsupported_content(shown, text):
                self.cut[HEADLINE][UNSUPPORTED] += 1
                continue
            try:
                draft = HeadlineDraft(headline=text)
            except ValidationError:
                self.cut[HEADLINE][UNWRITABLE] += 1
                continue
            answer = json.dumps(draft.model_dump(mode="json"), ensure_ascii=False)
            yield self._example(HEADLINE, corpus, item, messages, answer, corpus.name)

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


def lead_article(article: Article) -> Article:
    """The part of ``article`` its headline request shows: its first sentences."""
    lead = lead_passage(article)
    end = article.span(lead.numbers[-1]).end
    return Article.from_text(article.text[:end], title=article.title, language=article.language)


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
