"""Questions outside geopolitics get correct, non-empty actor tables (real parse, real model, real store).

Small corpora written for these tests (tests/fixtures/domains): a product recall, a scientific
dispute and a court case. Nothing in the analysis was written from them; they check that the
stance vocabulary, the holder rules and the target rule carry over to other kinds of story.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citebrief import Corpus

DOMAINS = Path(__file__).parent / "fixtures" / "domains"


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    corpora: dict[str, Corpus] = {}

    def run(domain: str, question: str) -> dict[str, dict]:
        if domain not in corpora:
            corpora[domain] = Corpus(str(tmp_path_factory.mktemp(domain) / "c.db"))
            assert not corpora[domain].add([DOMAINS / domain]).failed
        data = corpora[domain].ask(question).to_json()
        assert data["enough_evidence"]
        return {a["name"].split(" (")[0]: a for a in data["actors"]}

    return run


def _corpus_of(tmp_path: Path, pages: dict[str, tuple[str, str, str, list[str]]]) -> Corpus:
    """A corpus of text pages, each (title, outlet, date, paragraphs), added from one folder."""
    folder = tmp_path / "news"
    folder.mkdir()
    for name, (title, outlet, date, paragraphs) in pages.items():
        (folder / name).write_text(f"Title: {title}\nOutlet: {outlet}\nDate: {date}\n\n" + "\n\n".join(paragraphs)
                                   + "\n", encoding="utf-8")
    corpus = Corpus(str(tmp_path / "c.db"))
    assert not corpus.add([folder]).failed
    return corpus


def _check(actors, expected):
    for name, position in expected.items():
        assert name in actors, (name, sorted(actors))
        assert actors[name]["position"] == position, (name, actors[name])


def test_product_recall(ask):
    actors = ask("recall", "Who supports and who opposes the recall of the Brightwave heaters, and why?")
    _check(actors, {"Brightwave Appliances": "opposes", "Office for Product Safety": "supports",
                    "Association of Electrical Retailers": "supports"})
    assert any("covering the heaters" in r for r in actors["Brightwave Appliances"]["reasons"])
    assert not any("Crumb" in name for name in actors)  # the unrelated bakery story


def test_scientific_dispute(ask):
    actors = ask("science", "Which scientists dispute the claim that lotemab slows memory decline, and who defends it?")
    _check(actors, {"Martin Osei": "opposes", "Anna Lindqvist": "opposes", "Priya Raman": "supports"})
    assert any("too small" in r for r in actors["Martin Osei"]["reasons"])
    assert actors["Martin Osei"]["kind"] == "person"


def test_court_case(ask):
    actors = ask("court", "Who welcomed and who criticised the court ruling upholding the fine against Harbor Freight "
                          "Lines, and why?")
    _check(actors, {"European Shipping Council": "opposes", "Blue Coast": "supports",
                    "Harbor Freight Lines": "opposes"})
    assert any("insurance costs" in r for r in actors["European Shipping Council"]["reasons"])
    # each row's reasons are its own
    reasons = [r for a in actors.values() for r in a["reasons"]]
    assert len(reasons) == len(set(reasons))


def test_why_question_positions_are_on_the_disputed_cause(ask):
    """A why question: the operator asserts a broken rail, the track owner denies it, the union gives
    another cause; the table's positions are on the explanation the sources dispute."""
    actors = ask("derailment", "Why did the freight train derail near Merrow?")
    _check(actors, {"Northline Rail": "supports", "Varden Infrastructure": "opposes"})
    assert {a["position_toward"] for a in actors.values()} == {"the explanation: a broken rail on the curve south "
                                                               "of Merrow station"}
    union = next(a for name, a in actors.items() if "union" in name.lower() or "Okafor" in name)
    assert union["position"] == "neutral"
    assert any("maintenance" in r for r in union["reasons"])
    assert not any("festival" in name.lower() for name in actors)
    assert actors["Ellen Marsh"]["position"] == "supports"


