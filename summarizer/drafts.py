"""What the model fills in: small, bounded models that cite sentence numbers.

These are the response models handed to instructor. Their bounds (list sizes, string
lengths) become part of the decoding grammar on llama.cpp backends, so a model that
starts to loop is stopped by the grammar instead of running to the token limit.
:func:`for_passage` sizes them to the passage the model sees: a citation of a sentence
that does not exist fails validation and goes back to the model as a re-ask. (The
limit lives in the model class, not in instructor's ``context``, which instructor would
also use to render every message as a Jinja template: an article is never a template.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    create_model,
    model_validator,
)

from summarizer.schema import ClaimLabel, EventStatus, Position

Verdict = Literal["yes", "no"]


def _distinct(value: list[int]) -> list[int]:
    return list(dict.fromkeys(value))


def _within(size: int) -> Callable[[list[int]], list[int]]:
    def check(value: list[int]) -> list[int]:
        missing = [n for n in value if not 1 <= n <= size]
        if missing:
            shown = ", ".join(str(n) for n in missing)
            raise ValueError(
                f"sentence {shown} does not exist: cite only the numbers in square "
                f"brackets, from 1 to {size}"
            )
        return value

    return check


Citations = Annotated[
    list[int],
    Field(min_length=1, max_length=3, description="Numbers of the sentences that say this."),
    AfterValidator(_distinct),
]
OptionalCitations = Annotated[list[int], Field(max_length=3), AfterValidator(_distinct)]


def text(max_length: int) -> Any:
    """A string field of at most ``max_length`` characters with no JSON syntax in it.

    The pattern keeps quotes, brackets and backslashes out of strings, so a small model
    cannot smuggle JSON debris ('Choe"}, {') into a name; llama.cpp compiles the pattern
    into its grammar.
    """
    return Field(
        min_length=1, max_length=max_length, pattern=rf"^[^\"\\{{}}\[\]]{{1,{max_length}}}$"
    )


Name = Annotated[str, text(60)]


class DraftModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # The model's probability for the label it wrote (an item's status, position or
    # claim label), where the endpoint returned log-probabilities; never in the schema.
    _label_probability: float | None = PrivateAttr(default=None)

    @property
    def label_probability(self) -> float | None:
        return self._label_probability

    def set_label_probability(self, value: float | None) -> None:
        self._label_probability = value


Sized = TypeVar("Sized", bound=BaseModel)


class KeyPointDraft(DraftModel):
    sentences: Citations
    point: str = text(200)


class SummaryDraft(DraftModel):
    # Key points come first: a small model that has just copied facts from cited
    # sentences writes a headline and summary from them instead of from thin air.
    key_points: list[KeyPointDraft] = Field(min_length=1, max_length=5)
    headline: str = text(120)
    summary: str = text(500)


class EventDraft(DraftModel):
    sentences: Citations
    actors: list[Name] = Field(min_length=1, max_length=3)
    action: str = text(80)
    targets: list[Name] = Field(max_length=3)
    time: Annotated[str, text(40)] | None
    location: Annotated[str, text(60)] | None
    status: EventStatus


class EventsDraft(DraftModel):
    events: list[EventDraft] = Field(min_length=1, max_length=6)


class StanceDraft(DraftModel):
    sentences: Citations
    holder: Name
    target: Name
    position: Position
    claim: str = text(150)
    attribution: Annotated[str, text(60)] | None


class StancesDraft(DraftModel):
    stances: list[StanceDraft] = Field(min_length=1, max_length=5)


class ClaimDraft(DraftModel):
    label: ClaimLabel
    sentences: OptionalCitations


class ClaimsDraft(DraftModel):
    """One label per claim, in the order the claims were listed (see :func:`exactly`)."""

    claims: list[ClaimDraft]

    @model_validator(mode="after")
    def _labels_have_evidence(self) -> ClaimsDraft:
        check_claim_evidence(self.claims)
        return self


class CombinedDraft(DraftModel):
    summary: SummaryDraft
    events: list[EventDraft] = Field(min_length=1, max_length=6)
    stances: list[StanceDraft] = Field(max_length=5)


class CombinedClaimsDraft(CombinedDraft):
    """The combined answer when the caller passed claims; without claims there is no
    field for a small model to fill with invented ones."""

    claims: list[ClaimDraft]

    @model_validator(mode="after")
    def _labels_have_evidence(self) -> CombinedClaimsDraft:
        check_claim_evidence(self.claims)
        return self


@cache
def exactly(base: type[Sized], field: str, count: int) -> type[Sized]:
    """``base`` with room for exactly ``count`` items in its list ``field`` (a label per
    claim, a verdict per statement), so the grammar enforces the count."""
    bounded = Field(min_length=count, max_length=count)
    definition: dict[str, Any] = {field: (base.model_fields[field].annotation, bounded)}
    sized: type[Sized] = create_model(base.__name__, __base__=base, **definition)
    return sized


def check_claim_evidence(claims: list[ClaimDraft]) -> None:
    for number, c in enumerate(claims, 1):
        if c.label != "unrelated" and not c.sentences:
            raise ValueError(
                f"claim {number} is labelled {c.label!r}: cite the sentences that show it"
            )


class VerifyDraft(DraftModel):
    """One verdict per statement, in the order they were listed (see :func:`exactly`)."""

    verdicts: list[Verdict]


class HeadlineDraft(DraftModel):
    """A headline alone, written from the article's first sentences."""

    headline: str = text(120)


