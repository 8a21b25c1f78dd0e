"""Strict matching of events and stances: pairs that must match, and pairs with the same
names that must not (the lenient similarity lets names alone carry a pair)."""

from __future__ import annotations

import pytest

from summarizer.evaluation import scorers
from summarizer.evaluation.fixtures import GoldEvent, GoldStance
from summarizer.evaluation.records import PredEvent, Prediction, PredStance
from tests.test_scorers import fixture as scorer_fixture

# The scorers see the labels only; the hand-made fixture of the scorer tests serves (its
# aliases: Lee is Ann Lee, Park is Bo Park).
fixture = scorer_fixture


def event(actors: list[str], action: str, targets: list[str] | None = None) -> PredEvent:
    return PredEvent(actors=actors, action=action, targets=targets or [], status="happened")


MET = GoldEvent(actors=["Ann Lee"], action="met", targets=["Bo Park"], status="happened")
OVERTURNED = GoldEvent(
    actors=["the court"], action="overturned", targets=["the fine"], status="happened"
)


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        (event(["Lee"], "met with", ["Park"]), MET),  # an alias, a particle
        (event(["Ann Lee"], "meeting", ["Bo Park"]), MET.model_copy(update={"action": "meet"})),
        (event(["the court"], "overturned", ["fine"]), OVERTURNED),
        (event(["The Court"], "has overturned", ["the fine"]), OVERTURNED),
        # An alias of the gold action counts as the action.
        (
            event(["Lee"], "held talks", ["Park"]),
            MET.model_copy(update={"action_aliases": ["held talks"]}),
        ),
    ],
)
def test_events_that_must_match(predicted: PredEvent, gold: GoldEvent) -> None:
    s = scorers.events(Prediction(events=[predicted]), fixture(events=[gold]))
    assert s["event_tp"] == 1 and s["event_f1"] == 1.0


@pytest.mark.parametrize(
    ("predicted", "gold", "why"),
    [
        (event(["Ann Lee"], "was arrested", ["Bo Park"]), MET, "same actors, another action"),
        (event(["Ann Lee"], "banking_accounting", ["Bo Park"]), MET, "a label, not the action"),
        (event(["Ann Lee"], "Voting", ["Bo Park"]), MET, "same actors, another action"),
        (event(["the court"], "upheld", ["the fine"]), OVERTURNED, "the opposite action"),
        (event(["Zed Quill"], "met", ["Bo Park"]), MET, "the action, but another actor"),
        (event(["Ann Lee"], "met", ["Kim Jong-un"]), MET, "the action, but another target"),
        (event(["Ann Lee"], "met", []), MET, "whom she met is missing"),
        (event(["Ann Lee"], "was", ["Bo Park"]), MET, "only a stop word"),
    ],
)
def test_events_that_must_not_match(predicted: PredEvent, gold: GoldEvent, why: str) -> None:
    s = scorers.events(Prediction(events=[predicted]), fixture(events=[gold]))
    assert s["event_tp"] == 0, why


def test_names_alone_still_match_leniently() -> None:
    # The lenient column keeps the old similarity: the same names carry the pair.
    pred = Prediction(events=[event(["Ann Lee"], "banking_accounting", ["Bo Park"])])
    s = scorers.events(pred, fixture(events=[MET]))
    assert s["event_tp"] == 0 and s["event_tp_lenient"] == 1
    assert s["event_f1_lenient"] == 1.0


def test_status_is_scored_on_strict_pairs_only() -> None:
    pred = Prediction(
        events=[
            event(["Ann Lee"], "Voting", ["Bo Park"]).model_copy(update={"status": "planned"}),
            event(["Lee"], "met", ["Park"]),
        ]
    )
    s = scorers.events(pred, fixture(events=[MET]))
    assert s["event_tp"] == 1 and s["event_status_accuracy"] == 1.0


NUCLEAR = GoldStance(
    holder="Ann Lee",
    target="North Korea",
    position="oppose",
    claim="North Korea should give up its nuclear weapons",
)


def stance(holder: str, target: str, claim: str, position: str = "oppose") -> PredStance:
    return PredStance.model_validate(
        {"holder": holder, "target": target, "position": position, "claim": claim}
    )


@pytest.mark.parametrize(
    "predicted",
    [
        stance("Lee", "North Korea", "North Korea must give up nuclear weapons"),
        stance("Ann Lee", "north korea", "give up its nuclear weapons"),
        # The position is scored on the pair, not required for it.
        stance("Lee", "North Korea", "North Korea should give up nuclear arms", "support"),
    ],
)
def test_stances_that_must_match(predicted: PredStance) -> None:
    s = scorers.stances(Prediction(stances=[predicted]), fixture(stances=[NUCLEAR]))
    assert s["stance_tp"] == 1


@pytest.mark.parametrize(
    ("predicted", "why"),
    [
        (stance("Lee", "North Korea", "the meeting in Oslo was useful"), "another claim"),
        (stance("Lee", "North Korea", "Korea"), "a name is not a claim"),
        (
            stance("Bo Park", "North Korea", "North Korea should give up its nuclear weapons"),
            "holder",
        ),
        (stance("Lee", "Bo Park", "North Korea should give up its nuclear weapons"), "target"),
    ],
)
def test_stances_that_must_not_match(predicted: PredStance, why: str) -> None:
    s = scorers.stances(Prediction(stances=[predicted]), fixture(stances=[NUCLEAR]))
    assert s["stance_tp"] == 0, why


def test_a_stance_with_the_right_names_and_any_claim_matches_leniently() -> None:
    pred = Prediction(stances=[stance("Lee", "North Korea", "the meeting in Oslo was useful")])
    s = scorers.stances(pred, fixture(stances=[NUCLEAR]))
    assert s["stance_tp"] == 0 and s["stance_tp_lenient"] == 1


def test_similarities() -> None:
    assert scorers.action_sim("met with", MET) == 1.0
    assert scorers.action_sim("banking_accounting", OVERTURNED) < scorers.ACTION_MATCH
    assert scorers.claim_sim("a b c", "") == 0.0
    # Both ways round: a short claim inside a long one is not the same claim.
    assert scorers.claim_sim("nuclear", "sanctions on nuclear tests hurt the economy") < 0.5
    # The target's name is no part of what is claimed about it...
    names = (NUCLEAR.holder, NUCLEAR.target)
    assert scorers.claim_sim("North Korea", NUCLEAR.claim, names) == 0.0
    assert scorers.claim_sim("give up nuclear weapons", NUCLEAR.claim, names) == 1.0
    # ...unless naming it is all the gold claim does.
    assert scorers.claim_sim("North Korea", "North Korea", names) == 1.0
