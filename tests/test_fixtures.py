"""The committed hand-labelled fixtures: valid, covering what the suite promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from summarizer import Article
from summarizer.evaluation.fixtures import Fixture, load_fixtures
from summarizer.evaluation.halves import HALVES, Half, select
from tests.conftest import ROOT, SEED

FOLDER = ROOT / "evals" / "fixtures"
TOPICS = {"diplomacy", "conflict", "politics", "business", "courts", "science", "sports"}
TOPICS |= {"disasters"}


@pytest.fixture(scope="module")
def fixtures() -> list[Fixture]:
    return load_fixtures(FOLDER)


def test_enough_fixtures_on_every_topic(fixtures: list[Fixture]) -> None:
    assert len(fixtures) >= 25
    topics = Counter(f.topic for f in fixtures)
    assert set(topics) >= TOPICS and all(topics[t] >= 2 for t in TOPICS)


def test_the_special_cases_are_there(fixtures: list[Fixture]) -> None:
    by_id = {f.id: f for f in fixtures}
    assert by_id["seed-nk-china-fm"].text == SEED.read_text(encoding="utf-8")
    # Longer than the embedded model's 8192-token context (about 4 characters a token).
    assert any(len(f.text) > 4 * 8192 for f in fixtures)
    assert any(f.language != "en" for f in fixtures)
    assert any(f.notes and "injection" in f.notes.lower() for f in fixtures)
    assert sum(1 for f in fixtures if "claims" in f.labelled) >= 8


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.json")), ids=lambda p: p.stem)
def test_labels_point_at_real_sentences(path: Path, fixtures: list[Fixture]) -> None:
    (fixture,) = [f for f in fixtures if f.id == path.stem]
    article = Article.from_text(fixture.text, published=fixture.published)
    count = len(article.sentences)
    for item in [*fixture.events, *fixture.stances]:
        assert all(1 <= n <= count for n in item.sentences), (fixture.id, item)
    assert fixture.references or "summary" not in fixture.labelled
    for event in fixture.events:
        if event.time_text:
            assert event.time_text.lower() in fixture.text.lower(), event.time_text


def test_claims_are_not_listed_in_the_prompts_label_order(fixtures: list[Fixture]) -> None:
    # A small model echoes "agree, disagree, discuss, unrelated" in the order the prompt
    # explains them; fixtures in that order would reward the echo.
    echo = ["agree", "disagree", "discuss", "unrelated"]
    for f in fixtures:
        labels = [c.label for c in f.claims]
        assert labels != echo[: len(labels)] or len(labels) < 2, f.id


@pytest.mark.parametrize("half", HALVES)
def test_claims_have_the_label_mix_of_a_real_run(fixtures: list[Fixture], half: Half) -> None:
    # FNC-1 as it comes: 77% unrelated; of the related, discuss first, then agree, then
    # disagree. With one claim of each label per fixture every constant baseline scored
    # alike, and the gate with agree scored as the gate with discuss.
    claimed = [f for f in select(fixtures, half) if f.claims]
    counts = Counter(c.label for f in claimed for c in f.claims)
    total = sum(counts.values())
    assert 0.6 <= counts["unrelated"] / total <= 0.8, counts
    assert counts["discuss"] > counts["agree"] > counts["disagree"] > 0, counts
    assert all(len(f.claims) >= 6 for f in claimed)
    if half == "all":
        without = [{c.label for c in f.claims} for f in claimed]
        assert sum("agree" not in labels for labels in without) >= 3
        assert sum("disagree" not in labels for labels in without) >= 3
