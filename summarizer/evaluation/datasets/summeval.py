"""SummEval: CNN/DailyMail articles, each with 11 reference summaries and the summaries
of 16 systems rated 1-5 by experts (coherence, consistency, fluency, relevance).

A row becomes a :class:`Fixture` labelling only ``summary`` (its references); for
meta-evaluation :func:`summeval_item` also keeps the rated system summaries as a
:class:`SummEvalItem`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from summarizer.evaluation.datasets.common import Row, _row_id, _text, fixture_id
from summarizer.evaluation.fixtures import Fixture


class SystemSummary(BaseModel):
    """One system's summary of a SummEval article, with its mean expert ratings (1-5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    system: str = Field(description="SummEval system id, e.g. 'M11'.")
    summary: str
    coherence: float = Field(ge=1, le=5)
    consistency: float = Field(ge=1, le=5, description="Factual faithfulness to the article.")
    fluency: float = Field(ge=1, le=5)
    relevance: float = Field(ge=1, le=5)


class SummEvalItem(BaseModel):
    """A SummEval article as a fixture, with the rated system summaries of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fixture: Fixture
    systems: list[SystemSummary]


def summeval_fixture(row: Row, line: int) -> Fixture:
    """A SummEval article with its reference summaries (human highlights + crowd)."""
    references = row["references"]
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise ValueError("field 'references' is not a list of strings")
    return Fixture(
        id=fixture_id("summeval", _row_id(row, "id", line)),
        source="summeval dev",
        topic="news",
        text=_text(row, "article"),
        references=[r for r in references if r.strip()],
        labelled=["summary"],
    )


def summeval_item(row: Row, line: int) -> SummEvalItem:
    systems = row["systems"]
    if not isinstance(systems, list):
        raise ValueError("field 'systems' is not a list")
    return SummEvalItem(
        fixture=summeval_fixture(row, line),
        systems=[SystemSummary.model_validate(s) for s in systems],
    )
