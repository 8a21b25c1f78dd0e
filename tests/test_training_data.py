"""The training data preparation (training/): the pipeline's own requests, gold fitted to
the drafts' limits, the exclusions enforced, the held-back split and the manifest."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from summarizer.article import Article
from summarizer.claim_labels import score_requests
from summarizer.drafts import EventsDraft, for_passage
from summarizer.evaluation.fixtures import GoldEvent
from summarizer.prompts import load_prompts
from summarizer.strategies import headline_request
from training import prepare, sampling
from training.events import EXTRA_ACTORS, EXTRA_EVENTS, LONG_NAMES, NO_ACTOR, events_answer
from training.examples import Builder
from training.exclusions import ExcludedError, Exclusions, check_manifest, load_exclusions
from training.headlines import as_written
from training.requests import Requests
from training.sources import ecbplus, fnc1, polnear

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "evals" / "fixtures"

EXCLUSIONS = {
    "casie": {"never_article_ids": ["4"]},
    "ecbplus": {"never_topics": ["2"], "never_documents": ["1_10ecbplus.xml"]},
    "fnc1": {"never": "competition_test_*"},
}

CASIE_TEXT = (
    "Hackers linked to the Lazarus group breached Example Corp on Monday, the company said. "
    "The attackers stole the personal data of 4,000 employees. "
    "Example Corp patched the flaw on Tuesday. "
    "Ransomware attacks on hospitals are rising."
)


def _exclusions_file(folder: Path, dev_rows: list[dict[str, Any]] | None = None) -> Path:
    """An exclusions file in a folder of its own (the folder of the dev sets)."""
    folder.mkdir(parents=True)
    path = folder / "training_exclusions.json"
    path.write_text(json.dumps(EXCLUSIONS), encoding="utf-8")
    if dev_rows:
        lines = "".join(json.dumps(row) + "\n" for row in dev_rows)
        (folder / "casie_dev.jsonl").write_text(lines, encoding="utf-8")
    return path


def _span(text: str, phrase: str, after: int = 0) -> dict[str, Any]:
    start = text.index(phrase, after)
    return {"text": phrase, "startOffset": start, "endOffset": start + len(phrase)}


def _casie_annotation(text: str = CASIE_TEXT) -> dict[str, Any]:
    """A CASIE annotation file: a breach named twice (the attacker only the first time),
    a patch, and a generic event that is no particular one."""
    second = text.index("The attackers")

    def argument(role: str, kind: str, phrase: str, after: int = 0) -> dict[str, Any]:
        return {"role": {"type": role}, "type": kind, **_span(text, phrase, after)}

    breach = [
        {
            "nugget": _span(text, "breached"),
            "subtype": "Databreach",
            "type": "Attack",
            "realis": "Actual",
            "argument": [
                argument("Attacker", "Person", "Hackers"),
                argument("Victim", "Organization", "Example Corp"),
                argument("Time", "Time", "on Monday"),
            ],
        },
        {
            "nugget": _span(text, "stole"),
            "subtype": "Databreach",
            "type": "Attack",
            "realis": "Actual",
            "argument": [argument("Compromised-Data", "PII", "the personal data", second)],
        },
    ]
    patch = {
        "nugget": _span(text, "patched"),
        "subtype": "PatchVulnerability",
        "type": "Vulnerability-related",
        "realis": "Actual",
        "argument": [
            argument("Releaser", "Organization", "Example Corp", second),
            argument("Time", "Time", "on Tuesday"),
        ],
    }
    generic = {
        "nugget": _span(text, "attacks"),
        "subtype": "Ransom",
        "type": "Attack",
        "realis": "Generic",
        "argument": [argument("Victim", "Organization", "hospitals")],
    }
    hoppers = [
        {"index": 0, "relation": "Same", "events": breach},
        {"index": 1, "relation": "Same", "events": [patch]},
        {"index": 2, "relation": "Same", "events": [generic]},
    ]
    return {
        "sourcefile": "x.txt",
        "info": {"title": "Example Corp breached", "date": "2018_11_09", "type": "text"},
        "content": text,
        "cyberevent": {"hopper": hoppers},
    }


def _casie_corpus(root: Path, ids: list[str], text: str = CASIE_TEXT) -> Path:
    folder = root / "data" / "annotation"
    folder.mkdir(parents=True)
    for article_id in ids:
        (folder / f"{article_id}.json").write_text(
            json.dumps(_casie_annotation(text)), encoding="utf-8"
        )
    return root


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _numbered(messages: list[dict[str, str]]) -> int:
    """How many numbered sentences the user message shows."""
    return len(re.findall(r"^\[\d+\] ", messages[1]["content"], flags=re.MULTILINE))


@pytest.fixture(scope="module")
def requests() -> Requests:
    return Requests()


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CI smoke set, prepared from the project's fixtures."""
    out = tmp_path_factory.mktemp("smoke")
    exclusions = _exclusions_file(tmp_path_factory.mktemp("shared") / "data")
    code = prepare.main(
        ["--fixtures", str(FIXTURES), "--out", str(out), "--exclusions", str(exclusions)]
    )
    assert code == 0
    return out


