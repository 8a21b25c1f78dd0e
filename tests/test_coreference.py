"""summarizer.coreference against published numbers.

Two kinds of expectations, all copied, none recomputed here:

- the test cases of the CoNLL reference scorer v8.01 (github.com/conll/
  reference-coreference-scorers, commit f49f3f8, test/CorefMetricTestConfig.pm and
  test/TestCases.README) for MUC, B-cubed and CEAF-e; that repository has no LEA
  expectations, so LEA's come from the same cases as scored by the LEA authors'
  own scorer (github.com/ns-moosavi/coval, tests/TestCases.README and unittests.py);
- the worked examples of the papers that define the metrics.

Clusters are written as in TestCases.README: ``"{a} {bc} {def}"`` is three entities of
one-letter mentions. An upper-case letter is a different mention from its lower-case
one (the README's overlapping span "B" next to "b").
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from summarizer.coreference import PRF, b_cubed, ceaf_e, conll_f1, lea, muc, scores

METRICS = {"muc": muc, "b_cubed": b_cubed, "ceaf_e": ceaf_e, "lea": lea}


def clusters(text: str) -> list[set[str]]:
    return [set(group) for group in re.findall(r"\{(\w*)\}", text)]


def rpf(score: PRF) -> tuple[float, float, float]:
    return (score.recall, score.precision, score.f1)


# (case, key, response, metric) -> (recall, precision, F1), from CorefMetricTestConfig.pm.
# A7-A9 are left out: their responses repeat a mention (see test_duplicate_mentions).
A_KEY = "{a} {bc} {def}"
CONLL_CASES: dict[tuple[str, str, str, str], tuple[float, float, float]] = {
    # A1: perfect response.
    ("A1", A_KEY, "{a} {bc} {def}", "muc"): (1, 1, 1),
    ("A1", A_KEY, "{a} {bc} {def}", "b_cubed"): (6 / 6, 6 / 6, 1),
    ("A1", A_KEY, "{a} {bc} {def}", "ceaf_e"): (1, 1, 1),
    # A2: missing mentions and entities.
    ("A2", A_KEY, "{a} {de}", "muc"): (1 / 3, 1 / 1, 0.5),
    ("A2", A_KEY, "{a} {de}", "b_cubed"): ((7 / 3) / 6, 3 / 3, 14 / 25),
    ("A2", A_KEY, "{a} {de}", "ceaf_e"): (0.6, 0.9, 0.72),
    # A3: false-alarm (twinless) mentions and entities.
    ("A3", A_KEY, "{a} {bcx} {defy} {z}", "muc"): (3 / 3, 3 / 5, 0.75),
    ("A3", A_KEY, "{a} {bcx} {defy} {z}", "b_cubed"): (6 / 6, (4 + 7 / 12) / 9, 110 / 163),
    ("A3", A_KEY, "{a} {bcx} {defy} {z}", "ceaf_e"): (0.88571, 0.66429, 0.75918),
    # A4: both missing and twinless mentions.
    ("A4", A_KEY, "{a} {bcx} {dy} {z}", "muc"): (1 / 3, 1 / 3, 1 / 3),
    ("A4", A_KEY, "{a} {bcx} {dy} {z}", "b_cubed"): (
        (3 + 1 / 3) / 6,
        (1 + 4 / 3 + 1 / 2) / 7,
        2 * (5 / 9) * (17 / 42) / ((5 / 9) + (17 / 42)),
    ),
    ("A4", A_KEY, "{a} {bcx} {dy} {z}", "ceaf_e"): (0.73333, 0.55, 0.62857),
    # A5: as A4 plus a twinless mention B (a span overlapping b) in the aligned entity.
    ("A5", A_KEY, "{a} {bcxB} {dy} {z}", "muc"): (1 / 3, 1 / 4, 2 / 7),
    ("A5", A_KEY, "{a} {bcxB} {dy} {z}", "b_cubed"): (
        (3 + 1 / 3) / 6,
        2.5 / 8,
        2 * (5 / 9) * (5 / 16) / ((5 / 9) + (5 / 16)),
    ),
    ("A5", A_KEY, "{a} {bcxB} {dy} {z}", "ceaf_e"): (0.68889, 0.51667, 0.59048),
    # A6: the overlapping mention B in an unaligned entity.
    ("A6", A_KEY, "{a} {bcx} {dy} {Bz}", "muc"): (1 / 3, 1 / 4, 2 / 7),
    ("A6", A_KEY, "{a} {bcx} {dy} {Bz}", "b_cubed"): (
        (10 / 3) / 6,
        (1 + 4 / 3 + 1 / 2) / 8,
        2 * (5 / 9) * (17 / 48) / ((5 / 9) + (17 / 48)),
    ),
    ("A6", A_KEY, "{a} {bcx} {dy} {Bz}", "ceaf_e"): (0.73333, 0.55, 0.62857),
    # A10: gold mentions, only singletons in the response.
    ("A10", A_KEY, "{a} {b} {c} {d} {e} {f}", "muc"): (0, 0, 0),
    ("A10", A_KEY, "{a} {b} {c} {d} {e} {f}", "b_cubed"): (3 / 6, 6 / 6, 2 / 3),
    # A11: gold mentions, all in one response entity.
    ("A11", A_KEY, "{abcdef}", "muc"): (3 / 3, 3 / 5, 6 / 8),
    ("A11", A_KEY, "{abcdef}", "b_cubed"): (6 / 6, (1 / 6 + 2 * 2 / 6 + 3 * 3 / 6) / 6, 14 / 25),
    # A12: system mentions, only singletons in the response.
    ("A12", A_KEY, "{a} {x} {y} {c} {d} {e} {z}", "muc"): (0, 0, 0),
    ("A12", A_KEY, "{a} {x} {y} {c} {d} {e} {z}", "b_cubed"): (
        (1 + 1 / 2 + 2 / 3) / 6,
        4 / 7,
        2 * (13 / 36) * (4 / 7) / ((13 / 36) + (4 / 7)),
    ),
    # A13: system mentions, all in one response entity.
    ("A13", A_KEY, "{axycdez}", "muc"): (1 / 3, 1 / 6, 2 / 9),
    ("A13", A_KEY, "{axycdez}", "b_cubed"): (
        (1 + 1 / 2 + 2 * 2 / 3) / 6,
        (1 / 7 + 1 / 7 + 2 * 2 / 7) / 7,
        2 * (17 / 36) * (6 / 49) / ((17 / 36) + (6 / 49)),
    ),
    # D1, E1: Bagga & Baldwin (1998)'s examples, merging a small / a big entity.
    ("D1", "{12345} {67} {89ABC}", "{12345} {6789ABC}", "muc"): (
        9 / 9,
        9 / 10,
        2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10),
    ),
    ("D1", "{12345} {67} {89ABC}", "{12345} {6789ABC}", "b_cubed"): (
        12 / 12,
        16 / 21,
        2 * (12 / 12) * (16 / 21) / (12 / 12 + 16 / 21),
    ),
    ("E1", "{12345} {67} {89ABC}", "{1234589ABC} {67}", "muc"): (
        9 / 9,
        9 / 10,
        2 * (9 / 9) * (9 / 10) / (9 / 9 + 9 / 10),
    ),
    ("E1", "{12345} {67} {89ABC}", "{1234589ABC} {67}", "b_cubed"): (
        1,
        7 / 12,
        2 * 1 * (7 / 12) / (1 + 7 / 12),
    ),
    # F1-L1: Vilain et al. (1995)'s examples. F1 and I1 differ only in the links the
    # key was written with, which MUC must not see.
    ("F1", "{ABCD}", "{AB} {CD}", "muc"): (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2)),
    ("G1", "{AB} {CD}", "{ABCD}", "muc"): (2 / 2, 2 / 3, 2 * (2 / 2) * (2 / 3) / (2 / 2 + 2 / 3)),
    ("H1", "{ABCD}", "{ABCD}", "muc"): (1, 1, 1),
    ("I1", "{ABCD}", "{AB} {CD}", "muc"): (2 / 3, 2 / 2, 2 * (2 / 3) * (2 / 2) / (2 / 3 + 2 / 2)),
    ("J1", "{ABC}", "{AC}", "muc"): (1 / 2, 1 / 1, 2 * (1 / 2) * (1 / 1) / (1 / 2 + 1 / 1)),
    ("K1", "{BCDEGHJ}", "{ABC} {DEF} {GHI}", "muc"): (3 / 6, 3 / 6, 3 / 6),
    ("L1", "{ABC} {DEFG}", "{AB} {CD} {FGH}", "muc"): (
        2 / 5,
        2 / 4,
        2 * (2 / 5) * (2 / 4) / (2 / 5 + 2 / 4),
    ),
    # M: a key of one entity; N: a key of singletons only (MUC has no link to score).
    ("M1", "{abcdef}", "{abcdef}", "muc"): (1, 1, 1),
    ("M1", "{abcdef}", "{abcdef}", "b_cubed"): (1, 1, 1),
    ("M1", "{abcdef}", "{abcdef}", "ceaf_e"): (1, 1, 1),
    ("M2", "{abcdef}", "{a} {b} {c} {d} {e} {f}", "muc"): (0, 0, 0),
    ("M5", "{abcdef}", "{a} {b} {c} {x} {y} {z}", "muc"): (0, 0, 0),
    ("N1", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {d} {e} {f}", "muc"): (0, 0, 0),
    # N1's B-cubed and CEAF-e are stated in TestCases.README only ("BCUB=1", "CEAFe=1").
    ("N1", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {d} {e} {f}", "b_cubed"): (1, 1, 1),
    ("N1", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {d} {e} {f}", "ceaf_e"): (1, 1, 1),
    ("N2", "{a} {b} {c} {d} {e} {f}", "{abcdef}", "muc"): (0, 0, 0),
    ("N4", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {x} {y} {z}", "muc"): (0, 0, 0),
}

# (case, key, response) -> LEA (recall, precision, F1), from coval's unittests.py.
LEA_CASES: dict[tuple[str, str, str], tuple[float, float, float]] = {
    ("A1", A_KEY, "{a} {bc} {def}"): (1, 1, 1),
    ("A2", A_KEY, "{a} {de}"): ((1 + 3 * (1 / 3)) / 6, 1, 0.5),
    ("A3", A_KEY, "{a} {bcx} {defy} {z}"): (
        1,
        (1 + 3 * (1 / 3) + 4 * (3 / 6)) / 9,
        2 * (1 + 3 * (1 / 3) + 4 * (3 / 6)) / 9 / (1 + (1 + 3 * (1 / 3) + 4 * (3 / 6)) / 9),
    ),
    ("A4", A_KEY, "{a} {bcx} {dy} {z}"): (
        (1 + 2 + 0) / 6,
        (1 + 3 * (1 / 3) + 2 * 0 + 0) / 7,
        2 * 0.5 * 2 / 7 / (0.5 + 2 / 7),
    ),
    ("A5", A_KEY, "{a} {bcxB} {dy} {z}"): (
        (1 + 2 + 3 * 0) / 6,
        (1 + 4 * (1 / 6) + 2 * 0 + 1 * 0) / 8,
        2 * 0.5 * (5 / 24) / (0.5 + (5 / 24)),
    ),
    ("A6", A_KEY, "{a} {bcx} {dy} {Bz}"): (
        (1 + 2 + 3 * 0) / 6,
        (1 + 3 / 3 + 2 * 0 + 2 * 0) / 8,
        2 * 0.5 * 1 / 4 / (0.5 + 1 / 4),
    ),
    # A10 and A12: a key singleton is resolved only by a response singleton.
    ("A10", A_KEY, "{a} {b} {c} {d} {e} {f}"): (1 / 6, 1 / 6, 2 * 1 / 6 * 1 / 6 / (1 / 6 + 1 / 6)),
    ("A11", A_KEY, "{abcdef}"): ((0 + 2 + 3) / 6, 4 / 15, 2 * 5 / 6 * 4 / 15 / (5 / 6 + 4 / 15)),
    ("A12", A_KEY, "{a} {x} {y} {c} {d} {e} {z}"): (
        1 / 6,
        1 / 7,
        2 * 1 / 6 * 1 / 7 / (1 / 6 + 1 / 7),
    ),
    ("A13", A_KEY, "{axycdez}"): (
        (1 * 0 + 2 * 0 + 3 / 3) / 6,
        1 / 21,
        2 * 1 / 6 * 1 / 21 / (1 / 6 + 1 / 21),
    ),
    ("B1", "{ab} {cde}", "{bcx} {de}"): (
        (2 * 0 + 3 / 3) / 5,
        (3 * 0 + 2) / 5,
        2 * 1 / 5 * 2 / 5 / (1 / 5 + 2 / 5),
    ),
    ("C1", "{ab} {cde} {fg}", "{bcx} {de} {fg}"): (
        (2 * 0 + 3 / 3 + 2) / 7,
        (3 * 0 + 2 + 2) / 7,
        2 * 3 / 7 * 4 / 7 / (3 / 7 + 4 / 7),
    ),
    ("D1", "{12345} {67} {89ABC}", "{12345} {6789ABC}"): (
        (5 + 2 + 5) / 12,
        (5 + 7 * (11 / 21)) / 12,
        2 * 1 * (5 + 77 / 21) / 12 / (1 + ((5 + 77 / 21) / 12)),
    ),
    ("E1", "{12345} {67} {89ABC}", "{1234589ABC} {67}"): (
        (5 + 2 + 5) / 12,
        (10 * (20 / 45) + 2) / 12,
        2 * 1 * ((10 * (20 / 45) + 2) / 12) / (1 + ((10 * (20 / 45) + 2) / 12)),
    ),
    ("F1", "{ABCD}", "{AB} {CD}"): (4 * (2 / 6) / 4, (2 + 2) / 4, 2 * 2 / 6 * 1 / (1 + 2 / 6)),
    ("G1", "{AB} {CD}", "{ABCD}"): (1, (4 * 2 / 6) / 4, 2 * 1 * 2 / 6 / (1 + 2 / 6)),
    ("H1", "{ABCD}", "{ABCD}"): (1, 1, 1),
    ("J1", "{ABC}", "{AC}"): ((3 * 1 / 3) / 3, 1, 2 * 1 / 3 / (1 + 1 / 3)),
    ("K1", "{BCDEGHJ}", "{ABC} {DEF} {GHI}"): (
        (7 * (1 + 1 + 1) / 21) / 7,
        (3 / 3 + 3 / 3 + 3 / 3) / 9,
        2 * 3 / 21 * 3 / 9 / (3 / 21 + 3 / 9),
    ),
    ("L1", "{ABC} {DEFG}", "{AB} {CD} {FGH}"): (
        (3 * 1 / 3 + 4 * 1 / 6) / 7,
        (2 + 2 * 0 + 3 / 3) / 7,
        2 * (1 + 2 / 3) / 7 * 3 / 7 / (3 / 7 + (1 + 2 / 3) / 7),
    ),
    ("M1", "{abcdef}", "{abcdef}"): (1, 1, 1),
    ("M2", "{abcdef}", "{a} {b} {c} {d} {e} {f}"): (0, 0, 0),
    ("M3", "{abcdef}", "{ab} {cde} {f}"): (
        6 * (4 / 15) / 6,
        (2 + 3 + 0) / 6,
        2 * 4 / 15 * 5 / 6 / (4 / 15 + 5 / 6),
    ),
    ("M4", "{abcdef}", "{abcxyz}"): (6 * (3 / 15) / 6, 6 * (3 / 15) / 6, 3 / 15),
    ("M5", "{abcdef}", "{a} {b} {c} {x} {y} {z}"): (0, 0, 0),
    ("M6", "{abcdef}", "{ab} {cxy} {z}"): (
        6 * (1 / 15) / 6,
        (2 + 3 * 0 + 1 * 0) / 6,
        2 * 1 / 15 * 2 / 6 / (1 / 15 + 2 / 6),
    ),
    ("N1", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {d} {e} {f}"): (1, 1, 1),
    ("N2", "{a} {b} {c} {d} {e} {f}", "{abcdef}"): (0, 0, 0),
    ("N3", "{a} {b} {c} {d} {e} {f}", "{ab} {cde} {f}"): (1 / 6, 1 / 6, 1 / 6),
    ("N4", "{a} {b} {c} {d} {e} {f}", "{a} {b} {c} {x} {y} {z}"): (3 / 6, 3 / 6, 3 / 6),
    ("N5", "{a} {b} {c} {d} {e} {f}", "{abcxyz}"): (0, 0, 0),
    ("N6", "{a} {b} {c} {d} {e} {f}", "{ab} {cxy} {z}"): (0, 0, 0),
}


@pytest.mark.parametrize(
    ("key", "response", "metric", "expected"),
    [(k, r, m, e) for (_, k, r, m), e in CONLL_CASES.items()],
    ids=[f"{case}-{metric}" for case, _, _, metric in CONLL_CASES],
)
def test_reference_scorer_cases(
    key: str, response: str, metric: str, expected: tuple[float, float, float]
) -> None:
    got = METRICS[metric](clusters(key), clusters(response))
    assert rpf(got) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("key", "response", "expected"),
    [(k, r, e) for (_, k, r), e in LEA_CASES.items()],
    ids=[case for case, _, _ in LEA_CASES],
)
def test_lea_cases(key: str, response: str, expected: tuple[float, float, float]) -> None:
    assert rpf(lea(clusters(key), clusters(response))) == pytest.approx(expected, abs=1e-4)


# Pradhan et al. (2014), section 2, scores every metric on one key and response with a
# missing key mention (e) and twinless response mentions (h, i); its numbers have two
# decimals. Its B-cubed F1, 0.46, is the harmonic mean of the *rounded* recall 0.42:
# the unrounded recall 35/84 gives 5/11 = 0.4545.
# Moosavi & Strube (2016) score LEA on the same example: recall (3*1/3 + 4*1/6)/7,
# precision (2*1 + 2*0 + 4*1/6)/8.
PRADHAN_KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
PRADHAN_RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]
PRADHAN_2014 = {
    "muc": (0.40, 0.40, 0.40),
    "b_cubed": (0.42, 0.50, 5 / 11),
    "ceaf_e": (0.65, 0.43, 0.52),
    "lea": (0.24, 0.33, 0.28),
}


@pytest.mark.parametrize(("metric", "expected"), PRADHAN_2014.items(), ids=PRADHAN_2014.keys())
def test_pradhan_2014_and_lea_paper_example(
    metric: str, expected: tuple[float, float, float]
) -> None:
    got = METRICS[metric](PRADHAN_KEY, PRADHAN_RESPONSE)
    assert rpf(got) == pytest.approx(expected, abs=0.005)


# Luo (2005), Figure 1 and Table 1: one key, four responses, F-measures to three
# decimals. Table 1's MUC F for (d) is "-", undefined: 0/0 precision (no response link).
LUO_KEY = "{12345} {67} {89ABC}"
LUO_2005 = {
    "a": ("{12345} {6789ABC}", {"muc": 0.947, "b_cubed": 0.865, "ceaf_e": 0.733}),
    "b": ("{1234589ABC} {67}", {"muc": 0.947, "b_cubed": 0.737, "ceaf_e": 0.667}),
    "c": ("{123456789ABC}", {"muc": 0.900, "b_cubed": 0.545, "ceaf_e": 0.294}),
    "d": ("{1} {2} {3} {4} {5} {6} {7} {8} {9} {A} {B} {C}", {"b_cubed": 0.400, "ceaf_e": 0.178}),
}


@pytest.mark.parametrize(
    ("response", "metric", "f1"),
    [(r, m, f) for r, table in LUO_2005.values() for m, f in table.items()],
    ids=[f"{name}-{m}" for name, (_, table) in LUO_2005.items() for m in table],
)
def test_luo_2005_table_1(response: str, metric: str, f1: float) -> None:
    got = METRICS[metric](clusters(LUO_KEY), clusters(response))
    assert got.f1 == pytest.approx(f1, abs=5e-4)


def test_undefined_muc_precision_is_zero() -> None:
    got = muc(clusters(LUO_KEY), clusters(LUO_2005["d"][0]))
    assert rpf(got) == (0.0, 0.0, 0.0)


def test_conll_f1_is_the_mean_of_muc_b_cubed_and_ceaf_e() -> None:
    assert conll_f1(PRADHAN_KEY, PRADHAN_RESPONSE) == pytest.approx((0.40 + 5 / 11 + 0.52) / 3)


def test_scores_names_every_metric() -> None:
    got = scores(PRADHAN_KEY, PRADHAN_RESPONSE)
    assert set(got) == {"muc", "b_cubed", "ceaf_e", "lea"}
    for name, expected in PRADHAN_2014.items():
        assert rpf(got[name]) == pytest.approx(expected, abs=0.005), name


@pytest.mark.parametrize("metric", METRICS)
def test_swapping_key_and_response_swaps_recall_and_precision(metric: str) -> None:
    forward = METRICS[metric](PRADHAN_KEY, PRADHAN_RESPONSE)
    backward = METRICS[metric](PRADHAN_RESPONSE, PRADHAN_KEY)
    assert (backward.recall, backward.precision) == pytest.approx(
        (forward.precision, forward.recall)
    )


def test_ceaf_e_takes_the_best_alignment_not_the_greedy_one() -> None:
    # phi_4: {abd}-{abc} 4/6, {abd}-{d} 2/4, {c}-{abc} 2/4, {c}-{d} 0. Taking the best
    # pair first leaves 4/6 + 0; the optimal one-to-one alignment has 2/4 + 2/4.
    got = ceaf_e([{"a", "b", "d"}, {"c"}], [{"a", "b", "c"}, {"d"}])
    assert rpf(got) == pytest.approx((1 / 2, 1 / 2, 1 / 2))


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    ("key", "response"),
    [([], PRADHAN_RESPONSE), (PRADHAN_KEY, []), ([], []), ([set()], [set()])],
    ids=["no-key", "no-response", "neither", "only-empty-clusters"],
)
def test_nothing_to_score_gives_zero(
    metric: str, key: list[set[str]], response: list[set[str]]
) -> None:
    assert rpf(METRICS[metric](key, response)) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("metric", METRICS)
def test_empty_clusters_are_ignored(metric: str) -> None:
    with_empty = METRICS[metric]([*PRADHAN_KEY, set()], [set(), *PRADHAN_RESPONSE])
    assert rpf(with_empty) == pytest.approx(PRADHAN_2014[metric], abs=0.005)


# The reference scorer's A7-A9 repeat mention b (A7 within its entity, A8 in another
# entity, A9 ten times) to test its de-duplication; here a repeat is an error.
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    ("key", "response", "side"),
    [
        (clusters(A_KEY), [{"a"}, ["b", "c", "x", "b"], {"d", "y"}, {"z"}], "response"),
        (clusters(A_KEY), [{"a"}, {"b", "c", "x"}, {"d", "y"}, {"b", "z"}], "response"),
        (clusters(A_KEY), [{"a"}, {"b", "c", "x"}, {"d", "y"}, ["b"] * 10 + ["z"]], "response"),
        ([{"a"}, {"a", "b"}], clusters(A_KEY), "key"),
    ],
    ids=["A7", "A8", "A9", "in-key"],
)
def test_duplicate_mentions(
    metric: str, key: list[list[str]], response: list[list[str]], side: str
) -> None:
    with pytest.raises(ValueError, match=rf"{side}: mention '(b|a)' occurs more than once"):
        METRICS[metric](key, response)


def test_mentions_may_be_any_hashable() -> None:
    key = [{("doc1", 0, 2), ("doc1", 7, 8)}, {("doc2", 3, 4)}]
    response = [{("doc1", 0, 2), ("doc1", 7, 8), ("doc2", 3, 4)}]
    assert rpf(b_cubed(key, response)) == pytest.approx((1, 5 / 9, 2 * 5 / 9 / (1 + 5 / 9)))


def test_prf_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        muc(PRADHAN_KEY, PRADHAN_RESPONSE).f1 = 1.0  # type: ignore[misc]


def _dense_ceaf_e_f1(key: list[set[int]], response: list[set[int]]) -> float:
    """CEAF-e's F1 by one dense alignment of every key entity with every response one
    (the definition, written out: what the grouped alignment must equal)."""
    from scipy.optimize import linear_sum_assignment

    similarity = [[2 * len(a & b) / (len(a) + len(b)) for b in response] for a in key]
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    aligned = sum(similarity[i][j] for i, j in zip(rows, cols, strict=True))
    recall, precision = aligned / len(key), aligned / len(response)
    return 2 * recall * precision / (recall + precision) if aligned else 0.0


@pytest.mark.parametrize("seed", range(20))
def test_ceaf_e_aligned_by_groups_equals_one_dense_alignment(seed: int) -> None:
    import random

    rng = random.Random(seed)
    mentions = list(range(rng.randint(5, 60)))

    def partition() -> list[set[int]]:
        groups: dict[int, set[int]] = {}
        for m in mentions:
            groups.setdefault(rng.randint(0, len(mentions) // rng.randint(1, 4)), set()).add(m)
        return list(groups.values())

    key, response = partition(), partition()
    response[0].add(-1)  # a mention the key lacks
    assert ceaf_e(key, response).f1 == pytest.approx(_dense_ceaf_e_f1(key, response))


def test_ceaf_e_of_a_million_mentions_needs_no_dense_matrix() -> None:
    # 300,000 by 75,000 entities: a dense matrix would take 180 GB.
    key = [{2 * i, 2 * i + 1} for i in range(150_000)] + [{-i} for i in range(1, 150_001)]
    response = [{2 * i, 2 * i + 1, 2 * i + 2} for i in range(0, 150_000, 2)]
    found = ceaf_e(key, response)
    # Each response entity aligns with the key pair inside it (phi_4 = 4/5), and
    # overlaps the next pair by one mention.
    assert found.precision == pytest.approx(0.8)
    assert found.recall == pytest.approx(0.2)
