"""Attributions in the eval suite: PolNeAR's gold, the matching and its scores, and the
"every sentence with a cue" baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.evaluation.baselines import CueSentenceSystem
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.fixtures import Fixture, GoldAttribution, GoldSpan
from summarizer.evaluation.records import PredAttribution, Prediction, PredSpan, PredStance
from summarizer.evaluation.runner import aggregate
from summarizer.evaluation.scorers import attributions
from summarizer.evaluation.systems import article_of

TEXT = (
    "Donald Trump said on Monday that the wall would be built. "
    "“It will be beautiful,” he told reporters. "
    "Critics say the plan is too costly, according to a poll."
)


def _span(phrase: str, after: int = 0) -> GoldSpan:
    start = TEXT.index(phrase, after)
    return GoldSpan(text=phrase, start=start, end=start + len(phrase))


def _pred(content: str, source: str | None = None, name: str | None = None) -> PredAttribution:
    def span(phrase: str) -> PredSpan:
        start = TEXT.index(phrase)
        return PredSpan(text=phrase, start=start, end=start + len(phrase))

    return PredAttribution(
        source=span(source) if source else None, source_name=name, content=span(content)
    )


GOLD = Fixture(
    id="attr",
    source="test",
    topic="politics",
    text=TEXT,
    attributions=[
        GoldAttribution(
            source=[_span("Donald Trump")],
            cue=[_span("said")],
            content=[_span("that the wall would be built")],
        ),
        GoldAttribution(
            source=[_span("he")], cue=[_span("told")], content=[_span("It will be beautiful")]
        ),
        GoldAttribution(cue=[_span("say")], content=[_span("the plan is too costly")]),
    ],
    labelled=["attributions"],
)


def test_a_match_needs_half_the_shorter_content_and_the_source() -> None:
    predicted = Prediction(
        attributions=[
            # The whole sentence: overlaps all of the gold content, the shorter one.
            _pred("Donald Trump said on Monday that the wall would be built.", "Donald Trump"),
            # Its source resolved: the name stands for gold's "he" (no span overlap needed
            # when the resolved name holds the gold source's words: not so for "he").
            _pred("It will be beautiful", "reporters", name="Donald Trump"),
            # Gold has no source: any source will do.
            _pred("the plan is too costly", "Critics", name="Critics"),
        ]
    )
    scores = attributions(predicted, GOLD)
    # Second pair: contents match, sources do not ("reporters" is not "he").
    assert (scores["attribution_tp"], scores["attribution_predicted"]) == (2.0, 3.0)
    assert scores["attribution_source_accuracy"] == pytest.approx(2 / 3)
    assert scores["attribution_precision"] == scores["attribution_recall"] == pytest.approx(2 / 3)
    # Named sources: "Donald Trump" only ("he" is a pronoun; the third has none).
    assert (scores["attribution_tp_named"], scores["attribution_gold_named"]) == (1.0, 1.0)
    short = Prediction(attributions=[_pred("the wall", "Donald Trump")])
    # "the wall" is all inside gold's content, but the content token F1 says how little.
    scored = attributions(short, GOLD)
    assert scored["attribution_tp"] == 1.0
    assert scored["attribution_content_f1"] == pytest.approx(2 * (2 / 2) * (2 / 6) / (1 + 2 / 6))
    # Less than half of the shorter content shared: no pair.
    apart = Prediction(attributions=[_pred("said on Monday that the", "Donald Trump")])
    assert attributions(apart, GOLD)["attribution_tp"] == 0.0


def test_a_confidence_is_scored_by_whether_its_attribution_matched() -> None:
    from summarizer.evaluation.runner import ItemRecord, calibration
    from summarizer.evaluation.scorers import attribution_confidences

    sure = [
        # Right (source and content), right (no gold source), wrong (source), and one
        # without a confidence, which claims nothing.
        _pred("that the wall would be built", "Donald Trump").model_copy(
            update={"confidence": 0.9}
        ),
        _pred("the plan is too costly", "Critics").model_copy(update={"confidence": 0.7}),
        _pred("It will be beautiful", "reporters").model_copy(update={"confidence": 0.8}),
        _pred("Donald Trump said on Monday"),
    ]
    pairs = attribution_confidences(Prediction(attributions=sure), GOLD)
    assert pairs == [(0.9, True), (0.7, True), (0.8, False)]
    records = [ItemRecord(item="x", system="s", ok=True, attribution_confidences=pairs)]
    summary = aggregate(records)["s"]
    # Bins 0.7-0.8, 0.8-0.9, 0.9-1.0 hold one each: |0.7-1| + |0.8-0| + |0.9-1|, over 3.
    assert summary["attribution_ece"] == pytest.approx((0.3 + 0.8 + 0.1) / 3)
    assert summary["attribution_brier"] == pytest.approx((0.01 + 0.09 + 0.64) / 3)
    assert [b["pairs"] for b in calibration(records, "attribution")["s"]] == [1, 1, 1]
    assert calibration(records) == {}  # no claim confidences


def test_a_resolved_name_matches_a_gold_source_it_contains() -> None:
    gold = GOLD.model_copy(
        update={
            "attributions": [
                GoldAttribution(source=[_span("Trump")], content=[_span("the wall would be built")])
            ]
        }
    )
    by_name = Prediction(attributions=[_pred("the wall would be built", None, "Donald Trump")])
    assert attributions(by_name, gold)["attribution_tp"] == 1.0
    other = Prediction(attributions=[_pred("the wall would be built", None, "Critics")])
    assert attributions(other, gold)["attribution_tp"] == 0.0


def test_named_recall_is_a_ratio_of_sums_over_items() -> None:
    from summarizer.evaluation.runner import ItemRecord

    def record(tp: float, gold: float) -> ItemRecord:
        scores = {"attribution_tp_named": tp, "attribution_gold_named": gold}
        return ItemRecord(item="x", system="s", ok=True, scores=scores)

    summary = aggregate([record(1, 1), record(0, 3)])["s"]
    assert summary["attribution_recall_named"] == 0.25


def test_stances_are_scored_by_the_attributions_that_state_them() -> None:
    def stance(holder: str, sentence: str) -> PredStance:
        start = TEXT.index(sentence)
        evidence = PredSpan(text=sentence, start=start, end=start + len(sentence))
        return PredStance(
            holder=holder, target="wall", position="support", claim="x", evidence=[evidence]
        )

    first = "Donald Trump said on Monday that the wall would be built."
    second = "“It will be beautiful,” he told reporters."
    stances = [
        stance("Trump", first),  # "Trump" within "Donald Trump", the evidence holds the content
        stance("Critics", first),  # the content's there, the holder is not its source
        stance("Mexico", second),  # gold's source is "he": any holder
        stance("Donald Trump", "Critics say the plan"),  # no source in gold: any holder
    ]
    scores = attributions(Prediction(stances=stances), GOLD)
    assert (scores["stance_attribution_tp"], scores["stance_attribution_predicted"]) == (3.0, 4.0)
    apart = stance("Donald Trump", "Donald Trump said on Monday")  # no content char in it
    assert attributions(Prediction(stances=[apart]), GOLD)["stance_attribution_tp"] == 0.0
    assert "stance_attribution_tp" not in attributions(Prediction(), GOLD)


def test_polnear_gold_spans_index_the_text(shared_data: Path, tmp_path: Path) -> None:
    fixtures = load_dataset("polnear", shared_data)
    assert len(fixtures) == 84 and sum(len(f.attributions) for f in fixtures) == 2192
    assert sum(1 for f in fixtures for a in f.attributions if not a.source) == 126
    row = json.loads((shared_data / "polnear_dev.jsonl").read_text("utf-8").splitlines()[0])
    row["attributions"][0]["content"][0]["start"] += 1
    (tmp_path / "polnear_dev.jsonl").write_text(json.dumps(row), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: .*attribution 1: .* is not the text at"):
        load_dataset("polnear", tmp_path)


def test_the_cue_sentence_baseline(shared_data: Path) -> None:
    fixture = Fixture(id="cue", source="test", topic="politics", text=TEXT, labelled=[])
    found = CueSentenceSystem().predict(fixture, article_of(fixture)).attributions
    article = article_of(fixture)
    assert [a.content.text for a in found] == [s.text for s in map(article.span, (1, 2, 3))]
    assert [a.cue.text if a.cue else None for a in found] == ["said", "told", "say"]
    # "Critics" opens its sentence: a capital there makes no name.
    assert [a.source_name for a in found] == ["Donald Trump", None, None]
    assert [a.kind for a in found] == ["indirect", "direct", "indirect"]
    for a in found:
        for span in (a.source, a.cue, a.content):
            assert span is None or TEXT[span.start : span.end] == span.text
