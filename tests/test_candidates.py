"""Names found by code, the rule baseline built on them, and the absent-name metric."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer import Article, Summarizer
from summarizer.candidates import names_in, sentence_names, sentence_times, times_in
from summarizer.drafts import EventsDraft, StancesDraft, for_passage, with_choices
from summarizer.evaluation import scorers
from summarizer.evaluation.fixtures import load_fixtures
from summarizer.evaluation.records import (
    PredEvent,
    Prediction,
    PredStance,
    pred_event,
    pred_stance,
)
from summarizer.evaluation.systems import article_of
from summarizer.rules import rule_items
from tests.scripted_server import ScriptedServer

SEED = Article.from_text(Path("examples/seed_article.txt").read_text("utf-8"))


def test_names_of_the_reference_article() -> None:
    names = sentence_names(SEED)
    assert "Choe Son-hui" in names[1] and "Wang Yi" in names[1]
    # A possessive splits two names; the whole is offered too.
    assert {"North Korea", "Kim Jong-un"} <= set(names[3])
    assert "Democratic People's Republic of Korea" in names[2]
    assert "Vladimir Putin" in names[4]  # the person's name after the title
    assert "Donald Trump" in names[10] and "Washington" in names[10]


def test_a_capitalised_first_word_is_not_a_name() -> None:
    article = Article.from_text("The talks ended. Officials said Oslo would host them.")
    names = sentence_names(article)
    assert names[1] == [] and names[2] == ["Oslo"]


def test_a_word_capitalised_elsewhere_is_a_name_at_a_sentence_start_too() -> None:
    article = Article.from_text("Halvorsen recalled cars. Shares of Halvorsen fell.")
    assert sentence_names(article)[1] == ["Halvorsen"]
    assert names_in(article, [2, 1]) == ["Halvorsen"]


def test_every_name_is_written_in_the_article() -> None:
    for names in sentence_names(SEED).values():
        for name in names:
            assert name in SEED.text, name


def test_rule_items_come_from_the_article() -> None:
    events, stances = rule_items(SEED)
    assert events and stances
    for item in [*events, *stances]:
        for span in item.evidence:
            assert SEED.text[span.start : span.end] == span.text
    # "Wang told Choe that ...": reported speech is a stance held by its speaker.
    assert any(s.holder == "Wang" and s.target == "Choe" for s in stances)
    prediction = Prediction(
        events=[pred_event(e) for e in events], stances=[pred_stance(s) for s in stances]
    )
    assert scorers.grounding(prediction, SEED)["absent_name_rate"] == 0.0


def test_no_rule_event_or_stance_carries_a_confidence() -> None:
    # A rule's label is a constant, and how often a constant is right over a data set is
    # no probability that it is right for this item: checked over every fixture's
    # articles as the eval suite reads them, in every language they come in.
    fixtures = load_fixtures(Path("evals/fixtures"))
    languages: set[str] = set()
    events_seen = stances_seen = 0
    for fixture in fixtures:
        events, stances = rule_items(article_of(fixture))
        assert [e.status_confidence for e in events] == [None] * len(events), fixture.id
        assert [s.position_confidence for s in stances] == [None] * len(stances), fixture.id
        events_seen += len(events)
        stances_seen += len(stances)
        if events or stances:
            languages.add(fixture.language)
    # The property is only worth as much as the output it was checked on (the rules
    # find names by capitals, so today only Latin-script fixtures give items).
    assert events_seen >= 50 and stances_seen >= 20
    assert len(languages) >= 3, languages


def test_absent_name_rate_counts_names_the_article_lacks() -> None:
    invented = Prediction(
        events=[PredEvent(actors=["Choe Son-hui"], action="met", status="happened")],
        stances=[
            PredStance(
                holder="China's Kim Jong-il", target="Wang Yi", position="support", claim="x"
            )
        ],
    )
    # Choe Son-hui and Wang Yi are written in the article; Kim Jong-il is not.
    assert scorers.grounding(invented, SEED)["absent_name_rate"] == 1 / 3
    assert scorers.grounding(Prediction(), SEED)["absent_name_rate"] is None


# --- names as choices, and the rule in the pipeline ------------------------------------


def test_names_become_an_enum_the_grammar_enforces() -> None:
    names = ("Choe Son-hui", "Wang Yi", "Beijing")
    model = with_choices(for_passage(EventsDraft, 3), names)
    schema = model.model_json_schema()
    event = schema["$defs"]["EventDraft"]["properties"]
    assert event["actors"]["items"]["enum"] == list(names)
    assert event["location"]["anyOf"][0]["enum"] == list(names)
    assert "enum" not in event["targets"]["items"]  # targets stay free text
    draft = {
        "sentences": [1],
        "actors": ["Choe Son-hui"],
        "action": "met",
        "targets": ["the talks"],
        "time": None,
        "location": "Beijing",
        "status": "happened",
    }
    model.model_validate({"events": [draft]})
    with pytest.raises(ValidationError, match="Choe Son-hui"):
        model.model_validate({"events": [{**draft, "actors": ["Kim Jong-il"]}]})
    assert with_choices(StancesDraft, ()) is StancesDraft  # no names, no change


def test_times_are_found_whole_and_pronouns_are_not_times() -> None:
    article = Article.from_text(
        "We met on Monday and will meet again on March 16 and later. "
        "The summit is scheduled for Oct 31-Nov 1 in Gyeongju. "
        "He travelled there in early September. We paid $14 for it.",
        published="2025-09-29",
    )
    times = sentence_times(article)
    assert times == {
        1: ["on Monday", "on March 16"],
        2: ["Oct 31-Nov 1"],
        3: ["early September"],
        4: [],
    }
    assert times_in(article, [3, 2]) == ["Oct 31-Nov 1", "early September"]


def test_times_become_an_enum_and_stay_free_without_candidates() -> None:
    model = with_choices(for_passage(EventsDraft, 3), ("Wang Yi",), ("on Sunday",))
    event = model.model_json_schema()["$defs"]["EventDraft"]["properties"]
    assert event["time"]["anyOf"][0]["const"] == "on Sunday"  # one option: a const
    names_only = with_choices(EventsDraft, ("Wang Yi",))
    assert "enum" not in str(
        names_only.model_json_schema()["$defs"]["EventDraft"]["properties"]["time"]
    )


def test_rule_extractor_makes_no_event_or_stance_call(
    scripted: ScriptedServer, seed_text: str
) -> None:
    with Summarizer(
        base_url=scripted.base_url, model="scripted", reasks=0, extractor="rule"
    ) as client:
        result = client.analyze(seed_text)
    tools = {body["tools"][0]["function"]["name"] for body in scripted.requests}
    assert "EventsDraft" not in tools and "StancesDraft" not in tools
    assert result.events and result.stances
    assert {e.status_confidence for e in result.events} == {None}
    assert {s.position_confidence for s in result.stances} == {None}
    assert "events" not in result.metadata.prompt_versions
