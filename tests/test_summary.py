"""The executive summary does not say one thing twice (brief/writer.py): two outlets' sentences that say the
same thing (cosine ≥ REDUNDANT) take one place in it, the other is left for the sections. Pure: vectors given."""

from __future__ import annotations

import numpy as np

from citebrief.brief.evidence import EvidenceSet
from citebrief.brief.model import Evidence
from citebrief.brief.writer import REDUNDANT, _Distinct, _Picker
from citebrief.models import DocMeta


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, np.float32)
    return v / np.linalg.norm(v)


def test_a_sentence_that_repeats_one_in_the_summary_is_left_for_the_sections():
    texts = {"E1": "Jo Lane was sentenced to life in federal prison on Thursday, the court said.",
             "E2": "The suspect, Jo Lane, was convicted and sentenced to life in federal prison last week.",
             "E3": "Officers found the girl hidden in a laundry basket in a hotel room in Kelda."}
    items = {eid: Evidence(eid, text, DocMeta(f"d{k}", f"d{k}.txt", None, f"Outlet {k}", None, "2026-05-01", None),
                           f"p{k}", 0, len(text), 1.0) for k, (eid, text) in enumerate(texts.items())}
    # E1 and E2 say the same thing (cosine above REDUNDANT); E3 another (cosine under it)
    vectors = {"E1": _unit(1, 0, 0), "E2": _unit(1, 0.3, 0), "E3": _unit(1, 0, 1.5)}
    assert float(vectors["E1"] @ vectors["E2"]) >= REDUNDANT > float(vectors["E1"] @ vectors["E3"])
    evidence = EvidenceSet(items, {}, {}, {eid: 0.9 for eid in items}, vectors)
    pick = _Picker(evidence)
    summary = _Distinct(pick, [])
    assert summary("E1") is not None and summary("E2") is None and summary("E3") is not None
    assert pick("E2") is not None  # a section may still quote it: only the summary skipped it
    # what the summary opened with counts too
    assert _Distinct(_Picker(evidence), ["E2"])("E1") is None
