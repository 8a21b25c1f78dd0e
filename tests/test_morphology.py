"""Names and rule events in Korean, Chinese, Japanese and Russian by their analysers
(kiwipiepy, jieba, fugashi with unidic-lite, pymorphy3), and the message where an
optional analyser is not installed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.article import Article
from summarizer.evaluation.fixtures import Fixture, load_fixtures
from summarizer.evaluation.systems import article_of
from summarizer.morphology import ANALYSED, missing_extra, names, tokens
from summarizer.rules import rule_items

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = [f for f in load_fixtures(ROOT / "evals" / "fixtures") if f.language in ANALYSED]


def _fixture(name: str) -> Fixture:
    return next(f for f in FIXTURES if f.id == name)


@pytest.mark.parametrize(
    ("language", "sentence", "expected", "not_expected"),
    [
        # a person with a particle attached (박정훈은), places; 해수부 is a common noun
        ("ko", "우리 측 수석대표인 박정훈 해수부 국제원양정책관은 말했다.", ["박정훈"], ["해수부"]),
        # a surname tagged alone joined to its given name; a province and its city
        ("zh", "中方首席代表赵立新表示，会议在山东青岛举行。", ["赵立新", "山东青岛"], ["表示"]),
        # a katakana name joined by its dot; a prefecture written with its suffix
        (
            "ja",
            "米国人観光客のマイケル・ブラウンさんは宮崎県で話した。",
            ["マイケル・ブラウンさん", "宮崎県"],
            ["観光客"],
        ),
        # initials and a declined surname; a capitalised first word that is no name
        (
            "ru",
            "Суд признал А. В. Петрова виновным и обязал его возместить ущерб мэрии Новосибирска.",
            ["А. В. Петрова", "Новосибирска"],
            ["Суд"],
        ),
    ],
)
def test_names_come_from_the_analysers_proper_noun_tags(
    language: str, sentence: str, expected: list[str], not_expected: list[str]
) -> None:
    found = [n.text for n in names(sentence, language)]
    for name in expected:
        assert name in found, (name, found)
    for word in not_expected:
        assert word not in found, (word, found)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_tokens_and_names_are_spans_of_the_text(fixture: Fixture) -> None:
    found = tokens(fixture.text, fixture.language)
    assert found
    assert all(fixture.text[t.start : t.end] == t.text for t in found)
    assert [t.start for t in found] == sorted(t.start for t in found)
    written = names(fixture.text, fixture.language)
    assert written and all(fixture.text[n.start : n.end] == n.text for n in written)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_rule_events_and_stances_exist_and_name_only_what_the_article_writes(
    fixture: Fixture,
) -> None:
    article = article_of(fixture)
    events, stances = rule_items(article)
    assert events, fixture.id
    for event in events:
        assert event.action and event.action in article.text
        for name in [*event.actors, *event.targets]:
            assert name in article.text
        assert event.status_confidence is None
    for stance in stances:
        assert stance.holder in article.text and stance.target in article.text
        assert stance.position_confidence is None


def test_korean_reported_speech_is_a_stance_of_its_speaker() -> None:
    article = article_of(_fixture("diplomacy-ko-yellow-sea-fisheries"))
    _, stances = rule_items(article)
    held = {(s.holder, s.evidence[0].sentence) for s in stances}
    # “...”고 말했다: the speaker named before the quotation holds it.
    assert ("박정훈", 8) in held


def test_a_russian_name_in_quotation_marks_acts_and_a_dateline_takes_no_part() -> None:
    text = (
        "АРХАНГЕЛЬСК, 14 ноября — Лесопромышленная компания «Северолесхим» объявила в "
        "четверг, что остановит Онежский целлюлозно-бумажный комбинат."
    )
    (event,), _ = rule_items(Article.from_text(text, language="ru"))
    # «Северолесхим» is a name, not a quotation; the company's descriptor is not who
    # acted, the filing place is not a participant, and the object follows the verb.
    assert event.actors == ["Северолесхим"]
    assert event.targets and event.targets[0].startswith("Онежский")


def test_a_missing_optional_analyser_is_named_with_what_to_install() -> None:
    # kiwipiepy made unimportable, as on an install without the `korean` extra.
    code = """