# --- CASIE: the eval's mapping, the pipeline's request, the exclusions ---------------------


def test_a_casie_article_becomes_the_pipelines_events_request_and_its_gold_answer(
    tmp_path: Path,
) -> None:
    corpus = _casie_corpus(tmp_path / "casie", ["9001"])
    exclusions = _exclusions_file(tmp_path / "shared")
    out = tmp_path / "out"
    code = prepare.main(
        ["--casie", str(corpus), "--out", str(out), "--exclusions", str(exclusions)]
    )
    assert code == 0
    (example,) = _lines(out / "train.jsonl")
    article = Article.from_text(CASIE_TEXT, title="Example Corp breached", published="2018-11-09")
    assert example["messages"] == load_prompts().messages("events", article.passage(), claims=[])
    assert (example["task"], example["source"], example["source_id"]) == (
        "events",
        "casie",
        "casie:9001",
    )
    event = {"location": None, "status": "happened"}
    # The second mention names no attacker: it has its hopper's; the generic one is left out.
    assert json.loads(example["answer"]) == {
        "events": [
            {
                "sentences": [1],
                "actors": ["Hackers"],
                "action": "data breach",
                "targets": ["Example Corp"],
                "time": "on Monday",
                **event,
            },
            {
                "sentences": [2],
                "actors": ["Hackers"],
                "action": "data breach",
                "targets": ["the personal data"],
                "time": None,
                **event,
            },
            {
                "sentences": [3],
                "actors": ["Example Corp"],
                "action": "patch vulnerability",
                "targets": [],
                "time": "on Tuesday",
                **event,
            },
        ]
    }
    assert example["answer"] == json.dumps(json.loads(example["answer"]), ensure_ascii=False)


