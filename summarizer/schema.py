"""The result of an analysis: public, versioned, exported as JSON Schema into ``schemas/``.

Every event, stance, key point and claim stance carries evidence: spans of the article
with ``article[start:end] == text``. Offsets are computed by code from sentence numbers
the model cited; they are never taken from the model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.5"

EventStatus = Literal["happened", "ongoing", "planned", "expected", "possible", "denied"]
Position = Literal["support", "oppose", "neutral", "mixed"]
ClaimLabel = Literal["agree", "disagree", "discuss", "unrelated"]
# What gave a label: the lexical gate, the model's scores for each label, the model's
# generated answer, or a fixed rule used where the model does no better than one.
LabelSource = Literal["gate", "scores", "generated", "rule"]
AttributionKind = Literal["direct", "indirect", "mixed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _label_confidence(label: str) -> Any:
    # Null unless there is a probability for this item's label: a rule's constant label
    # has none (its share of some data set is no probability that it is right here).
    return Field(
        default=None,
        ge=0,
        le=1,
        description=f"The model's probability for the {label} it wrote, from the tokens "
        "that wrote it, where the endpoint returned log-probabilities (setting logprobs); "
        f"otherwise null. A rule's {label} (extractor=rule) has null. Its calibration "
        "has not been measured.",
    )


class Span(_Model):
    """A stretch of the article that supports an item: ``article[start:end] == text``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: int = Field(ge=1, description="1-based sentence number the model cited.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end - self.start != len(self.text):
            raise ValueError("end - start must equal len(text)")
        return self


class KeyPoint(_Model):
    text: str
    evidence: list[Span] = Field(min_length=1)


class Summary(_Model):
    headline: str = Field(description="One line.")
    text: str = Field(description="Two to four sentences.")
    key_points: list[KeyPoint]


class Event(_Model):
    actors: list[str] = Field(description="Who acted.")
    action: str = Field(description="What they did, as a short verb phrase.")
    targets: list[str] = Field(
        description="Whom or what the action was directed at, or who took part."
    )
    time_text: str | None = Field(description="The time as the article writes it.")
    date: dt.date | None = Field(
        description="time_text resolved to an ISO date against the publication date; "
        "the first day for a range."
    )
    location: str | None
    status: EventStatus
    status_confidence: float | None = _label_confidence("status")
    evidence: list[Span] = Field(min_length=1)


class Stance(_Model):
    holder: str = Field(description="Who holds the position.")
    target: str = Field(description="Whom or what the position is about.")
    position: Position
    position_confidence: float | None = _label_confidence("position")
    claim: str = Field(description="The position, paraphrased in a few words.")
    attribution: str | None = Field(
        description="Where the article says the position comes from, e.g. 'KCNA'."
    )
    evidence: list[Span] = Field(min_length=1)


class ClaimStance(_Model):
    claim: str
    label: ClaimLabel = Field(description="FNC-1 label: the article's stance toward the claim.")
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="The probability that the label is right, or null. The gate's "
        "'unrelated': P(unrelated) from the claim's word overlap with the article, "
        "calibrated on English tuning pairs (null in other languages). scores: the "
        "model's probability for the label after content-free calibration (not measured "
        "against how often it is right); with the adapter (claim_labels=tuned), the "
        "adapter's own probability for the label among the three related ones, whose "
        "calibration is measured on the tuning halves (docs/training.md). generated: "
        "the model's probability for the label where the endpoint returned "
        "log-probabilities (setting logprobs), else null. The rule's label: null.",
    )
    source: LabelSource = Field(default="generated", description="What gave the label.")
    evidence: list[Span] = Field(description="Empty only when the label is 'unrelated'.")


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_prompt_tokens: int = Field(
        default=0,
        description="Prompt tokens the model did not evaluate again: reused from its KV "
        "cache (in-process) or its prompt cache (endpoints that report it).",
    )

    @property
    def evaluated_prompt_tokens(self) -> int:
        return self.prompt_tokens - self.cached_prompt_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens - other.prompt_tokens,
            completion_tokens=self.completion_tokens - other.completion_tokens,
            total_tokens=self.total_tokens - other.total_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens - other.cached_prompt_tokens,
        )


class Metadata(_Model):
    schema_version: str = SCHEMA_VERSION
    backend: Literal["embedded", "openai"]
    model: str
    mode: str = Field(description="instructor mode used for structured output.")
    strategy: Literal["per_task", "combined"]
    prompt_versions: dict[str, str] = Field(
        description="Template name to version (a hash of the template's content)."
    )
    usage: Usage = Field(description="Token usage summed over every attempt of every call.")
    calls: int = Field(description="Structured calls made (one per task, chunk and reduce step).")
    attempts: int = Field(
        description="Model requests made, re-asks and transport retries included."
    )
    chunks: int = Field(description="1 unless the article was longer than the model's context.")
    language: str = Field(
        default="en",
        description="ISO 639-1 code of the article's language: given with the article, "
        "else detected (py3langid).",
    )
    output_language: str = Field(
        default="en",
        description="ISO 639-1 code of the language asked for the written fields "
        "(setting output_language; unset: the article's).",
    )
    extractive: bool = Field(
        default=False,
        description="True when every written field is the article's own text: the "
        "embedded model writes English only, so on another language its headline, "
        "summary and key points are the article's sentences.",
    )
    latency_s: float
    warnings: list[str]


class ArticleInfo(_Model):
    title: str | None
    published: dt.date | None
    text: str = Field(description="The article text that every span indexes.")
    sentences: int


class Attribution(_Model):
    """Who is reported to have said what: every quotation and paraphrase of the article,
    each part an exact span computed by code."""

    source: Span | None = Field(
        description="Who said it, as the article writes it ('he', 'a spokesman'); null "
        "where the article names no source."
    )
    source_name: str | None = Field(
        default=None,
        description="The name the source stands for: a pronoun's antecedent, or the "
        "fullest form of a name in the article ('Donald Trump' for 'he' or 'Trump'); "
        "null where none is found.",
    )
    cue: Span = Field(description="What marks the report: 'said', 'according to', ':'.")
    content: Span = Field(description="What was said.")
    kind: AttributionKind = Field(
        description="direct: a quotation; indirect: a paraphrase; mixed: a paraphrase that quotes."
    )
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="The probability that this attribution is right, source included, "
        "as PolNeAR's annotators would list it: the learned tagger's cue probability, "
        "calibrated on PolNeAR dev's tuning half; null where the rule found it.",
    )


class Analysis(_Model):
    """Summary, events, stances, claim stances and attributions of one article, all
    grounded."""

    article: ArticleInfo
    summary: Summary
    events: list[Event]
    stances: list[Stance]
    claims: list[ClaimStance]
    attributions: list[Attribution] = Field(
        default_factory=list,
        max_length=60,
        description="Every quotation and paraphrase, in the article's order (at most 60); "
        "added in schema 1.4.",
    )
    metadata: Metadata


class BatchRecord(_Model):
    """One line of a batch run's output: one per input line, keyed by its id."""

    id: str = Field(description="The input's id, or line-N for an input without one.")
    line: int = Field(description="Line number of the input in its file (1-based).")
    ok: bool
    cached: bool = Field(default=False, description="Taken from the response cache.")
    analysis: Analysis | None = None
    error: str | None = None
    error_type: str | None = Field(
        default=None, description="Exception class: InputError, OutputError, EndpointError..."
    )
    usage: Usage = Field(default_factory=Usage, description="Tokens spent, failures included.")
    attempts: int = Field(default=0, description="Model requests made, re-asks included.")
