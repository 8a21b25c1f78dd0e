"""The fixture format: an article with hand-made gold labels.

Fixtures live as one JSON file each in ``evals/fixtures/``; their JSON Schema is
``schemas/fixture.schema.json``. Public datasets are mapped onto the same format by
``summarizer.evaluation.datasets``, filling only the labels each dataset has.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from summarizer.errors import InputError, one_line
from summarizer.schema import ClaimLabel, EventStatus, Position


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyFact(_Strict):
    """A fact a good summary states, with the wordings that count as stating it."""

    fact: str = Field(description="The fact, in one short sentence.")
    wordings: list[str] = Field(
        min_length=1,
        description="Short phrases any of which, found in a summary (fuzzy, aliases "
        "applied), counts as stating the fact.",
    )


class GoldEvent(_Strict):
    actors: list[str] = Field(description="Canonical names; aliases come from Fixture.aliases.")
    action: str = Field(description="Short verb phrase, e.g. 'met'.")
    action_aliases: list[str] = Field(default_factory=list, description="Other acceptable verbs.")
    targets: list[str] = Field(default_factory=list)
    time_text: str | None = None
    date: dt.date | None = Field(default=None, description="ISO date, first day of a range.")
    location: str | None = None
    status: EventStatus
    sentences: list[int] = Field(
        default_factory=list, description="1-based sentence numbers that state it, if known."
    )


class GoldStance(_Strict):
    holder: str
    target: str
    position: Position
    claim: str = Field(description="The position in a few words.")
    attribution: str | None = None
    sentences: list[int] = Field(default_factory=list)


class GoldClaim(_Strict):
    claim: str
    label: ClaimLabel


class GoldSpan(_Strict):
    """A stretch of the fixture's text: ``text == Fixture.text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class GoldAttribution(_Strict):
    """Who is reported to have said what: each part a list of pieces of the text (a
    quotation broken by its cue is one content in two pieces)."""

    source: list[GoldSpan] = Field(
        default_factory=list, description="Who said it, as written ('he'); may be absent."
    )
    cue: list[GoldSpan] = Field(default_factory=list, description="'said', 'according to'.")
    content: list[GoldSpan] = Field(min_length=1, description="What was said.")


class Fixture(_Strict):
    """One article with its gold labels. Empty label lists mean "not labelled"."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    source: str = Field(description="Where the text comes from, e.g. 'written for summarizer'.")
    topic: str = Field(description="diplomacy, conflict, politics, business, courts, ...")
    language: str = Field(default="en", description="ISO 639-1 code.")
    title: str | None = None
    published: dt.date | None = None
    text: str = Field(min_length=1)
    sentences: list[str] = Field(
        default_factory=list,
        description="The text's sentences as split by hand, in order, each written exactly "
        "as in text (no surrounding whitespace); what the sentence splitter is scored "
        "against. Empty: not split by hand. Gold sentence numbers index this split when "
        "it is given.",
    )
    notes: str | None = Field(default=None, description="What makes this fixture special.")
    references: list[str] = Field(default_factory=list, description="Reference summaries.")
    headlines: list[str] = Field(
        default_factory=list,
        description="Reference headlines: the article's real title, hidden from the system "
        "(the fixture's title is then empty).",
    )
    key_facts: list[KeyFact] = Field(default_factory=list)
    aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Canonical name -> other names that refer to the same entity.",
    )
    events: list[GoldEvent] = Field(default_factory=list)
    stances: list[GoldStance] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)
    attributions: list[GoldAttribution] = Field(
        default_factory=list, description="Every quotation and paraphrase, with its source."
    )
    labelled: list[str] = Field(
        default_factory=lambda: ["summary", "events", "stances"],
        description="Which tasks are labelled: summary, headline, events, stances, claims, "
        "attributions. A task "
        "not listed is not scored (an empty list then means 'unknown', not 'none').",
    )

    @model_validator(mode="after")
    def _labels_match(self) -> Fixture:
        known = {"summary", "headline", "events", "stances", "claims", "attributions"}
        if unknown := set(self.labelled) - known:
            raise ValueError(f"unknown task(s) in labelled: {sorted(unknown)}")
        if "claims" in self.labelled and not self.claims:
            raise ValueError("'claims' is labelled but the fixture has no claims")
        if "summary" in self.labelled and not (self.references or self.key_facts):
            raise ValueError("'summary' is labelled but there are no references or key facts")
        if "headline" in self.labelled and not self.headlines:
            raise ValueError("'headline' is labelled but there are no reference headlines")
        for number, attribution in enumerate(self.attributions, 1):
            for piece in (*attribution.source, *attribution.cue, *attribution.content):
                if self.text[piece.start : piece.end] != piece.text or piece.start > piece.end:
                    raise ValueError(
                        f"attribution {number}: {piece.text[:40]!r} is not the text at "
                        f"{piece.start}-{piece.end}"
                    )
        cursor = 0
        for number, sentence in enumerate(self.sentences, 1):
            found = self.text.find(sentence, cursor)
            if not sentence or sentence != sentence.strip() or found < 0:
                raise ValueError(
                    f"sentence {number} of the hand split is not the next stretch of text "
                    f"(exactly as written, without surrounding whitespace): {sentence[:40]!r}"
                )
            cursor = found + len(sentence)
        return self


def load_fixture(path: Path) -> Fixture:
    try:
        return Fixture.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise InputError(f"{path}: invalid fixture: {one_line(exc, 'fixture')}") from None
    except OSError as exc:
        raise InputError(f"cannot read fixture {path}: {exc.strerror}") from None


def load_fixtures(folder: Path) -> list[Fixture]:
    """Every ``*.json`` fixture in ``folder``, sorted by id; ids must be unique."""
    fixtures = sorted((load_fixture(p) for p in folder.glob("*.json")), key=lambda f: f.id)
    ids = [f.id for f in fixtures]
    if len(set(ids)) != len(ids):
        raise InputError(f"duplicate fixture ids in {folder}")
    return fixtures


def dump_fixture(fixture: Fixture) -> str:
    return (
        json.dumps(
            fixture.model_dump(mode="json", exclude_defaults=False), indent=2, ensure_ascii=False
        )
        + "\n"
    )
