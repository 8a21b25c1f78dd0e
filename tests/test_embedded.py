"""The real embedded model, end to end (slow: tens of seconds per analysis)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pytest
from instructor import openai_schema
from llama_cpp import llama_grammar
from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from summarizer import Analysis, ConfigError, ModelError, Summarizer, grounding
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.calls import CallLog, CallRequest, StructuredCaller
from summarizer.drafts import (
    ClaimsDraft,
    CombinedClaimsDraft,
    CombinedDraft,
    EventsDraft,
    ReduceDraft,
    StancesDraft,
    SummaryDraft,
)
from summarizer.settings import load_settings

pytestmark = pytest.mark.slow


def assert_grounded(result: Analysis, text: str) -> None:
    assert Analysis.model_validate_json(result.model_dump_json()) == result
    spans = [
        *(s for k in result.summary.key_points for s in k.evidence),
        *(s for e in result.events for s in e.evidence),
        *(s for st in result.stances for s in st.evidence),
        *(s for c in result.claims for s in c.evidence),
    ]
    assert spans, "no evidence at all"
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_reference_article_with_the_defaults(seed_text: str) -> None:
    # The embedded model's defaults: its summary; events and stances by rule.
    with Summarizer() as client:
        result = client.analyze(seed_text)
    assert_grounded(result, seed_text)
    meta = result.metadata
    assert meta.calls in (1, 2)  # the summary, and the recheck if its headline invents
    assert set(meta.prompt_versions) <= {"summary", "recheck"}
    assert result.summary.headline and result.events and result.stances
    assert meta.usage.completion_tokens > 0


# The model's own events and stances: the path an endpoint takes, one setting away here.
@pytest.mark.parametrize("strategy", ["per_task", "combined"])
def test_reference_article_end_to_end(seed_text: str, strategy: str) -> None:
    with Summarizer(strategy=strategy, extractor="model") as client:
        result = client.analyze(seed_text)
    assert_grounded(result, seed_text)
    meta = result.metadata
    assert (meta.backend, meta.model, meta.strategy) == (
        "embedded",
        "smollm2-135m-instruct",
        strategy,
    )
    assert meta.usage.prompt_tokens > 500 and meta.usage.completion_tokens > 0
    # per_task: three tasks, and a fourth call if the headline names what the article
    # lacks (the recheck).
    assert meta.calls in ((3, 4) if strategy == "per_task" else (1,))
    assert meta.attempts >= meta.calls
    assert result.summary.headline and result.events
    if strategy == "per_task":
        # The three tasks share the system text and the article, in front of the task:
        # llama.cpp evaluates that prefix once and reuses its KV cache for the others.
        assert meta.usage.cached_prompt_tokens > 0.5 * meta.usage.prompt_tokens
        assert meta.usage.evaluated_prompt_tokens < 0.5 * meta.usage.prompt_tokens


def test_the_verify_pass_with_the_embedded_model(seed_text: str) -> None:
    with Summarizer(extractor="model") as client:
        plain = client.analyze(seed_text)
    with Summarizer(verify=True, extractor="model") as client:
        checked = client.analyze(seed_text)
    assert_grounded(checked, seed_text)
    # The same calls, then one more that can only take items away. (Not equality: when
    # the first of a group of near-duplicates is dropped, a later one stands for the
    # group, with its own evidence.)
    assert checked.metadata.calls == plain.metadata.calls + 1
    assert "verify" in checked.metadata.prompt_versions
    assert all(_near(grounding.event_key(e), map(grounding.event_key, plain.events))
               for e in checked.events)  # fmt: skip
    assert all(_near(grounding.stance_key(s), map(grounding.stance_key, plain.stances))
               for s in checked.stances)  # fmt: skip
    if len(checked.events) + len(checked.stances) < len(plain.events) + len(plain.stances):
        assert any(w.startswith("dropped ") for w in checked.metadata.warnings)


def _near(key: str, keys: Iterable[str]) -> bool:
    return any(fuzz.token_set_ratio(key, k) >= grounding.DUPLICATE_SIMILARITY for k in keys)


@pytest.mark.parametrize("labels", ["rule", "scores"])
def test_claims_with_the_embedded_model(seed_text: str, labels: str) -> None:
    claims = ["Choe Son-hui visited Beijing", "Oil prices fell in Texas"]
    with Summarizer(claim_labels=labels) as client:
        result = client.analyze(seed_text, claims=claims)
    assert [c.claim for c in result.claims] == claims
    assert_grounded(result, seed_text)
    visited, oil = result.claims
    assert (oil.label, oil.source) == ("unrelated", "gate")  # no model call for it
    assert oil.confidence is not None and 0.5 < oil.confidence < 1
    assert visited.source == labels and visited.label in ("agree", "disagree", "discuss")
    if labels == "scores":
        assert visited.confidence is not None and 0 < visited.confidence <= 1
    else:  # the rule's constant label is no probability
        assert visited.confidence is None
    if labels == "scores":
        # One pass per claim and its calibration prompt; nothing generated for them.
        assert "claim_label" in result.metadata.prompt_versions


def test_long_article_is_chunked_not_truncated(seed_text: str) -> None:
    body = seed_text.replace(" date 2025-09-29 ", "")
    long_text = "\n\n".join([seed_text, body])
    # A context small enough that the 20 sentences need two chunks.
    with Summarizer(
        context_tokens=2048, max_output_tokens=768, reasks=1, extractor="model"
    ) as client:
        result = client.analyze(long_text)
    assert result.metadata.chunks >= 2 and "reduce" in result.metadata.prompt_versions
    assert_grounded(result, long_text)


def test_too_small_a_context_is_a_config_error(seed_text: str) -> None:
    with (
        pytest.raises(ConfigError, match="leaves no room"),
        Summarizer(context_tokens=1024, max_output_tokens=1000) as client,
    ):
        client.analyze(seed_text)


class Odd(BaseModel):
    """Something the model would never write unprompted."""

    code: Literal["zebra-42"]
    tag: str = Field(pattern=r"^[A-Z]{3}-[0-9]{2}$")
    items: list[int] = Field(min_length=2, max_length=2)


ODD_MESSAGES = [{"role": "user", "content": "Say hello in French."}]


def test_tool_mode_really_constrains_the_embedded_model() -> None:
    settings = load_settings(reasks=0, max_output_tokens=128)
    caller = StructuredCaller(EmbeddedBackend(settings), settings)
    log = CallLog()
    result = caller.call(CallRequest("odd", ODD_MESSAGES, Odd), log)
    assert isinstance(result, Odd) and result.code == "zebra-42"
    assert re.fullmatch(r"[A-Z]{3}-[0-9]{2}", result.tag) and len(result.items) == 2
    assert log.attempts == 1  # right the first time: the grammar, not a re-ask, did it


@pytest.mark.parametrize(
    "model",
    [
        SummaryDraft,
        EventsDraft,
        StancesDraft,
        ClaimsDraft,
        CombinedDraft,
        CombinedClaimsDraft,
        ReduceDraft,
    ],
)
def test_every_draft_schema_compiles_to_a_grammar(model: type[BaseModel]) -> None:
    # llama-cpp-python silently falls back to generic JSON when a schema won't compile.
    schema = openai_schema(model).openai_schema["parameters"]
    converter = llama_grammar.SchemaConverter(
        prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False
    )
    converter.visit(converter.resolve_refs(schema, ""), "")
    grammar = converter.format_grammar()
    assert "root ::=" in grammar
    llama_grammar.LlamaGrammar.from_string(grammar, verbose=False)
    assert json.dumps(schema)  # and it is what instructor sends


def test_eval_run_on_the_reference_fixture(tmp_path: Path) -> None:
    from summarizer.evaluation.fixtures import load_fixtures
    from summarizer.evaluation.runner import run_eval
    from summarizer.evaluation.systems import make_system
    from tests.conftest import ROOT

    (seed,) = [f for f in load_fixtures(ROOT / "evals" / "fixtures") if f.id == "seed-nk-china-fm"]
    settings = load_settings()
    systems = [make_system(n, settings) for n in ("pipeline", "lead3")]
    summary = run_eval([seed], systems, tmp_path)
    pipeline = summary.systems["pipeline"]
    assert pipeline["valid_rate"] == 1.0 and pipeline["evidence_exact"] == 1.0
    assert pipeline["rouge1"] is not None and pipeline["rouge1"] > 0.1
    assert pipeline["event_f1"] is not None and pipeline["fnc1_relative"] is not None
    assert summary.systems["lead3"]["rouge1"] is not None


def test_option_scores_and_a_prompt_longer_than_the_context() -> None:
    backend = EmbeddedBackend(load_settings(context_tokens=1024))
    question = [{"role": "user", "content": "Is the sky blue? Answer yes or no."}]
    scored = backend.option_logprobs(question, ["yes", "no"])
    assert len(scored.logprobs) == 2 and all(lp < 0 for lp in scored.logprobs)
    assert scored.usage.completion_tokens == 0 and scored.usage.prompt_tokens > 0
    again = backend.option_logprobs(question, ["yes", "no"])
    assert again.usage.cached_prompt_tokens > 0  # the prompt came from the KV cache
    too_long = [{"role": "user", "content": "word " * 2000}]
    with pytest.raises(ModelError, match="context"):
        backend.option_logprobs(too_long, ["yes", "no"])