def test_why_summary_opens_with_the_explanation_and_attributes_a_post(tmp_path):
    """The summary states the disputed cause as its actors do, the denial beside it, and quotes a
    social-media post as a post (never as a fact), without its link."""
    corpus = Corpus(str(tmp_path / "c.db"))
    assert not corpus.add([DOMAINS / "derailment"]).failed
    brief = corpus.ask("Why did the freight train derail near Merrow?").to_json()
    summary = [s["text"] for s in brief["sections"][0]["sentences"]]
    opening = " ".join(summary[:3])
    assert "Northline Rail" in opening and "denied that a broken rail caused" in opening
    post = next(s for s in summary if "Ellen Marsh" in s)
    assert post.startswith("In a social-media post, Ellen Marsh wrote: “The Merrow derailment happened because of")
    assert "t.co" not in post
    assert not any(s.startswith("The Merrow derailment happened") for s in summary)
    # nor anywhere else in the brief: a post is quoted as one or not at all
    everywhere = [s["text"] for section in brief["sections"] for s in section["sentences"]]
    assert not any(s.startswith("The Merrow derailment happened") for s in everywhere)


def test_an_event_named_only_in_the_headline_or_in_an_irregular_form_is_reported(tmp_path):
    """"Why did ferry fares jump?" over a page whose headline says "jump" and whose body says "rose":
    the sources report the event; "shot" reports "shoot"."""
    from citebrief.brief.answerable import main_predicates

    corpus = _corpus_of(tmp_path, {
        "fares.txt": ("Harbour ferry fares jump 20% as fuel costs bite", "Coast Courier", "2025-02-03", [
            "Fares on the Brenna harbour ferry rose by a fifth on Monday, the operator said, citing the cost of fuel.",
            "The operator, Brenna Ferries, said diesel now made up half of its running costs.",
            "Commuters' groups said the rise would push more people into cars."]),
        "goose.txt": ("Farmer fined over protected geese", "Coast Courier", "2025-02-04", [
            "A farmer near Brenna was fined after he shot two protected geese on the marsh last winter, the court heard.",
            "He told the court he shot the geese because they were eating his winter wheat.",
            "The court said the birds were protected under the wildlife act and fined him 900 pounds.",
            "A wildlife charity said the marsh near Brenna holds a fifth of the region's wintering geese."])})
    assert corpus.ask("Why did Brenna harbour ferry fares jump?").enough_evidence
    assert main_predicates("Why did the farmer shoot the protected geese near Brenna?") == ("shoot",)
    assert corpus.ask("Why did the farmer shoot the protected geese near Brenna?").enough_evidence
    declined = corpus.ask("Which commuters were arrested at the Brenna harbour ferry over the fares?")
    assert not declined.enough_evidence and "do not establish" in declined.limits[0]
    # a charge brought against someone is an event to report, not a verb of saying ("the court heard" is no charge)
    assert main_predicates("Was the farmer near Brenna charged over the protected geese?") == ("charge",)
    declined = corpus.ask("Was the farmer near Brenna charged over the protected geese?")
    assert not declined.enough_evidence and "do not establish" in declined.limits[0]


def test_an_event_reported_in_words_of_its_own_is_not_declined(tmp_path, monkeypatch):
    """"Which kiosk sells bottled mountain air?" over a page where one "is offering" it: a sentence about as close to
    what is asked as a paraphrase reports it, whatever its verb; an event nothing near reports is still declined."""
    import citebrief.brief.answerable as answerable

    corpus = _corpus_of(tmp_path, {"air.txt": ("A kiosk offers bottled mountain air to shoppers", "Valley Post",
                                               "2025-04-02", [
        "A kiosk at the Lakeside mall in Brenna is offering bottled mountain air to shoppers for 300 rupees a session.",
        "The kiosk opened last month and says customers breathe the air through a mask for fifteen minutes.",
        "The kiosk's owners said the bottled mountain air comes from a valley north of Brenna.",
        "Shoppers at the Lakeside mall queued at the kiosk on Saturday, its owners said.",
        "Doctors in Brenna said there was no evidence that the sessions at the kiosk did any good."])})
    question = "Which kiosk in Brenna sells bottled mountain air to shoppers for 300 rupees?"
    assert corpus.ask(question).enough_evidence
    monkeypatch.setattr(answerable, "ASKED_IN_OTHER_WORDS", 1.01)  # (the verb check alone declines it)
    assert not corpus.ask(question).enough_evidence
    monkeypatch.undo()
    declined = corpus.ask("Was the Lakeside mall kiosk in Brenna fined for selling bottled mountain air?")
    assert not declined.enough_evidence and "do not establish" in declined.limits[0]


