"""The embedded model on articles in other languages: it writes English only, so what it
would write comes from the article instead (slow: runs the real model)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Analysis
from summarizer.article import Article
from summarizer.grounding import unsupported_content

pytestmark = pytest.mark.slow

KOREAN = [
    (
        "외교부는 5일 한중 어업 협상이 서울에서 열렸다고 밝혔다. 양국은 불법 조업 단속을 "
        "위해 공동 순찰을 하기로 합의했다. 다음 회의는 다음 달 베이징에서 열린다."
    ),
    (
        "부산시는 지난 3일 태풍 피해 복구에 120억 원을 투입한다고 발표했다. 박민수 시장은 "
        "“주민 안전이 최우선”이라고 말했다. 복구 작업은 이달 말까지 이어진다."
    ),
]


def test_a_batch_of_korean_articles_is_extractive_and_warns_once(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps({"id": f"ko-{i}", "text": t, "title": None}, ensure_ascii=False)
        for i, t in enumerate(KOREAN)
    ]
    inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            "batch",
            str(inputs),
            "-o",
            str(out),
            "-q",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    # One line for the reader, not a traceback or a source location, and only once.
    assert done.stderr.count("the embedded model writes English only") == 1
    assert "pipeline.py" not in done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["ok"] for r in records] == [True, True]
    for record, text in zip(records, KOREAN, strict=True):
        result = Analysis.model_validate(record["analysis"])
        metadata = result.metadata
        assert (metadata.language, metadata.output_language, metadata.extractive) == (
            "ko",
            "ko",
            True,
        )
        sentences = [text[s.start : s.end] for k in result.summary.key_points for s in k.evidence]
        assert result.summary.headline in text  # the first sentence: no title given
        assert all(k.text in sentences for k in result.summary.key_points)
        assert result.summary.text.startswith(result.summary.headline)
        article = Article.from_text(text)
        written = [result.summary.headline, result.summary.text]
        written += [k.text for k in result.summary.key_points]
        assert not [w for w in written if unsupported_content(article, w)]
        assert not [w for w in metadata.warnings if "names" in w]


def test_an_english_article_asked_in_french_stays_english_with_the_embedded_model() -> None:
    from summarizer import Summarizer

    text = (
        "The port of Valdra reopened on Monday after a week of strikes. Dock workers "
        "accepted a 6% pay rise, the union said. Shipping lines expect delays until Friday."
    )
    with (
        pytest.warns(UserWarning, match="English only"),
        Summarizer(output_language="fr") as client,
    ):
        result = client.analyze(text, title="Valdra port reopens")
    assert result.summary.headline == "Valdra port reopens"
    assert result.metadata.extractive and result.metadata.output_language == "fr"
    assert all(k.text in text for k in result.summary.key_points)
