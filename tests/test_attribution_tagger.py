"""The learned attribution tagger: PolNeAR's brat files read exactly, gold spans turned
into word tags, tags turned back into attributions, a CRF trained here on a planted
PolNeAR checkout, the dev set kept out, and the shipped model with its manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from summarizer.article import Article
from summarizer.attribution_tagger import (
    CALIBRATION,
    CUE_RATES,
    MANIFEST,
    MAX_SEQUENCE,
    MIN_RATE_COUNT,
    MODEL,
    assemble,
    calibrated,
    combined_attributions,
    cue_rates,
    paragraphs,
    posterior_tags,
    sentence_numbers,
    sequences,
    tagger_attributions,
    word_class,
)
from summarizer.attributions import rule_attributions
from summarizer.backends.embedded import EmbeddedBackend
from summarizer.errors import ConfigError, InputError
from summarizer.evaluation.fixtures import Fixture
from summarizer.pipeline import Pipeline
from summarizer.settings import load_settings
from training.attribution_crf import labelled
from training.attribution_crf import main as train_main
from training.exclusions import ExcludedError, load_exclusions
from training.sources.polnear import brat_attributions, read_attributions

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _brat(text: str, parts: list[tuple[str | None, str, str]]) -> str:
    """A brat file for ``text``: each (source, cue, content) found at its first place."""
    lines, t, e = [], 1, 1
    for source, cue, content in parts:
        refs = []
        for role, piece in (("Source", source), ("Cue", cue), ("Content", content)):
            if piece is None:
                continue
            at = text.index(piece)
            lines.append(f"T{t}\t{role} {at} {at + len(piece)}\t{piece}")
            refs.append(f"{role}:T{t}")
            t += 1
        kind = "Attribution" if source else "Attribution-no-source"
        lines.append(f"E{e}\t{kind}:T{t} " + " ".join(refs))
        e += 1
    return "\n".join(lines) + "\n"


def test_brat_files_are_read_exactly_with_split_pieces() -> None:
    text = "Title\n\n“We will win,” Maria Lopez said, “and soon.”\n"
    first, second = text.index("We will win"), text.index("and soon")
    brat = (
        f"T1\tSource 22 33\tMaria Lopez\nT2\tCue 34 38\tsaid\n"
        f"T3\tContent {first} {first + 11};{second} {second + 8}\tWe will win and soon\n"
        "T4\tAttribution 34 38\tsaid\n"
        "#1\tAnnotatorNotes T3\ta note\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    [one] = brat_attributions(brat, text)
    assert one["source"] == [{"text": "Maria Lopez", "start": 22, "end": 33}]
    assert [p["text"] for p in one["content"]] == ["We will win", "and soon"]
    with pytest.raises(ValueError, match="outside the article"):
        brat_attributions("T1\tCue 5 900\tsaid\n", text)


def test_gold_spans_become_word_tags() -> None:
    text = "Maria Lopez said that the bridge would close. Rain fell."
    row = {"text": text, "attributions": [("Maria Lopez", "said", "the bridge would close")]}
    fixture = _fixture("t", row)
    _, [(tokens, tags)] = labelled(fixture)
    assert list(zip([t.text for t in tokens], tags, strict=True)) == [
        ("Maria", "B-SRC"),
        ("Lopez", "I-SRC"),
        ("said", "B-CUE"),
        ("that", "O"),
        ("the", "B-CON"),
        ("bridge", "I-CON"),
        ("would", "I-CON"),
        ("close", "I-CON"),
        (".", "O"),
        ("Rain", "O"),
        ("fell", "O"),
        (".", "O"),
    ]


def test_tags_become_attributions_a_quotation_running_on_included() -> None:
    text = "“It will fail,” Trump said. Markets fell.\n“And soon.”\n"
    article = Article.from_text(text)
    first, second = list(paragraphs(article))
    tags_first = ["O", "B-CON", "I-CON", "I-CON", "O", "O", "B-SRC", "B-CUE"] + ["O"] * 4
    tags_second = ["O", "B-CON", "I-CON", "O", "O"]
    assert len(tags_first) == len(first) and len(tags_second) == len(second)
    [found] = assemble(article, [(first, tags_first), (second, tags_second)])
    assert (found.source and found.source.text, found.cue.text) == ("Trump", "said")
    assert found.content.text == "It will fail,” Trump said. Markets fell.\n“And soon"
    assert text[found.content.start : found.content.end] == found.content.text
    # A cue the tagger gave no source borrows its sentence's.
    both = "Trump said taxes rise and warned of cuts."
    article_both = Article.from_text(both)
    [words] = list(paragraphs(article_both))
    tags = ["B-SRC", "B-CUE", "B-CON", "I-CON", "O", "B-CUE", "O", "B-CON", "O"]
    assert [t.text for t in words] == [
        "Trump", "said", "taxes", "rise", "and", "warned", "of", "cuts", "."
    ]  # fmt: skip
    found_both = assemble(article_both, [(words, tags)])
    assert [(f.source and f.source.text, f.cue.text, f.content.text) for f in found_both] == [
        ("Trump", "said", "taxes rise"),
        ("Trump", "warned", "cuts"),
    ]
    # A cue with no content makes nothing; a source no cue takes is dropped.
    assert assemble(article, [(first, ["O"] * 6 + ["B-SRC", "B-CUE"] + ["O"] * 4)]) == []
    assert assemble(article, [(second, tags_second)]) == []


def _marginals(*rows: dict[str, float]) -> list[dict[str, float]]:
    tags = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"]
    return [{tag: row.get(tag, 0.0) for tag in tags} for row in rows]


def test_posterior_decoding_trades_precision_for_recall() -> None:
    words = _marginals(
        {"O": 0.1, "B-SRC": 0.9},  # sure: a source
        {"O": 0.7, "B-CUE": 0.3},  # unsure: a cue only when "none" needs more than 0.7
        {"O": 0.2, "B-CON": 0.5, "I-CON": 0.3},  # content, starting
        {"O": 0.2, "B-CON": 0.3, "I-CON": 0.5},  # content, going on
        {"O": 0.4, "B-CON": 0.2, "I-CON": 0.1, "B-CUE": 0.2, "I-CUE": 0.05},  # CON 0.3, CUE 0.25
    )
    assert posterior_tags(words, 0.5) == ["B-SRC", "O", "B-CON", "I-CON", "B-CON"]
    assert posterior_tags(words, 0.8) == ["B-SRC", "B-CUE", "B-CON", "I-CON", "B-CON"]
    assert posterior_tags(words, 0.05) == ["O"] * 5


def test_cue_rates_count_lemmas_seen_often_enough() -> None:
    assert word_class("pledged") == ("pledge", "VERB")
    assert word_class("shows") == ("show", "NOUN|VERB")
    assert word_class("―") == ("―", "?")
    counts = {"say": (MIN_RATE_COUNT + 5, 9), "pledge": (MIN_RATE_COUNT, 1), "qux": (1, 1)}
    assert cue_rates(counts) == {"pledge": round(1 / MIN_RATE_COUNT, 4), "say": 0.9}


def test_a_wall_of_text_is_tagged_a_few_sentences_at_a_time() -> None:
    sentence = "Maria Lopez said on Monday that the new bridge over the river would close soon. "
    article = Article.from_text("Title\n\n" + sentence * 200)
    [title, wall] = list(paragraphs(article))
    pieces = list(sequences(article))
    assert pieces[0] == title and [t for p in pieces[1:] for t in p] == wall
    assert all(MAX_SEQUENCE // 2 <= len(p) <= MAX_SEQUENCE for p in pieces[1:-1])
    for piece in pieces[1:]:  # each piece ends where a sentence does
        numbers = sentence_numbers(article, piece)
        after = wall.index(piece[-1]) + 1
        assert after == len(wall) or sentence_numbers(article, [wall[after]])[0] != numbers[-1]


def _fixture(name: str, row: dict[str, object]) -> Fixture:
    from summarizer.evaluation.datasets.polnear import polnear_fixture

    text = str(row["text"])
    parts = row["attributions"]
    assert isinstance(parts, list)
    brat = _brat(text, parts)
    return polnear_fixture(
        {"id": name, "text": text, "attributions": brat_attributions(brat, text)}, 0
    )


SPEAKERS = ["Maria Lopez", "John Park", "Anna Berg", "Tom Reyes", "Lena Stone", "Omar Haddad"]
CLAIMS = ["the bridge would close", "taxes would rise", "the vote was fair", "the plan failed"]


def _checkout(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A PolNeAR checkout of planted articles: "NAME said that CLAIM." and "“CLAIM,”
    NAME told reporters." between sentences that attribute nothing."""
    text_dir = root / "data" / "train" / "text"
    ann_dir = root / "data" / "train" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    for i, speaker in enumerate(SPEAKERS):
        claim, other = CLAIMS[i % 4], CLAIMS[(i + 1) % 4]
        quote = other[0].upper() + other[1:]
        text = (
            f"Article {i}\n\nThe city met on Monday. {speaker} said that {claim}. "
            f"Rain fell in the evening.\n“{quote},” {speaker} told reporters.\n"
        )
        second = text.index("“") + 1
        brat = _brat(text, [(speaker, "said", claim)])
        at = text.index(speaker, second)
        brat += (
            f"T9\tSource {at} {at + len(speaker)}\t{speaker}\n"
            f"T10\tCue {at + len(speaker) + 1} {at + len(speaker) + 5}\ttold\n"
            f"T11\tContent {second} {second + len(quote)}\t{quote}\n"
            "E9\tAttribution:T12 Content:T11 Cue:T10 Source:T9\n"
        )
        (text_dir / f"a{i}.txt").write_text(text, encoding="utf-8")
        (ann_dir / f"a{i}_x1.ann").write_text(brat, encoding="utf-8")
    for name, text in (extra or {}).items():
        (text_dir / f"{name}.txt").write_text(text, encoding="utf-8")
        (ann_dir / f"{name}_x1.ann").write_text("", encoding="utf-8")
    return root


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data (the exclusions)")
def test_a_tagger_trained_here_finds_what_it_was_taught(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path / "polnear")
    out = tmp_path / "model"
    assert train_main(["--polnear", str(checkout), "--out", str(out), "--iterations", "60"]) == 0
    manifest = json.loads((out / "attributions.json").read_text())
    model = out / "attributions.crfsuite"
    assert manifest["data"]["articles"] == len(SPEAKERS)
    assert manifest["model_sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()
    assert set(manifest["data"]["files"]) == {
        f"data/train/{kind}/a{i}{ext}"
        for i in range(len(SPEAKERS))
        for kind, ext in (("text", ".txt"), ("attributions", "_x1.ann"))
    }
    text = "Title\n\nThe city met on Monday. Nina Cole said that the roads would open. Rain fell."
    article = Article.from_text(text)
    found = [
        (f.source and f.source.text, f.cue.text, f.content.text, f.kind)
        for f in tagger_attributions(article, model)
    ]
    assert found == [("Nina Cole", "said", "the roads would open", "indirect")]


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/data (the exclusions)")
def test_the_dev_set_never_trains_the_tagger(tmp_path: Path) -> None:
    exclusions = load_exclusions()
    dev = json.loads((SHARED / "polnear_dev.jsonl").read_text().splitlines()[0])
    # A dev article planted under a train name is left out and counted.
    checkout = _checkout(tmp_path / "polnear", {"copied": dev["text"]})
    corpus = read_attributions(checkout, exclusions)
    assert len(corpus.items) == len(SPEAKERS)
    assert corpus.excluded == {"same text as a dev-set article": ["polnear:train/copied"]}
    # A checkout inside the dev-set folder, or the dev split itself, is refused.
    with pytest.raises(ExcludedError):
        read_attributions(SHARED, exclusions)
    dev_split = tmp_path / "polnear2" / "data" / "dev"
    (dev_split / "data" / "train" / "text").mkdir(parents=True)
    (dev_split / "data" / "train" / "attributions").mkdir(parents=True)
    with pytest.raises(ExcludedError):
        read_attributions(dev_split, exclusions)
    with pytest.raises(InputError, match="not a PolNeAR checkout"):
        read_attributions(tmp_path, exclusions)


def test_the_shipped_tagger_its_manifest_and_the_analysis(tmp_path: Path) -> None:
    manifest = json.loads(MANIFEST.read_text())
    assert manifest["model_sha256"] == hashlib.sha256(MODEL.read_bytes()).hexdigest()
    rates = MODEL.with_name(CUE_RATES).read_bytes()
    assert manifest["cue_rates"]["sha256"] == hashlib.sha256(rates).hexdigest()
    # A model without its cue rates is a one-line error, not a traceback.
    lone = tmp_path / "lone.crfsuite"
    lone.write_bytes(MODEL.read_bytes())
    with pytest.raises(ConfigError, match="cue rates are missing"):
        tagger_attributions(Article.from_text("Title\n\nTrump said it rained."), lone)
    assert all(f.startswith("data/train/") for f in manifest["data"]["files"])
    assert manifest["data"]["articles"] >= 800
    text = (
        "Trump Visits Ohio\n\nDonald Trump spoke in Ohio on Monday. "
        "Trump said on Monday that the wall would be built. "
        "“It will be beautiful,” he told reporters.\n"
    )
    article = Article.from_text(text)
    found = tagger_attributions(article)
    assert found, "the shipped tagger finds the plainest attributions"
    for a in found:
        for piece in (a.source, a.cue, a.content):
            assert piece is None or text[piece.start : piece.end] == piece.text
    settings = load_settings(summary="lead3", headline="rule", attributions="tagger", threads=1)
    analysis = Pipeline(settings, EmbeddedBackend(settings)).run(article)
    assert [a.content.text for a in analysis.attributions] == [f.content.text for f in found]
    assert [a.source_name for a in analysis.attributions] == [f.name for f in found]


def test_the_taggers_confidence_is_its_calibrated_cue_probability(tmp_path: Path) -> None:
    table = json.loads(CALIBRATION.read_text())
    # Fitted for the shipped model: a retrained model without a new fit trips this.
    assert table["model_sha256"] == hashlib.sha256(MODEL.read_bytes()).hexdigest()
    assert table["chosen"] in table["cross_validated"]
    probability = table["probability"]
    assert probability == sorted(probability) and 0 <= probability[0] < probability[-1] <= 1
    assert calibrated(0.2) < calibrated(0.5) < calibrated(0.95)  # type: ignore[operator]
    # Another model file has no calibration, so its attributions claim nothing.
    other = tmp_path / "other.crfsuite"
    other.write_bytes(MODEL.read_bytes())
    (tmp_path / CUE_RATES).write_bytes(MODEL.with_name(CUE_RATES).read_bytes())
    assert calibrated(0.5, other) is None
    text = (
        "Trump Visits Ohio\n\nDonald Trump spoke in Ohio on Monday. "
        "Trump said on Monday that the wall would be built. "
        "“It will be beautiful,” he told reporters. Critics say it is too costly.\n"
    )
    article = Article.from_text(text)
    sure = [a.confidence for a in tagger_attributions(article)]
    assert sure and all(c is not None and 0 < c < 1 for c in sure)
    assert all(a.confidence is None for a in tagger_attributions(article, other))
    assert all(a.confidence is None for a in rule_attributions(article))
    # Combined: the tagger's carry theirs, the rule's none; the analysis carries them.
    combined = combined_attributions(article)
    tagger_cues = {a.cue.start for a in tagger_attributions(article)}
    for a in combined:
        assert (a.confidence is not None) == (a.cue.start in tagger_cues)
    settings = load_settings(summary="lead3", headline="rule", threads=1)
    analysis = Pipeline(settings, EmbeddedBackend(settings)).run(article)
    assert [a.confidence for a in analysis.attributions] == [a.confidence for a in combined]
