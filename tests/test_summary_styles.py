"""The extractive summary: the article's own sentences, chosen by the model's key points."""

from __future__ import annotations

import json

from summarizer import Summarizer
from tests.scripted_server import CANNED, ScriptedServer, answer


def test_an_extractive_summary_is_the_cited_sentences_in_article_order(
    scripted: ScriptedServer, seed_text: str
) -> None:
    summary = json.loads(json.dumps(CANNED["SummaryDraft"]))
    summary["summary"] = "Kim Jong-il was re-elected."  # invented: must not survive
    summary["key_points"] = [
        {"sentences": [4, 2], "point": "a"},  # evidence is sorted: 2 is its first
        {"sentences": [1], "point": "b"},
        {"sentences": [2], "point": "c"},  # the same sentence again
        {"sentences": [7], "point": "d"},
        {"sentences": [9], "point": "e"},  # beyond three sentences
    ]
    scripted.push(answer(summary))
    with Summarizer(base_url=scripted.base_url, model="scripted", summary="extractive") as client:
        result = client.analyze(seed_text)
    sentences = {s.sentence: s.text for k in result.summary.key_points for s in k.evidence}
    assert result.summary.text == " ".join(" ".join(sentences[n].split()) for n in (1, 2, 7))
    assert not any(w.startswith("summary names") for w in result.metadata.warnings)


def test_the_summary_style_is_part_of_the_cache_key() -> None:
    from summarizer.cache import settings_parts
    from summarizer.settings import load_settings

    parts = [settings_parts(load_settings(summary=s)) for s in ("abstractive", "extractive")]
    assert parts[0] != parts[1] and parts[0]["code"]


def test_the_default_style_depends_on_the_backend() -> None:
    from summarizer.settings import load_settings

    assert load_settings().summary_style == "lead"  # the embedded model
    assert load_settings(base_url="http://127.0.0.1:1/v1", model="m").summary_style == (
        "abstractive"
    )
    assert load_settings(summary="abstractive").summary_style == "abstractive"


def test_quoted_key_points_are_their_sentences_once_each(
    scripted: ScriptedServer, seed_text: str
) -> None:
    summary = json.loads(json.dumps(CANNED["SummaryDraft"]))
    summary["key_points"] = [
        {"sentences": [1], "point": "Choe met Wang during his second visit"},  # a slip
        {"sentences": [2], "point": "China is willing to strengthen"},  # cut short
        {"sentences": [1, 3], "point": "Another wording of sentence 1"},  # same first cite
    ]
    scripted.push(answer(summary))
    with Summarizer(base_url=scripted.base_url, model="scripted", key_points="quote") as client:
        result = client.analyze(seed_text)
    points = result.summary.key_points
    assert [[s.sentence for s in k.evidence] for k in points] == [[1, 3], [2]]
    first, second = (points[0].evidence[0], points[1].evidence[0])
    # The dateline ("SEOUL/BEIJING — ") is no part of the point; the span keeps it.
    assert first.text.startswith("SEOUL/BEIJING — ")
    assert points[0].text == " ".join(first.text.removeprefix("SEOUL/BEIJING — ").split())
    assert "her second visit" in points[0].text
    assert points[1].text == " ".join(second.text.split())
    assert seed_text[first.start : first.end] == first.text


def test_an_endpoint_keeps_the_models_wording_and_the_embedded_model_quotes() -> None:
    from summarizer.settings import load_settings

    assert load_settings().key_point_wording == "quote"
    endpoint = load_settings(base_url="http://127.0.0.1:1/v1", model="m")
    assert endpoint.key_point_wording == "model"
    assert load_settings(key_points="model").key_point_wording == "model"
    # It decides the answer, so it is in the cache key.
    assert load_settings().pipeline_options()["key_points"] == "quote"
