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
