from __future__ import annotations

from datetime import date

import pytest

from summarizer.dates import resolve_date

PUBLISHED = date(2025, 9, 29)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunday (Sept 28)", date(2025, 9, 28)),
        ("on Sunday", date(2025, 9, 28)),
        ("Oct 31-Nov 1", date(2025, 10, 31)),
        ("Oct 31 to Nov 1", date(2025, 10, 31)),
        ("yesterday", date(2025, 9, 28)),
        ("Sept. 28, 2025", date(2025, 9, 28)),
        ("March 3, 2024", date(2024, 3, 3)),
        ("early September", None),
        ("2024", None),
        ("recently", None),
        (None, None),
        ("", None),
    ],
)
def test_times_resolve_against_the_publication_date(
    text: str | None, expected: date | None
) -> None:
    assert resolve_date(text, PUBLISHED) == expected


def test_without_a_publication_date_only_absolute_dates_resolve() -> None:
    assert resolve_date("Sept. 28, 2025", None) == date(2025, 9, 28)
