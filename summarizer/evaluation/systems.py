"""The systems an eval run compares, all on the same model: our pipeline and two baselines.

- ``pipeline``: :class:`summarizer.Summarizer` with the run's settings.
- ``naive``: one plain prompt through instructor with the same model and mode: no
  sentence numbering, no task decomposition, no bounds; evidence as verbatim quotes,
  located in the article by code (a misquote stays inexact and is scored so).
- ``naive-bounded``: the same prompt and call, with the list and string bounds of the
  pipeline's drafts (and exactly one label per claim). Without bounds a small model runs
  its lists to the token limit, so "better than naive" alone says little: this is the
  fair plain-prompt baseline, which differs from the pipeline only by sentence numbering
  and task decomposition.
- ``lead3``: the first three sentences as the summary; nothing else.
- ``cue-sentences``: every sentence with a reporting cue as an attribution, its source
  the name nearest the cue; nothing else.
- ``tagger``: the attributions of the learned tagger (a CRF trained on PolNeAR's train
  split); nothing else. ``combined``: the tagger's where it is sure of the cue and the
  rule's where it found none. ``tagger:model=FILE``, ``combined:model=FILE``: another
  model file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from pydantic import BaseModel, Field, SecretStr, TypeAdapter, ValidationError
from rapidfuzz import fuzz

from summarizer import label_logprobs
from summarizer.article import Article
from summarizer.cache import call_key, settings_parts
from summarizer.drafts import Name, exactly, text
from summarizer.errors import ConfigError, one_line
from summarizer.evaluation.baselines import (
    ConstantSystem,
    CueSentenceSystem,
    Fnc1BaselineSystem,
    Lead3System,
    RulesSystem,
    TaggerSystem,
)
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.records import PredClaim, PredEvent, Prediction, PredSpan, PredStance
from summarizer.evaluation.scorers import CLAIM_LABELS
from summarizer.prompts import load_prompts
from summarizer.relatedness import gate_config
from summarizer.schema import ClaimLabel, EventStatus, Position, Usage
from summarizer.settings import PIPELINE_OPTIONS, Settings

if TYPE_CHECKING:
    # Imported where a prediction needs them, so a run answered from the cache starts
    # without loading the model clients (openai, instructor).
    from summarizer.backends import Backend
    from summarizer.cache import ResponseCache
    from summarizer.calls import CallLog, CallRequest, StructuredCaller
    from summarizer.pipeline import Pipeline
    from summarizer.scoring import ScoreRequest

SYSTEMS = (
    "pipeline",
    "naive",
    "naive-bounded",
    "lead3",
    "rules",
    *(f"constant:{label}" for label in CLAIM_LABELS),
    *(f"gate:{label}" for label in CLAIM_LABELS if label != "unrelated"),
    "fnc1-baseline",
    "cue-sentences",
    "tagger",
    "combined",
)


class System(Protocol):
    name: str
    # Calls answered from the cache so far (counted in predictions' cost, not made).
    replayed_calls: int

    def cache_parts(self) -> dict[str, Any]:
        """Everything besides the article that decides this system's answer."""
        ...

    def predict(self, fixture: Fixture, article: Article) -> Prediction: ...

    def close(self) -> None: ...


def make_system(
    name: str,
    settings: Settings,
    cache: ResponseCache | None = None,
    backends: dict[str, Backend] | None = None,
) -> System:
    """The system ``name`` names; pipeline variants (``pipeline:FIELD=VALUE...``) passed
    the same ``backends`` share a loaded model."""
    if name == "pipeline" or name.startswith("pipeline:"):
        parts = variant_parts(name)
        system = PipelineSystem(variant(name, settings), parts.get("name", name), cache, backends)
        if "concurrency" in parts:
            try:
                system.concurrency = max(1, int(parts["concurrency"]))
            except ValueError:
                raise ConfigError(f"{name!r}: concurrency must be a whole number") from None
        return system
    if name == "naive":
        return NaiveSystem(settings)
    if name == "naive-bounded":
        return NaiveSystem(settings, bounded=True)
    if name == "lead3":
        return Lead3System()
    if name == "rules":
        return RulesSystem()
    if name == "fnc1-baseline":
        return Fnc1BaselineSystem()
    if name == "cue-sentences":
        return CueSentenceSystem()
    if name in ("tagger", "combined"):
        return TaggerSystem(combined=name == "combined")
    if name.startswith(("tagger:model=", "combined:model=")):
        model = Path(name.partition("=")[2]).expanduser()
        if not model.is_file():
            raise ConfigError(f"{name!r}: no such model file")
        return TaggerSystem(model, combined=name.startswith("combined"), name=name)
    kind, _, label = name.partition(":")
    if kind in ("constant", "gate") and label in CLAIM_LABELS:
        return ConstantSystem(label, gated=kind == "gate")
    raise ValueError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}")


