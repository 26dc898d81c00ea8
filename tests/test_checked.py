"""What a brief shows is what was found (pipeline._checked, brief.assemble): the footer counts a source sentence
quoted as what it is ("In an opinion piece in …") as quoted, not as a template verified against the analysis; the
actor table keeps its heading. Pure."""

from __future__ import annotations


def test_a_sentence_quoted_as_opinion_is_counted_as_quoted_not_as_a_verified_template():
    from citebrief.brief.gate import GatedDraft, GateResult
    from citebrief.brief.model import Draft
    from citebrief.brief.onquestion import QuestionCheck
    from citebrief.brief.templates import TemplateCheck
    from citebrief.pipeline import _checked
    from citebrief.verify import Label, Verdict

    verdict = Verdict(Label.SUPPORTED, 0.9, None)
    drafts = (GatedDraft(Draft("In an opinion piece in Kelda Post: “The levy is a tax on the poor”.", ("E1",),
                               "template"), verdict),
              GatedDraft(Draft("Ana Ruiz is reported as opposed.", ("E2",), "template"), verdict),
              GatedDraft(Draft("The levy rose to €5 in May.", ("E3",)), verdict))
    metrics = _checked(GateResult((("S", drafts),), (), {}), TemplateCheck((), 1, ()), QuestionCheck((), 1, ()))
    assert metrics["sentences_quoted"] == 2 and metrics["templates_verified_against_analysis"] == 1


def test_the_table_keeps_its_heading_when_no_sentence_of_the_sections_passed():
    """The actor table goes under the first section's heading; a brief whose sections kept no sentence (all the
    page's other sentences were on other items) still shows it there."""
    from citebrief.brief.assemble import assemble
    from citebrief.brief.evidence import EvidenceSet
    from citebrief.brief.gate import GatedDraft, GateResult
    from citebrief.brief.model import ActorFinding, Draft, Evidence, Facet, Plan, Position, Shape
    from citebrief.brief.render import to_markdown
    from citebrief.brief.writer import SUMMARY
    from citebrief.models import DocMeta
    from citebrief.verify import Label, Verdict

    text = "Kelda director Rosa Berg said Sam Okafor has her full support as the Kelda coach."
    meta = DocMeta("d1", "d1.txt", "Notes", "Kelda Post", None, "2026-05-01", None)
    evidence = EvidenceSet({"E1": Evidence("E1", text, meta, "p1", 0, len(text), 1.0)}, {}, {}, {"E1": 0.6}, {})
    plan = Plan("Who defended Sam Okafor as Kelda coach?", Shape.ACTORS, ("okafor",), (),
                (Facet("positions", "Who holds which position on Sam Okafor", "Okafor"),))
    row = ActorFinding("Rosa Berg", "person", Position.SUPPORTS, (), ("E1",), (), ())
    summary = (GatedDraft(Draft(text, ("E1",)), Verdict(Label.SUPPORTED, 0.9, None)),)
    brief = assemble(plan, GateResult(((SUMMARY, summary),), (), {}), [row], [], [], evidence, generated_at="now")
    assert [h for h, _ in brief.sections] == [SUMMARY, "Who holds which position on Sam Okafor"]
    markdown = to_markdown(brief)
    assert markdown.index("## 1. Who holds which position on Sam Okafor") < markdown.index("| Rosa Berg |")
