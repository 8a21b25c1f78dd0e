"""Measure the names found in Korean, Chinese, Japanese and Russian fixtures against
their hand-labelled names, and choose how far a name runs on, on the tuning half only.

    python scripts/measure_names.py [--half tune|report] [--fixtures evals/fixtures]

Gold names of a fixture are its events' actors and places and its stances' holders (the
slots the candidates fill). A found name is right when it is the same entity as one of
the fixture's names or aliases (the scorer's name match, 0.8), and a gold name is found
when a found name is the same entity. For each language, each number of characters of a
short noun or suffix that continues a name (:data:`SUFFIX_CHOICES`) is scored by the F1
of the two; the choice is the best on the tuning half (the fewest characters among
ties), pooled over the languages where one has no fixture in the half. Exits 1 when the
choice is not what ``summarizer/morphology/names.py`` ships. The output is committed as
``evals/reference/names-by-language.txt``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from summarizer.evaluation.fixtures import Fixture, load_fixtures
from summarizer.evaluation.halves import select
from summarizer.evaluation.scorers import _AliasIndex
from summarizer.morphology import ANALYSED, names
from summarizer.morphology.names import BARE, SUFFIX_CHARS

ROOT = Path(__file__).resolve().parent.parent
SUFFIX_CHOICES = (0, 1, 2, 3)
CHOICES = [(c, b) for c in SUFFIX_CHOICES for b in (False, True) if c or not b]


def gold_names(fixture: Fixture) -> set[str]:
    found = {a for e in fixture.events for a in e.actors}
    found |= {e.location for e in fixture.events if e.location}
    return found | {s.holder for s in fixture.stances}


def entities(fixture: Fixture) -> set[str]:
    found = gold_names(fixture) | {t for e in fixture.events for t in e.targets}
    found |= {s.target for s in fixture.stances}
    return found | {v for k, others in fixture.aliases.items() for v in (k, *others)}


def score(fixture: Fixture, suffix_chars: int, bare: bool) -> tuple[int, int, int, int]:
    """(gold names found, gold names, found names right, found names)."""
    index = _AliasIndex.of(fixture.aliases)
    written = names(fixture.text, fixture.language, suffix_chars, bare)
    found = list(dict.fromkeys(n.text for n in written))
    gold, known = gold_names(fixture), entities(fixture)
    hit = sum(1 for g in gold if any(index.same(c, g) for c in found))
    right = sum(1 for c in found if any(index.same(c, e) for e in known))
    return hit, len(gold), right, len(found)


def f1(hit: int, gold: int, right: int, found: int) -> float:
    recall, precision = hit / gold if gold else 0.0, right / found if found else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("tune", "report"), default="tune")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "evals" / "fixtures")
    options = parser.parse_args()
    fixtures = [f for f in select(load_fixtures(options.fixtures), options.half)]
    fixtures = [f for f in fixtures if f.language in ANALYSED]
    totals: dict[tuple[str, int, bool], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    print(f"half: {options.half}; fixtures: {', '.join(f.id for f in fixtures)}\n")
    print("| language | suffix characters | also bare | gold found | found right | F1 |")
    print("|---|---|---|---|---|---|")
    for language in sorted({f.language for f in fixtures}):
        for chars, bare in CHOICES:
            for fixture in (f for f in fixtures if f.language == language):
                for i, value in enumerate(score(fixture, chars, bare)):
                    totals[(language, chars, bare)][i] += value
                    totals[("all", chars, bare)][i] += value
    for (language, chars, bare), (hit, gold, right, found) in sorted(totals.items()):
        print(
            f"| {language} | {chars} | {'yes' if bare else 'no'} | {hit}/{gold} | "
            f"{right}/{found} | {f1(hit, gold, right, found):.3f} |"
        )
    if options.half != "tune":
        return 0
    best = max(CHOICES, key=lambda c: (round(f1(*totals[("all", *c)]), 3), -c[0], -c[1]))
    print(f"\nchosen (all languages pooled): {best}; shipped: {(SUFFIX_CHARS, BARE)}")
    return 0 if best == (SUFFIX_CHARS, BARE) else 1


if __name__ == "__main__":
    sys.exit(main())