def test_an_excluded_casie_article_is_never_read_and_is_counted(tmp_path: Path) -> None:
    corpus = _casie_corpus(tmp_path / "casie", ["4", "9001", "9002"])
    exclusions = _exclusions_file(tmp_path / "shared")
    out = tmp_path / "out"
    assert (
        prepare.main(["--casie", str(corpus), "--out", str(out), "--exclusions", str(exclusions)])
        == 0
    )
    manifest = json.loads((out / "data_manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_ids"] == ["casie:9001", "casie:9002"]
    # The same command makes the same files only with the same code: the manifest says which.
    from summarizer.cache import code_hash

    assert manifest["code"]["package_hash"] == code_hash()
    if (ROOT / ".git").exists():
        assert len(manifest["code"]["commit"]) == 40
        assert isinstance(manifest["code"]["uncommitted_changes"], bool)
    source = manifest["sources"]["casie"]
    assert source["excluded"] == {"CASIE article id set aside": {"count": 1, "ids": ["casie:4"]}}
    assert sorted(source["files"]) == ["data/annotation/9001.json", "data/annotation/9002.json"]
    written = _lines(out / "train.jsonl") + _lines(out / "heldout.jsonl")
    assert {e["source_id"] for e in written} == {"casie:9001", "casie:9002"}
    assert check_manifest(out / "data_manifest.json", load_exclusions(exclusions)) == []


def test_an_article_with_a_dev_sets_text_is_excluded_under_any_id(tmp_path: Path) -> None:
    copy = CASIE_TEXT.replace("4,000", "5,000")
    corpus = _casie_corpus(tmp_path / "casie", ["9001"])
    second = corpus / "data" / "annotation" / "9002.json"
    second.write_text(json.dumps(_casie_annotation(copy)), encoding="utf-8")
    # The dev set holds the second article's text, reflowed.
    exclusions = _exclusions_file(tmp_path / "shared", [{"id": "77", "text": copy.upper() + "\n"}])
    out = tmp_path / "out"
    assert (
        prepare.main(["--casie", str(corpus), "--out", str(out), "--exclusions", str(exclusions)])
        == 0
    )
    manifest = json.loads((out / "data_manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_ids"] == ["casie:9001"]
    excluded = manifest["sources"]["casie"]["excluded"]
    assert excluded == {"same text as a dev-set article": {"count": 1, "ids": ["casie:9002"]}}


# --- refusals: one line, no traceback, a non-zero exit -----------------------------------


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err


def test_a_forbidden_fnc1_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fnc-1"
    folder.mkdir()
    forbidden = folder / "competition_test_stances.csv"
    forbidden.write_text("Headline,Body ID,Stance\n", encoding="utf-8")
    exclusions = _exclusions_file(tmp_path / "shared")
    out = tmp_path / "out"
    code = prepare.main(
        ["--fnc1", str(forbidden), "--out", str(out), "--exclusions", str(exclusions)]
    )
    assert code == 2
    err = _error(capsys)
    assert err.startswith(f"error: refused {forbidden}: FNC-1 test data")
    assert not out.exists()


def test_the_refusal_names_the_file_and_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exclusions = _exclusions_file(tmp_path / "shared")
    dev = tmp_path / "shared" / "casie"  # inside the dev-set folder
    _casie_corpus(dev, ["9001"])
    code = prepare.main(
        ["--casie", str(dev), "--out", str(tmp_path / "out"), "--exclusions", str(exclusions)]
    )
    assert code == 2
    err = _error(capsys)
    assert err.startswith(f"error: refused {dev}") and "dev-set folder" in err


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("--casie", "is not a CASIE checkout"),
        ("--ecbplus", "ECB+ folder not found"),
        ("--fnc1", "FNC-1 folder not found"),
        ("--fixtures", "fixtures folder not found"),
    ],
)
def test_a_missing_corpus_folder_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, expected: str
) -> None:
    exclusions = _exclusions_file(tmp_path / "shared")
    missing = tmp_path / "nowhere"
    code = prepare.main(
        [option, str(missing), "--out", str(tmp_path / "out"), "--exclusions", str(exclusions)]
    )
    assert code == 2
    assert expected in _error(capsys)


def test_a_missing_exclusions_file_stops_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _casie_corpus(tmp_path / "casie", ["9001"])
    missing = tmp_path / "none.json"
    code = prepare.main(
        ["--casie", str(corpus), "--out", str(tmp_path / "out"), "--exclusions", str(missing)]
    )
    assert code == 2
    assert "exclusions file not found" in _error(capsys)


