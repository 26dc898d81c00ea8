"""A quotation over several sentences is its speaker's throughout (analysis/quotes.py), and a sentence
that opens one is not used alone in a brief (brief/usable.py)."""

from __future__ import annotations

from citebrief.analysis.quotes import attributed, continued, in_quotation, open_quote
from citebrief.brief.usable import stands_alone

DOC = ('The club has lost five matches in a row.\n\n"We have not defended well enough. The players know it. '
       'We will change the system on Saturday," said coach Mara Lindgren after the defeat. The board declined '
       'to comment.\n\n“Ticket sales are down a third.” The figures were published on Monday.\n\n'
       '"Nobody at the club is talking about relegation yet.\n\nThe next paragraph is the reporter\'s.')


def _end(sentence: str) -> int:
    return DOC.index(sentence) + len(sentence)


def test_the_first_sentences_of_a_quotation_take_the_attribution_that_closes_it():
    first = '"We have not defended well enough.'
    assert attributed(first, DOC, _end(first)) == \
        '"We have not defended well enough," said coach Mara Lindgren after the defeat.'
    middle = "The players know it."  # from the middle of the quotation: the same speaker's
    assert attributed(middle, DOC, _end(middle)) == "“The players know it,” said coach Mara Lindgren after the defeat."
    after = "The board declined to comment."  # after the quotation closed: nothing to do
    assert attributed(after, DOC, _end(after)) is None


def test_an_abbreviation_in_the_attribution_does_not_end_it():
    doc = ('"We believe the verdict was right. The family can rest now," said U.S. Attorney Ana Ruiz. '
           'Court adjourned.\n\n"It was a hard case," Dr. Lee Park told reporters.')
    first = '"We believe the verdict was right.'
    assert attributed(first, doc, doc.index(first) + len(first)) == \
        '"We believe the verdict was right," said U.S. Attorney Ana Ruiz.'


def test_a_quotation_closed_in_its_own_sentence_or_never_closed_in_its_paragraph_names_nobody():
    closed = "“Ticket sales are down a third.”"
    assert not open_quote(closed) and attributed(closed, DOC, _end(closed)) is None
    dangling = '"Nobody at the club is talking about relegation yet.'
    assert open_quote(dangling) and attributed(dangling, DOC, _end(dangling)) is None


def test_a_quotation_closed_by_the_story_going_on_names_nobody():
    """What follows the close is not an attribution unless it says who spoke: the story's next sentence is not."""
    doc = '"We needed the win. Now we can advance." Although the match ran late, the crowd stayed.'
    assert attributed('"We needed the win.', doc, len('"We needed the win.')) is None


def test_a_quotation_that_goes_on_after_an_attributed_one_is_the_same_speakers():
    """'"It was hard for us," Lopez said. "We needed this win. Now we can advance."': the second quotation names
    nobody and follows the attributed one in its paragraph, so it is Lopez's; a quotation with its own
    attribution, one after a narrative sentence, one in another paragraph, or a sentence that goes on past the
    quotation's close is not."""
    doc = ('"It was a hard night for us," Ines Lopez said. "We needed this win. Now we can advance." The final '
           'is on Sunday.\n\n"Nobody expected it."')

    def at(sentence: str) -> int:
        return doc.index(sentence)
    assert continued('"We needed this win.', doc, at('"We needed this win.')) == \
        "“We needed this win,” Ines Lopez said."
    assert continued("Now we can advance.\"", doc, at("Now we can advance.")) == \
        "“Now we can advance,” Ines Lopez said."
    assert continued('"Nobody expected it."', doc, at('"Nobody expected it."')) is None  # another paragraph
    assert continued("The final is on Sunday.", doc, at("The final is on Sunday.")) is None  # no quotation
    own = '"It was hard," Lopez said. "We needed it," said coach Ana Ruiz.'
    assert continued('"We needed it," said coach Ana Ruiz.', own, own.index('"We needed')) is None
    story = 'The "smart" meter plan was dropped. "We needed it."'
    assert continued('"We needed it."', story, story.index('"We needed')) is None  # no attribution before it
    mixed = '"That is working," Noem wrote. "So it works." She then shared the site: "Meth is a problem.'
    sentence = mixed[mixed.index('"So it works."'):]
    assert continued(sentence, mixed, mixed.index('"So it works."')) is None


def test_a_quotation_opened_by_its_speaker_is_theirs_to_its_end():
    """'Ines Lopez, via the Courier, said that the referee "cannot … . He was protecting himself."': the quotation
    opens after its attribution, so its later sentences are Lopez's; a quotation that ends with a full stop is
    followed by the story, not by its speaker ('… at that." The Courier has reported …')."""
    doc = ('On Sunday, Ines Lopez, via the Courier, said that the referee "cannot change a call and then blame us. '
           'He was protecting himself. Leave it at that." The Courier has reported that the league will meet.')
    inside = "He was protecting himself."
    assert continued(inside, doc, doc.index(inside)) == "“He was protecting himself,” Ines Lopez said."
    assert attributed(inside, doc, doc.index(inside) + len(inside)) is None
    told = 'Ada Brook told the committee: "We warned them in May. Nobody listened."'
    assert continued('Nobody listened."', told, told.index("Nobody")) == \
        "“Nobody listened,” Ada Brook told the committee."
    story = 'The council voted on the "smart meter. It was late."'  # no verb of saying before the quotation
    assert continued('It was late."', story, story.index("It was")) is None