def article_of(fixture: Fixture) -> Article:
    return _article(fixture.text, fixture.title, fixture.published)


# Every system of a run needs the same item's article, and sentence splitting is the
# costliest step of scoring from the cache: split each one once.
@lru_cache(maxsize=256)
def _article(text: str, title: str | None, published: dt.date | None) -> Article:
    return Article.from_text(text, title=title, published=published)


class PipelineSystem:
    """Our pipeline. ``pipeline:summary=abstractive:examples=true`` is a variant: the
    run's settings with those changed, scored side by side with the plain pipeline.

    Variants of one run share their loaded model, and with a cache their identical
    calls: a variant that only changes what is done with the answers (summary style,
    grounded fields) costs no model call. A call answered from the cache counts what it
    cost when it was made, so the variants' cost columns stay comparable.
    """

    def __init__(
        self,
        settings: Settings,
        name: str = "pipeline",
        cache: ResponseCache | None = None,
        backends: dict[str, Backend] | None = None,
    ) -> None:
        self.name = name
        self.replayed_calls = 0
        # Requests in flight for this system (an endpoint's own limit); None: the run's.
        self.concurrency: int | None = None
        self._settings = settings
        self._cache = cache
        self._backends = backends if backends is not None else {}
        self._pipeline: Pipeline | None = None
        # A variant's prompt folder is checked now, before any call of the run.
        self._prompts = load_prompts(settings.prompts)

    def prompt_diffs(self) -> dict[str, str]:
        return self._prompts.diffs()

    def cache_parts(self) -> dict[str, Any]:
        versions = self._prompts.versions
        return {
            "system": "pipeline",
            "strategy": self._settings.strategy,
            "prompts": versions,
            **settings_parts(self._settings),
            # The gate's thresholds and word weights decide which claims are unrelated:
            # a change to them asks for a new reference run.
            "claim_gate": gate_config(),
        }

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        if self._pipeline is None:  # the backend loads only when a prediction is needed
            from summarizer.backends import make_backend
            from summarizer.pipeline import Pipeline

            key = _backend_key(self._settings)
            if key not in self._backends:
                self._backends[key] = make_backend(self._settings)
            self._pipeline = Pipeline(self._settings, self._backends[key], self._prompts)
        claims = [c.claim for c in fixture.claims]
        analysis = self._pipeline.run_with(article, claims, self._answer, self._score)
        return Prediction.from_analysis(analysis)

    def _score(self, request: ScoreRequest, log: CallLog) -> list[float]:
        """A label's scores, from the cache when a run before asked the same."""
        assert self._pipeline is not None and self._pipeline.score is not None
        score, cache = self._pipeline.score, self._cache
        if cache is None:
            return score(request, log)
        key = call_key(
            self._settings,
            request.task,
            request.messages,
            list(request.options),
            tuned=request.tuned,
        )
        hit = cache.get(key)
        if isinstance(hit, dict) and "logprobs" in hit:
            log.usage = log.usage + Usage.model_validate(hit["usage"])
            log.attempts += int(hit["attempts"])
            return [float(x) for x in hit["logprobs"]]
        before, attempts = log.usage, log.attempts
        logprobs = score(request, log)
        usage = (log.usage - before).model_dump(mode="json")
        cache.put(key, {"logprobs": logprobs, "usage": usage, "attempts": log.attempts - attempts})
        return logprobs

    def _answer(self, wave: list[CallRequest], log: CallLog) -> list[BaseModel]:
        assert self._pipeline is not None
        caller, cache = self._pipeline.caller, self._cache
        if cache is None:
            return [caller.call(request, log) for request in wave]
        answers = []
        for request in wave:
            schema = request.response_model.model_json_schema()
            key = call_key(
                self._settings, request.task, request.messages, schema, tuned=request.tuned
            )
            hit = cache.get(key)
            if isinstance(hit, dict) and "draft" in hit:
                log.usage = log.usage + Usage.model_validate(hit["usage"])
                log.attempts += int(hit["attempts"])
                log.calls += int(hit["calls"])
                self.replayed_calls += int(hit["calls"])
                answer = request.response_model.model_validate(hit["draft"])
                label_logprobs.restore(answer, hit.get("label_probabilities", {}))
                answers.append(answer)
                continue
            before, attempts, calls = log.usage, log.attempts, log.calls
            draft = caller.call(request, log)
            cache.put(
                key,
                {
                    "draft": draft.model_dump(mode="json"),
                    "label_probabilities": label_logprobs.saved(draft),
                    "usage": (log.usage - before).model_dump(mode="json"),
                    "attempts": log.attempts - attempts,
                    "calls": log.calls - calls,
                },
            )
            answers.append(draft)
        return answers

    def close(self) -> None:
        for backend in self._backends.values():
            backend.close()
        self._backends.clear()


