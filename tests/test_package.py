"""The public surface: exported names, JSON Schema files, and what the wheel carries."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import summarizer
from summarizer.resources import data_dir
from summarizer.schemas_export import stale_schemas
from tests.conftest import ROOT

DOCUMENTED = {
    "Analysis",
    "Article",
    "ArticleInfo",
    "AsyncSummarizer",
    "Attribution",
    "ClaimStance",
    "ConfigError",
    "EndpointError",
    "Event",
    "InputError",
    "KeyPoint",
    "Metadata",
    "ModelError",
    "ModelNotFoundError",
    "ExtractiveWarning",
    "OutputError",
    "OutputTruncatedError",
    "Settings",
    "Span",
    "Stance",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "Usage",
    "UsageError",
    "analyze",
    "arun_batch",
    "run_batch",
    "BatchRecord",
    "BatchSummary",
    "ResponseCache",
    "Story",
    "StoryEvent",
    "StorySettings",
    "Storylines",
    "build_storylines",
    "storylines_from_file",
    "update_storylines",
    "write_storylines",
}


def test_exported_names_are_the_documented_ones() -> None:
    assert set(summarizer.__all__) == DOCUMENTED
    assert summarizer.__all__ == sorted(summarizer.__all__)
    assert all(hasattr(summarizer, name) for name in summarizer.__all__)


def test_errors_share_one_base() -> None:
    errors = [getattr(summarizer, n) for n in DOCUMENTED if n.endswith("Error")]
    assert all(issubclass(e, summarizer.SummarizerError) for e in errors)


def test_json_schemas_match_the_models() -> None:
    assert stale_schemas(data_dir("schemas")) == [], "run `make schemas` and commit schemas/"


@pytest.mark.slow
def test_wheel_carries_prompts_and_schemas(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("summarizer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "prompts").glob("*.j2"):
        assert f"summarizer/prompts/{template.name}" in names
    for schema in (ROOT / "schemas").glob("*.json"):
        assert f"summarizer/schemas/{schema.name}" in names
