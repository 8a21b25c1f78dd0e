"""The headline's sources (the rule, the model's with its summary, the adapter's in a call
of its own on the article's first sentences), the flaws that make one unusable, and the
headline metrics of an eval run, with the title set they are scored on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
import pytest
from rich.console import Console
from rouge_score import rouge_scorer

from summarizer.article import Article
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.calls import CallLog
from summarizer.drafts import HeadlineDraft
from summarizer.errors import InputError
from summarizer.evaluation.baselines import ConstantSystem, Lead3System, RulesSystem
from summarizer.evaluation.datasets import fixture_id, load_dataset
from summarizer.evaluation.fixtures import Fixture, load_fixture
from summarizer.evaluation.records import Prediction
from summarizer.evaluation.scorers import score_item
from summarizer.evaluation.systems import article_of
from summarizer.grounding import unsupported_content
from summarizer.headline_text import flaw, without_dateline
from summarizer.outputs.headline import LEAD_CHARS, lead_passage, rule_headline
from summarizer.pipeline import Pipeline
from summarizer.render import render
from summarizer.settings import load_settings
from tests.tiny_adapter import write_tiny_adapter

FIXTURES = Path(__file__).parent.parent / "evals" / "fixtures"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("gguf")
    return write_tiny_adapter(tmp_path_factory.mktemp("adapter") / "tiny.gguf")


def test_the_flaws_seen_in_small_models_headlines_are_found() -> None:
    # Each one as a new user met it on twelve earthquake reports (issue 24).
    planted = {
        "": "empty",
        "  \n ": "empty",
        "TASK": "about the article",
        "Headline: ": "about the article",
        "The article is about a disaster in Peru": "about the article",
        "Earthquake: this article reports damage": "about the article",
        "Quake hits Chile with a powerful 6.": "cut short",
        "Rescuers search for survivors of the": "cut short",
    }
    assert {text: flaw(text) for text in planted} == planted
    # A sentence may end on a year or a count of three digits or more.
    assert flaw("The quake struck on January 30, 2026.") is None
    assert flaw("The toll rose to 120.") is None


def test_real_titles_have_no_flaw(shared_data: Path) -> None:
    titles = [t for f in sorted(FIXTURES.glob("*.json")) if (t := load_fixture(f).title)]
    titles += [
        json.loads(line)["title"]
        for line in (shared_data / "polnear_dev.jsonl").read_text("utf-8").splitlines()
    ]
    titles.append("A Wanted Man Responded That He Would Turn Himself In")
    assert len(titles) > 90
    assert [t for t in titles if flaw(t)] == []


def test_the_lead_passage_is_the_first_sentences_within_the_limit(seed_text: str) -> None:
    article = Article.from_text(seed_text)
    lead = lead_passage(article)
    assert lead.numbers == tuple(range(1, len(lead.numbers) + 1))
    assert 1 <= len(lead.numbers) < len(article.sentences)
    shown = sum(len(article.sentence_text(n)) + 1 for n in lead.numbers)
    following = len(article.sentence_text(len(lead.numbers) + 1)) + 1
    assert shown <= LEAD_CHARS < shown + following


def test_the_title_set_hides_the_title(shared_data: Path, tmp_path: Path) -> None:
    fixtures = load_dataset("polnear-titles", shared_data)
    rows = [
        json.loads(line)
        for line in (shared_data / "polnear_dev.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(fixtures) == len(rows) == 84
    for fixture, row in zip(fixtures, rows, strict=True):
        assert fixture.id == fixture_id("polnear", row["id"]) and fixture.title is None
        assert fixture.headlines == [" ".join(row["title"].split())]
        assert row["text"].rstrip().endswith(fixture.text)
        assert row["title"] not in fixture.text[:200]
        assert fixture.labelled == ["headline"]
    bad = tmp_path / "polnear_dev.jsonl"
    bad.write_text(json.dumps({"id": "x", "title": "A title", "text": "Another start\n\nBody."}))
    with pytest.raises(InputError, match=r"line 1: .*does not start with the title"):
        load_dataset("polnear-titles", tmp_path)


def test_headline_metrics(shared_data: Path) -> None:
    fixture = load_dataset("polnear-titles", shared_data, limit=1)[0]
    article = article_of(fixture)
    lead = Lead3System().predict(fixture, article)
    scores = score_item(lead, fixture, article)
    expected = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True).score(
        fixture.headlines[0], lead.headline
    )
    assert scores["headline_rougeL"] == pytest.approx(expected["rougeL"].fmeasure)
    assert scores["headline_empty_rate"] == scores["headline_unsupported_rate"] == 0.0
    # Planted: each flaw counts once, and an invented name is unsupported.
    invented = "Zorblax Quintavious wins the election"
    assert unsupported_content(article, invented)
    for headline, key in [
        ("", "headline_empty_rate"),
        ("The article is about the campaign", "headline_meta_rate"),
        ("Clinton leads by 6.", "headline_cut_rate"),
        (invented, "headline_unsupported_rate"),
    ]:
        scored = score_item(Prediction(headline=headline, summary="x"), fixture, article)
        assert scored[key] == 1.0, headline
    assert score_item(Prediction(), fixture, article)["headline_empty_rate"] == 1.0
    # A claim baseline writes no headline: no headline figures for it elsewhere.
    fnc1 = load_dataset("fnc1", shared_data, limit=1)[0]
    constant = ConstantSystem("agree").predict(fnc1, article_of(fnc1))
    assert not any(k.startswith("headline") for k in score_item(constant, fnc1, article_of(fnc1)))


@pytest.mark.parametrize(
    ("sentence", "news"),
    [
        ("SEOUL/BEIJING — North Korean Foreign Minister met", "North Korean Foreign Minister met"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — Green Party candidate", "Green Party candidate"),
        ("WASHINGTON (AP) — The Latest on the race", "The Latest on the race"),
        ("LONDON, Dec 5 (Reuters) - Britain said", "Britain said"),
        ("Rome (CNN)Italy is coping", "Italy is coping"),
        ("(CNN)One of the biggest TV events", "One of the biggest TV events"),
        ("SAN FRANCISCO -- Apple plans", "Apple plans"),
        ("WASHINGTON―Donald Trump’s obsession", "Donald Trump’s obsession"),
        ("ABSTRACT.", ""),
        # Not datelines: kept whole.
        ("US-China talks — a summary", None),
        ("Apple (AAPL) said on Monday", None),
        ("NASA - the agency said", None),
        ("Mr. Obama — who never ran again — said", None),
        ("NATO members agreed", None),
        ("北京 — 中国外交部说", None),
    ],
)
def test_a_dateline_is_no_part_of_the_news(sentence: str, news: str | None) -> None:
    assert without_dateline(sentence) == (sentence if news is None else news)


def test_a_label_sentence_gives_the_headline_to_the_next() -> None:
    article = Article.from_text("ABSTRACT.  More than health care, the climate. It is new.")
    assert article.sentence_text(1) == "ABSTRACT."
    assert rule_headline(article) == "More than health care, the climate."
    # The eval's rules system carries it; Lead-3 keeps the first sentence as it is.
    fixture = Fixture(id="x", source="test", topic="t", text=article.text, labelled=[])
    assert RulesSystem().predict(fixture, article).headline == rule_headline(article)
    assert Lead3System().predict(fixture, article).headline == "ABSTRACT."


def test_the_rule_headline_is_the_title_else_the_first_sentence(seed_text: str) -> None:
    # With the Lead-3 summary, the rules of both headline and summary text.
    settings = load_settings(headline="rule", summary="lead3", threads=1)
    pipeline = Pipeline(settings, EmbeddedBackend(settings))
    untitled = Article.from_text(seed_text)
    analysis = pipeline.run(untitled)
    first = [" ".join(untitled.sentence_text(n).split()) for n in (1, 2, 3)]
    # The first sentence without its dateline.
    headline = first[0].removeprefix("SEOUL/BEIJING — ")
    assert headline != first[0] and analysis.summary.headline == headline
    # summary=lead3: the first three sentences, whatever the key points cite.
    assert analysis.summary.text == " ".join(first) and analysis.summary.key_points
    # Neither the headline nor the summary's text is the model's: nothing to recheck.
    assert "recheck" not in analysis.metadata.prompt_versions
    # The terminal shows the first sentence once, as the headline, then the rest.
    out = io.StringIO()
    render(analysis, Console(file=out, width=200))
    shown = " ".join(out.getvalue().replace("│", " ").split())
    assert shown.count(headline) == 1 and f"{first[1]} {first[2]}" in shown
    titled = Article.from_text(seed_text, title="Choe Son-hui visits Beijing")
    assert pipeline.run(titled).summary.headline == "Choe Son-hui visits Beijing"


def test_the_tuned_headline_is_the_adapters_unless_flawed(tiny: Path, seed_text: str) -> None:
    settings = load_settings(adapter=str(tiny), headline="tuned", summary="lead", threads=1)
    pipeline = Pipeline(settings, EmbeddedBackend(settings))
    article = Article.from_text(seed_text)
    reading = pipeline.reading(article)
    wave = next(pipeline.plan(reading, article, [], pipeline.chunks(reading, article, [])))
    (asked,) = [r for r in wave if r.task == "headline"]
    assert asked.tuned and asked.response_model is HeadlineDraft
    assert wave[-1] is asked and [r.task for r in wave].count("summary") == 1
    shown = asked.messages[-1]["content"]
    lead = lead_passage(article)
    assert lead.numbered() in shown and f"[{len(lead) + 1}]" not in shown
    analysis = pipeline.run(article)
    assert "headline" in analysis.metadata.prompt_versions
    # What the adapter writes for that request, asked again on its own.
    answer = pipeline.caller.call(asked, CallLog())
    assert isinstance(answer, HeadlineDraft)
    written = " ".join(answer.headline.split())
    usable = written and not flaw(written) and not unsupported_content(article, written)
    first = " ".join(article.sentence_text(1).split()).removeprefix("SEOUL/BEIJING — ")
    assert analysis.summary.headline == (written if usable else first)
    # A titled article keeps its title and asks no headline.
    titled = Article.from_text(seed_text, title="Choe Son-hui visits Beijing")
    reading = pipeline.reading(titled)
    wave = next(pipeline.plan(reading, titled, [], pipeline.chunks(reading, titled, [])))
    assert "headline" not in [r.task for r in wave]
    assert pipeline.run(titled).summary.headline == "Choe Son-hui visits Beijing"


def test_the_cli_offers_every_source() -> None:
    from typing import get_args

    from summarizer.cli import analyze
    from summarizer.settings import ClaimLabels, Extraction, HeadlineName

    choices = {
        p.name: list(p.type.choices)
        for p in analyze.params
        if isinstance(p, click.Option) and isinstance(p.type, click.Choice)
    }
    assert choices["headline"] == list(get_args(HeadlineName))
    assert choices["extractor"] == list(get_args(Extraction))
    assert choices["claim_labels"] == list(get_args(ClaimLabels))
