"""Rival values: minimal pairs are found, kept apart from syndicated copies, and reported with both sides cited.

Unit tests of the pure rules on hand-built evidence, then briefs written by the real pipeline (real
MiniLM, a real SQLite corpus in ``tmp_path``) from small hand-written reports: two outlets giving a
different date for a lighthouse reopening (one of them syndicated word for word by a third), and two
giving a different count of people hurt in a cannery fire.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from citebrief.brief.disputes import find_value_conflicts
from citebrief.brief.evidence import EvidenceSet
from citebrief.brief.model import Evidence, Shape
from citebrief.brief.question import plan_question
from citebrief.brief.values import minimal_pair, states_other_value
from citebrief.brief.writer import corroboration
from citebrief.models import DocMeta

# -- minimal pairs --------------------------------------------------------------------------------

BASE = "The restored Marlow Bay lighthouse reopened to visitors on 14 June 2023 after a two-year restoration."


@pytest.mark.parametrize("other,first,second", [
    (BASE.replace("14 June", "21 June"), "14 June 2023", "21 June 2023"),
    (BASE.replace("Marlow Bay", "Kestrel Point"), "Marlow Bay", "Kestrel Point"),
    # A reordered date is one value, not three edits.
    (BASE.replace("14 June 2023", "June 21, 2023"), "14 June 2023", "June 21, 2023"),
])
def test_minimal_pair_names_the_replaced_values(other, first, second):
    change = minimal_pair(BASE, other)
    assert change is not None and (change.first, change.second) == (first, second)


def test_minimal_pair_keeps_amounts_whole_and_compares_case_blind():
    a = "The harbour trust said the restoration of the tower cost $2.4 million in all."
    change = minimal_pair(a, a.replace("$2.4 million", "$4.2 million"))
    assert (change.first, change.second) == ("$2.4 million", "$4.2 million")
    assert (change.first_key, change.second_key) == ("2.4", "4.2")
    # Case, full stops and a possessive are not a different value.
    assert minimal_pair("The U.S. envoy said the talks in Geneva would resume on Monday.",
                        "The US envoy said the talks in Geneva would resume on Monday.") is None
    assert minimal_pair("Geneva's mayor said the talks in the city would resume on Monday.",
                        "Geneva mayor said the talks in the city would resume on Monday.") is None


@pytest.mark.parametrize("other", [
    BASE.replace("after a two-year", "following a two-year"),  # reworded: a syndicated edit, not a rival value
    BASE.replace("Marlow Bay lighthouse", "Marlow Bay harbour lighthouse"),  # detail added, nothing replaced
    "The restored lighthouse on the cliffs welcomed its first visitors in over two years last summer.",
    BASE,
])
def test_minimal_pair_ignores_wording_changes_and_different_sentences(other):
    assert minimal_pair(BASE, other) is None
    assert not states_other_value(BASE, other)


def test_a_changed_value_beside_a_reworded_word_is_no_dispute_but_no_copy_either():
    # "elected … 2019" / "re-elected … 2023" may be two events: not reported as a disagreement,
    # but neither sentence is a copy of the other.
    a = "Maria Lindqvist was elected mayor of the harbour town in 2019 with a large majority."
    b = "Maria Lindqvist was re-elected mayor of the harbour town in 2023 with a large majority."
    assert minimal_pair(a, b) is None and states_other_value(a, b)


def test_number_words_are_values_in_any_position():
    a = "The fire service said fourteen workers were injured in the blaze at the cannery."
    change = minimal_pair(a, a.replace("fourteen", "forty-one"))
    assert change is not None and (change.first, change.second) == ("fourteen", "forty-one")
    assert minimal_pair(a, a.replace("fire service", "police service")) is None


# -- disputes and corroboration on hand-built evidence ---------------------------------------------

def _doc(doc_id: str, outlet: str, duplicate_of: str | None = None) -> DocMeta:
    return DocMeta(doc_id, f"{doc_id}.txt", f"Report {doc_id}", outlet, None, None, None, duplicate_of)


def _evidence(rows: list[tuple[str, DocMeta, str]]) -> dict[str, Evidence]:
    return {eid: Evidence(eid, text, doc, f"p-{doc.doc_id}", 0, len(text), 1.0) for eid, doc, text in rows}


def test_rival_values_in_either_order_are_one_dispute_citing_every_side():
    later = BASE.replace("14 June", "21 June")
    evidence = _evidence([("E1", _doc("a", "Coastal Herald"), BASE), ("E2", _doc("b", "Valley Gazette"), later),
                          ("E3", _doc("c", "Northern Wire"), BASE), ("E4", _doc("d", "Bay Radio"), later),
                          ("E5", _doc("e", "Harbour News"), BASE)])
    disputes = find_value_conflicts(evidence, {})
    assert len(disputes) == 1, [d.summary for d in disputes]
    (first_text, first_ids), (second_text, second_ids) = disputes[0].sides
    # The value three documents give comes first; each side gathers every sentence stating it.
    assert disputes[0].summary == "Sources give different values: 14 June 2023 versus 21 June 2023."
    assert (first_text, set(first_ids)) == (BASE, {"E1", "E3", "E5"})
    assert (second_text, set(second_ids)) == (later, {"E2", "E4"})


def test_only_sentences_of_one_document_are_never_compared():
    later = BASE.replace("14 June", "21 June")
    same_doc = _evidence([("E1", _doc("a", "Coastal Herald"), BASE), ("E2", _doc("a", "Coastal Herald"), later)])
    assert find_value_conflicts(same_doc, {}) == []
    # An edited syndicated copy (linked to its original at ingest) that changed the date still disagrees.
    copy = _evidence([("E1", _doc("a", "Coastal Herald"), BASE),
                      ("E2", _doc("b", "Northern Wire", duplicate_of="a"), later)])
    assert len(find_value_conflicts(copy, {})) == 1


def test_a_rival_value_is_not_corroboration():
    later = BASE.replace("14 June", "21 June")
    items = _evidence([("E1", _doc("a", "Coastal Herald"), BASE), ("E2", _doc("b", "Valley Gazette"), later),
                       ("E3", _doc("c", "Northern Wire"), BASE.replace("after a two-year", "following a two-year"))])
    same = np.ones(4, np.float32) / 2.0  # unit vectors, cosine 1: embeddings cannot tell the values apart
    vectors = {eid: same for eid in items}
    evidence = EvidenceSet(items, {}, {}, {eid: 0.9 for eid in items}, vectors)
    support = corroboration(evidence, vectors)
    assert support == {"E1": 2, "E2": 1, "E3": 2}


def test_sentences_that_only_name_the_subject_do_not_corroborate_each_other():
    items = _evidence([("E1", _doc("a", "Coastal Herald"), "Welcome to the new Kelda X2 phone."),
                       ("E2", _doc("b", "Valley Gazette"), "This is the new Kelda X2 phone."),
                       ("E3", _doc("c", "Northern Wire"), "The Kelda X2 battery lasts two full days."),
                       ("E4", _doc("d", "Bay Radio"), "The battery of the Kelda X2 lasts two days.")])
    same = np.ones(4, np.float32) / 2.0
    vectors = {eid: same for eid in items}
    evidence = EvidenceSet(items, {}, {}, {eid: 0.9 for eid in items}, vectors)
    topic = ("new", "kelda", "x2", "phone")
    # the two that say the battery lasts two days agree on something beyond the phone's name; the two that
    # only name the phone (and the pairs across) do not
    assert corroboration(evidence, vectors, topic) == {"E1": 1, "E2": 1, "E3": 2, "E4": 2}


@pytest.mark.parametrize("question,shape", [
    ("Who won the regional chess championship in 2022?", Shape.FACTOID),
    ("When did the Marlow Bay lighthouse reopen?", Shape.FACTOID),
    ("Where was the treaty signed?", Shape.FACTOID),
    ("How many workers were injured in the cannery fire?", Shape.FACTOID),
    ("Which city hosted the regatta?", Shape.FACTOID),
    ("Who opposes the new runway?", Shape.ACTORS),
    ("Which countries back the treaty?", Shape.ACTORS),
    ("Where do the parties stand on the runway?", Shape.ACTORS),
    ("Why did the council close the library?", Shape.WHY),
    # a "who" that a later part turns into sides asks for positions; alone, or with "when", for one name
    ("Who says the new dam is safe, who urges caution, and why?", Shape.ACTORS),
    ("Who says the new dam is safe?", Shape.FACTOID),
    ("Who won the regatta, and when?", Shape.FACTOID),
])
def test_question_shape_tells_one_answer_from_positions(question, shape):
    assert plan_question(question).shape == shape


# -- briefs from a real corpus ---------------------------------------------------------------------

LIGHTHOUSE_HERALD = (
    "The restored Marlow Bay lighthouse reopened to visitors on 14 June 2023 after a two-year restoration. "
    "The harbour trust spent the winter replacing the lantern glass and repairing storm damage to the gallery. "
    "Guided tours of the lighthouse now run every weekend, and the trust expects twenty thousand visitors a year. "
    "Local schools have booked visits to the lighthouse keeper's cottage, which houses a small museum.")
LIGHTHOUSE_GAZETTE = (
    "The restored Marlow Bay lighthouse reopened to visitors on 21 June 2023 after a two-year restoration. "
    "Volunteers repainted the tower in its original red and white bands before the reopening. "
    "The lighthouse was decommissioned in 1998 when an automatic beacon was installed on the breakwater. "
    "Parking near the lighthouse remains limited, and visitors are asked to use the harbour car park.")
LIGHTHOUSE_WIRE = (  # syndicates the Herald's opening sentence word for word, with its own reporting after it
    "The restored Marlow Bay lighthouse reopened to visitors on 14 June 2023 after a two-year restoration. "
    "Tickets for the climb to the lantern room are sold at the harbour office. "
    "The trust plans to light the old lamp once a year on the anniversary of the reopening.")
CANNERY_POST = (
    "The fire service said fourteen workers were injured in the fire at the Dunmore cannery on Tuesday night. "
    "The blaze started in a storage shed and spread to the packing hall before crews contained it. "
    "The cannery employs about two hundred people and will stay closed while inspectors examine the building.")
CANNERY_TIMES = (
    "The fire service said forty-one workers were injured in the fire at the Dunmore cannery on Tuesday night. "
    "Firefighters from three stations fought the blaze at the Dunmore cannery for six hours. "
    "The company said production would move to its second plant until the packing hall is rebuilt.")
UNRELATED = (
    "The county library will extend its opening hours on weekdays from next month. "
    "The council approved the change after a consultation in which most residents asked for evening hours.")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from citebrief import Corpus

    folder = tmp_path_factory.mktemp("disputes")
    rows = [("Lighthouse reopens", "Coastal Herald", LIGHTHOUSE_HERALD),
            ("Marlow Bay lighthouse open again", "Valley Gazette", LIGHTHOUSE_GAZETTE),
            ("Lighthouse reopens after restoration", "Northern Wire", LIGHTHOUSE_WIRE),
            ("Cannery fire injures workers", "Dunmore Post", CANNERY_POST),
            ("Dozens hurt in cannery blaze", "Evening Times", CANNERY_TIMES),
            ("Library hours extended", "County Courier", UNRELATED)]
    path = folder / "reports.jsonl"
    path.write_text("".join(json.dumps({"title": t, "outlet": o, "text": x}) + "\n" for t, o, x in rows),
                    encoding="utf-8")
    corpus = Corpus(str(folder / "corpus.db"))
    report = corpus.add([path])
    assert not report.failed, report.failed
    yield corpus
    corpus.close()


def _outlets(data: dict, citations: list[int]) -> set[str]:
    sources = {s["n"]: s for s in data["sources"]}
    return {sources[n]["outlet"] for n in citations}


def _value_dispute(data: dict, first: str, second: str) -> dict:
    found = [d for d in data["disputes"] if d["kind"] == "value"
             and any(first in s["text"] for s in d["sides"]) and any(second in s["text"] for s in d["sides"])]
    assert len(found) == 1, data["disputes"]
    return found[0]


@pytest.mark.model
def test_two_dates_for_one_event_are_reported_with_both_sources_cited(corpus):
    data = corpus.ask("When did the Marlow Bay lighthouse reopen?").to_json()
    assert data["shape"] == "factoid"
    dispute = _value_dispute(data, "14 June 2023", "21 June 2023")
    sides = {("14 June" if "14 June" in s["text"] else "21 June"): s for s in dispute["sides"]}
    # The word-for-word syndicated copy is merged with its original: one side, both outlets cited.
    assert _outlets(data, sides["14 June"]["citations"]) == {"Coastal Herald", "Northern Wire"}
    assert _outlets(data, sides["21 June"]["citations"]) == {"Valley Gazette"}
    # The summary states both dates, each citing only sources that give it.
    summary = data["sections"][0]["sentences"]
    for date, outlets in (("14 June 2023", {"Coastal Herald", "Northern Wire"}), ("21 June 2023", {"Valley Gazette"})):
        stating = [s for s in summary if date in s["text"]]
        assert stating, summary
        assert all(_outlets(data, s["citations"]) <= outlets for s in stating)
    assert not any("Marlow Bay" in d["summary"] and "Kestrel" in d["summary"] for d in data["disputes"])


@pytest.mark.model
def test_identical_syndicated_sentence_is_one_evidence_item(corpus):
    from citebrief.brief.evidence import gather
    from citebrief.search import Retriever

    plan = plan_question("When did the Marlow Bay lighthouse reopen?")
    embedder = corpus.embedder()
    evidence = gather(plan, Retriever(corpus.store, embedder), embedder)
    reopened = [ev for ev in evidence.items.values() if "reopened to visitors on" in ev.text]
    by_date = {("14" if "14 June" in ev.text else "21"): ev for ev in reopened}
    assert len(reopened) == 2 and set(by_date) == {"14", "21"}
    copies = {by_date["14"].doc.outlet} | {doc.outlet for doc, *_ in by_date["14"].also_in}
    assert copies == {"Coastal Herald", "Northern Wire"}
    assert not by_date["21"].also_in  # the rival date was not folded in as a "copy"


@pytest.mark.model
def test_a_pair_differing_in_one_number_is_a_dispute_with_both_sources_cited(corpus):
    data = corpus.ask("How many workers were injured in the Dunmore cannery fire?").to_json()
    dispute = _value_dispute(data, "fourteen workers", "forty-one workers")
    assert dispute["summary"] in ("Sources give different values: fourteen versus forty-one.",
                                  "Sources give different values: forty-one versus fourteen.")
    by_value = {("fourteen" if "fourteen" in s["text"] else "forty-one"): s for s in dispute["sides"]}
    assert _outlets(data, by_value["fourteen"]["citations"]) == {"Dunmore Post"}
    assert _outlets(data, by_value["forty-one"]["citations"]) == {"Evening Times"}
    # No lighthouse or library source is dragged into the cannery brief.
    assert not {s["outlet"] for s in data["sources"]} & {"Coastal Herald", "Valley Gazette", "County Courier"}


def test_dates_compare_across_abbreviations_and_values_stop_at_punctuation():
    a = "The ferry service across the estuary resumed on Aug. 22, 2021 after the repairs."
    assert minimal_pair(a, a.replace("Aug. 22", "August 22")) is None  # one date, written two ways
    listing = "Season Eleven · Premiere Date: August 22, 2021 · Network: Harbour TV."
    change = minimal_pair(listing, listing.replace("August 22, 2021", "August 2, 2020"))
    assert (change.first, change.second) == ("August 22, 2021", "August 2, 2020")


@pytest.mark.model
def test_gate_cites_only_the_copies_whose_own_passage_supports_the_sentence():
    from citebrief.brief.assemble import Citations
    from citebrief.brief.gate import gate
    from citebrief.brief.model import Draft, Section
    from citebrief.embed import get_embedder
    from citebrief.models import Passage
    from citebrief.verify import get_checker

    checker = get_checker("rules", embedder=get_embedder("minilm"))
    herald, wire, courier = _doc("a", "Coastal Herald"), _doc("b", "Northern Wire"), _doc("c", "County Courier")
    passages = {"pa": Passage("pa", "a", 0, 0, len(LIGHTHOUSE_HERALD), LIGHTHOUSE_HERALD),
                "pb": Passage("pb", "b", 0, 0, len(LIGHTHOUSE_WIRE), LIGHTHOUSE_WIRE),
                # A copy recorded against a passage that does not carry the sentence (a stale offset, say).
                "pc": Passage("pc", "c", 0, 0, len(UNRELATED), UNRELATED)}
    item = Evidence("E1", BASE, herald, "pa", 0, len(BASE), 1.0,
                    also_in=((wire, "pb", 0, len(BASE), BASE), (courier, "pc", 0, len(BASE), BASE)))
    evidence = EvidenceSet({"E1": item}, {}, {k: (p, {"pa": herald, "pb": wire, "pc": courier}[k])
                                               for k, p in passages.items()}, {"E1": 0.9}, {})
    gated = gate([Section("Summary", (Draft(BASE, ("E1",)),))], evidence, checker)
    (kept,) = gated.sections[0][1]
    assert kept.uncited_copies == {("E1", "c")} and gated.metrics["copies_uncited"] == 1
    cites = Citations(evidence)
    assert cites.cite(("E1",), kept.uncited_copies) == (1, 2)
    assert {s["outlet"] for s in cites.sources.values()} == {"Coastal Herald", "Northern Wire"}


def test_a_document_on_another_story_is_never_quoted():
    """A market wrap's other item or an article that only shares a place name is far from the question
    next to the articles about it: the brief quotes none of its sentences, summary included."""
    from citebrief.brief.evidence import other_stories
    from citebrief.brief.writer import write_sections

    fares = _doc("a", "Coastal Herald")
    league = _doc("b", "Valley Gazette")
    items = _evidence([
        ("E1", fares, "Ferry fares on the Marlow Bay route rose by a fifth in March because fuel costs doubled."),
        ("E2", fares, "The operator said the fuel surcharge would be reviewed in the autumn."),
        ("E3", league, "The Marlow Bay rowing club won the regional league for the third year running."),
    ])
    similarity = {"E1": 0.72, "E2": 0.55, "E3": 0.41}  # 0.41 < 2/3 of 0.72: another story
    rng = np.random.default_rng(0)
    vectors = {eid: (v := rng.normal(size=8).astype(np.float32)) / np.linalg.norm(v) for eid in items}
    evidence = EvidenceSet(items, {}, {}, similarity, vectors)
    assert other_stories(items, similarity) == {"b"}
    sections = write_sections(plan_question("Why did ferry fares at Marlow Bay rise?"), evidence, [], [], vectors)
    cited = {e for s in sections for d in s.sentences for e in d.evidence}
    assert "E1" in cited and "E3" not in cited
    # at 0.50 it is the same story told further from the question's words, and may be quoted
    assert other_stories(items, {**similarity, "E3": 0.50}) == frozenset()


def test_a_page_that_names_none_of_the_people_or_bodies_asked_about_is_another_story():
    """"Why did Kestrel Foods list in Lisbon?": a page on Lisbon's transport strike comes close on "Lisbon" but names
    no Kestrel Foods; it is another story when a closer page names the company (a country is named by pages on
    many stories, so the question's names are its people, bodies and places below a country)."""
    from citebrief.brief.evidence import other_stories, question_names
    from citebrief.brief.writer import write_sections

    listing, strike = _doc("a", "Coastal Herald"), _doc("b", "Valley Gazette")
    items = _evidence([
        ("E1", listing, "Kestrel Foods will list its shares in Lisbon next month to raise money for two new plants."),
        ("E2", strike, "Lisbon's metro workers will strike again next week over pay, the union said."),
    ])
    similarity = {"E1": 0.70, "E2": 0.55}  # over 2/3 of 0.70: by closeness alone the same story
    question = "Why did Kestrel Foods choose Lisbon for its listing?"
    names = question_names(question)
    assert "Kestrel Foods" in names
    assert other_stories(items, similarity) == frozenset()
    assert other_stories(items, similarity, names=names) == {"b"}
    vectors = {eid: np.ones(8, np.float32) / np.sqrt(8) for eid in items}
    sections = write_sections(plan_question(question), EvidenceSet(items, {}, {}, similarity, vectors), [], [],
                              vectors)
    assert "E2" not in {e for s in sections for d in s.sentences for e in d.evidence}
    # a page about as close as one that names them may name them otherwise ("the Federal Reserve" for "the Fed"): it
    # is not set aside; nor is anything when none names them
    assert other_stories(items, {"E1": 0.70, "E2": 0.62}, names=names) == frozenset()
    assert other_stories(items, {"E1": 0.50, "E2": 0.60}, names=names) == frozenset()
    assert other_stories(items, similarity, names=("Harlow Mills",)) == frozenset()
    assert question_names("What caused the helicopter crash in Afghanistan?") == ()  # a country only


def test_the_summary_gives_each_actors_reason_closest_to_the_question():
    from citebrief.brief.model import ActorFinding, Position
    from citebrief.brief.writer import write_sections

    harbour = _doc("a", "Coastal Herald")
    items = _evidence([
        ("E1", harbour, "The harbour board opposed the new ferry levy because it had not been consulted on it."),
        ("E2", harbour, "The harbour board opposed the new ferry levy because the levy would drive island families "
                        "away from the mainland schools."),
        ("E3", harbour, "The council approved the ferry levy on Monday after a two-hour debate."),
    ])
    similarity = {"E1": 0.45, "E2": 0.70, "E3": 0.75}
    vectors = {eid: np.eye(3, dtype=np.float32)[k] for k, eid in enumerate(items)}
    evidence = EvidenceSet(items, {}, {}, similarity, vectors)
    board = ActorFinding("harbour board", "organisation", Position.OPPOSES, ("not consulted", "families"),
                         ("E1",), ("E1", "E2"), ())
    plan = plan_question("Who opposes the ferry levy, and why?")
    summary = write_sections(plan, evidence, [board], [], vectors)[0]
    quoted = [e for d in summary.sentences if d.kind == "extract" for e in d.evidence]
    # after the sentence closest to the question, the board's reason: the one on the question (E2), not its
    # first (E1)
    assert quoted[:2] == ["E3", "E2"]


def test_the_summary_answers_each_part_of_a_question_of_several_parts():
    """The sentence closest to the question's second part is in the summary although six sentences are
    closer to the whole question."""
    from citebrief.brief.writer import write_sections

    herald = _doc("a", "Coastal Herald")
    fares = [f"The ferry operator said fares on route {n} rose because fuel costs doubled in the first quarter."
             for n in range(1, 8)]
    items = _evidence([(f"E{k}", herald, text) for k, text in enumerate(fares, 1)]
                      + [("E8", herald, "The new winter timetable for the island ferries starts on 4 November.")])
    similarity = {**{f"E{k}": 0.80 - k / 100 for k in range(1, 8)}, "E8": 0.30}
    # (each fare sentence a route of its own: distinct vectors, so none repeats another in the summary)
    axes = np.eye(8, dtype=np.float32)
    vectors = {**{f"E{k}": axes[k - 1] for k in range(1, 8)}, "E8": axes[7]}
    question = "How did the ferry operator explain the fare rise, and when does the new timetable start?"
    one_part = EvidenceSet(items, {}, {}, similarity, vectors)
    fares_part = axes[:7].sum(axis=0) / np.sqrt(7)
    two_parts = replace(one_part, part_vectors=(fares_part, axes[7]))

    def summary(evidence):
        return [e for d in write_sections(plan_question(question), evidence, [], [], vectors)[0].sentences
                for e in d.evidence]
    assert "E8" not in summary(one_part)  # read against the whole question, the timetable is too far
    assert "E8" in summary(two_parts)


def test_a_denial_pairs_with_the_claim_it_answers_unless_the_sentence_states_the_claim_itself():
    """"Downing Street dismissed the report as false" answers the report before it; "… concerns about Brook leaking the
    file, a prospect Brook denied earlier in the day" states the claim and its denial in one sentence, and pairing it
    with the sentence before ("the question was outside the scope of his testimony") made a dispute of nothing."""
    from citebrief.brief.disputes import find_denials

    paper, wire = _doc("a", "Coastal Herald"), _doc("b", "Valley Gazette")
    rows = [("E1", paper, "The Herald reported on Monday that the harbour board will sell the pier to a developer."),
            ("E2", wire, "The harbour board denied the report, calling it false and saying the pier is not for sale.")]
    vectors = {"E1": np.array([1.0, 0.0]), "E2": np.array([0.8, 0.6])}
    (dispute,) = find_denials(_evidence(rows), vectors)
    assert dispute.kind == "denial" and [ids for _, ids in dispute.sides] == [("E1",), ("E2",)]
    rows = [("E1", wire, "His lawyer said the question was outside the scope of his testimony."),
            ("E2", wire, "Morrow said others had raised concerns about Brook leaking information, a prospect Brook "
                         "denied earlier in the day.")]
    assert find_denials(_evidence(rows), vectors) == []
