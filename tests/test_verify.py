"""Support checker: verdicts on crafted pairs, the --pairs JSONL contract, ALCE metrics, text facts."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citebrief.embed import HashingEmbedder, get_embedder
from citebrief.errors import UsageError
from citebrief.verify import (CHECKERS, EmbeddingCache, Label, RulesChecker, SupportChecker, Verdict,
                              citation_scores, get_checker, verify_pairs)
from citebrief.verify.text import Number, analyse, numbers_match, stem, strip_citations

PASSAGE = (
    "The summit opens in Vilnius on Tuesday. "
    "According to Politico, at least seven NATO countries, including Hungary and Turkey, are opposing "
    "the invitation of Boris Johnson to the summit. "
    "Officials in Berlin declined to comment on the report."
)
COPIED = ("According to Politico, at least seven NATO countries, including Hungary and Turkey, are "
          "opposing the invitation of Boris Johnson to the summit.")
UNRELATED = "The recipe calls for two cups of flour and a pinch of salt."


class CountingEmbedder:
    """Hashing embedder that records how often it is called (to check batching)."""

    name = "counting"
    dim = 256

    def __init__(self) -> None:
        self.calls = 0
        self._inner = HashingEmbedder(self.dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        return self._inner.embed(texts)


@pytest.fixture()
def rules() -> RulesChecker:
    return RulesChecker(get_embedder("hashing"))


def test_exact_copy_is_supported_and_span_points_at_it(rules):
    verdict = rules.check(COPIED + " [2]", [UNRELATED, PASSAGE])
    assert verdict.label is Label.SUPPORTED
    index, start, end = verdict.best_span
    assert index == 1
    assert PASSAGE[start:end] == COPIED


def test_unrelated_sentence_is_unsupported(rules):
    verdict = rules.check(UNRELATED, [PASSAGE])
    assert verdict.label is Label.UNSUPPORTED
    assert verdict.score < 0.3


def test_number_mismatch_is_never_supported(rules):
    verdict = rules.check("At least five NATO countries are opposing the invitation of Boris Johnson.", [PASSAGE])
    assert verdict.label in (Label.CONTRADICTED, Label.UNSUPPORTED)
    assert verdict.signals.number_conflict


def test_number_words_match_digits(rules):
    passage = PASSAGE.replace("seven", "7")
    verdict = rules.check(COPIED, [passage])
    assert verdict.signals.number_agreement == 1.0
    assert verdict.label is Label.SUPPORTED


def test_negation_flip_is_not_supported(rules):
    verdict = rules.check("At least seven NATO countries are not opposing the invitation of Boris Johnson.", [PASSAGE])
    assert verdict.label is not Label.SUPPORTED
    assert verdict.signals.negation_flip


def test_antonym_leans_contradicted(rules):
    verdict = rules.check("At least seven NATO countries, including Hungary and Turkey, are supporting "
                          "the invitation of Boris Johnson.", [PASSAGE])
    assert verdict.signals.antonym_conflict
    assert verdict.label is Label.CONTRADICTED


@pytest.mark.parametrize("sentence", [
    "Politico reported that at least seven NATO countries oppose the invitation of Boris Johnson [1].",
    "Hungary and Turkey are described as resisting the invitation of Boris Johnson [1].",
    "Politico says seven NATO countries are hesitant about inviting Boris Johnson to the summit.",
])
def test_attributed_paraphrase_with_stance_verbs_is_supported_or_partial(rules, sentence):
    verdict = rules.check(sentence, [PASSAGE])
    assert verdict.label in (Label.SUPPORTED, Label.PARTIAL)
    assert verdict.best_span[0] == 0
    assert "opposing" in PASSAGE[verdict.best_span[1]:verdict.best_span[2]]


def test_no_passages_or_empty_text_is_unsupported_without_span(rules):
    for passages in ([], [""], ["   "]):
        verdict = rules.check(COPIED, passages)
        assert verdict.label is Label.UNSUPPORTED
        assert verdict.best_span is None


def test_check_many_embeds_the_batch_once_and_matches_check():
    embedder = CountingEmbedder()
    checker = RulesChecker(embedder)
    pairs = [(COPIED, [PASSAGE]), (UNRELATED, [PASSAGE]), ("Officials in Berlin declined to comment.", [PASSAGE])]
    batch = checker.check_many(pairs)
    assert embedder.calls == 1
    single = [RulesChecker(HashingEmbedder(256)).check(s, p) for s, p in pairs]
    assert [v.label for v in batch] == [v.label for v in single]
    assert [v.best_span for v in batch] == [v.best_span for v in single]
    checker.check_many(pairs)
    assert embedder.calls == 1  # everything came from the cache


def test_registry_builds_every_checker_and_names_them_in_errors():
    cache = EmbeddingCache(get_embedder("hashing"))
    for name in CHECKERS:
        checker = get_checker(name, embedder=cache)
        assert isinstance(checker, SupportChecker)
        verdict = checker.check(COPIED, [PASSAGE])
        assert isinstance(verdict, Verdict) and 0.0 <= verdict.score <= 1.0
        assert verdict.label is Label.SUPPORTED
    with pytest.raises(UsageError, match="rules, rules-v1, lexical, cosine"):
        get_checker("nli", embedder=cache)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80), st.lists(st.text(max_size=300), max_size=3))
def test_any_text_gives_a_bounded_score_and_a_valid_span(sentence, passages):
    checker = RulesChecker(get_embedder("hashing"))
    verdict = checker.check(sentence, passages)
    assert 0.0 <= verdict.score <= 1.0
    assert (verdict.score >= checker.options.supported_at) == (verdict.label is Label.SUPPORTED)
    if verdict.best_span is not None:
        index, start, end = verdict.best_span
        assert 0 <= start < end <= len(passages[index])
    json.dumps(verdict.as_dict())


# -- verify_pairs: the `citebrief verify --pairs` contract ----------------------------------------

def test_verify_pairs_copies_extra_fields_and_keeps_order(rules):
    lines = [
        {"sentence": COPIED, "passages": [PASSAGE], "id": "s1", "meta": {"section": 2}},
        {"sentence": UNRELATED, "passages": [PASSAGE], "id": "s2"},
    ]
    out = list(verify_pairs(lines, rules))
    assert [o["id"] for o in out] == ["s1", "s2"]
    assert out[0]["meta"] == {"section": 2}
    assert out[0]["verdict"] == "supported" and out[1]["verdict"] == "unsupported"
    assert isinstance(out[0]["score"], float)
    index, start, end = out[0]["best_span"]
    assert PASSAGE[start:end] == COPIED
    assert "sentence" not in out[0] and "passages" not in out[0]
    json.dumps(out)


def test_verify_pairs_reports_malformed_lines_with_their_number(rules):
    lines = [
        json.dumps({"sentence": COPIED, "passages": [PASSAGE]}),
        "{not json",
        "",  # blank lines are skipped but still counted
        json.dumps({"sentence": COPIED}),
        json.dumps({"sentence": COPIED, "passages": "one string, not a list"}),
        json.dumps([1, 2]),
        {"sentence": 3, "passages": [PASSAGE]},
        json.dumps({"sentence": UNRELATED, "passages": [PASSAGE], "n": 8}),
    ]
    out = list(verify_pairs(lines, rules, batch_size=3))
    assert len(out) == 7
    assert out[0]["verdict"] == "supported"
    errors = [o for o in out if "error" in o]
    assert [e["line"] for e in errors] == [2, 4, 5, 6, 7]
    assert errors[0]["error"].startswith("line 2: not valid JSON")
    assert "passages" in errors[1]["error"]
    assert out[-1]["verdict"] == "unsupported" and out[-1]["n"] == 8


# -- ALCE citation metrics ------------------------------------------------------------------------

def test_citation_scores_follow_alce(rules):
    cited = [
        (COPIED, [PASSAGE, UNRELATED]),  # supported; the second citation is irrelevant
        (COPIED, [PASSAGE]),  # supported with one citation
        (UNRELATED.replace("two", "three"), [PASSAGE]),  # not supported: its citation earns nothing
        (COPIED, []),  # no citation: recall 0
    ]
    scores = citation_scores(rules, cited)
    assert scores.recall == pytest.approx(2 / 4)
    assert scores.precision == pytest.approx(2 / 4)  # credited: PASSAGE twice; of 4 citations
    assert (scores.sentences, scores.citations) == (4, 4)


def test_citation_split_across_passages_needs_both(rules):
    first = "According to Politico, at least seven NATO countries are opposing the invitation of Boris Johnson."
    second = "Hungary and Turkey are among the NATO countries opposing the invitation."
    sentence = "At least seven NATO countries, including Hungary and Turkey, oppose the invitation of Boris Johnson."
    assert rules.check(sentence, [first]).signals.coverage < 1.0
    assert rules.check(sentence, [second]).signals.coverage < 1.0
    assert rules.check(sentence, [first, second]).signals.coverage == 1.0  # pooled over both passages


# -- text facts -------------------------------------------------------------------------------------

def test_numbers_words_percent_and_years():
    facts = analyse("Seven members, 40 percent of voters and half the board met in 2019; twenty-five left.")
    values = {(n.value, n.kind) for n in facts.numbers}
    assert {(7, "num"), (40, "pct"), (0.5, "num"), (2019, "year"), (25, "num")} <= values
    assert numbers_match(Number(50, "pct"), Number(0.5, "num"))
    assert numbers_match(Number(30, "pct"), Number(29.6, "pct"))
    assert not numbers_match(Number(2019, "year"), Number(2019, "num"))
    assert not numbers_match(Number(7, "num"), Number(5, "num"))


def test_stems_citations_and_negation():
    assert stem("opposing") == stem("opposed") == stem("opposition") == stem("oppose")
    assert stem("countries") == "country" and stem("classes") == stem("class")
    assert strip_citations("Prices rose [1][2, 3].") == "Prices rose."
    assert analyse("They did not agree.").negated == frozenset({"agre"})
    assert not analyse("Not only did they agree, they signed.").negated
    assert not analyse("Answer yes or no.").negated
    assert analyse("They resisted the plan.").polarity == frozenset({"~against"})


@pytest.mark.model
def test_minilm_rules_checker_on_attribution_and_unrelated():
    checker = get_checker("rules", embedder=get_embedder("minilm"))
    verdicts = checker.check_many([
        ("Politico reported that at least seven NATO countries oppose inviting Boris Johnson [1].", [PASSAGE]),
        (UNRELATED, [PASSAGE]),
        ("At least five NATO countries are opposing the invitation of Boris Johnson.", [PASSAGE]),
        ("No NATO countries are opposing the invitation of Boris Johnson.", [PASSAGE]),
    ])
    assert verdicts[0].label is Label.SUPPORTED
    assert verdicts[0].signals.cosine > 0.6
    assert verdicts[1].label is Label.UNSUPPORTED
    # "at least five" and the cited "at least seven" can both hold: not supported, not contradicted
    assert verdicts[2].label is Label.UNCERTAIN
    assert verdicts[3].label is Label.CONTRADICTED


# -- claims (issue 16, item 2) ------------------------------------------------------------------

FLOOD = "Emergency crews evacuated residents from low-lying streets after the River Kell flooded on Sunday."
SCHOLZ = ("On membership, the chancellor's position has not moved. German officials have argued for more than two "
          "years that admitting a country in an active war would immediately trigger the alliance's collective "
          "defence clause. Germany remains hesitant about an invitation while the war continues.")


def test_sentences_split_into_single_claims_at_clause_joins():
    from citebrief.verify.claims import predicate_terms, split_claims

    assert split_claims("The mayor resigned after the flood, and crews evacuated residents [2].") == (
        "The mayor resigned after the flood", "and crews evacuated residents")
    assert split_claims("Spain vetoed the declaration. Crews evacuated residents.") == (
        "Spain vetoed the declaration", "Crews evacuated residents")
    assert split_claims("Crews evacuated residents, and closed the bridge.") == (
        "Crews evacuated residents", "and Crews closed the bridge")
    assert split_claims("Scholz, who visited Kyiv on Monday, promised more aid.") == (
        "Scholz promised more aid", "Scholz visited Kyiv on Monday")
    assert split_claims("Hungary opposes the bid; Poland pushes for an invitation.") == (
        "Hungary opposes the bid", "Poland pushes for an invitation")
    # A list of names is one claim, and so are a restrictive relative clause and words joined by "and".
    assert len(split_claims("Slovakia, Germany, Hungary and France are reported as opposed.")) == 1
    assert len(split_claims("Authoritative parenting, marked by warmth, support, and consistent discipline, "
                            "has been linked to lower risk.")) == 1
    assert len(split_claims("The number of trained and practicing taxonomists is declining.")) == 1
    assert len(split_claims("The countries that oppose the bid met in Brussels.")) == 1
    assert predicate_terms("Germany has formally agreed to admit Ukraine") == {"agre"}
    assert predicate_terms("Politico reported that seven members oppose the invitation") == {"~against"}
    assert predicate_terms("Turkey won the vote") == predicate_terms("Turkey wins the vote") == {"win"}


def test_a_repeated_claim_is_recognised_and_a_negated_one_is_not():
    from citebrief.verify.claims import repeats

    old = "Germany has formally agreed to admit Ukraine as a full member of NATO next month"
    assert repeats("Germany agreed to admit Ukraine as a full NATO member next month.", old)
    assert not repeats("Germany has not agreed to admit Ukraine as a full member of NATO next month.", old)
    assert not repeats("Germany remains hesitant about admitting Ukraine while the war continues.", old)


@pytest.mark.model
def test_an_invented_clause_makes_a_supported_sentence_partial():
    """`verify --pairs` used to rate this supported: the passage states only the second clause."""
    checker = get_checker("rules", embedder=get_embedder("minilm"))
    mayor = ("The mayor resigned in disgrace after the River Kell flood, and emergency crews evacuated residents "
             "from low-lying streets.")
    out = list(verify_pairs([{"sentence": mayor, "passages": [FLOOD]},
                             {"sentence": "Emergency crews evacuated residents from low-lying streets.",
                              "passages": [FLOOD]}], checker))
    assert out[0]["verdict"] == "partial" and out[0]["signals"]["claim_support"] == 0.5
    assert out[0]["score"] < 0.475
    assert out[1]["verdict"] == "supported" and out[1]["signals"]["claim_support"] == 1.0


@pytest.mark.model
def test_model_prose_is_checked_claim_by_claim_and_word_by_word():
    from citebrief.verify.prose import ProseChecker

    prose = ProseChecker(get_checker("rules", embedder=get_embedder("minilm")))
    verbatim = "Germany remains hesitant about an invitation while the war continues."
    invented = "Germany has formally agreed to admit Ukraine as a full member of NATO next month."
    prefixed = f"Spain vetoed the summit declaration. {FLOOD}"
    answers = prose.check_claims([(verbatim, [SCHOLZ]), (invented, [SCHOLZ]), (prefixed, [FLOOD]), (FLOOD, [FLOOD])])
    assert [a.verdict.label for a in answers] == [Label.SUPPORTED, Label.UNSUPPORTED, Label.PARTIAL, Label.SUPPORTED]
    assert answers[1].unbacked == (invented.rstrip("."),)
    assert answers[2].unbacked == ("Spain vetoed the summit declaration",)
    assert all(a.verdict.score < 0.475 for a in answers[1:3])
    # A paraphrase with a word the source does not use is not carried, though close in meaning.
    assert prose.check("Germany remains hesitant about an invitation while the fighting continues.", [SCHOLZ]).label \
        is not Label.SUPPORTED
