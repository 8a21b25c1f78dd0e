"""One settings object. Precedence: arguments, then environment variables, then defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from summarizer.errors import ConfigError, one_line
from summarizer.language import normalise_code

EMBEDDED_MODEL = "smollm2-135m-instruct"
# Names a user may reasonably type for the embedded model.
EMBEDDED_ALIASES = frozenset({EMBEDDED_MODEL, "embedded", "smollm2", "smollm2-135m"})

Strategy = Literal["per_task", "combined"]
ModeName = Literal["auto", "tools", "json_schema", "json", "md_json"]
BackendName = Literal["embedded", "openai"]
SummaryStyle = Literal["abstractive", "extractive", "lead", "lead3"]
ClaimLabels = Literal["auto", "tuned", "scores", "generated", "rule"]
Extraction = Literal["auto", "tuned", "model", "rule"]
HeadlineName = Literal["auto", "model", "tuned", "rule"]
KeyPointWording = Literal["auto", "model", "quote"]
AttributionName = Literal["combined", "tagger", "rule", "none"]
# What the pipeline asks for and does with the answers, beside how each call is made:
# part of an analysis's cache key, and what eval variants sharing one loaded model vary.
PIPELINE_OPTIONS = (
    "summary",
    "headline",
    "key_points",
    "output_language",
    "examples",
    "grounded_fields",
    "verify",
    "headline_guard",
    "claim_labels",
    "candidates",
    "extractor",
    "attributions",
)


# Measured on tuning halves (docs/evaluation.md, "Choose, don't write"): on the related
# pairs of FNC-1 dev and natural dev the embedded model's calibrated label scores are
# less accurate than one constant label (evals/reference/claim_label_variants.txt), and
# on the fixtures its events and stances score below the rule's
# (evals/reference/strategies-fixtures-tune). So the embedded model uses the rules; the
# model's paths stay one setting away.
EMBEDDED_CLAIM_LABELS: Literal["scores", "rule"] = "rule"
EMBEDDED_EXTRACTOR: Literal["model", "rule"] = "rule"
# Measured on PolNeAR dev's tuning half with the titles hidden (docs/training.md,
# "Headlines"; evals/reference/headlines-tune): the embedded model's own headline scores
# ROUGE-L 0.104 against the first sentence's 0.170, and 10.6% of them are empty, 48.9%
# talk about "the article" and 21.3% name what the article lacks. So the embedded model
# uses the rule.
EMBEDDED_HEADLINE: Literal["model", "rule"] = "rule"
# Measured on the fixtures' and SummEval dev's tuning halves (docs/evaluation.md, "Key
# points"; evals/reference/key-points-tune): the embedded model's key points copy their
# sentences with slips ("her second visit" becomes "his", a point stops mid-phrase), so
# on that model each key point is the sentence it cites.
EMBEDDED_KEY_POINTS: Literal["model", "quote"] = "quote"


class Settings(BaseSettings):
    """Everything that changes how an article is analysed.

    Environment variables: ``SUMMARIZER_<FIELD>``; the endpoint also honours the
    standard ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``.
    """

    model_config = SettingsConfigDict(
        env_prefix="SUMMARIZER_", populate_by_name=True, frozen=True, extra="forbid"
    )

    model: str | None = Field(
        default=None, description="Model name; unset means the embedded SmolLM2-135M."
    )
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY"),
    )
    strategy: Strategy = Field(
        default="per_task", description="One call per task, or one combined call."
    )
    summary: SummaryStyle | None = Field(
        default=None,
        description="abstractive: the model writes the summary; extractive: the summary is "
        "the article's own sentences that the model's key points cite, so it cannot add "
        "facts; lead: the article's first sentence, then the sentences the key points "
        "cite; lead3: the article's first three sentences, whatever the model says. "
        "Unset: lead for the embedded model, abstractive for an endpoint.",
    )
    headline: HeadlineName = Field(
        default="auto",
        description="Where the headline comes from: model: the model writes it with the "
        "summary; tuned: the embedded model writes it through its LoRA adapter "
        "(`adapter`) from the article's first sentences, in one short call, where the "
        "article has no title (with a title, the title); rule: the title, else the first "
        "sentence. A tuned headline that is empty, talks about the article or names what "
        "the article lacks is replaced by the rule's. Unset: the measured best for the "
        "embedded model (rule), model for an endpoint.",
    )
    key_points: KeyPointWording = Field(
        default="auto",
        description="The key points' wording: model: as the model wrote them; quote: each "
        "is the first sentence it cites, in the article's words (without a dateline). "
        "Unset: quote for the embedded model, model for an endpoint.",
    )
    examples: bool = Field(
        default=False,
        description="Show the model a short worked example in each task's prompt.",
    )
    grounded_fields: bool = Field(
        default=False,
        description="Keep only the actors, targets and holders that the cited sentences "
        "name; drop events and stances left without one.",
    )
    verify: bool = Field(
        default=False,
        description="Ask the model once more whether each event's and stance's cited "
        "sentence states it; drop those it says no to.",
    )
    headline_guard: bool = Field(
        default=True,
        description="Ask once more when the headline or summary names people, places or "
        "numbers that the article lacks; what is still unsupported is reported.",
    )
    extractor: Extraction = Field(
        default="auto",
        description="How events and stances are found: model: the model lists them; "
        "tuned: the embedded model lists them through its LoRA adapter (`adapter`); "
        "rule: a rule over the names in each sentence (summarizer.rules), no call. "
        "Unset: the measured best for the embedded model, model for an endpoint.",
    )
    attributions: AttributionName = Field(
        default="combined",
        description="How the article's attributions (who said what) are found: combined: "
        "the tagger's where it is sure of the cue, and the rule's where it found none (the "
        "best on PolNeAR dev's tuning half, docs/attributions.md); rule: "
        "reporting cues ('said', 'according to'), quotation marks and speakers' turns, "
        "no call (summarizer.attributions); tagger: a CRF trained on PolNeAR's train "
        "split tags each word as source, cue or content, no call "
        "(summarizer.attribution_tagger); none: not looked for.",
    )
    candidates: bool = Field(
        default=False,
        description="Events' actors and locations and stances' holders and attributions "
        "are chosen from the names that code finds in the article (enums the grammar "
        "enforces), not written by the model.",
    )
    claim_labels: ClaimLabels = Field(
        default="auto",
        description="How related claims get their label (unrelated ones are decided by "
        "a lexical gate): scores: the model's probability for each label, calibrated, "
        "nothing generated (the embedded model only); tuned: the same probabilities "
        "from the embedded model with its LoRA adapter (`adapter`), which was trained on "
        "the labels' natural mix, so not calibrated again; generated: the model writes them; "
        "rule: a fixed label. Unset: the measured best for the embedded model, "
        "generated for an endpoint.",
    )
    output_language: str | None = Field(
        default=None,
        description="ISO 639-1 code of the language the headline, summary, key points, "
        "actions and claims are written in; names stay as the article writes them. "
        "Unset: the article's language. The embedded model writes English only: on any "
        "other article, or for any other output language, its text fields are the "
        "article's own sentences (a warning says so).",
    )
    prompts: Path | None = Field(
        default=None,
        description="A folder of edited prompt templates (`summarizer prompts copy DIR` "
        "starts one); a template it lacks is the shipped one. Checked before any call.",
    )
    logprobs: bool = Field(
        default=False,
        description="Ask an endpoint for the answer's token log-probabilities, so that "
        "each generated status, position and claim label carries the model's probability "
        "for it (OpenAI, vLLM; llama-cpp-python's server only with logits_all). The "
        "embedded model's labels come from scores or rules instead.",
    )
    mode: ModeName = Field(
        default="auto", description="instructor mode; auto picks the constrained one."
    )
    adapter: str = Field(
        default="auto",
        description="The embedded model's LoRA adapter, which the `tuned` sources run "
        "through (every other call runs on the base model): auto: the one shipped in the "
        "package, if any; none: no adapter; or the path of a GGUF LoRA file made by "
        "`make train`. Endpoints ignore it.",
    )
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_output_tokens: int = Field(default=2048, ge=64, le=32768)
    context_tokens: int = Field(
        default=8192, ge=1024, description="Context window of the model, in tokens."
    )
    threads: int = Field(default_factory=lambda: _available_cores(), ge=1)
    timeout: float = Field(default=120.0, gt=0, description="Seconds per HTTP request.")
    transport_retries: int = Field(default=3, ge=0, le=20)
    reasks: int = Field(default=2, ge=0, le=10)
    max_retry_wait: float = Field(
        default=60.0, ge=0, description="Cap on one backoff wait, Retry-After included."
    )
    repeat_penalty: float = Field(default=1.1, ge=1.0, le=2.0)
    seed: int = 0

    @field_validator("adapter")
    @classmethod
    def _adapter_exists(cls, value: str) -> str:
        # A named file that is missing fails here, before any model loads.
        if value not in ("auto", "none") and not Path(value).expanduser().is_file():
            raise ValueError(f"no such file: {value!r} (a GGUF LoRA file, auto or none)")
        return value

    @field_validator("output_language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_code(value)
        except ConfigError as exc:  # pydantic reports a ValueError as a field error
            raise ValueError(str(exc)) from None

    @property
    def backend(self) -> BackendName:
        return "embedded" if self.base_url is None and self.is_embedded_model else "openai"

    @property
    def summary_style(self) -> SummaryStyle:
        # Measured with the embedded model on the fixtures' tuning half (docs/evaluation.md,
        # "Strategies compared"): the first sentence and the sentences its key points cite
        # score far above its own summaries and invent fewer names. For an endpoint,
        # SummEval's expert ratings of its tuning half favour a strong model's own summary
        # over Lead-3 (evals/reference/summeval_ratings.txt); a zero-shot small model's is
        # the least faithful of all. So endpoints keep it (README, "Using a stronger model").
        if self.summary is not None:
            return self.summary
        return "lead" if self.backend == "embedded" else "abstractive"

    @property
    def claim_labelling(self) -> ClaimLabels:
        if self.claim_labels != "auto":
            return self.claim_labels
        return EMBEDDED_CLAIM_LABELS if self.backend == "embedded" else "generated"

    @property
    def extraction(self) -> Extraction:
        if self.extractor != "auto":
            return self.extractor
        return EMBEDDED_EXTRACTOR if self.backend == "embedded" else "model"

    @property
    def headlining(self) -> HeadlineName:
        if self.headline != "auto":
            return self.headline
        return EMBEDDED_HEADLINE if self.backend == "embedded" else "model"

    @property
    def key_point_wording(self) -> Literal["model", "quote"]:
        if self.key_points != "auto":
            return self.key_points
        return EMBEDDED_KEY_POINTS if self.backend == "embedded" else "model"

    def pipeline_options(self) -> dict[str, Any]:
        """The :data:`PIPELINE_OPTIONS`, the summary style resolved for this backend."""
        options = {name: getattr(self, name) for name in PIPELINE_OPTIONS}
        options["summary"] = self.summary_style
        options["claim_labels"] = self.claim_labelling
        options["extractor"] = self.extraction
        options["headline"] = self.headlining
        options["key_points"] = self.key_point_wording
        return options

    @property
    def is_embedded_model(self) -> bool:
        return self.model is None or self.model.lower() in EMBEDDED_ALIASES

    @property
    def public_base_url(self) -> str | None:
        """The endpoint as it may be shown or stored: no credentials."""
        return public_url(self.base_url) if self.base_url else None

    @property
    def adapter_file(self) -> Path | None:
        """The LoRA adapter the embedded model runs with (None: the base model alone, and
        always for an endpoint)."""
        from summarizer.adapters import resolve

        return resolve(self.adapter) if self.backend == "embedded" else None

    @property
    def model_name(self) -> str:
        return EMBEDDED_MODEL if self.is_embedded_model else str(self.model)


def public_url(url: str) -> str:
    """``url`` without the user, password and query string that may hold credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _available_cores() -> int:
    # The cores this process may run on, which a container can set below os.cpu_count().
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def load_settings(**overrides: Any) -> Settings:
    """Build settings from keyword overrides (``None`` means "not given") and the environment."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {one_line(exc, 'settings')}") from None
    if settings.backend == "openai" and settings.base_url is None and settings.api_key is None:
        raise ConfigError(
            f"unknown model {settings.model!r}: the embedded model is {EMBEDDED_MODEL!r}; "
            "for another model set a base URL (--base-url or OPENAI_BASE_URL) "
            "or an API key for OpenAI (OPENAI_API_KEY)"
        )
    return settings
