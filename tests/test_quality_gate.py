"""Quality gate: extraction F1 on our HTML fixtures must stay at or above its pinned floor.

The floor lives in tests/quality_floors.json; lowering it is a visible, deliberate change. The metric
is the article-extraction-benchmark one (citebrief.evalmetrics), checked here against hand counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citebrief.clean import clean_text
from citebrief.evalmetrics import extraction_score, match_page, score_pages, shingles
from citebrief.readers import read_html

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "html"
FLOORS = json.loads((TESTS / "quality_floors.json").read_text(encoding="utf-8"))


def _extract(path: Path) -> str:
    doc = read_html(path.read_bytes(), str(path))[0]
    return clean_text(doc.text, title=doc.title)


def test_extraction_f1_on_fixtures_stays_above_floor() -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    assert len(expected) == 6 and all((FIXTURES / name).is_file() for name in expected)
    pairs = [(item["articleBody"], _extract(FIXTURES / name)) for name, item in sorted(expected.items())]
    score = extraction_score(pairs)
    floor = FLOORS["extraction_f1_fixtures"]
    worst = min((match_page(t, p).recall, name) for (t, p), name in zip(pairs, sorted(expected)))
    assert score.f1 >= floor, (f"extraction F1 {score.f1:.3f} fell below the floor {floor} "
                               f"(P {score.precision:.3f}, R {score.recall:.3f}; lowest recall: {worst})")


# --- the metric itself, against counts worked by hand -------------------------------------------

def test_shingles_are_four_token_multisets() -> None:
    assert shingles("a b c d e a b c d") == {("a", "b", "c", "d"): 2, ("b", "c", "d", "e"): 1,
                                              ("c", "d", "e", "a"): 1, ("d", "e", "a", "b"): 1,
                                              ("e", "a", "b", "c"): 1}
    assert shingles("Hi, there!") == {("Hi", "there"): 1}  # shorter than 4 tokens: one shingle
    assert shingles("") == {}


def test_page_counts_are_normalised() -> None:
    # true {abcd, bcde}, predicted {abcd, bcdx}: TP 1, FP 1, FN 1 -> each 1/3.
    match = match_page("a b c d e", "a b c d x")
    assert (match.tp, match.fp, match.fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert match.precision == pytest.approx(0.5) and match.recall == pytest.approx(0.5)
    assert not match.exact
    assert match_page("The cat, sat.", "the cat sat").exact is False  # case matters
    assert match_page("The cat, sat.", "The  cat sat").exact is True  # punctuation does not


def test_corpus_score_means_pages_then_takes_f1() -> None:
    perfect = match_page("a b c d e", "a b c d e")
    half = match_page("a b c d e", "a b c d x")
    empty_pred = match_page("a b c d e", "")  # TP = FP = 0: left out of precision, recall 0
    score = score_pages([perfect, half, empty_pred])
    assert score.precision == pytest.approx((1 + 0.5) / 2)
    assert score.recall == pytest.approx((1 + 0.5 + 0) / 3)
    p, r = 0.75, 0.5
    assert score.f1 == pytest.approx(2 * p * r / (p + r))
    assert score.accuracy == pytest.approx(1 / 3)
