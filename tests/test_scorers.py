"""Scorers on small hand-made cases with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer import Article
from summarizer.evaluation import scorers
from summarizer.evaluation.fixtures import Fixture, GoldClaim, GoldEvent, GoldStance, KeyFact
from summarizer.evaluation.records import PredClaim, PredEvent, Prediction, PredSpan, PredStance

TEXT = "Ann Lee met Bo Park in Oslo on Monday. Lee said talks went well. Park disagreed."
ARTICLE = Article.from_text(TEXT)


def fixture(**labels: object) -> Fixture:
    base: dict[str, object] = {
        "id": "t",
        "source": "test",
        "topic": "diplomacy",
        "text": TEXT,
        "published": dt.date(2025, 1, 8),
        "references": ["Ann Lee met Bo Park in Oslo."],
        "aliases": {"Ann Lee": ["Lee", "the minister"], "Bo Park": ["Park"]},
    }
    return Fixture.model_validate({**base, **labels})


def test_grounding_counts_exact_spans_and_invented_names() -> None:
    pred = Prediction(
        headline="Lee meets Park",
        summary="Ann Lee met Bo Park and Xi in 2024.",
        key_point_evidence=[
            PredSpan(text="Lee said talks went well.", start=39, end=64),  # exact
            PredSpan(text="Lee said the talks went well.", start=39, end=64),  # misquoted
        ],
    )
    assert TEXT[39:64] == "Lee said talks went well."
    s = scorers.grounding(pred, ARTICLE)
    assert s["evidence_exact"] == 0.5 and s["evidence_spans"] == 2
    # Lee, Park, Ann, Lee, Bo, Park, Xi, 2024: Xi and 2024 are unsupported.
    assert s["content_items"] == 8 and s["unsupported_items"] == 2
    assert s["unsupported_rate"] == pytest.approx(2 / 8)


def test_rouge_and_key_facts() -> None:
    gold = fixture(
        key_facts=[
            KeyFact(fact="Lee met Park", wordings=["Ann Lee met Bo Park"]),
            KeyFact(fact="In Oslo", wordings=["in Oslo"]),
            KeyFact(fact="Park disagreed", wordings=["Park disagreed", "Park objected"]),
        ]
    )
    perfect = scorers.summary(Prediction(summary="Ann Lee met Bo Park in Oslo."), gold)
    assert perfect["rouge1"] == pytest.approx(1.0) and perfect["rougeL"] == pytest.approx(1.0)
    assert perfect["key_fact_recall"] == pytest.approx(2 / 3)
    # An alias of a name counts: "the minister met Park" states "Ann Lee met Bo Park".
    aliased = scorers.summary(Prediction(summary="The minister met Bo Park. Park objected."), gold)
    assert aliased["key_fact_recall"] == pytest.approx(2 / 3)
    empty = scorers.summary(Prediction(summary=""), gold)
    assert (
        empty["rouge2"] == 0.0 and empty["key_fact_recall"] == 0.0 and empty["summary_words"] == 0
    )


def test_key_points_faithfulness_and_coverage() -> None:
    gold = fixture(
        key_facts=[
            KeyFact(fact="Lee met Park", wordings=["Ann Lee met Bo Park"]),
            KeyFact(fact="Park disagreed", wordings=["Park disagreed"]),
        ]
    )
    quoted = Prediction(key_points=["Ann Lee met Bo Park in Oslo on Monday.", "Park disagreed."])
    s = scorers.key_points(quoted, gold, ARTICLE)
    assert s["key_point_novel_word_rate"] == 0.0 and s["key_point_unsupported_rate"] == 0.0
    assert s["key_point_fact_recall"] == 1.0 and 0.5 < s["key_point_rouge1"] < 1.0
    # A slip in the copy: "Xi" and "Paris" are named nowhere, "quarrelled" is not written.
    slipped = Prediction(key_points=["Ann Lee met Xi in Paris.", "Park quarrelled."])
    s = scorers.key_points(slipped, gold, ARTICLE)
    assert s["key_point_unsupported_rate"] == 0.5  # the first point, not the second
    assert s["key_point_fact_recall"] == 0.5  # "Park disagreed" is lost
    # ann, lee, meet, xi, paris, park, quarrel: xi, paris and quarrel are absent.
    assert s["key_point_novel_word_rate"] == pytest.approx(3 / 7)
    assert scorers.key_points(Prediction(summary="Lee met Park."), gold, ARTICLE) == {}


def gold_event(**kw: object) -> GoldEvent:
    base: dict[str, object] = {
        "actors": ["Ann Lee"],
        "action": "met",
        "targets": ["Bo Park"],
        "date": dt.date(2025, 1, 6),
        "location": "Oslo",
        "status": "happened",
    }
    return GoldEvent.model_validate({**base, **kw})


def test_events_match_one_to_one_with_aliases() -> None:
    gold = fixture(
        events=[
            gold_event(),
            gold_event(
                actors=["Bo Park"], action="disagreed", targets=[], date=None, location=None
            ),
        ]
    )
    pred = Prediction(
        events=[
            PredEvent(
                actors=["Lee"],
                action="met with",
                targets=["Park"],
                date=dt.date(2025, 1, 6),
                location="Oslo, Norway",
                status="happened",
            ),
            PredEvent(
                actors=["the minister"],
                action="met",
                targets=["Park"],
                date=None,
                location=None,
                status="planned",
            ),  # a duplicate: only one may match
            PredEvent(actors=["Zed"], action="exploded", targets=[], status="happened"),
        ]
    )
    s = scorers.events(pred, gold)
    assert (s["event_tp"], s["event_predicted"], s["event_gold"]) == (1, 3, 2)
    assert s["event_precision"] == pytest.approx(1 / 3) and s["event_recall"] == pytest.approx(0.5)
    assert s["event_f1"] == pytest.approx(0.4)
    assert s["event_date_accuracy"] == 1.0 and s["event_status_accuracy"] == 1.0
    assert s["event_location_accuracy"] == 1.0


def test_no_events_on_either_side_is_perfect_and_none_predicted_is_zero() -> None:
    assert scorers.events(Prediction(), fixture())["event_f1"] == 1.0
    assert scorers.events(Prediction(), fixture(events=[gold_event()]))["event_f1"] == 0.0


def test_stances_and_position_accuracy() -> None:
    gold = fixture(
        stances=[
            GoldStance(
                holder="Ann Lee", target="talks", position="support", claim="talks went well"
            ),
            GoldStance(
                holder="Bo Park", target="talks", position="oppose", claim="talks did not go well"
            ),
        ]
    )
    pred = Prediction(
        stances=[
            PredStance(
                holder="Lee", target="the talks", position="support", claim="the talks went well"
            ),
            PredStance(
                holder="Park", target="talks", position="support", claim="talks didn't go well"
            ),
        ]
    )
    s = scorers.stances(pred, gold)
    assert s["stance_tp"] == 2 and s["stance_f1"] == 1.0
    assert s["stance_position_accuracy"] == 0.5
    # Another claim about the talks is another stance, however the names match.
    pred.stances[1].claim = "disagreed about talks"
    s = scorers.stances(pred, gold)
    assert s["stance_tp"] == 1 and s["stance_tp_lenient"] == 2


def test_fnc1_score_and_macro_f1() -> None:
    pairs: list[tuple[scorers.ClaimLabel | None, scorers.ClaimLabel]] = [
        ("agree", "agree"),  # 1.0
        ("discuss", "agree"),  # 0.25: related, wrong label
        ("unrelated", "unrelated"),  # 0.25
        ("agree", "unrelated"),  # 0
        (None, "disagree"),  # 0: no label given
    ]
    assert scorers.fnc1_score(pairs) == (1.5, 3.25 + 0.25)
    # agree: tp1 fp1 fn1 -> 0.5; discuss: fp1 -> 0; unrelated: tp1 fn1 -> 2/3; disagree: fn1 -> 0
    assert scorers.macro_f1(pairs) == pytest.approx((0.5 + 0 + 2 / 3 + 0) / 4)


def test_claims_per_item() -> None:
    gold = fixture(
        claims=[
            GoldClaim(claim="Lee met Park", label="agree"),
            GoldClaim(claim="Oil fell", label="unrelated"),
        ],
        labelled=["claims"],
    )
    pred = Prediction(
        claims=[
            PredClaim(claim="Lee met Park", label="agree"),
            PredClaim(claim="Oil fell", label="discuss"),
        ]
    )
    s = scorers.claims(pred, gold)
    assert s["claim_accuracy"] == 0.5 and s["fnc1_score"] == 1.0 and s["fnc1_max"] == 1.25


def test_score_item_only_scores_labelled_tasks() -> None:
    gold = fixture(claims=[GoldClaim(claim="x", label="agree")], labelled=["claims"])
    s = scorers.score_item(Prediction(attempts=3, calls=3), gold, ARTICLE)
    assert "claim_accuracy" in s and "rouge1" not in s and "event_f1" not in s
    assert s["attempts"] == 3.0


def test_calibration_of_claim_confidences() -> None:
    gold = fixture(
        claims=[
            GoldClaim(claim="a", label="agree"),
            GoldClaim(claim="b", label="unrelated"),
            GoldClaim(claim="c", label="discuss"),
            GoldClaim(claim="d", label="unrelated"),
            GoldClaim(claim="e", label="disagree"),
        ],
        labelled=["claims"],
    )
    pred = Prediction(
        claims=[
            PredClaim(claim="a", label="agree", confidence=0.9),
            PredClaim(claim="b", label="discuss", confidence=0.9),
            PredClaim(claim="c", label="agree", confidence=0.2),
            PredClaim(claim="d", label="unrelated", confidence=1.0),
            PredClaim(claim="e", label="discuss"),  # no confidence: not counted
        ]
    )
    pairs = scorers.claim_confidences(pred, gold)
    assert pairs == [(0.9, True), (0.9, False), (0.2, False), (1.0, True)]
    # Bins: [0.2, 0.3): one pair, sure 0.2, right 0; [0.9, 1.0] (1.0 in the last bin):
    # three pairs, sure 2.8/3, right 2/3.
    assert scorers.reliability(pairs) == [
        (0.2, 0.3, 1, 0.2, 0.0),
        (0.9, 1.0, 3, pytest.approx(2.8 / 3), pytest.approx(2 / 3)),
    ]
    assert scorers.expected_calibration_error(pairs) == pytest.approx((0.2 + 3 * (0.8 / 3)) / 4)
    assert scorers.brier(pairs) == pytest.approx((0.01 + 0.81 + 0.04 + 0.0) / 4)
