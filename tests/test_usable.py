"""Which source sentences can stand alone in a brief (pure, in-process)."""

from __future__ import annotations

from citebrief.brief.evidence import names_outlet
from citebrief.brief.usable import is_opinion, stands_alone
from citebrief.models import DocMeta


def test_a_sentence_that_leans_on_the_one_before_is_not_used_alone():
    for text in ("He said the plan would fail.", "“They think they know better,” he said.",
                 "That's almost enough to fill a swimming pool.", "These figures were revised."):
        assert not stands_alone(text), text
    for text in ("The governor said he was waiting for the commission.", "Heathrow said flights resumed.",
                 "Theresa May resigned.", "Thessaloniki hosted the summit."):
        assert stands_alone(text), text


def test_page_residue_never_enters():
    for text in ("Read the statement at https://example.org/x now.", "Thanks to @citydesk for the tip.",
                 "Kristi NoemKristi Lynn Noem said the state would appeal MORE", "pic.twitter.com/abc shows it."):
        assert not stands_alone(text), text
    assert stands_alone("MacArthur Park and WhatsApp were both named in the filing.")
    # a page's call to act is an imperative; the same words in reporting are the story's
    for text in ("Sign up for the free daily newsletter.", "Ferry Pass is Now Live, Sign up for the bundle and save.",
                 "Click here for more information.", "Follow us on Facebook."):
        assert not stands_alone(text), text
    for text in ("The operator isolated the fault and continued to sign up new riders through the week.",
                 "Fans rushed to subscribe to the service."):
        assert stands_alone(text), text


def _doc(url=None, title=None):
    return DocMeta("d", "d.html", title, "Outlet", None, None, url)


def test_opinion_pieces_are_recognised_by_url_or_title():
    assert is_opinion(_doc("https://news.example/opinion/2019/11/why-rates-must-fall"))
    assert is_opinion(_doc(title="Op-Ed: The court got it wrong"))
    assert not is_opinion(_doc("https://news.example/world/2019/11/court-rules", "Court rules on appeal"))


def test_headlines_and_sentences_that_point_back_do_not_stand_alone():
    for text in ("Why the bridge keeps flooding every spring", "Together, these failures closed the plant.",
                 "In that case, the board voted again.", "Of those, most were never repaid.",
                 "“By hyping up expectations, they lost the room,” he said.",
                 "The deal is dead, she told reporters on Monday."):
        assert not stands_alone(text), text
    for text in ("Officials say this year is the worst on record.", "The judge said that this law is void.",
                 "“We need action now,” the mayor said.", "Sales rose 5% in that quarter.",
                 "The mayor said she would veto the budget."):
        assert stands_alone(text), text


def test_causes_are_recognised_in_plain_english():
    from citebrief.analysis.vocab import CAUSAL_RE

    for text in ("The outage was caused by a failed transformer.", "Analysts blamed weak demand.",
                 "Runoff is the main source of the algae.", "Delays stem from a shortage of parts."):
        assert CAUSAL_RE.search(text), text
    assert not CAUSAL_RE.search("The team won the final on Sunday.")


