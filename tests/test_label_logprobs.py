"""Generated labels' confidence from an endpoint's token log-probabilities."""

from __future__ import annotations

import math
from typing import Any

from openai.types.chat import ChatCompletion

from summarizer import Summarizer
from summarizer.label_logprobs import label_probabilities
from tests.scripted_server import LABEL_PROBABILITY, ScriptedServer


def _completion(tokens: list[tuple[str, float]], content: str | None = None) -> ChatCompletion:
    text = "".join(t for t, _ in tokens) if content is None else content
    return ChatCompletion.model_validate(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": text},
                    "logprobs": {
                        "content": [
                            {"token": t, "logprob": lp, "bytes": None, "top_logprobs": []}
                            for t, lp in tokens
                        ]
                    },
                }
            ],
        }
    )


def test_a_value_written_over_several_tokens_multiplies_their_probabilities() -> None:
    tokens = [
        ('{"events": [{"status": "', 0.0),
        ("happ", math.log(0.5)),
        ("ened", math.log(0.8)),
        ('"}, {"status":', -0.1),
        ('"planned', math.log(0.9)),  # the token that opens the value carries its quote
        ('"}]}', -0.3),
    ]
    found = label_probabilities(_completion(tokens))
    assert found == {"status": [0.4, 0.9]}


def test_no_probabilities_when_the_tokens_do_not_spell_the_answer() -> None:
    tokens = [('{"label": "agree"}', -0.5)]
    assert label_probabilities(_completion(tokens, content='{"label": "discuss"}')) == {}
    assert label_probabilities(_completion([], content='{"label": "agree"}')) == {}


def _client(server: ScriptedServer, **overrides: Any) -> Summarizer:
    return Summarizer(
        base_url=server.base_url,
        model="scripted",
        mode="json_schema",
        timeout=5.0,
        reasks=0,
        **overrides,
    )


def test_endpoint_labels_carry_the_models_probability(
    scripted: ScriptedServer, seed_text: str
) -> None:
    with _client(scripted, logprobs=True) as client:
        result = client.analyze(seed_text, claims=["Choe Son-hui met Wang Yi in Beijing"])
    assert all(r.get("logprobs") is True for r in scripted.requests)
    assert [e.status_confidence for e in result.events] == [LABEL_PROBABILITY]
    assert [s.position_confidence for s in result.stances] == [LABEL_PROBABILITY]
    (claim,) = result.claims
    assert claim.source == "generated" and claim.confidence == LABEL_PROBABILITY


def test_without_the_setting_nothing_is_asked_and_confidence_is_null(
    scripted: ScriptedServer, seed_text: str
) -> None:
    with _client(scripted) as client:
        result = client.analyze(seed_text)
    assert not any("logprobs" in r for r in scripted.requests)
    assert [e.status_confidence for e in result.events] == [None]