def _backend_key(settings: Settings) -> str:
    # What a variant may change without needing another backend: the prompts it sends,
    # what it asks for and what it does with the answers.
    return settings.model_dump_json(exclude={"strategy", "prompts", "logprobs", *PIPELINE_OPTIONS})


def variant(spec: str, settings: Settings) -> Settings:
    """``settings`` changed by a spec's ``key=value`` parts (``pipeline:summary=lead``,
    ``pipeline:model=m:base_url=http://host:8000/v1:api_key_env=MY_KEY``)."""
    changes: dict[str, Any] = {}
    parts = variant_parts(spec)
    for key, value in parts.items():
        if key in SYSTEM_FIELDS:
            continue
        field = Settings.model_fields[key]
        try:
            kind: Any = (
                Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
            )
            changes[key] = TypeAdapter(kind).validate_python(value, strict=False)
        except ValidationError as exc:
            raise ConfigError(
                f"bad variant {f'{key}={value}'!r} in {spec!r}: {one_line(exc, key)}"
            ) from None
    if "api_key_env" in parts:
        # The key is read from the variable the spec names: never written to a run file.
        variable = parts["api_key_env"]
        if not os.environ.get(variable):
            raise ConfigError(f"{spec!r}: environment variable {variable} is not set")
        changes["api_key"] = SecretStr(os.environ[variable])
    return settings.model_copy(update=changes)


def variant_parts(spec: str) -> dict[str, str]:
    """A spec's ``key=value`` parts. Parts are split at a colon that starts the next
    ``key=``, so a URL's colons stay in its value."""
    _, _, rest = spec.partition(":")
    parts: dict[str, str] = {}
    for part in _PART.split(rest) if rest else []:
        key, sep, value = part.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in (*VARIANT_FIELDS, *SYSTEM_FIELDS):
            raise ConfigError(
                f"bad variant {part!r} in {spec!r}: write pipeline:FIELD=VALUE with FIELD "
                f"one of {', '.join((*VARIANT_FIELDS, *SYSTEM_FIELDS))}"
            )
        parts[key] = value.strip()
    return parts


_PART = re.compile(r":(?=[A-Za-z_][\w-]*=)")
# What a variant may change: how the pipeline asks and what it keeps, and, to compare
# endpoints (or the embedded model's adapters) in one run, which model answers where.
VARIANT_FIELDS = (
    "strategy",
    *PIPELINE_OPTIONS,
    "prompts",
    "model",
    "adapter",
    "base_url",
    "logprobs",
    "temperature",
    "repeat_penalty",
    "reasks",
    "mode",
    "max_output_tokens",
    "context_tokens",
    "timeout",
    "seed",
)
# Parts that belong to the system, not its settings: a short name for tables, the
# environment variable that holds its API key, and its own requests in flight.
SYSTEM_FIELDS = ("name", "api_key_env", "concurrency")


class NaiveEvent(BaseModel):
    actors: list[str]
    action: str
    targets: list[str]
    time: str | None
    date: str | None
    location: str | None
    status: EventStatus
    quote: str


class NaiveStance(BaseModel):
    holder: str
    target: str
    position: Position
    claim: str
    attribution: str | None
    quote: str


class NaiveClaim(BaseModel):
    claim: str
    label: ClaimLabel


class NaiveAnalysis(BaseModel):
    headline: str
    summary: str
    key_points: list[str]
    events: list[NaiveEvent]
    stances: list[NaiveStance]
    claims: list[NaiveClaim]


# The bounds of the pipeline's drafts (summarizer.drafts), on the naive answer's fields;
# a quote stands where the pipeline cites a sentence number.
_Quote = Annotated[str, text(400)]


class BoundedNaiveEvent(BaseModel):
    actors: list[Name] = Field(min_length=1, max_length=3)
    action: str = text(80)
    targets: list[Name] = Field(max_length=3)
    time: Annotated[str, text(40)] | None
    date: Annotated[str, text(40)] | None
    location: Annotated[str, text(60)] | None
    status: EventStatus
    quote: _Quote