class ReduceDraft(DraftModel):
    """The headline and summary of a long article, written from its chunk summaries."""

    headline: str = text(120)
    summary: str = text(500)


Draft = TypeVar("Draft", bound=BaseModel)


@cache
def for_passage(model: type[Draft], size: int) -> type[Draft]:
    """``model`` with every citation limited to the numbers 1..``size``.

    The limit is an enum in the JSON schema, which llama.cpp compiles into its grammar:
    a constrained backend cannot cite a sentence that is not there, and others get the
    enum as a strong hint (the validator still checks, and re-asks).
    """

    def cite(name: str, annotation: Any) -> Any:
        if name != "sentences":
            return None
        # Validation stays int (the validator's message names the valid range); only
        # the schema, and so the grammar, lists the numbers.
        numbers = list(range(1, size + 1))
        cited = Annotated[int, WithJsonSchema({"type": "integer", "enum": numbers})]
        return Annotated[list[cited], AfterValidator(_within(size))]

    return _rebuilt(model, cite, lambda inner: for_passage(inner, size))


# Fields whose value must be a name: who acted, who holds a position, where, on whose
# word. Targets stay free (a stance's target is often a thing: "the recall").
NAME_FIELDS = frozenset({"actors", "holder", "location", "attribution"})
# The field whose value must be a time phrase of the article.
TIME_FIELD = "time"


@cache
def with_choices(
    model: type[Draft], names: tuple[str, ...], times: tuple[str, ...] = ()
) -> type[Draft]:
    """``model`` with every :data:`NAME_FIELDS` field a choice among ``names``, and its
    :data:`TIME_FIELD` a choice among ``times`` (enums in the JSON schema, which
    llama.cpp's grammar enforces): the model picks what the article writes instead of
    writing it. A field without candidates stays free."""
    if not names and not times:
        return model

    def choose(name: str, annotation: Any) -> Any:
        options = names if name in NAME_FIELDS else times if name == TIME_FIELD else ()
        if not options:
            return None
        choice: Any = Literal[options]
        if get_origin(annotation) is list:
            return list[choice]
        return choice | None if type(None) in get_args(annotation) else choice

    return _rebuilt(model, choose, lambda inner: with_choices(inner, names, times))


def _rebuilt(
    model: type[Draft],
    change: Callable[[str, Any], Any],
    nested: Callable[[type[BaseModel]], type[BaseModel]],
) -> type[Draft]:
    """``model`` with each field's type replaced by ``change(name, type)`` where that is
    not None, and each nested draft (or list of drafts) by ``nested(draft)``."""
    overrides: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if (changed := change(name, field.annotation)) is not None:
            overrides[name] = (changed, field)
        elif (inner := _draft_type(field.annotation)) is not None:
            replaced = nested(inner)
            is_list = get_origin(field.annotation) is list
            overrides[name] = (list[replaced] if is_list else replaced, field)  # type: ignore[valid-type]
    if not overrides:
        return model
    rebuilt: type[Draft] = create_model(model.__name__, __base__=model, **overrides)
    return rebuilt


def _draft_type(annotation: Any) -> type[BaseModel] | None:
    args = get_args(annotation) if get_origin(annotation) is list else (annotation,)
    inner = args[0] if args else None
    return inner if isinstance(inner, type) and issubclass(inner, DraftModel) else None
