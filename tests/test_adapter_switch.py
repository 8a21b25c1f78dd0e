"""The adapter is turned on per call: a ``tuned`` source's calls run through it, every
other call is the base model's, exactly as if no adapter were loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import ConfigError
from summarizer.article import Article
from summarizer.backends.base import ADAPTER_KEY
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.claim_labels import LABELS, score_requests, tuned_request
from summarizer.outputs import sources_for
from summarizer.pipeline import Pipeline
from summarizer.scoring import normalised
from summarizer.settings import load_settings
from tests.tiny_adapter import write_tiny_adapter

pytest.importorskip("gguf")

QUESTION = [{"role": "user", "content": "Is Paris the capital of France? Answer yes or no."}]
CHAT = [{"role": "user", "content": "Name one city in France."}]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_adapter(tmp_path_factory.mktemp("adapter") / "tiny.gguf")


def _text(backend: EmbeddedBackend, tuned: bool) -> str:
    request = {"messages": CHAT, "max_tokens": 12, "temperature": 0.0, "seed": 0}
    if tuned:
        request[ADAPTER_KEY] = True
    return str(backend.complete(request).choices[0].message.content)


def test_base_calls_with_the_adapter_loaded_are_the_base_models(tiny: Path) -> None:
    plain = EmbeddedBackend(load_settings(adapter="none", threads=1))
    loaded = EmbeddedBackend(load_settings(adapter=str(tiny), threads=1))
    assert loaded.adapter == str(tiny) and plain.adapter is None
    fresh = plain.option_logprobs(QUESTION, ["yes", "no"])
    base = fresh.logprobs
    assert loaded.option_logprobs(QUESTION, ["yes", "no"]).logprobs == base
    tuned = loaded.option_logprobs(QUESTION, ["yes", "no"], tuned=True).logprobs
    assert tuned != base
    # Back off again: the KV cache computed with the adapter is not reused (only the
    # second option reuses the prompt, as on a fresh model).
    after = loaded.option_logprobs(QUESTION, ["yes", "no"])
    assert after.logprobs == base and after.usage == fresh.usage
    # The same for generated text.
    text = _text(plain, tuned=False)
    assert _text(loaded, tuned=False) == text
    assert _text(loaded, tuned=True) != text
    assert _text(loaded, tuned=False) == text
    with pytest.raises(Exception, match="needs an adapter"):
        plain.option_logprobs(QUESTION, ["yes", "no"], tuned=True)


def test_a_tuned_source_needs_an_adapter_and_per_task_calls(tiny: Path) -> None:
    with pytest.raises(ConfigError, match=r"tuned source needs .* adapter"):
        sources_for(load_settings(adapter="none", claim_labels="tuned"), can_score=True)
    with pytest.raises(ConfigError, match="per_task"):
        sources_for(
            load_settings(adapter=str(tiny), extractor="tuned", strategy="combined"),
            can_score=True,
        )
    with pytest.raises(ConfigError, match="claim_labels=tuned"):
        sources_for(load_settings(adapter=str(tiny), claim_labels="tuned"), can_score=False)
    sources = sources_for(load_settings(adapter=str(tiny), extractor="tuned"), can_score=True)
    assert sources.tuned_tasks == {"events", "stances"}
    assert sources_for(load_settings(adapter=str(tiny)), can_score=True).tuned_tasks == set()


def test_only_the_tuned_sources_calls_go_through_the_adapter(tiny: Path, seed_text: str) -> None:
    settings = load_settings(adapter=str(tiny), extractor="tuned", threads=1)
    pipeline = Pipeline(settings, EmbeddedBackend(settings))
    article = Article.from_text(seed_text)
    reading = pipeline.reading(article)
    chunks = pipeline.chunks(reading, article, [])
    wave = next(pipeline.plan(reading, article, [], chunks))
    asked = {(request.task, request.tuned) for request in wave}
    assert asked == {("summary", False), ("events", True), ("stances", True)}


def test_tuned_claim_labels_are_the_adapters_own_probabilities(tiny: Path, seed_text: str) -> None:
    settings = load_settings(
        adapter=str(tiny), claim_labels="tuned", summary="lead", extractor="rule", threads=1
    )
    backend = EmbeddedBackend(settings)
    article = Article.from_text(seed_text)
    claim = "Choe Son-hui visited Beijing."
    analysis = Pipeline(settings, backend).run(article, [claim])
    (stance,) = analysis.claims
    if stance.label == "unrelated":
        pytest.fail("the gate stopped the claim: choose one the article is about")
    request = tuned_request(Pipeline(settings, backend).prompts, article, claim)
    assert (
        request.tuned
        and request.messages
        == score_requests(Pipeline(settings, backend).prompts, article, claim)[0].messages
    )
    scored = backend.option_logprobs(request.messages, request.options, tuned=True).logprobs
    probabilities = normalised(scored)
    best = max(range(3), key=probabilities.__getitem__)
    assert (stance.label, stance.confidence) == (LABELS[best], round(probabilities[best], 4))
    # The same request without the adapter scores otherwise, so the flag was carried.
    assert backend.option_logprobs(request.messages, request.options).logprobs != scored


def test_an_eval_variant_names_its_adapter(tiny: Path) -> None:
    from summarizer.evaluation.systems import variant

    tuned = variant(f"pipeline:adapter={tiny}:claim_labels=tuned:name=tuned", load_settings())
    assert (tuned.adapter, tuned.claim_labelling) == (str(tiny), "tuned")
    missing = variant("pipeline:adapter=/nowhere/lora.gguf", load_settings())
    with pytest.raises(ConfigError, match="no such file"):
        missing.adapter_file  # noqa: B018  (the first use, before any model loads)