import sys
sys.modules["kiwipiepy"] = None
from summarizer.morphology import missing_extra, names, tokens
from summarizer import Summarizer
text = ("해양수산부는 5일 중국 칭다오에서 열린 회의에서 어업 협상을 타결했다고 밝혔다. "
        "박정훈 국제원양정책관은 성과가 크다고 말했다.")
assert tokens(text, "ko") is None and names(text, "ko") == []
from summarizer.words import content_stems
# The claim gate falls back on the words as written.
assert content_stems("해양수산부는 협상을", "ko") == ["해양수산부는", "협상을"]
with Summarizer(summary="lead", extractor="rule", headline="rule") as client:
    result = client.analyze(text)
print(missing_extra("ko"))
print(result.events == [] and result.stances == [])
print([w for w in result.metadata.warnings if "kiwipiepy" in w][0])
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr
    message, empty, warning = done.stdout.strip().splitlines()[-3:]
    assert message == (
        "names and words of this language need kiwipiepy: pip install 'summarizer[korean]'"
    )
    assert empty == "True"
    assert warning.endswith(message)
    assert missing_extra("ko") is None  # installed here (the dev extra takes `world`)


def test_the_name_choice_is_what_the_tuning_half_chose() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/measure_names.py"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shipped = (ROOT / "evals" / "reference" / "names-by-language.txt").read_text()
    assert json.dumps(done.stdout) == json.dumps(shipped)


def _measure_unsupported() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "measure_unsupported", ROOT / "scripts" / "measure_unsupported.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure_unsupported"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", ["ko", "ar", "hi"])
def test_hand_written_paraphrases_against_the_unsupported_check(language: str) -> None:
    measured = _measure_unsupported().measure(ROOT / "evals" / "paraphrases" / f"{language}.json")
    assert measured.faithful >= 10 and measured.invented >= 8
    # Every planted invented name is caught, in every language.
    assert measured.missed == []
    if language == "ko":  # names by kiwipiepy: a paraphrase that names nothing new passes
        assert measured.flagged == {}
    # Arabic and Hindi have no name tagger: every word the article lacks is counted
    # (the figures are in evals/reference/unsupported-paraphrases.txt).


def test_the_paraphrase_figures_are_the_committed_ones() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/measure_unsupported.py"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    shipped = (ROOT / "evals" / "reference" / "unsupported-paraphrases.txt").read_text()
    assert done.stdout == shipped


def test_the_by_language_table_takes_the_whole_run_and_metrics() -> None:
    run = str(ROOT / "evals" / "reference" / "rules-report")
    base = [sys.executable, "-m", "summarizer", "eval", "table", run, "--by-language", "rules"]
    shown = subprocess.run([*base, "--metrics", "event_f1"], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    rows = dict(line.strip("|").split("|")[:2] for line in shown.stdout.splitlines()[2:])
    assert {k.strip() for k in rows} >= {"en", "ko", "zh", "ja", "ru"}
    for wrong in (
        [],
        ["--metrics", "event_f1", "--half", "report"],
        ["--metrics", "event_f1", "--language", "ko"],
    ):
        done = subprocess.run([*base, *wrong], capture_output=True, text=True)
        assert done.returncode == 2 and "--by-language takes" in done.stderr
    unknown = subprocess.run(
        [*base[:-1], "pipeline", "--metrics", "event_f1"], capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "no per-language figures of 'pipeline'" in unknown.stderr


def test_storylines_weigh_the_names_of_korean_articles() -> None:
    from summarizer.storylines.stories import StoryArticle, article_tokens

    text = "해양수산부는 박정훈 정책관이 칭다오에서 합의했다고 밝혔다."
    assert article_tokens(StoryArticle("a", text, language="ko"))["names"] == ["박정훈", "칭다오"]
    assert article_tokens(StoryArticle("a", text))["names"] == []  # no language: no analyser
