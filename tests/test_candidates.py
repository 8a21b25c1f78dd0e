"""Names found by code, the rule baseline built on them, and the absent-name metric."""

from __future__ import annotations

from pathlib import Path

from summarizer import Article
from summarizer.candidates import names_in, sentence_names
from summarizer.evaluation import scorers
from summarizer.evaluation.records import (
    PredEvent,
    Prediction,
    PredStance,
    pred_event,
    pred_stance,
)
from summarizer.rules import rule_items

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
