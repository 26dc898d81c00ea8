"""What the footer says was checked is what was checked (pipeline._checked): a source sentence quoted as what it
is ("In an opinion piece in …") is a quoted sentence, not a template verified against the analysis. Pure."""

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