def test_a_column_headed_with_what_is_asked_is_read_though_no_sentence_names_it_all(tmp_path):
    """"Why are councillors backing the ferry levy?" over a column headed "Councillors Are Backing the Ferry Levy to
    Nowhere" none of whose sentences names two of its words: the headline puts it on the question's topic."""
    corpus = _corpus_of(tmp_path, {"column.txt": ("Opinion | Brenna Councillors Are Backing the Ferry Levy to Nowhere",
                                                  "Coast Courier", "2025-05-06", [
        "The vote in the chamber on Tuesday was the fourth this spring.",
        "Elected members once promised cheaper crossings to every island household.",
        "The levy adds two pounds to each ticket and goes to a fund nobody has yet spent.",
        "Islanders say the crossings are slower than they were a year ago.",
        "The fund has grown to four million pounds without a new boat ordered.",
        "In my view the money should be spent before anyone asks islanders for more."])})
    brief = corpus.ask("Why are Brenna councillors backing the ferry levy?")
    assert brief.enough_evidence, brief.limits
    assert brief.sources[0]["title"].startswith("Opinion | Brenna Councillors")


def test_a_declined_question_quotes_what_the_sources_say_about_it(tmp_path):
    """"What UK price …?" over a launch report that gives a German price and says the UK price is not
    confirmed: declined, with that sentence quoted and cited, in every format."""
    from citebrief.brief.assemble import SAID_INSTEAD
    from citebrief.brief.render import to_html, to_markdown
    from citebrief.export.layout import Heading, blocks

    corpus = _corpus_of(tmp_path, {"phone.txt": ("Lumo 3 phone launched with a bigger battery", "Gadget Weekly",
                                                 "2025-03-02", [
        "The Lumo 3 phone was launched in Berlin on Tuesday with a larger battery and a brighter screen.",
        "In Germany the Lumo 3 phone will start at 899 euro when it goes on sale in April.",
        "UK pricing for the Lumo 3 phone has not been confirmed, the maker said.",
        "The maker said the battery of the Lumo 3 phone lasts two days."])})
    brief = corpus.ask("The Lumo 3 phone was launched this week. What UK price did the Lumo 3 phone get?")
    assert not brief.enough_evidence and "a figure for UK price" in brief.limits[0]
    assert [h for h, _ in brief.sections] == [SAID_INSTEAD]
    (said,) = brief.sections[0][1]
    assert said.text.startswith("UK pricing for the Lumo 3 phone has not been confirmed") and said.citations == (1,)
    assert brief.sources[0]["title"].startswith("Lumo 3 phone launched")
    markdown = to_markdown(brief)
    assert f"## {SAID_INSTEAD}" in markdown and "has not been confirmed, the maker said. [1]" in markdown
    assert "1. Lumo 3 phone launched" in markdown
    assert f"<h2>{SAID_INSTEAD}</h2>" in to_html(brief) and 'href="#src-1' in to_html(brief)
    assert Heading(SAID_INSTEAD, 1) in blocks(brief)
    # a question whose first figure the page gives is answered
    assert corpus.ask("What German price will the Lumo 3 phone start at?").enough_evidence


def test_when_only_opinion_speaks_to_the_question_the_summary_quotes_it_as_opinion(tmp_path):
    """An op-ed is never stated as fact; when it is all that answers the question, the summary quotes it
    as an opinion piece rather than fall back on a fact far from the question."""
    corpus = _corpus_of(tmp_path, {
        "oped.txt": ("Opinion | Marlow should not widen the ring road", "Marlow Gazette", "2025-03-01", [
            "Widening the Marlow ring road would fill the new lanes with traffic within five years, as every such "
            "scheme has done.",
            "The council should spend the ring road money on the tram line that commuters have asked for since "
            "2019.",
            "Councillor Ada Brook argues that the widening would cut journey times, but the council's own study "
            "says otherwise."]),
        "fair.txt": ("Marlow spring fair returns", "Marlow Gazette", "2025-03-02", [
            "The Marlow spring fair returns to the market square on Saturday with forty stalls."])})
    brief = corpus.ask("Should Marlow widen its ring road, and who argues which way?").to_json()
    summary = [s["text"] for s in brief["sections"][0]["sentences"]]
    quoted = [s for s in summary if s.startswith(("In an opinion piece in Marlow Gazette: “", "The same piece: “"))]
    assert quoted and "spring fair" not in " ".join(summary)
    assert len(quoted) == 3  # a summary that would be short is filled with the piece's sentences, as quotes
    # the piece is introduced once; the sentences after it are its own, not introduced again
    assert quoted[0].startswith("In an opinion piece") and all(s.startswith("The same piece: “") for s in quoted[1:])
    first = summary.index(quoted[0])
    assert summary[first:first + 3] == quoted
    assert not any(s.startswith("Widening the Marlow ring road would") for s in summary)  # never as fact


