"""Dataset loaders: hand-made rows with known fixtures, the real files, and bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.article import Article
from summarizer.errors import InputError
from summarizer.evaluation.datasets import (
    DATASETS,
    SummEvalItem,
    SystemSummary,
    casie_fixture,
    dataset_file,
    ecbplus_fixture,
    fixture_id,
    fnc1_fixture,
    load_dataset,
    load_summeval_systems,
    sentence_number,
    summeval_fixture,
    wikievents_fixture,
)
from summarizer.evaluation.fixtures import Fixture, GoldClaim, GoldEvent

RATINGS = ("coherence", "consistency", "fluency", "relevance")
FNC1_LABELS = {"agree", "disagree", "discuss", "unrelated"}


def _write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _number_of(text: str, prefix: str) -> int:
    """Our number of the sentence of ``text`` that starts with ``prefix``."""
    article = Article.from_text(text)
    (number,) = [
        s.number for s in article.sentences if article.sentence_text(s.number).startswith(prefix)
    ]
    return number


# --- hand-made rows -----------------------------------------------------------------------

SUMMEVAL_ROW: dict[str, Any] = {
    "id": "cnn-test-ABC123",
    "article": "(CNN)Rebels attacked Goma on Monday. Three people died.",
    "article_tokenized": "( CNN ) Rebels attacked Goma on Monday . Three people died .",
    "references": ["Rebels attacked Goma .", "Three died in a rebel attack on Goma ."],
    "systems": [
        {
            "system": "M0",
            "summary": "rebels attacked goma .",
            "coherence": 4.0,
            "consistency": 5.0,
            "fluency": 4.666666666666667,
            "relevance": 3.3333333333333335,
        },
        {
            "system": "M23",
            "summary": "three people died .",
            "coherence": 2.0,
            "consistency": 5.0,
            "fluency": 5.0,
            "relevance": 2.0,
        },
    ],
}


def test_summeval_row_maps_to_a_summary_fixture() -> None:
    assert summeval_fixture(SUMMEVAL_ROW, 1) == Fixture(
        id="summeval-cnn-test-abc123",
        source="summeval dev",
        topic="news",
        text="(CNN)Rebels attacked Goma on Monday. Three people died.",
        references=["Rebels attacked Goma .", "Three died in a rebel attack on Goma ."],
        labelled=["summary"],
    )


def test_summeval_systems_keep_the_expert_ratings(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "summeval_dev.jsonl", [SUMMEVAL_ROW])
    (item,) = load_summeval_systems(tmp_path)  # the folder: the default file name is used
    assert item == SummEvalItem(
        fixture=summeval_fixture(SUMMEVAL_ROW, 1),
        systems=[
            SystemSummary(
                system="M0",
                summary="rebels attacked goma .",
                coherence=4.0,
                consistency=5.0,
                fluency=4.666666666666667,
                relevance=3.3333333333333335,
            ),
            SystemSummary(
                system="M23",
                summary="three people died .",
                coherence=2.0,
                consistency=5.0,
                fluency=5.0,
                relevance=2.0,
            ),
        ],
    )
    assert load_summeval_systems(path) == [item]


def test_fnc1_row_maps_headlines_to_claims() -> None:
    row = {
        "body_id": "712",
        "body": "A man was found alive after 60 days at sea.\n\nHe was rescued by fishermen.",
        "headlines": [
            {"headline": "Castaway rescued after 60 days", "stance": "agree"},
            {"headline": "Castaway story is a hoax", "stance": "disagree"},
            {"headline": "Apple unveils a new watch", "stance": "unrelated"},
        ],
    }
    assert fnc1_fixture(row, 3) == Fixture(
        id="fnc1-712",
        source="fnc1 dev",
        topic="news",
        text="A man was found alive after 60 days at sea.\n\nHe was rescued by fishermen.",
        claims=[
            GoldClaim(claim="Castaway rescued after 60 days", label="agree"),
            GoldClaim(claim="Castaway story is a hoax", label="disagree"),
            GoldClaim(claim="Apple unveils a new watch", label="unrelated"),
        ],
        labelled=["claims"],
    )


def _wikievents_row() -> dict[str, Any]:
    # As in the real files: ``text`` is the sentence texts concatenated, while the token
    # offsets index the original document (here 5 characters further on in sentence 2).
    first = "Rebels attacked Goma with rockets. "
    second = "Three people died."
    tokens1 = [
        ["Rebels", 0, 6],
        ["attacked", 7, 15],
        ["Goma", 16, 20],
        ["with", 21, 25],
        ["rockets", 26, 33],
        [".", 33, 34],
    ]
    tokens2 = [["Three", 40, 45], ["people", 46, 52], ["died", 53, 57], [".", 57, 58]]
    doc = "Doc.1"

    def entity(n: int, start: int, text: str) -> dict[str, Any]:
        return {
            "id": f"{doc}-T{n}",
            "sent_idx": 0,
            "start": start,
            "end": start + 1,
            "entity_type": "PER",
            "mention_type": "NAM",
            "text": text,
        }

    def arg(n: int, role: str) -> dict[str, Any]:
        return {"entity_id": f"{doc}-T{n}", "role": role, "text": "(ignored)"}

    died = {
        "id": f"{doc}-E2",
        "event_type": "Life.Die.Unspecified",
        "trigger": {"start": 8, "end": 9, "text": "died", "sent_idx": 1},
        "arguments": [arg(4, "Victim"), arg(1, "Killer")],
    }
    return {
        "doc_id": doc,
        "tokens": [t[0] for t in tokens1 + tokens2],
        "text": first + second,
        "sentences": [[tokens1, first], [tokens2, second]],
        "entity_mentions": [
            entity(1, 0, "Rebels"),
            entity(2, 2, "Goma"),
            entity(3, 4, "rockets"),
            entity(4, 7, "people"),
        ],
        "relation_mentions": [],
        "event_mentions": [
            {
                "id": f"{doc}-E1",
                "event_type": "Conflict.Attack.DetonateExplode",
                "trigger": {"start": 1, "end": 2, "text": "attacked", "sent_idx": 0},
                "arguments": [arg(3, "Instrument"), arg(2, "Place"), arg(1, "Attacker")],
            },
            died,
            {**died, "id": f"{doc}-E3"},  # the same event twice: kept once
        ],
    }


def test_wikievents_row_maps_event_mentions_with_our_sentence_numbers() -> None:
    fixture = wikievents_fixture(_wikievents_row(), 1)
    assert fixture == Fixture(
        id="wikievents-doc-1",
        source="wikievents dev",
        topic="conflict",
        text="Rebels attacked Goma with rockets. Three people died.",
        events=[
            GoldEvent(
                actors=["Rebels"],
                action="attack",
                action_aliases=["attacked", "detonate explode"],
                targets=[],
                location="Goma",
                status="happened",
                sentences=[1],
            ),
            GoldEvent(
                actors=["Rebels"],
                action="die",
                action_aliases=["died"],
                targets=["people"],
                status="happened",
                sentences=[2],
            ),
        ],
        labelled=["events"],
    )


def test_wikievents_refuses_tokens_that_are_not_in_the_text() -> None:
    row = _wikievents_row()
    row["sentences"][1][0][1] = ["people", 47, 53]  # one character off
    with pytest.raises(ValueError, match="token 'people' is not at offset 42"):
        wikievents_fixture(row, 1)
    row = _wikievents_row()
    row["text"] = row["text"].replace("Three", "Four!")
    with pytest.raises(ValueError, match=r"sentence 'Three people died\.' is not at offset 35"):
        wikievents_fixture(row, 1)


ECBPLUS_SENTENCES = [
    "http : / / www . example . com / 2013 / 08 / boston - arrest . html",
    "Police arrested a man in Boston on Monday .",
    "Officers did not shoot him , calling it a robbery .",
    "He was released later .",
]


def _ecb_mention(m_id: int, tag: str, text: str, sentence: int) -> dict[str, Any]:
    return {
        "m_id": str(m_id),
        "tag": tag,
        "text": text,
        "sentence": sentence,
        "cross_doc_instance": None,
    }


def test_ecbplus_row_maps_actions_of_annotated_sentences() -> None:
    row = {
        "doc": "36_4ecbplus.xml",
        "topic": "36",
        "sentences": ECBPLUS_SENTENCES,
        "annotated_sentences": [1, 2],
        "mentions": [
            _ecb_mention(1, "ACTION_OCCURRENCE", "arrested", 1),
            _ecb_mention(2, "TIME_DATE", "on Monday", 1),
            _ecb_mention(3, "HUMAN_PART_PER", "a man", 1),
            _ecb_mention(4, "HUMAN_PART_ORG", "Police", 1),
            _ecb_mention(5, "LOC_GEO", "in Boston", 1),
            _ecb_mention(6, "NEG_ACTION_OCCURRENCE", "shoot", 2),
            _ecb_mention(7, "HUMAN_PART_PER", "Officers", 2),
            _ecb_mention(8, "HUMAN_PART_PER", "him", 2),
            _ecb_mention(9, "ACTION_GENERIC", "robbery", 2),  # no particular event
            _ecb_mention(10, "NON_HUMAN_PART", "it", 2),
            _ecb_mention(11, "ACTION_OCCURRENCE", "released", 3),  # not annotated
        ],
    }
    text = "\n".join(ECBPLUS_SENTENCES)
    arrest, shoot = _number_of(text, "Police arrested"), _number_of(text, "Officers did")
    assert arrest > 2  # our splitter cuts the URL line: ECB+ sentence 1 is not ours
    assert ecbplus_fixture(row, 1) == Fixture(
        id="ecbplus-36_4ecbplus",
        source="ecbplus dev",
        topic="news",
        text=text,
        notes=f"ECB+ annotates only some sentences: gold events come from sentence(s) "
        f"{arrest}, {shoot} only; predictions citing other sentences are not errors.",
        events=[
            GoldEvent(
                actors=["Police", "a man"],
                action="arrested",
                time_text="on Monday",
                location="in Boston",
                status="happened",
                sentences=[arrest],
            ),
            GoldEvent(
                actors=["Officers", "him"],
                action="shoot",
                targets=["it"],
                status="denied",
                sentences=[shoot],
            ),
        ],
        labelled=["events"],
    )


def test_ecbplus_document_without_annotated_sentences_labels_nothing() -> None:
    row = {
        "doc": "20_10ecbplus.xml",
        "topic": "20",
        "sentences": ECBPLUS_SENTENCES,
        "annotated_sentences": [],
        "mentions": [_ecb_mention(1, "ACTION_OCCURRENCE", "arrested", 1)],
    }
    fixture = ecbplus_fixture(row, 1)
    assert fixture.events == [] and fixture.labelled == [] and fixture.topic == "disaster"


def _span(text: str, part: str, **more: str) -> dict[str, Any]:
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part), **more}


def test_casie_row_maps_events_by_realis_and_role() -> None:
    text = (
        "Acme Corp said hackers stole customer data in March. The firm patched the flaw on "
        "Friday. Ransomware attacks are common."
    )
    row = {
        "id": "1069",
        "title": "Acme breach | SecurityWeek.Com",
        "date": "2017_03_14",
        "url": "http://example.com/acme",
        "text": text,
        "offsets_ok": True,
        "events": [
            {
                "hopper": 0,
                "type": "Attack",
                "subtype": "Databreach",
                "realis": "Actual",
                "trigger": _span(text, "stole"),
                "arguments": [
                    _span(text, "customer data", role="Compromised-Data", type="Data"),
                    _span(text, "hackers", role="Attacker", type="Person"),
                    _span(text, "March", role="Time", type="Time"),
                    _span(text, "Acme Corp", role="Victim", type="Organization"),
                ],
            },
            {
                "hopper": 1,
                "type": "Vulnerability-related",
                "subtype": "PatchVulnerability",
                "realis": "Other",
                "trigger": _span(text, "patched"),
                "arguments": [
                    _span(text, "The firm", role="Releaser", type="Organization"),
                    _span(text, "the flaw", role="Vulnerability", type="Vulnerability"),
                    _span(text, "Friday", role="Time", type="Time"),
                ],
            },
            {
                "hopper": 2,
                "type": "Attack",
                "subtype": "Ransom",
                "realis": "Generic",
                "trigger": _span(text, "Ransomware attacks"),
                "arguments": [_span(text, "Ransomware", role="Tool", type="Malware")],
            },
        ],
    }
    assert casie_fixture(row, 1) == Fixture(
        id="casie-1069",
        source="casie dev",
        topic="cybersecurity",
        title="Acme breach | SecurityWeek.Com",
        published=dt.date(2017, 3, 14),
        text=text,
        events=[
            GoldEvent(
                actors=["hackers"],
                action="data breach",
                action_aliases=["stole"],
                targets=["Acme Corp", "customer data"],
                time_text="March",
                status="happened",
                sentences=[1],
            ),
            GoldEvent(
                actors=["The firm"],
                action="patch vulnerability",
                action_aliases=["patched"],
                targets=["the flaw"],
                time_text="Friday",
                status="possible",
                sentences=[2],
            ),
        ],
        labelled=["events"],
    )


def test_sentence_number_maps_character_offsets() -> None:
    text = "First one here.  Second one here.\n\nThird."
    article = Article.from_text(text)
    assert [sentence_number(article, text.index(w)) for w in ("one", "Second", "Third")] == [
        1,
        2,
        3,
    ]
    assert sentence_number(article, text.index("  Second")) == 1  # a gap: the one before
    assert sentence_number(article, 0) == 1


def test_fixture_ids_are_lowercase_and_safe() -> None:
    assert fixture_id("wikievents", "20_VOA_EN_NW_2016.11.17.3601570") == (
        "wikievents-20_voa_en_nw_2016-11-17-3601570"
    )
    assert fixture_id("fnc1", 17) == "fnc1-17"


# --- loading and errors ---------------------------------------------------------------------


def test_load_dataset_reads_a_file_or_a_folder_and_honours_limit(tmp_path: Path) -> None:
    rows = [SUMMEVAL_ROW, {**SUMMEVAL_ROW, "id": "dm-test-2"}]
    path = _write_jsonl(tmp_path / "summeval_dev.jsonl", rows)
    assert [f.id for f in load_dataset("summeval", path)] == [
        "summeval-cnn-test-abc123",
        "summeval-dm-test-2",
    ]
    assert load_dataset("summeval", tmp_path) == load_dataset("summeval", path)
    assert len(load_dataset("summeval", path, limit=1)) == 1


def test_unknown_dataset_name_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown dataset 'cnndm'"):
        load_dataset("cnndm", tmp_path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="fnc1 data file not found"):
        load_dataset("fnc1", tmp_path)
    with pytest.raises(InputError, match="not found"):
        load_summeval_systems(tmp_path / "nowhere.jsonl")


FNC1_GOOD_ROW = {
    "body_id": "1",
    "body": "Text.",
    "headlines": [{"headline": "H", "stance": "agree"}],
}


def test_invalid_json_line_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "fnc1_dev.jsonl"
    good = json.dumps(FNC1_GOOD_ROW)
    path.write_text(f"{good}\n\n{{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3: invalid JSON"):
        load_dataset("fnc1", path)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ({"body_id": "2", "headlines": []}, "missing field 'body'"),
        ({"body_id": "2", "body": "  \n ", "headlines": []}, "field 'body' is empty"),
        (
            {"body_id": "2", "body": "Text.", "headlines": [{"headline": "H", "stance": "yes"}]},
            "label",
        ),
        (["not", "an", "object"], "expected a JSON object"),
    ],
)
def test_unmappable_row_is_an_input_error_naming_the_line(
    tmp_path: Path, row: Any, why: str
) -> None:
    path = _write_jsonl(tmp_path / "fnc1_dev.jsonl", [FNC1_GOOD_ROW, row])
    with pytest.raises(InputError, match="line 2") as raised:
        load_dataset("fnc1", path)
    assert why in str(raised.value)


def test_duplicate_ids_are_an_input_error(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "summeval_dev.jsonl", [SUMMEVAL_ROW, SUMMEVAL_ROW])
    with pytest.raises(InputError, match="line 2: duplicate id"):
        load_dataset("summeval", path)


def test_unknown_casie_realis_is_an_input_error(tmp_path: Path) -> None:
    text = "Hackers stole data."
    event = {
        "hopper": 0,
        "type": "Attack",
        "subtype": "Databreach",
        "realis": "Maybe",
        "trigger": _span(text, "stole"),
        "arguments": [],
    }
    path = _write_jsonl(
        tmp_path / "casie_dev.jsonl", [{"id": "9", "text": text, "events": [event]}]
    )
    with pytest.raises(InputError, match=r"line 1: .*unknown CASIE realis 'Maybe'"):
        load_dataset("casie", path)


# --- the real files -----------------------------------------------------------------------


def _line_count(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.mark.parametrize("name", DATASETS)
def test_every_real_row_loads_as_a_valid_fixture(shared_data: Path, name: str) -> None:
    fixtures = load_dataset(name, shared_data)
    file = dataset_file(name)
    assert len(fixtures) == _line_count(shared_data / f"{file.replace('-', '_')}_dev.jsonl") > 0
    assert len({f.id for f in fixtures}) == len(fixtures)
    for fixture in fixtures:
        assert Fixture.model_validate_json(fixture.model_dump_json()) == fixture
        assert fixture.id.startswith(f"{file}-") and fixture.source == f"{name} dev"
        sentences = {s.number for s in Article.from_text(fixture.text).sentences}
        for event in fixture.events:
            assert event.sentences and set(event.sentences) <= sentences, (fixture.id, event)


@pytest.mark.parametrize("name", ["wikievents", "ecbplus", "casie"])
def test_real_event_datasets_have_events(shared_data: Path, name: str) -> None:
    fixtures = load_dataset(name, shared_data)
    assert all(f.labelled in (["events"], []) for f in fixtures)
    assert sum(len(f.events) for f in fixtures) >= 100


def test_real_summeval_has_16_rated_systems_per_article(shared_data: Path) -> None:
    items = load_summeval_systems(shared_data)
    assert len(items) == _line_count(shared_data / "summeval_dev.jsonl")
    for item in items:
        assert len(item.systems) == 16
        assert len({s.system for s in item.systems}) == 16
        assert all(1 <= getattr(s, r) <= 5 for s in item.systems for r in RATINGS)
        assert item.fixture.labelled == ["summary"] and len(item.fixture.references) == 11


def test_real_fnc1_labels_are_the_four_labels(shared_data: Path) -> None:
    fixtures = load_dataset("fnc1", shared_data)
    labels = {c.label for f in fixtures for c in f.claims}
    assert labels <= FNC1_LABELS and len(labels) == 4
    assert all(f.claims and f.labelled == ["claims"] for f in fixtures)


def test_real_casie_dates_and_titles(shared_data: Path) -> None:
    fixtures = load_dataset("casie", shared_data, limit=5)
    assert len(fixtures) == 5
    assert all(f.published is not None and f.published.year >= 2010 for f in fixtures)
    assert all(f.title for f in fixtures)


def test_the_cli_offers_every_dataset() -> None:
    from summarizer.evaluation.cli import DATASET_NAMES

    assert tuple(DATASET_NAMES) == (*DATASETS, "ecbplus-topics")
