from __future__ import annotations

import math

import pytest

from summarizer.evaluation.datasets import SummEvalItem, SystemSummary
from summarizer.evaluation.fixtures import Fixture
from summarizer.evaluation.meta import meta_evaluate

TEXT = "Ann Lee met Bo Park in Oslo on Monday. They agreed to meet again in May."


def item(n: int) -> SummEvalItem:
    fixture = Fixture(
        id=f"s{n}",
        source="t",
        topic="news",
        text=TEXT,
        references=["Ann Lee met Bo Park in Oslo."],
        labelled=["summary"],
    )
    summaries = [
        ("best", "Ann Lee met Bo Park in Oslo.", 5.0),
        ("good", "Ann Lee met Bo Park.", 4.0),
        ("poor", "Lee met someone in Rome in 1999.", 2.0),
        ("worst", "Xi visited Paris.", 1.0),
    ]
    systems = [
        SystemSummary(
            system=name, summary=text, coherence=3, consistency=rating, fluency=3, relevance=rating
        )
        for name, text, rating in summaries
    ]
    return SummEvalItem(fixture=fixture, systems=systems)


def test_scorers_that_rank_like_the_experts_get_tau_one() -> None:
    results = {(c.scorer, c.rating): c for c in meta_evaluate([item(1), item(2)])}
    rouge = results[("ROUGE-1", "relevance")]
    assert rouge.summary_level == pytest.approx(1.0) and rouge.system_level == pytest.approx(1.0)
    supported = results[("supported content (1 - unsupported rate)", "consistency")]
    # best and good are fully supported (tied), poor and worst are not: positive, below 1.
    assert 0.5 < supported.summary_level < 1.0
    assert not math.isnan(supported.system_level)


def test_every_scorer_is_correlated_on_the_same_articles() -> None:
    # In this article every summary names only what the article has: supported content
    # ties them all and its tau is undefined, so no scorer's summary-level figure may use
    # the article, though ROUGE (here ranking against the experts) tells them apart.
    reversed_ = [
        ("best", "Park.", 5.0),
        ("good", "Bo Park in Oslo.", 4.0),
        ("poor", "Ann Lee met Bo Park in Oslo on Monday.", 2.0),
        ("worst", "Ann Lee met Bo Park in Oslo.", 1.0),
    ]
    tied = SummEvalItem(
        fixture=item(3).fixture,
        systems=[
            SystemSummary(
                system=name, summary=text, coherence=3, consistency=r, fluency=3, relevance=r
            )
            for name, text, r in reversed_
        ],
    )
    results = meta_evaluate([item(1), item(2), tied])
    assert {c.articles for c in results} == {2}
    rouge = next(c for c in results if c.scorer == "ROUGE-1" and c.rating == "relevance")
    assert rouge.summary_level == pytest.approx(1.0)  # the tied article would lower it
