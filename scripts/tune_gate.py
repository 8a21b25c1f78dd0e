"""Choose the claim gate on the tuning halves, and fit and measure the confidence of its
"unrelated" calls.

    python scripts/tune_gate.py [DATA_DIR] [--write]    # default ../shared/data

The pairs: FNC-1 dev and natural dev (English news headlines and bodies) and the
fixtures' claims (hand-written, in eleven languages: the only claims not in English).
Every claim is scored as the pipeline scores it: ``claim_labels.gate`` on the article an
eval run makes of the item (title and text, the language detected), against fixed word
weights, one claim at a time (summarizer/relatedness.py).

The choice: over the background's size (the most frequent words of the language, which
weigh by their frequency), the cosine threshold and the coverage threshold, the highest
related/unrelated accuracy over every tuning-half pair together; ties go to the smaller
background, then to the higher thresholds (fewer claims reach the model).

The confidence: a logistic regression of "unrelated" on (cosine, coverage), fitted on
the tuning pairs in English (the only language with enough of them) that the chosen gate
calls unrelated: the claims the confidence is given to. It is shipped only if it is
calibrated there: expected calibration error (10 equal bins) at most MAX_ECE, and a
Brier score below that of the best constant (the share of those calls that were right,
what the gate used to give). Otherwise the confidence is null.

The words of Chinese, Japanese and Korean: their analysers' (summarizer/words.py's
SEGMENTED) or pairs of characters, per language, by the accuracy of the chosen gate on
that language's tuning-half fixture claims; a tie goes to the analysers' words (pairs
of characters are what the gate falls back on without the language's extra).

Only tuning-half figures choose; the reporting halves are printed for the record. The
script exits 1, naming what differs, when its choice is not what
summarizer/relatedness.py ships; ``--write`` writes the choice there. Takes about 15 s
on 2 cores; its output is committed as evals/reference/tune_gate.txt.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import summarizer.words as stemming
from summarizer import claim_labels, relatedness
from summarizer.evaluation.datasets import load_dataset
from summarizer.evaluation.fixtures import Fixture, load_fixtures
from summarizer.evaluation.halves import half_of
from summarizer.evaluation.systems import article_of

ROOT = Path(__file__).resolve().parent.parent
SETS = ("fnc1", "fnc1-natural", "fixtures")
WORDS = (2000, 5000, 10000, 20000)
COSINES = np.round(np.arange(0.02, 0.301, 0.01), 2)
COVERAGES = np.round(np.arange(0.20, 1.001, 0.02), 2)
MAX_ECE = 0.02
BINS = 10
# Columns of a row: one claim.
COS, COV, RELATED, CALIBRATED = range(4)

Item = tuple[str, Fixture]  # (set, item)
Rows = dict[tuple[str, str], np.ndarray]  # (set, half) -> one row per claim
Logit = tuple[float, float, float]


def scored(items: list[Item], words: int) -> Rows:
    rows: dict[tuple[str, str], list[tuple[float, float, bool, bool]]] = {}
    for name, fixture in items:
        article = article_of(fixture)
        scores = claim_labels.gate(article, [c.claim for c in fixture.claims], words)
        calibrated = article.language in relatedness.CALIBRATED_LANGUAGES
        for score, gold in zip(scores, fixture.claims, strict=True):
            row = (score.cosine, score.coverage, gold.label != "unrelated", calibrated)
            rows.setdefault((name, half_of(fixture.id)), []).append(row)
    return {key: np.array(r, dtype=float).reshape(-1, 4) for key, r in rows.items()}


def tuning(rows: Rows) -> np.ndarray:
    return np.vstack([rows.get((name, "tune"), np.empty((0, 4))) for name in SETS])


def related(rows: np.ndarray, cosine: float, coverage: float) -> np.ndarray:
    return (rows[:, COS] >= cosine) | (rows[:, COV] >= coverage)


def accuracy(rows: np.ndarray, cosine: float, coverage: float) -> float:
    return float(np.mean(related(rows, cosine, coverage) == rows[:, RELATED]))


def probability(logit: Logit, rows: np.ndarray) -> np.ndarray:
    intercept, by_cosine, by_coverage = logit
    z = intercept + by_cosine * rows[:, COS] + by_coverage * rows[:, COV]
    return np.asarray(1 / (1 + np.exp(-z)))


def calibration(p: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """Brier score and expected calibration error (equal bins) of the probabilities ``p``
    that labels are right, against whether they were."""
    brier = float(np.mean((p - right) ** 2))
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    ece = sum(
        float(np.mean(bins == b)) * abs(float(np.mean(p[bins == b] - right[bins == b])))
        for b in range(BINS)
        if np.any(bins == b)
    )
    return brier, ece


def fit_confidence(said: np.ndarray) -> Logit:
    """The logistic regression of "unrelated" on (cosine, coverage), unpenalised, with its
    coefficients rounded as they are written into relatedness.py."""
    model = LogisticRegression(C=np.inf, max_iter=1000)
    model.fit(said[:, [COS, COV]], 1 - said[:, RELATED])
    by_cosine, by_coverage = (round(float(c), 2) for c in model.coef_[0])
    return round(float(model.intercept_[0]), 2), by_cosine, by_coverage


def calibration_line(label: str, said: np.ndarray, logit: Logit) -> str:
    if not len(said):
        return f"  {label}: no unrelated call"
    right = 1 - said[:, RELATED]
    p = probability(logit, said)
    brier, ece = calibration(p, right)
    share = float(np.mean(right))
    constant, _ = calibration(np.full(len(right), share), right)
    return (
        f"  {label}: {len(said)} unrelated calls, {share:.3f} right, mean P {np.mean(p):.3f}; "
        f"Brier {brier:.4f} (that share as a constant: {constant:.4f}), ECE {ece:.4f}"
    )


def parts(rows: Rows) -> list[tuple[str, np.ndarray]]:
    """Each set's halves, the fixtures' split into English and the other languages."""
    out = []
    for name in SETS:
        for half in ("tune", "report"):
            part = rows.get((name, half), np.empty((0, 4)))
            record = "" if half == "tune" else " (for the record)"
            if name != "fixtures":
                out.append((f"{name} {half}{record}", part))
                continue
            english = part[:, CALIBRATED] == 1
            out.append((f"fixtures in English {half}{record}", part[english]))
            out.append((f"fixtures in other languages {half}{record}", part[~english]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data", type=Path)
    parser.add_argument("--write", action="store_true", help="write the choice into relatedness.py")
    args = parser.parse_args()

    items = [(name, f) for name in SETS[:2] for f in load_dataset(name, args.data)]
    items += [("fixtures", f) for f in load_fixtures(ROOT / "evals" / "fixtures") if f.claims]
    by_words = {words: scored(items, words) for words in WORDS}
    best = max(
        (accuracy(tuning(by_words[w]), c, v), -w, float(c), float(v))
        for w in WORDS
        for c in COSINES
        for v in COVERAGES
    )
    tune_accuracy, words, cosine, coverage = best[0], -best[1], best[2], best[3]
    rows = by_words[words]
    tune = tuning(rows)
    print(f"tuning halves: {len(tune)} pairs of {', '.join(SETS)}")
    for w in WORDS:
        top = max(accuracy(tuning(by_words[w]), c, v) for c in COSINES for v in COVERAGES)
        print(f"  background of {w:5} words: best tuning accuracy {top:.4f}")
    print(
        f"chosen: BACKGROUND_WORDS = {words}, COSINE = {cosine:.2f}, COVERAGE = {coverage:.2f}: "
        f"tuning accuracy {tune_accuracy:.4f}"
    )
    for label, part in parts(rows):
        calls = related(part, cosine, coverage)
        missed = int(np.sum(~calls & (part[:, RELATED] == 1)))
        let = int(np.sum(calls & (part[:, RELATED] == 0)))
        print(
            f"  {label}: {len(part)} pairs, accuracy {accuracy(part, cosine, coverage):.3f}, "
            f"{missed} related called unrelated, {let} unrelated called related"
        )

    english = tune[tune[:, CALIBRATED] == 1]
    said = english[~related(english, cosine, coverage)]
    fitted = fit_confidence(said)
    brier, ece = calibration(probability(fitted, said), 1 - said[:, RELATED])
    share = float(np.mean(1 - said[:, RELATED]))
    constant, _ = calibration(np.full(len(said), share), 1 - said[:, RELATED])
    shipped = ece <= MAX_ECE and brier < constant
    print(f"confidence of 'unrelated': logistic fit (intercept, cosine, coverage) = {fitted}")
    print(calibration_line("tuning halves in English together", said, fitted))
    for label, part in parts(rows):
        if len(part) and part[0, CALIBRATED]:
            print(calibration_line(label, part[~related(part, cosine, coverage)], fitted))
    verdict = "calibrated: shipped" if shipped else "not calibrated: the confidence is null"
    print(f"  ECE {ece:.4f} <= {MAX_ECE} and Brier {brier:.4f} < {constant:.4f}? {verdict}")
    logit = fitted if shipped else None

    segmented = segmenting([f for name, f in items if name == "fixtures"], words, cosine, coverage)
    choice = {
        "BACKGROUND_WORDS": str(words),
        "COSINE": f"{cosine:.2f}",
        "COVERAGE": f"{coverage:.2f}",
        "UNRELATED_LOGIT": str(logit),
    }
    current = {
        "BACKGROUND_WORDS": str(relatedness.BACKGROUND_WORDS),
        "COSINE": f"{relatedness.COSINE:.2f}",
        "COVERAGE": f"{relatedness.COVERAGE:.2f}",
        "UNRELATED_LOGIT": str(relatedness.UNRELATED_LOGIT),
    }
    if segmented != stemming.SEGMENTED:
        print(
            f"differs from summarizer/words.py: SEGMENTED = {sorted(stemming.SEGMENTED)}, "
            f"chosen {sorted(segmented)} (written by hand)",
            file=sys.stderr,
        )
        return 1
    differs = [
        f"{k}: shipped {current[k]}, chosen {v}" for k, v in choice.items() if current[k] != v
    ]
    if not differs:
        print("summarizer/relatedness.py ships the same")
        return 0
    if args.write:
        write(choice)
        print("written into summarizer/relatedness.py: " + "; ".join(differs))
        return 0
    print("differs from summarizer/relatedness.py: " + "; ".join(differs), file=sys.stderr)
    return 1


def segmenting(
    fixtures: list[Fixture], background: int, cosine: float, coverage: float
) -> frozenset[str]:
    """The languages whose words the gate takes from their analysers: per language, its
    tuning-half claims' accuracy with the analysers' words against pairs of characters."""
    shipped = stemming.SEGMENTED
    right: dict[tuple[str, bool], np.ndarray] = {}
    try:
        for analysed in (True, False):
            stemming.SEGMENTED = shipped if analysed else frozenset()
            relatedness._background.cache_clear()  # its weights are stems too
            for language in shipped:
                mine = [("fixtures", f) for f in fixtures if article_of(f).language == language]
                rows = scored(mine, background).get(("fixtures", "tune"), np.empty((0, 4)))
                right[(language, analysed)] = related(rows, cosine, coverage) == rows[:, RELATED]
    finally:
        stemming.SEGMENTED = shipped
        relatedness._background.cache_clear()
    chosen = set()
    print("words of Chinese, Japanese and Korean (tuning-half fixture claims, chosen gate):")
    for language in sorted(shipped):
        by, pairs = right[(language, True)], right[(language, False)]
        if np.mean(by) >= np.mean(pairs):
            chosen.add(language)
        print(
            f"  {language}: {len(by)} claims; the analyser's words {sum(by)} right, "
            f"pairs of characters {sum(pairs)} right"
        )
    return frozenset(chosen)


def write(choice: dict[str, str]) -> None:
    path = ROOT / "summarizer" / "relatedness.py"
    text = path.read_text(encoding="utf-8")
    for name, value in choice.items():
        text, count = re.subn(rf"^({name}\b[^=\n]*= ).*$", rf"\g<1>{value}", text, flags=re.M)
        if count != 1:
            raise SystemExit(f"{path}: no single line assigns {name}")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
