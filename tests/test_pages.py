"""The HTML pages people read, opened in a real browser: Debian's headless chromium.

Each page must load without a console error and show its tables. CI installs chromium
and chromium-driver (.ci/run); elsewhere the test is skipped when they are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_storylines import DATA, records  # noqa: F401  (the module's fixture)

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        pytest.fail("CI needs chromium and chromium-driver (installed by .ci/run)")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # The flags a closed network needs: no background fetches to Google's hosts.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, page: Path) -> list[dict[str, Any]]:
    """Open ``page``; the console's errors while it loaded."""
    browser.get_log("browser")  # what an earlier page left
    browser.get(page.resolve().as_uri())
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_a_planted_console_error_is_caught(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>undefinedFunction()</script></body></html>")
    errors = _open(browser, page)
    assert errors and "undefinedFunction" in errors[0]["message"]


def test_storylines_page_shows_stories_and_events(
    browser: Any,
    records: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "storylines.html"
    done = subprocess.run(
        [
            sys.executable, "-m", "summarizer", "storylines", str(records),
            "-o", str(tmp_path / "s.json"), "--html", str(page), "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _open(browser, page) == []
    stories = browser.find_elements(By.CSS_SELECTOR, "details.story")
    assert len(stories) == len(json.loads((tmp_path / "s.json").read_text())["stories"])
    shown = browser.find_element(By.TAG_NAME, "body").text
    assert "date differs: 2008-11-15 (tanker-1); 2008-11-16 (tanker-2)" in shown
    assert page.stat().st_size < 2_000_000


def _large_storylines(articles: int, per_story: int) -> Any:
    """Storylines of ``articles`` articles in stories of ``per_story``, each with events
    whose mentions quote long sentences: what a day of a national feed makes."""
    from summarizer.schema import Span
    from summarizer.storylines.schema import (
        EventMention,
        Story,
        StoryEvent,
        Storylines,
        StorylinesMetadata,
    )

    quote = "A long sentence of the article that reports the event in many words. " * 3
    stories = []
    for s in range(articles // per_story):
        ids = [f"a{s}-{i}" for i in range(per_story)]
        events = [
            StoryEvent(
                id=f"story-{s}/event-{e}",
                mentions=[
                    EventMention(
                        article=a,
                        event=e,
                        evidence=[Span(text=quote, start=0, end=len(quote), sentence=1)],
                    )
                    for a in ids
                ],
                actors=["Maria Lopez", "the city council"],
                action="approved",
                date=None,
                location="Valencia",
                status="happened",
                conflicts=[],
                stances=[],
            )
            for e in range(20)
        ]
        stories.append(
            Story(id=f"story-{s}", title=f"Story {s} of the day", articles=ids, events=events)
        )
    metadata = StorylinesMetadata(
        articles=articles, stories=len(stories), skipped=0, model="m", events=20 * len(stories),
        kind_threshold=0.05,
        story_threshold=0.1, latency_s=0.0,
    )  # fmt: skip
    return Storylines(stories=stories, metadata=metadata)


def test_a_storylines_page_of_ten_thousand_articles_stays_small(
    browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    from summarizer.storylines.page import storylines_page

    storylines = _large_storylines(10_000, 5)
    page = storylines_page(storylines, tmp_path / "large.html")
    # Unbounded, the events alone would take over 40 MB; every story is still listed.
    assert page.stat().st_size < 2_000_000
    assert _open(browser, page) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "details.story")) == 2_000
    shown = browser.find_element(By.TAG_NAME, "body").text
    assert "events of the smaller stories are left off this page" in shown


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_storylines_eval_report_shows_its_tables(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    done = subprocess.run(
        [
            sys.executable, "-m", "summarizer", "eval", str(DATA), "--dataset",
            "ecbplus-topics", "--half", "tune", "--systems", "rules", "--out",
            str(tmp_path / "run"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _open(browser, tmp_path / "run" / "report.html") == []
    for table in ("stories", "events_gold", "events_predicted"):
        rows = browser.find_elements(By.CSS_SELECTOR, f"table#{table} tr")
        assert len(rows) >= 3, table


def test_eval_report_shows_metrics_and_items(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    done = subprocess.run(
        [
            sys.executable, "-m", "summarizer", "eval", "evals/fixtures", "--systems",
            "lead3,rules", "--out", str(tmp_path / "run"), "--no-cache", "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = tmp_path / "run" / "report.html"
    assert _open(browser, page) == []
    assert browser.find_elements(By.TAG_NAME, "table")
    assert len(browser.find_elements(By.TAG_NAME, "details")) >= 10
    assert page.stat().st_size < 2_000_000


from tests.test_report import (  # noqa: E402  (the report tests' runs and plants)
    BIG,
    FIXTURES,
    PLANTED_DIFF,
    cli,
    edited,
    plant_changes,
    runs,  # noqa: F401  (the module's fixture)
)


def test_compare_page_and_prompt_variants_show_in_the_browser(
    browser: Any,
    runs: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    diffs = {"rules": {"summary.j2": PLANTED_DIFF}}
    after = edited(runs["b"], tmp_path / "b", plant_changes, prompt_diffs=diffs)
    page = tmp_path / "compare.html"
    done = cli("compare", str(runs["a"]), str(after), "--system", "rules", "--html", str(page))
    assert done.returncode == 0, done.stderr
    assert _open(browser, page) == []
    rows = browser.find_elements(By.CSS_SELECTOR, "table#changes tr")
    assert len(rows) >= 20 and all(row.is_displayed() for row in rows)
    items = browser.find_elements(By.CSS_SELECTOR, "details.item")
    assert items and items[0].find_element(By.TAG_NAME, "summary").text.startswith(BIG)
    assert "PLANTED <script>alert('x')</script>" in items[0].text
    added = browser.find_element(By.CSS_SELECTOR, "pre.diff span.add")
    assert added.is_displayed() and "<script>alert('diff')</script>" in added.text
    assert page.stat().st_size < 2_000_000

    # The run's report as the CLI writes it: rescore renders it from the run's summary.
    run = edited(runs["a"], tmp_path / "a", lambda line: None, prompt_diffs=diffs)
    done = cli("rescore", str(run), str(FIXTURES))
    assert done.returncode == 0, done.stderr
    report = run / "report.html"
    assert _open(browser, report) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "table#metrics tr[data-metric]")) > 20
    charts = browser.find_elements(By.CSS_SELECTOR, "table#metrics svg.dist")
    assert len(charts) > 20 and all(c.size["height"] > 20 and c.size["width"] > 150 for c in charts)
    variants = browser.find_element(By.ID, "prompt-variants")
    assert variants.is_displayed()
    shown = browser.find_element(By.CSS_SELECTOR, "pre.diff").text
    assert "+Keep it <script>alert('diff')</script> short & plain." in shown
    assert report.stat().st_size < 2_000_000