def test_a_page_that_drops_a_closing_mark_does_not_turn_later_quotations_around():
    """The paragraph left a quotation unclosed earlier ('commented: "Use in teens is rising. "Given …'), so its
    marks no longer pair; the last mark before a sentence still says whether it is inside a quotation, and a long
    introduction ("Ian Reyes, an expert … who did not work on the study, told the Courier:") still names its
    speaker."""
    doc = ('Dr. Ana Lind commented: "Use in teens is rising. "Given our findings, prevention must come first," '
           'Lind said. Ian Reyes, an expert in drug use and mental health at the Department of Health Sciences at '
           'the University of Brenna who did not work on the study, told the Courier: "The rise looks small. Even '
           'a small rise means many new patients."')
    sentence = 'Even a small rise means many new patients."'
    assert continued(sentence, doc, doc.index(sentence)) == \
        "“Even a small rise means many new patients,” Ian Reyes told the Courier."
    after = 'Lind said.'
    assert continued(after, doc, doc.index(after)) is None


def test_a_sentence_that_opens_a_quotation_does_not_stand_alone():
    assert not open_quote('“Our results were strong," the chief executive said.')  # closed by a straight mark
    assert not stands_alone('"We have not defended well enough.')
    assert not stands_alone("“Ticket sales are down a third and falling.")
    assert stands_alone('"We have not defended well enough," said coach Mara Lindgren.')


def test_a_question_of_the_page_is_told_from_a_quoted_one():
    from citebrief.brief.usable import asks

    assert asks("Why Can't the Band Play Its Own Songs?")
    assert asks("Is the service the future of gaming, or will it fall flat on its face?")
    assert not asks('Malaska asked, "Could something like it live in the ocean under the crust?"')  # quoted
    assert not asks("The band cannot play its own songs, the label said.")


def test_an_entry_of_a_reference_list_does_not_stand_alone():
    assert not stands_alone("[1] Alarm fatigue: impacts on patient safety, Ruskin KJ, Hueske-Kraus D. Curr Opin.")
    assert not stands_alone("2. Noise in the ward, Patel RK, Brenna Hospital Press, 2018.")
    assert stands_alone("[The company] said alarm fatigue affects patient safety in intensive care.")
    assert stands_alone("2. The ward was closed on Monday after the alarm failed.")  # a numbered point of the story


def test_a_sentence_that_announces_the_articles_next_part_does_not_stand_alone():
    assert not stands_alone("Here is how the event unfolded, and what experts say caused it.")
    assert not stands_alone("Here’s what we know about the recall so far.")
    assert stands_alone("Hereford council approved the plan on Monday.")


def test_a_sentence_that_announces_what_the_next_one_says_does_not_stand_alone():
    """A new thing of a general kind appears, or something comes at a cost, and the sentence ends there."""
    assert not stands_alone("As the reservoir emptied, another problem began to emerge.")
    assert not stands_alone("Then a new question came up.")
    assert not stands_alone("The faster chip comes at some cost.")
    assert stands_alone("Another problem emerged in the audit: two invoices had been paid twice.")  # it says which
    assert stands_alone("The team found a new problem with the engine's wiring.")
    assert stands_alone("Another issue emerged in the trial over the handling of the evidence.")
    assert stands_alone("The faster chip comes at a cost of $40 per unit.")


def test_a_connective_then_a_pronoun_subject_does_not_stand_alone():
    """"Now they've …", "Then he …": whoever the pronoun is was named in an earlier sentence."""
    assert not stands_alone("Now they've put out another statement to the organisers of the awards.")
    assert not stands_alone("At first, his doctor assumed he had a chest infection.")
    assert not stands_alone("Then she resigned from the board.")
    # a demonstrative determiner, "now that", an empty "it's" and a quotation's own "Now, we …" are no such thing
    assert stands_alone("Earlier that night, a police sergeant searched the same motel room.")
    assert stands_alone("Now that the trial has ended, prosecutors released the footage.")
    assert stands_alone("Of course, it's not just traffic that is choking the city.")
    assert stands_alone("\"Now, we expect smaller firms to outperform,\" said Dana Reyes of Kelda Capital.")
    assert stands_alone("Now Acme has put out another statement.")
    # … nor a connective then a demonstrative that points back, or a time that does then a pronoun; "this week" is
    # a time of its own
    assert not stands_alone("Today that mission scope may have widened to the outer moons.")
    assert not stands_alone("But that strategy may now be discouraging the buyers.")
    assert not stands_alone("Still, this isn't the first time a slogan has misfired in the state.")
    assert not stands_alone("Later that evening, he admitted taking the van.")
    assert stands_alone("But this week the council voted the plan down.")


def test_an_unquoted_first_person_or_glued_link_text_does_not_stand_alone():
    """Who "I" is the sentence does not say; a page's link text run together is residue."""
    assert not stands_alone("Because the promised features have not arrived, I can't recommend the service yet.")
    assert stands_alone("\"I am confident we can lead the country,\" the governor said.")
    assert stands_alone("The I-95 bridge reopened on Monday, and veterans of World War I were honoured.")
    assert not stands_alone("Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor doubles down on the campaign.")
    assert stands_alone("YouTube and PlayStation both reported record traffic on Monday.")


def test_a_sentence_that_starts_inside_a_quotation_leaves_it_at_the_closing_mark():
    text = 'All on board were safe," Ranger Tomas Bell said.'
    assert not in_quotation(text, text.index("Tomas"))  # (the mark closes: the speaker is outside)
    text = '"The rangers wanted to close the trail," she said, "and we agreed."'
    assert in_quotation(text, text.index("rangers")) and not in_quotation(text, text.index("she"))
    assert in_quotation(text, text.index("agreed"))
    text = "All on board were safe,” he said of the “calm” crew."
    assert not in_quotation(text, text.index("he said")) and in_quotation(text, text.index("calm"))