class BoundedNaiveStance(BaseModel):
    holder: Name
    target: Name
    position: Position
    claim: str = text(150)
    attribution: Annotated[str, text(60)] | None
    quote: _Quote


class BoundedNaiveAnalysis(BaseModel):
    headline: str = text(120)
    summary: str = text(500)
    key_points: list[Annotated[str, text(200)]] = Field(min_length=1, max_length=5)
    events: list[BoundedNaiveEvent] = Field(max_length=6)
    stances: list[BoundedNaiveStance] = Field(max_length=5)
    claims: list[NaiveClaim]


class NaiveSystem:
    """The naive prompt; ``bounded`` gives its answer the pipeline's bounds."""

    replayed_calls = 0

    def __init__(self, settings: Settings, *, bounded: bool = False) -> None:
        self.name = "naive-bounded" if bounded else "naive"
        self._bounded = bounded
        self._settings = settings
        self._caller: StructuredCaller | None = None

    def cache_parts(self) -> dict[str, Any]:
        version = load_prompts().versions["naive"]
        return {"system": self.name, "prompt": version, **settings_parts(self._settings)}

    def _response_model(self, claims: int) -> type[BaseModel]:
        if not self._bounded:
            return NaiveAnalysis
        return exactly(BoundedNaiveAnalysis, "claims", claims)

    def predict(self, fixture: Fixture, article: Article) -> Prediction:
        if self._caller is None:
            from summarizer.backends import make_backend
            from summarizer.calls import StructuredCaller

            self._caller = StructuredCaller(make_backend(self._settings), self._settings)
        claims = [c.claim for c in fixture.claims]
        messages = load_prompts().messages("naive", article.passage(), claims=claims)
        from summarizer.calls import CallLog, CallRequest

        log = CallLog()
        response_model = self._response_model(len(claims))
        answer: Any = self._caller.call(CallRequest("naive", messages, response_model), log)
        text = article.text
        return Prediction(
            headline=answer.headline,
            summary=answer.summary,
            key_points=answer.key_points,
            events=[
                PredEvent(
                    actors=e.actors,
                    action=e.action,
                    targets=e.targets,
                    date=_iso(e.date),
                    location=e.location,
                    status=e.status,
                    evidence=locate_quotes(text, [e.quote]),
                )
                for e in answer.events
            ],
            stances=[
                PredStance(
                    holder=s.holder,
                    target=s.target,
                    position=s.position,
                    claim=s.claim,
                    attribution=s.attribution,
                    evidence=locate_quotes(text, [s.quote]),
                )
                for s in answer.stances
            ],
            claims=self._claims(claims, answer.claims),
            usage=log.usage,
            calls=log.calls,
            attempts=log.attempts,
        )

    def _claims(self, asked: list[str], answered: list[NaiveClaim]) -> list[PredClaim]:
        # The bounded answer has exactly one label per claim, in the order asked (as the
        # pipeline's has): a label belongs to its claim whatever text the model put next
        # to it. The unbounded answer is matched by the claim's text, as it is written.
        if self._bounded:
            return [PredClaim(claim=q, label=a.label) for q, a in zip(asked, answered, strict=True)]
        return [PredClaim(claim=a.claim, label=a.label) for a in answered]

    def close(self) -> None:
        if self._caller is not None:
            self._caller.backend.close()


def locate_quotes(text: str, quotes: list[str]) -> list[PredSpan]:
    """Where each quote stands in ``text``: exact if verbatim, else the best fuzzy match,
    keeping the model's wording so the grounding scorer sees the misquote."""
    spans = []
    for quote in (q.strip() for q in quotes):
        if not quote:
            continue
        start = text.find(quote)
        if start >= 0:
            spans.append(PredSpan(text=quote, start=start, end=start + len(quote)))
            continue
        found = fuzz.partial_ratio_alignment(quote, text)
        if found is not None:
            spans.append(PredSpan(text=quote, start=found.dest_start, end=found.dest_end))
    return spans


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def article_hash(fixture: Fixture) -> str:
    parts = [fixture.text, fixture.title or "", str(fixture.published or "")]
    parts += [c.claim for c in fixture.claims]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def prompt_diffs(system: System) -> dict[str, str]:
    """Template name -> unified diff against the shipped template, for a system whose
    prompts come from another folder (``pipeline:prompts=DIR``); empty otherwise."""
    diffs = getattr(system, "prompt_diffs", None)
    return diffs() if callable(diffs) else {}


def system_config(system: System) -> dict[str, Any]:
    """What decides a system's answers besides the article and the code (its settings
    and prompt versions): recorded with a run, compared by the gate."""
    return {k: v for k, v in system.cache_parts().items() if k != "code"}