def test_a_reused_sentence_keeps_a_phrase_that_opens_like_a_connective_and_shows_a_quotation_as_one():
    from citebrief.brief.lexicon import trim_sentence

    assert trim_sentence("In addition to the three deaths, 30 people were hurt.") == \
        "In addition to the three deaths, 30 people were hurt."
    assert trim_sentence("In addition, 30 people were hurt.") == "30 people were hurt."
    assert trim_sentence("So far, the market looks fair.") == "So far, the market looks fair."
    assert trim_sentence("But the company said no.") == "The company said no."
    assert trim_sentence("And we are going,” said Ortega.") == "“We are going,” said Ortega."
    assert trim_sentence('He said "no" twice.') == 'He said "no" twice.'
    # a quotation that opens in the sentence and goes on past it is closed at its end, not opened at its start;
    # a curly opening mark closed by a straight one is a whole quotation
    assert trim_sentence('Lena Ortiz said that the referee "cannot blame us.') == \
        'Lena Ortiz said that the referee "cannot blame us."'
    assert trim_sentence("Ortiz told the Courier: “The rise was small.") == \
        "Ortiz told the Courier: “The rise was small.”"
    assert trim_sentence('“Our results were strong," the chief executive said.') == \
        '“Our results were strong," the chief executive said.'
    # a link label the page ran into the sentence is no part of it; the word "More" opening a sentence is
    assert trim_sentence("More: “We need more landers,” Dana Reyes said.") == "“We need more landers,” Dana Reyes said."
    assert trim_sentence("Related: The vote was delayed.") == "The vote was delayed."
    assert trim_sentence("More than 40 people came.") == "More than 40 people came."
    # a dateline goes, with the agency's tag or as the tag alone
    assert trim_sentence("BRENNA (Reuters) - Ferry fares rose on Monday.") == "Ferry fares rose on Monday."
    assert trim_sentence("(AP) — Ferry fares rose on Monday.") == "Ferry fares rose on Monday."


def test_a_sentence_that_is_only_a_quotation_or_an_embed_label_is_not_used_alone():
    assert not stands_alone("“We're using our lander to get there faster than anyone thought.”")
    assert not stands_alone('"The plan is dead."')
    assert stands_alone("“The plan is dead,” the senator said.")
    assert not stands_alone("See tweets : the governor defended the slogan on Monday.")


def test_a_signpost_announces_and_states_nothing():
    from citebrief.brief.usable import signpost

    assert signpost("Here's what the early reviews say:") and signpost("Here is how the night unfolded.")
    assert not signpost("Hereford council voted to close the pier.")


def test_a_sentence_in_the_first_person_singular_leans_on_who_wrote_it():
    from citebrief.brief.usable import says_i

    assert says_i("My last one broke twice.") and says_i("I think the hull is a mistake.")
    assert not says_i("The Second World War I series ended.") and not stands_alone("My last one broke twice.")


def test_a_facet_cue_is_read_at_the_start_of_a_word():
    """"no " is in "no evidence", not in "now", "announcing" or "economy"; a stem cue takes its word's forms."""
    from citebrief.brief.lexicon import has_cue

    assert has_cue("There is no evidence the kiosk sold anything.", ("not ", "no "))
    assert not has_cue("Another cloud of smoke is now announcing a bad economy.", ("not ", "no "))
    assert has_cue("Critics criticised the plan.", ("criticis",))
    assert not has_cue("The vote was devoted to roads.", ("votes",)) and has_cue("They voted.", ("vote",))


def test_a_sentence_opens_with_a_capital_unless_its_first_name_is_written_otherwise():
    from citebrief.brief.lexicon import capitalised, trim_sentence

    assert capitalised("teachers are reported as opposed.") == "Teachers are reported as opposed."
    assert capitalised("iCarta is reported as supportive.") == "iCarta is reported as supportive."
    assert trim_sentence("But eBay said no.") == "eBay said no."


def test_a_table_row_the_page_ran_into_its_text_is_no_sentence():
    from citebrief.brief.evidence import _prose

    assert not _prose("| DE | Tom Ellery | 48 | 70% | 2 tackles (1 solo).")
    assert not _prose("2 sacks, 1 hurry, 3 passes defended. |")
    assert _prose("The defensive line made one sack and defended one pass in the second half.")


def test_a_question_names_an_outlets_piece_only_with_what_its_pieces_are_called():
    assert names_outlet("What does VG247's review praise?", "VG247")
    assert names_outlet("What does the Guardian editorial argue about the strike?", "The Guardian")
    assert names_outlet("Did the Ledger’s long investigation find fraud?", "Ledger")
    assert not names_outlet("Why was the Ledger sold to a hedge fund?", "Ledger")  # the outlet as a company
    assert not names_outlet("What does the Guardian editorial argue?", "Guardian Angels Weekly")
    assert not names_outlet("What does the AP report say?", "AP")  # two letters: too often something else
    assert not names_outlet("What does VG247's review praise?", None)
