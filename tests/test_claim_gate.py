"""The claim gate, label calibration and the trivial claim baselines: no model."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from itertools import product
from pathlib import Path

import pytest

from summarizer import Article, Summarizer, relatedness
from summarizer.claim_labels import by_rule, by_scores, evidence, gate, score_requests, unrelated
from summarizer.errors import ConfigError
from summarizer.evaluation.baselines import ConstantSystem
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.fixtures import Fixture, GoldClaim
from summarizer.evaluation.systems import PipelineSystem, article_of
from summarizer.prompts import load_prompts
from summarizer.scoring import CONTENT_FREE, calibrated
from summarizer.settings import Settings
from summarizer.words import content_stems
from tests.conftest import ROOT
from tests.scripted_server import ScriptedServer

TEXT = (
    "A marine biologist said on Monday that the giant crab photographed off the Kent "
    "coast is not real. The picture of the 50-foot crab, nicknamed Crabzilla, was "
    "edited, he said. Local fishermen have reported nothing unusual in Whitstable harbour."
)
ARTICLE = Article.from_text(TEXT)
RELATED = "Giant crab Crabzilla spotted off the Kent coast"
UNRELATED = "Apple unveils a new smartwatch with a larger screen"


# Article sentence, and a claim that says the same with other particles and endings.
SAME_WORDS = [
    (
        "ko",
        "해양경찰청은 5일 실종 선원 수색을 사흘째 계속했다고 밝혔다.",
        "해양경찰청이 실종 선원 수색을 계속했다",
    ),
    ("ja", "政府は5日、新たな規制を求めたと発表した。", "政府が規制を求める"),
    ("zh", "海警局5日表示，将继续搜寻失踪的渔民。", "海警局继续搜寻失踪渔民"),
]


@pytest.mark.parametrize("language, text, claim", SAME_WORDS)
def test_the_gate_compares_the_analysers_words_in_chinese_japanese_and_korean(
    language: str, text: str, claim: str
) -> None:
    # As written (해양경찰청이 / 해양경찰청은) or as pairs of characters (が規, 制を), the
    # claim's words were not all the article's.
    (score,) = relatedness.relatedness(text, [claim], language)
    assert score.coverage == 1.0 and score.related
    assert set(content_stems(claim, language)) <= set(content_stems(text, language))
    assert "을" not in content_stems(text, language)  # particles carry no meaning


def test_gate_keeps_a_related_claim_and_stops_an_unrelated_one() -> None:
    related, other = gate(ARTICLE, [RELATED, UNRELATED])
    assert related.related and not other.related
    assert related.cosine > other.cosine and related.coverage > other.coverage


def test_gate_on_claims_without_content_words() -> None:
    assert relatedness.relatedness(TEXT, []) == []
    (empty,) = relatedness.relatedness(TEXT, ["the of and"])
    assert not empty.related and empty.coverage == 0.0 and empty.cosine == 0.0


# --- a claim's score depends on the article and the claim alone -------------------------

# 100 claims on other subjects, and two on this article, written for the test.
OTHER_CLAIMS = [
    f"{who} {did} in {where}"
    for who, did, where in product(
        ("The mayor", "A striker", "The central bank", "Engineers", "Two climbers"),
        ("opens a bridge", "signs a contract", "raises interest rates", "wins a final"),
        ("Lisbon", "Osaka", "Nairobi", "Quito", "Perth"),
    )
]


def test_a_written_claim_scores_the_same_alone_and_among_100_others() -> None:
    assert len(OTHER_CLAIMS) == 100
    own = [RELATED, "Crabzilla photo was edited, biologist says", UNRELATED]
    _same_alone_and_among(ARTICLE, own, OTHER_CLAIMS)


def test_fnc1_headlines_score_the_same_alone_and_among_100_others(shared_data: Path) -> None:
    # A body's own headlines, related and unrelated, beside 100 headlines of other bodies.
    fixtures = load_dataset("fnc1-natural", shared_data)
    body = next(f for f in fixtures if len({c.label == "unrelated" for c in f.claims}) == 2)
    others = [c.claim for f in fixtures if f is not body for c in f.claims][:100]
    assert len(others) == 100
    _same_alone_and_among(article_of(body), [c.claim for c in body.claims], others)


def _same_alone_and_among(article: Article, own: list[str], others: list[str]) -> None:
    together = gate(article, [*others[:50], *own, *others[50:]])[50 : 50 + len(own)]
    alone = [gate(article, [claim])[0] for claim in own]
    # Exactly equal: cosine, coverage and confidence, and so the label.
    assert alone == together
    assert {score.related for score in alone} == {True, False}
    stances = [unrelated(c, s) for c, s in zip(own, alone, strict=True) if not s.related]
    assert all(s.confidence is not None for s in stances)


# --- confidences: probabilities or null, never a constant --------------------------------


@pytest.mark.parametrize("language", ["en", "de", "zh", "vi"])
def test_the_small_word_lists_give_the_large_lists_background(language: str) -> None:
    # The gate reads wordfreq's small lists to spare memory; at every size the gate was
    # tuned over, their weights are the large lists'.
    for words in (relatedness.BACKGROUND_WORDS, 20000):
        small = relatedness._background(language, words)
        assert small[0] and small == relatedness._background(language, words, "best")


def test_an_unrelated_claim_carries_its_own_probability_and_no_evidence() -> None:
    claims = [UNRELATED, "Kent council raises parking fees", "Fishermen in Cornwall protest"]
    scores = gate(ARTICLE, claims)
    assert not any(score.related for score in scores)
    stances = [unrelated(c, s) for c, s in zip(claims, scores, strict=True)]
    assert all(s.label == "unrelated" and s.source == "gate" and not s.evidence for s in stances)
    confidences = [s.confidence for s in stances if s.confidence is not None]
    assert len(confidences) == 3 and all(0.5 < c < 1 for c in confidences)
    # A claim sharing a word with the article is less surely unrelated than one sharing none.
    assert len(set(confidences)) == 3 and confidences[0] == max(confidences)


def test_the_gates_confidence_is_null_where_it_was_not_measured() -> None:
    german = Article.from_text(TEXT, language="de")
    (score,) = gate(german, [UNRELATED])
    assert not score.related and score.confidence is None
    assert unrelated(UNRELATED, score).confidence is None


def test_a_related_claim_has_no_gate_confidence() -> None:
    (score,) = gate(ARTICLE, [RELATED])
    assert score.related and score.confidence is None


# --- the choice: what tune_gate.py chose is what is shipped, and runs record it -----------


def test_the_committed_tuning_output_chose_the_shipped_values() -> None:
    output = (ROOT / "evals" / "reference" / "tune_gate.txt").read_text(encoding="utf-8")
    chosen = re.search(
        r"^chosen: BACKGROUND_WORDS = (\d+), COSINE = ([\d.]+), COVERAGE = ([\d.]+):",
        output,
        re.M,
    )
    assert chosen is not None
    assert int(chosen[1]) == relatedness.BACKGROUND_WORDS
    assert float(chosen[2]) == relatedness.COSINE
    assert float(chosen[3]) == relatedness.COVERAGE
    fit = f"(intercept, cosine, coverage) = {relatedness.UNRELATED_LOGIT}"
    assert fit in output and "calibrated: shipped" in output
    assert output.rstrip().endswith("summarizer/relatedness.py ships the same")


def test_tune_gate_chooses_the_shipped_values(shared_data: Path) -> None:
    # About 15 s: the whole choice again, exit 1 if it is not what relatedness.py ships.
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "tune_gate.py"), str(shared_data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_runs_record_the_gate() -> None:
    recorded = relatedness.gate_config()
    assert recorded["cosine"] == relatedness.COSINE
    assert recorded["coverage"] == relatedness.COVERAGE
    assert recorded["background"].startswith("wordfreq 3.1")
    assert recorded["background_words"] == relatedness.BACKGROUND_WORDS
    pipeline = PipelineSystem(Settings())
    assert pipeline.cache_parts()["claim_gate"] == recorded
    assert ConstantSystem("discuss", gated=True).cache_parts()["claim_gate"] == recorded
    assert "claim_gate" not in ConstantSystem("discuss").cache_parts()


def test_evidence_is_the_sentence_most_like_the_claim() -> None:
    spans = evidence(ARTICLE, "Crabzilla photo was edited", k=1)
    assert [s.sentence for s in spans] == [2]
    assert all(TEXT[s.start : s.end] == s.text for s in spans)


def test_calibration_divides_out_the_models_prior() -> None:
    # The raw scores prefer "agree"; the content-free prompt prefers it even more, so
    # what this claim adds points to "discuss".
    raw = [math.log(0.6), math.log(0.1), math.log(0.3)]
    prior = [math.log(0.8), math.log(0.1), math.log(0.1)]
    probabilities = calibrated(raw, prior)
    assert sum(probabilities) == pytest.approx(1.0)
    assert max(range(3), key=probabilities.__getitem__) == 2
    stance = by_scores(ARTICLE, RELATED, raw, prior)
    assert stance.label == "discuss" and stance.source == "scores"
    assert stance.confidence == pytest.approx(max(probabilities), abs=1e-4)
    assert stance.evidence


def test_score_requests_show_the_closest_sentences_and_a_content_free_twin() -> None:
    request, calibration = score_requests(load_prompts(), ARTICLE, RELATED)
    assert request.options == calibration.options == ("agree", "disagree", "discuss")
    user = request.messages[-1]["content"]
    assert RELATED in user and "Crabzilla" in user
    assert CONTENT_FREE in calibration.messages[-1]["content"]
    assert RELATED not in calibration.messages[-1]["content"]
    # The same sentences in both, so only the claim differs.
    assert user.split("CLAIM:")[0] == calibration.messages[-1]["content"].split("CLAIM:")[0]


def test_rule_label_is_marked_as_the_rule_and_has_no_confidence() -> None:
    stance = by_rule(ARTICLE, RELATED)
    assert stance.source == "rule" and stance.evidence
    assert stance.label == "discuss" and stance.confidence is None


def fixture() -> Fixture:
    return Fixture(
        id="t",
        source="test",
        topic="news",
        text=TEXT,
        claims=[
            GoldClaim(claim=RELATED, label="disagree"),
            GoldClaim(claim=UNRELATED, label="unrelated"),
        ],
        labelled=["claims"],
    )


@pytest.mark.parametrize(
    ("gated", "expected"), [(False, ["discuss", "discuss"]), (True, ["discuss", "unrelated"])]
)
def test_constant_and_gate_baselines(gated: bool, expected: list[str]) -> None:
    system = ConstantSystem("discuss", gated=gated)
    predicted = system.predict(fixture(), ARTICLE)
    assert [c.label for c in predicted.claims] == expected
    assert system.name == ("gate:discuss" if gated else "constant:discuss")


# --- the pipeline on an endpoint: only related claims reach the model -------------------

UNRELATED_CLAIMS = [
    f"{team} win the {year} football cup final in extra time"
    for team in ("Arsenal", "Ajax", "Benfica", "Celtic", "Porto", "Lazio")
    for year in (1990, 1994, 1998)
]


def test_only_related_claims_reach_the_model(scripted: ScriptedServer, seed_text: str) -> None:
    related = ["Choe Son-hui met Wang Yi in Beijing", "Xi is expected to visit South Korea"]
    claims = [related[0], *UNRELATED_CLAIMS, related[1]]
    with Summarizer(base_url=scripted.base_url, model="scripted", reasks=0) as client:
        result = client.analyze(seed_text, claims=claims)
    asked = [m for m in _user_prompts(scripted) if "CLAIMS" in m]
    assert len(asked) == 1
    assert all(c in asked[0] for c in related)
    assert not any(c in asked[0] for c in UNRELATED_CLAIMS)
    assert [c.claim for c in result.claims] == claims
    sources = [c.source for c in result.claims]
    assert sources == ["generated", *["gate"] * len(UNRELATED_CLAIMS), "generated"]
    assert result.claims[0].label == "agree" and result.claims[0].confidence is None
    assert {c.label for c in result.claims[1:-1]} == {"unrelated"}
    assert all(c.confidence is not None for c in result.claims[1:-1])


def test_many_related_claims_are_split_over_calls(scripted: ScriptedServer, seed_text: str) -> None:
    claims = [f"Choe Son-hui met Wang Yi in Beijing, report {n}" for n in range(1, 21)]
    with Summarizer(base_url=scripted.base_url, model="scripted", reasks=0) as client:
        result = client.analyze(seed_text, claims=claims)
    asked = [m for m in _user_prompts(scripted) if "CLAIMS" in m]
    assert len(asked) == 2  # CLAIMS_PER_CALL = 16, then 4
    assert "report 16" in asked[0] and "report 17" in asked[1]
    assert [c.label for c in result.claims] == ["agree"] * 20


def test_rule_labels_without_a_model_call(scripted: ScriptedServer, seed_text: str) -> None:
    with Summarizer(
        base_url=scripted.base_url, model="scripted", reasks=0, claim_labels="rule"
    ) as client:
        result = client.analyze(seed_text, claims=["Choe Son-hui met Wang Yi in Beijing"])
    assert not [m for m in _user_prompts(scripted) if "CLAIMS" in m]
    (claim,) = result.claims
    assert claim.label == "discuss" and claim.source == "rule" and claim.evidence
    assert claim.confidence is None


def test_scores_need_the_embedded_model(scripted: ScriptedServer) -> None:
    with pytest.raises(ConfigError, match="claim_labels=scores"):
        Summarizer(base_url=scripted.base_url, model="scripted", claim_labels="scores")


def _user_prompts(server: ScriptedServer) -> list[str]:
    return [str(body["messages"][-1]["content"]) for body in server.requests]