def test_fixtures_are_never_mixed_with_corpora(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _casie_corpus(tmp_path / "casie", ["9001"])
    exclusions = _exclusions_file(tmp_path / "shared")
    argv = ["--fixtures", str(FIXTURES), "--casie", str(corpus), "--out", str(tmp_path / "out")]
    assert prepare.main([*argv, "--exclusions", str(exclusions)]) == 2
    assert "on its own" in _error(capsys)


# --- FNC-1 -------------------------------------------------------------------------------

BODY = (
    "Police in the town said on Sunday that they had found the missing students alive. "
    "The students had been held in a warehouse near the river. "
    "Officials denied reports that a ransom had been paid."
)


def _fnc1_folder(folder: Path) -> Path:
    """FNC-1 train as the vijay-14 copy writes it: Body_ID, labels 0-3, CRLF."""
    folder.mkdir()
    bodies = f'Body_ID,articleBody\r\n7,"{BODY}"\r\n'
    stances = (
        "Headline,Body_ID,Stance\r\n"
        "Missing students found alive,7,0\r\n"
        "Ransom paid for missing students,7,1\r\n"
        "Students reportedly held in warehouse,7,2\r\n"
        "Apple unveils a new phone,7,3\r\n"
    )
    (folder / "train_bodies.csv").write_bytes(bodies.encode("utf-8"))
    (folder / "train_stances.csv").write_bytes(stances.encode("utf-8"))
    return folder


def test_fnc1_related_pairs_become_claim_label_requests(tmp_path: Path, requests: Requests) -> None:
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    corpus = fnc1.read(_fnc1_folder(tmp_path / "fnc1"), exclusions, check_counts=False)
    assert corpus.counts["pairs"] == 4 and corpus.counts["pairs unrelated"] == 1
    builder = Builder(requests)
    examples = list(builder.examples(corpus))
    assert [(e.task, e.source_id, e.answer) for e in examples] == [
        ("claim_label", "fnc1:body:7", "agree"),
        ("claim_label", "fnc1:body:7", "disagree"),
        ("claim_label", "fnc1:body:7", "discuss"),
        # The headline the body agrees with is a headline of it.
        ("headline", "fnc1:body:7", '{"headline": "Missing students found alive"}'),
    ]
    article = Article.from_text(BODY)
    expected = score_requests(load_prompts(), article, "Ransom paid for missing students")[0]
    assert examples[1].messages == expected.messages
    headline = headline_request(article, load_prompts(), False, tuned=True)
    assert examples[3].messages == headline.messages
    assert builder.cut["claim_label"] == Counter(
        {"unrelated claims (the lexical gate stops them before the model)": 1}
    )


POLNEAR_TEXT = (
    "Vigo County Says Trump Should Win GOP Nomination.\n\n"
    "Voters in Vigo County, which has picked every president since 1956, said on Monday "
    "that Donald Trump should win the Republican nomination. "
    "The GOP frontrunner leads there by 12 points.\n"
)


def _polnear_checkout(root: Path) -> Path:
    for split, name, text in [
        ("train", "a_2016-01-01_bellwether", POLNEAR_TEXT),
        ("train", "b_2016-01-02_invented", "Zorblax Quintavious Wins Iowa.\n\nThe caucus ended."),
        ("dev", "c_2016-01-03_dev", POLNEAR_TEXT),
    ]:
        folder = root / "data" / split / "text"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


def test_polnear_titles_become_headline_requests_on_the_untitled_article(
    tmp_path: Path, requests: Requests
) -> None:
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    corpus = polnear.read(_polnear_checkout(tmp_path / "PolNeAR"), exclusions)
    # data/dev is never read.
    assert [i.source_id for i in corpus.items] == [
        "polnear:train/a_2016-01-01_bellwether",
        "polnear:train/b_2016-01-02_invented",
    ]
    assert sorted(corpus.files) == [
        "data/train/text/a_2016-01-01_bellwether.txt",
        "data/train/text/b_2016-01-02_invented.txt",
    ]
    builder = Builder(requests)
    (example,) = list(builder.examples(corpus))
    # Sentence case: "Says" and "Should" are no names; the title line is not shown.
    assert json.loads(example.answer) == {
        "headline": "Vigo County says Trump should win GOP nomination"
    }
    assert "Nomination" not in example.messages[-1]["content"]
    article = Article.from_text(POLNEAR_TEXT.partition("\n")[2].strip())
    assert example.messages == headline_request(article, load_prompts(), False, tuned=True).messages
    # A title naming what the article lacks would teach invention: cut and counted.
    assert builder.cut["headline"] == Counter(
        {"reference headlines naming what the first sentences lack": 1}
    )


def test_polnear_dev_and_test_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = _polnear_checkout(tmp_path / "PolNeAR")
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    for forbidden in (checkout / "data" / "dev", checkout / "data" / "test" / "text"):
        with pytest.raises(ExcludedError, match="PolNeAR data/dev and data/test"):
            exclusions.refuse_path(forbidden)
    # A train article whose text is a dev article's (title line included) is left out.
    dev = tmp_path / "shared2"
    row = {"id": "dev-1", "title": "x", "text": POLNEAR_TEXT}
    corpus = polnear.read(checkout, load_exclusions(_exclusions_file(dev, [row])))
    assert corpus.excluded == {
        "same text as a dev-set article": ["polnear:train/a_2016-01-01_bellwether"]
    }


def test_reference_headlines_are_written_as_the_pipeline_writes_them() -> None:
    text = "Hillary Clinton said the U.S. must lead. The world is at war, she said."
    assert as_written('Hillary Clinton Calls On U.S. To Lead "Now".', text) == (
        "Hillary Clinton calls on U.S. to lead 'now'"
    )
    # A capitalised word the article lacks stays unless it is a common word.
    assert as_written("Clinton Slams Zorblax", text) == "Clinton slams Zorblax"
    assert as_written("Trump Wins In The U.S.", "Trump. The deal was off.") == (
        "Trump wins in the U.S."
    )


def test_an_incomplete_fnc1_train_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _fnc1_folder(tmp_path / "fnc1")
    exclusions = _exclusions_file(tmp_path / "shared")
    code = prepare.main(
        ["--fnc1", str(folder), "--out", str(tmp_path / "out"), "--exclusions", str(exclusions)]
    )
    assert code == 2
    assert "not the complete FNC-1 train" in _error(capsys)


# --- ECB+ --------------------------------------------------------------------------------


def _ecb_document(name: str) -> str:
    tokens = ["Police", "arrested", "the", "suspect", "in", "Paris", "on", "Friday", "."]
    xml = [f'<Document doc_name="{name}" doc_id="D1">']
    xml += [
        f'<token t_id="{i}" sentence="0" number="{i - 1}">{t}</token>'
        for i, t in enumerate(tokens, 1)
    ]
    marks = {
        "HUMAN_PART_ORG": [1],
        "ACTION_OCCURRENCE": [2],
        "HUMAN_PART_PER": [3, 4],
        "LOC_GEO": [6],
        "TIME_DATE": [7, 8],
    }
    xml.append("<Markables>")
    for m_id, (tag, anchors) in enumerate(marks.items(), 1):
        inner = "".join(f'<token_anchor t_id="{a}"/>' for a in anchors)
        xml.append(f'<{tag} m_id="{m_id}">{inner}</{tag}>')
    xml.append("</Markables><Relations></Relations></Document>")
    return "\n".join(xml)


def test_ecbplus_reads_training_topics_only(tmp_path: Path, requests: Requests) -> None:
    root = tmp_path / "ecbplus"
    for name in ("1_1ecb.xml", "1_10ecbplus.xml", "2_1ecb.xml"):
        folder = root / "ECB+" / name.split("_")[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(_ecb_document(name), encoding="utf-8")
    table = "Topic,File,Sentence Number\n1,1ecb,0\n1,10ecbplus,0\n2,1ecb,0\n"
    (root / "ECBplus_coreference_sentences.csv").write_text(table, encoding="utf-8")
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    corpus = ecbplus.read(root, exclusions)
    assert [i.source_id for i in corpus.items] == ["ecbplus:1_1ecb"]
    assert {k: v for k, v in corpus.excluded.items()} == {
        "ECB+ document set aside": ["ecbplus:1_10ecbplus"],
        "ECB+ dev or test topic": ["ecbplus:2_1ecb"],
    }
    assert "ECB+/2/2_1ecb.xml" not in corpus.files
    (example,) = Builder(requests).examples(corpus)
    assert json.loads(example.answer) == {
        "events": [
            {
                "sentences": [1],
                "actors": ["Police", "the suspect"],
                "action": "arrested",
                "targets": [],
                "time": "on Friday",
                "location": "Paris",
                "status": "happened",
            }
        ]
    }


# --- the events answer's limits -------------------------------------------------------------


def test_gold_is_fitted_to_the_drafts_limits_and_what_is_cut_is_counted() -> None:
    names = ["Ames", "Brill", "Cole", "Dunn", "Eads", "Ford", "Gale", "Hart", "Imes"]
    article = Article.from_text(" ".join(f"Minister {n} met the envoy." for n in names))
    passage = article.passage()
    assert len(passage) == 9
    events = [
        GoldEvent(
            actors=[f"Minister {names[n - 1]}"],
            action="met",
            targets=["the envoy"],
            status="happened",
            sentences=[n],
        )
        for n in range(9, 1, -1)  # 8 events, listed last sentence first
    ]
    events[0] = events[0].model_copy(update={"actors": ["a", "b", "c", "d"]})  # sentence 9
    events[1] = events[1].model_copy(update={"actors": ["x" * 61]})  # too long: no actor left
    events[2] = events[2].model_copy(update={"actors": ['the "Shadow" group']})  # sentence 7
    model = for_passage(EventsDraft, len(passage))
    cut: Counter[str] = Counter()
    answer = events_answer(events, passage, model, cut)
    assert answer is not None
    drafted = model.model_validate_json(answer)
    # Seven usable events, in sentence order; the seventh (sentence 9) is cut.
    assert [e.sentences for e in drafted.events] == [[2], [3], [4], [5], [6], [7]]
    assert drafted.events[-1].actors == ["the Shadow group"]  # quotes the model cannot write
    assert cut == Counter({EXTRA_EVENTS: 1, NO_ACTOR: 1, LONG_NAMES: 1, EXTRA_ACTORS: 1})


def test_a_passage_cites_its_own_numbers() -> None:
    article = Article.from_text("One met two. Three met four. Five met six.")
    passage = article.passage([2, 3])
    gold = [
        GoldEvent(
            actors=["Five"], action="met", targets=["six"], status="happened", sentences=[3, 1]
        )
    ]
    answer = events_answer(gold, passage, for_passage(EventsDraft, 2), Counter())
    assert answer is not None and json.loads(answer)["events"][0]["sentences"] == [2]


# --- the smoke set: every answer valid, the split by source, the manifest ------------------


def test_every_smoke_answer_validates_against_its_sized_response_model(smoke: Path) -> None:
    examples = _lines(smoke / "train.jsonl") + _lines(smoke / "heldout.jsonl")
    tasks = Counter(e["task"] for e in examples)
    assert tasks["events"] > 0 and tasks["claim_label"] > 0
    for example in examples:
        assert set(example) == {"task", "source", "source_id", "messages", "answer"}
        if example["task"] == "events":
            model = for_passage(EventsDraft, _numbered(example["messages"]))
            model.model_validate_json(example["answer"])
        else:
            assert example["answer"] in ("agree", "disagree", "discuss")


def test_the_held_back_slice_shares_no_article_with_training(smoke: Path) -> None:
    train = {e["source_id"] for e in _lines(smoke / "train.jsonl")}
    held = {e["source_id"] for e in _lines(smoke / "heldout.jsonl")}
    assert held and train and not train & held
    manifest = json.loads((smoke / "data_manifest.json").read_text(encoding="utf-8"))
    assert sorted(held) == manifest["heldout_source_ids"]
    assert manifest["source_ids"] == sorted(train | held)


def test_a_manifest_of_fixtures_passes_only_as_the_smoke_set(tmp_path: Path, smoke: Path) -> None:
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    manifest = smoke / "data_manifest.json"
    assert check_manifest(manifest, exclusions, allow_fixtures=True) == []
    problems = check_manifest(manifest, exclusions)
    assert problems and all("eval fixtures are not training data" in p for p in problems)


def test_check_manifest_finds_every_excluded_source(tmp_path: Path) -> None:
    exclusions = load_exclusions(_exclusions_file(tmp_path / "shared"))
    manifest = {
        "source_ids": [
            "casie:4",
            "casie:9001",
            "ecbplus:2_7ecb",
            "ecbplus:1_10ecbplus",
            "ecbplus:1_11ecbplus",
            "fnc1:body:7",
            "polnear:dev/x",
            "polnear:train/y",
            "wikievents:doc",
            "newsroom:1",
        ],
        "sources": {
            "fnc1": {"root": "/corpora/fnc-1", "files": {"competition_test_bodies.csv": "0"}},
            "polnear": {"root": "/corpora/PolNeAR", "files": {"data/test/a.ann": "0"}},
        },
    }
    path = tmp_path / "data_manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    problems = check_manifest(path, exclusions)
    flagged = [
        "casie:4:",
        "ecbplus:2_7ecb:",
        "ecbplus:1_10ecbplus:",
        "polnear:dev/x:",
        "wikievents:doc:",
        "newsroom:1: unknown source",
        "fnc1 file competition_test_bodies.csv:",
        "polnear file data/test/a.ann:",
    ]
    assert len(problems) == len(flagged)
    for start, problem in zip(flagged, problems, strict=True):
        assert problem.startswith(start), problem


# --- sampling ------------------------------------------------------------------------------


def test_the_cap_keeps_the_label_mix_and_depends_only_on_the_seed() -> None:
    items = ["discuss"] * 700 + ["agree"] * 250 + ["disagree"] * 50
    kept, dropped = sampling.capped(items, 100, seed=3, stratum=str)
    assert Counter(kept) == Counter({"discuss": 70, "agree": 25, "disagree": 5})
    assert dropped == Counter({"discuss": 630, "agree": 225, "disagree": 45})
    indexed = list(enumerate(items))
    first, _ = sampling.capped(indexed, 100, seed=3, stratum=lambda p: p[1])
    again, _ = sampling.capped(indexed, 100, seed=3, stratum=lambda p: p[1])
    other, _ = sampling.capped(indexed, 100, seed=4, stratum=lambda p: p[1])
    assert first == again and first != other


def test_held_back_takes_whole_sources_from_each_corpus() -> None:
    pairs = [("casie", f"casie:{n}") for n in range(100)] + [("fnc1", "fnc1:body:1")] * 5
    pairs += [("fnc1", "fnc1:body:2")] * 5
    held = sampling.held_back(pairs, 0.05, seed=0)
    assert len([h for h in held if h.startswith("casie")]) == 5
    assert len([h for h in held if h.startswith("fnc1")]) == 1
    assert held == sampling.held_back(list(reversed(pairs)), 0.05, seed=0)


# --- the real exclusions file ------------------------------------------------------------------


def test_the_shared_exclusions_file_is_read_whole(shared_data: Path) -> None:
    exclusions: Exclusions = load_exclusions(shared_data / "training_exclusions.json")
    assert (len(exclusions.casie_ids), len(exclusions.ecbplus_topics)) == (60, 18)
    assert len(exclusions.ecbplus_documents) == 36
    first = json.loads((shared_data / "casie_dev.jsonl").read_text("utf-8").splitlines()[0])
    assert exclusions.excluded(f"casie:{first['id']}") is not None
    assert exclusions.is_dev_text(first["text"])
    assert not exclusions.is_dev_text(CASIE_TEXT)


def _committed_adapters() -> list[Path]:
    # Every adapter committed with its run (training/adapters/NAME/).
    return sorted(p.parent for p in (ROOT / "training" / "adapters").glob("*/adapter.gguf"))


@pytest.mark.parametrize("folder", _committed_adapters(), ids=lambda p: p.name)
def test_every_committed_adapter_was_trained_on_allowed_sources_only(
    folder: Path, shared_data: Path
) -> None:
    import hashlib

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data_manifest = folder / "data_manifest.json"
    # The data manifest is the one the adapter was trained on, and it lists every source.
    digest = hashlib.sha256(data_manifest.read_bytes()).hexdigest()
    assert digest == manifest["data"]["data_manifest_sha256"]
    adapter = (folder / "adapter.gguf").read_bytes()
    assert hashlib.sha256(adapter).hexdigest() == manifest["adapter"]["sha256"]
    exclusions = load_exclusions(shared_data / "training_exclusions.json")
    assert check_manifest(data_manifest, exclusions) == []


def test_a_cap_per_task_keeps_at_most_that_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _casie_corpus(tmp_path / "casie", ["9001", "9002", "9003"])
    exclusions = _exclusions_file(tmp_path / "shared")
    out = tmp_path / "out"
    argv = ["--casie", str(corpus), "--out", str(out), "--exclusions", str(exclusions)]
    assert prepare.main([*argv, "--cap", "events=1"]) == 0
    manifest = json.loads((out / "data_manifest.json").read_text(encoding="utf-8"))
    assert manifest["caps"] == {"events": 1}
    assert manifest["examples"]["train"] + manifest["examples"]["heldout"] == 1
    assert sum(manifest["capped"]["events"].values()) == 2
    with pytest.raises(SystemExit) as stopped:
        prepare.main([*argv, "--cap", "summaries=1"])
    assert stopped.value.code == 2
    assert "unknown task 'summaries'" in capsys.readouterr().err