def test_a_question_about_an_outlets_piece_is_answered_from_that_piece(tmp_path):
    """"What does the Marlow Gazette's editorial argue …" asks about one piece: the brief quotes that piece, not a
    report of another outlet on the same subject that sits as close to the question."""
    corpus = _corpus_of(tmp_path, {
        "editorial.txt": ("The Gazette view on the ring road: spend it on trams", "Marlow Gazette", "2025-03-01", [
            "Widening the Marlow ring road would fill the new lanes with traffic within five years.",
            "The council should spend the ring road money on the tram line that commuters have asked for.",
            "A wider ring road would also cut the town off from its river meadows for good."]),
        "report.txt": ("Council backs ring road widening", "Marlow Courier", "2025-03-02", [
            "Marlow council voted on Tuesday to widen the ring road, with 30 councillors in favour and 9 against.",
            "Councillor Ada Brook said the widening of the ring road would cut journey times by a third.",
            "The ring road scheme will cost 40 million pounds and take two years to build."])})
    question = "What does the Marlow Gazette's editorial argue about widening the ring road?"
    brief = corpus.ask(question).to_json()
    assert [s["outlet"] for s in brief["sources"]] == ["Marlow Gazette"]
    text = " ".join(s["text"] for sec in brief["sections"] for s in sec["sentences"])
    assert "tram line" in text and "30 councillors" not in text
    # without naming the piece, both outlets answer
    other = corpus.ask("What is argued about widening the Marlow ring road?").to_json()
    assert {s["outlet"] for s in other["sources"]} == {"Marlow Gazette", "Marlow Courier"}


def test_a_comparison_is_answered_thing_by_thing_and_a_thing_with_no_page_is_named(tmp_path):
    """"How do the Lumo 3 and the Vexa 2 compare …": a section for each phone, each under its own name, the summary
    on both; a thing compared that no page covers is named in the limits, the rest still answered ("compare" is how
    the question asks, not an event a page must report)."""
    corpus = _corpus_of(tmp_path, {
        "lumo.txt": ("Lumo 3 review: a phone that lasts", "Marlow Gazette", "2025-03-01", [
            "The Lumo 3 battery lasted two full days in our tests, with the screen at half brightness.",
            "The Lumo 3 costs 499 pounds in the UK and goes on sale in April.",
            "Its camera is the weakest part of the Lumo 3, with grainy photos at night.",
            "The Lumo 3 screen is bright enough to read in full sun, our tests found.",
            "The Lumo 3 weighs 180 grams and comes in three colours."]),
        "vexa.txt": ("Vexa 2 review: fast but thirsty", "Marlow Courier", "2025-03-02", [
            "The Vexa 2 battery lasted a single day in our tests, one of the shortest of the year.",
            "The Vexa 2 costs 649 pounds, and its charger is sold separately.",
            "The Vexa 2 charges to full in 25 minutes with the faster charger.",
            "The Vexa 2 screen refreshes at 144 hertz, the fastest we have tested.",
            "The Vexa 2 weighs 210 grams and comes in black only.",
            "The Vexa 2 battery is smaller than the Lumo 3 battery but charges twice as fast."])})
    brief = corpus.ask("How do the Lumo 3 and the Vexa 2 compare on battery life and price?").to_json()
    assert brief["enough_evidence"]
    sections = {sec["heading"]: [s["text"] for s in sec["sentences"]] for sec in brief["sections"]}
    for phone, other in (("Lumo 3", "Vexa 2"), ("Vexa 2", "Lumo 3")):
        assert sections.get(phone) and all(phone in t and other not in t for t in sections[phone]), sections
    summary = " ".join(sections["Executive summary"])
    assert "Lumo 3" in summary and "Vexa 2" in summary
    # the table of who says what, with rows on both, is not filed under the first phone's heading
    assert brief["actors"] and [sec["heading"] for sec in brief["sections"]][1] == "Who says what"
    assert not any("Lumo 3" in t for t in sections.get("Vexa 2", []))
    brief = corpus.ask("How does the Lumo 3 compare with the Orbit X on battery life?")
    assert brief.enough_evidence and "No evidence was found for: Orbit X." in brief.limits
