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
