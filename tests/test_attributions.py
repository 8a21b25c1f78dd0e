"""Attributions by rule: who said what, each part an exact span, the source resolved to
the fullest name; in the analysis, its JSON and the terminal view."""

from __future__ import annotations

import io

from rich.console import Console

from summarizer.article import Article
from summarizer.attributions import rule_attributions
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.pipeline import Pipeline
from summarizer.render import render
from summarizer.schema import Stance
from summarizer.settings import load_settings

TEXT = (
    "Trump Visits Ohio: A Rally Report\n\n"
    "Donald Trump spoke in Ohio on Monday. "
    "Trump said on Monday that the wall would be built. "
    "“It will be beautiful,” he told reporters. "
    "Senator Dianne Feinstein, Democrat of California, said the plan was a waste. "
    "The plan will fail, according to a poll by Gallup. "
    "Another 19 percent said they were undecided.\n\n"
    "WALLACE: Will you build it? I want an answer.\n"
    "“He cannot be trusted.” ― Maria Lopez\n"
)


def _found(text: str = TEXT) -> list[tuple[str | None, str | None, str, str, str]]:
    return [
        (a.source.text if a.source else None, a.name, a.cue.text, a.content.text, a.kind)
        for a in rule_attributions(Article.from_text(text))
    ]


def test_each_cue_makes_one_attribution_with_its_source_and_content() -> None:
    assert _found() == [
        ("Trump", "Donald Trump", "said", "the wall would be built", "indirect"),
        ("he", "Donald Trump", "told", "It will be beautiful", "direct"),
        (
            "Senator Dianne Feinstein",
            "Senator Dianne Feinstein",
            "said",
            "the plan was a waste",
            "indirect",
        ),
        (
            "a poll by Gallup",
            "a poll by Gallup",
            "according to",
            "The plan will fail",
            "indirect",
        ),
        ("Another 19 percent", "Another 19 percent", "said", "they were undecided", "indirect"),
        ("WALLACE", "WALLACE", ":", "Will you build it? I want an answer", "direct"),
        ("Maria Lopez", "Maria Lopez", "―", "He cannot be trusted", "direct"),
    ]


def test_every_span_is_exact_and_a_cue_inside_a_quotation_is_content() -> None:
    article = Article.from_text(TEXT)
    for a in rule_attributions(article):
        for piece in (a.source, a.cue, a.content):
            assert piece is None or article.text[piece.start : piece.end] == piece.text
    quoted = "“They said it would never work,” she said."
    assert _found("Maria Lopez spoke. " + quoted) == [
        ("she", "Maria Lopez", "said", "They said it would never work", "direct")
    ]
    # No cue, no attribution; a capitalised "State" is no cue.
    assert _found("The State Department closed on Monday. Markets fell.") == []


def test_the_analysis_carries_them_and_the_terminal_groups_them(seed_text: str) -> None:
    settings = load_settings(summary="lead3", attributions="rule", threads=1)
    analysis = Pipeline(settings, EmbeddedBackend(settings)).run(Article.from_text(TEXT))
    assert [a.content.text for a in analysis.attributions] == [f[3] for f in _found()]
    first = analysis.attributions[0]
    assert (first.source_name, first.cue.sentence, first.content.sentence) == (
        "Donald Trump",
        3,
        3,
    )
    out = io.StringIO()
    render(analysis, Console(file=out, width=80))
    shown = out.getvalue()
    assert "Attributions" in shown and "Donald Trump — 2" in shown
    # Every table wraps between words in an 80-column terminal: the README's stance
    # claim once came out as "internationa / l".
    stance = Stance(
        holder="North Korea's Kim Jong-un",
        target="US President Donald Trump",
        position="support",
        claim="is willing to strengthen coordination and co-operation with the in "
        "international and",
        attribution="KCNA",
        evidence=[first.content],
    )
    out = io.StringIO()
    render(analysis.model_copy(update={"stances": [stance] * 3}), Console(file=out, width=80))
    words = {w for line in out.getvalue().splitlines() for w in line.replace("│", " ").split()}
    assert {"international", "co-operation", "coordination", "strengthen"} <= words
    none = load_settings(summary="lead3", headline="rule", attributions="none", threads=1)
    assert Pipeline(none, EmbeddedBackend(none)).run(Article.from_text(TEXT)).attributions == []


def test_cues_of_other_languages() -> None:
    assert _found(
        "Die Strecke wird teurer. Ministerin Anna Vogt sagte, dass der Bau 2031 endet."
    ) == [
        ("Ministerin Anna Vogt", "Ministerin Anna Vogt", "sagte", "der Bau 2031 endet", "indirect")
    ]
    assert _found(
        "El acuerdo es frágil, dijo Luis Salazar. Según la cancillería, habrá otra ronda."
    ) == [
        ("Luis Salazar", "Luis Salazar", "dijo", "El acuerdo es frágil", "indirect"),
        ("la cancillería", "la cancillería", "Según", "habrá otra ronda", "indirect"),
    ]
    assert _found("Суд заслушал стороны. Адвокат Игорь Ларин заявил, что приговор обжалуют.") == [
        ("Адвокат Игорь Ларин", "Адвокат Игорь Ларин", "заявил", "приговор обжалуют", "indirect")
    ]
    # A sentence that opens with its cue: what follows the source is the content.
    assert _found("Rain fell. According to the poll, the plan will fail.") == [
        ("the poll", "the poll", "According to", "the plan will fail", "indirect")
    ]
