"""A sentence that points back, given the sentence it points back to.

"But this can leave riders queueing for an hour in the rain" answers "what problem do the ticket gates
cause?", yet alone it cannot be read: "this" is the sentence before. Dropping every such sentence loses
answers; resolving "this" to a clause is beyond a name in brackets. So a source sentence that opens by
pointing back (a demonstrative, a personal pronoun, a connective then one) is quoted with the sentence before
it, as the source wrote them, when that one stands alone in the same paragraph of the passage (or points back
in turn to one that does, "These gates alert staff when … But this can leave riders queueing …"): the reader
gets the antecedent, and the gate checks the sentences against the passage they come from.

A personal pronoun ("He said …", "They say …") is given its sentence before only when that sentence
has a subject it can stand for, a name or a plural noun: "The company reported a loss. He said …" is
still not read, since "he" is someone named earlier; "it" only after a sentence that stands alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Passage, Sentence
from .evidence import EvidenceSet
from .usable import points_back, quote_tail, quoted_alone, stands_alone

BACK = 2  # sentences before: "These gates alert staff. But this can leave riders queueing"
MAX_WORDS = 80  # the sentences together (three of a news paragraph run ~75 words): longer stops being a quote

# the first word of the opening that points back: a pronoun or a demonstrative within the first three words
_POINTER = re.compile(r"^[\W_]*(?:[\w’']+,?\s+){0,2}?(he|she|his|her|him|they|their|them|it|its|this|that|these|those|"
                      r"such)\b", re.I)
# a subject a person's pronoun can stand for: a capitalised name inside the sentence ("Wild coach Bruce Boudreau")
_NAME = re.compile(r"(?<=\S\s)[A-Z][a-z][\w’'-]*")
_PLURAL = re.compile(r"\b[a-z]{3,}s\b")
_IT = re.compile(r"\b(?:it|its)\b", re.I)


def with_context(evidence: EvidenceSet) -> EvidenceSet:
    """``evidence`` with each item that points back widened to the sentences before it (at most ``BACK``, each
    pointing back to the one before, the first standing alone) in its passage and paragraph; other items
    unchanged (ids, vectors and similarities stay the item's own)."""
    items = dict(evidence.items)
    for eid, ev in evidence.items.items():
        if quoted_alone(ev.text):
            continue  # '"It is a stock-specific market."': whose words they are is not the sentence before
        passage = evidence.passages[ev.passage_id][0]
        start, text = ev.start, ev.text
        for _ in range(BACK):
            if not points_back(text):
                break
            prior = _sentence_before(passage, start, text)
            if prior is None:
                break
            start, text = prior.start, passage.text[prior.start - passage.start:ev.end - passage.start]
        if start < ev.start and not points_back(text) and len(text.split()) <= MAX_WORDS and text.endswith(ev.text):
            items[eid] = replace(ev, text=text, start=start, context=len(text) - len(ev.text))
    return replace(evidence, items=items)


def _sentence_before(passage: Passage, start: int, text: str) -> Sentence | None:
    """The sentence just before the one at ``start`` in its passage and paragraph, when it is no quotation's end
    and has what a personal pronoun opening ``text`` can stand for."""
    earlier = [s for s in passage.sentences if s.end <= start]
    if not earlier:
        return None
    prior = max(earlier, key=lambda s: s.end)
    between = passage.text[prior.end - passage.start:start - passage.start]
    # (the sentence before in the same paragraph: a new paragraph's "This …" may point further back)
    if between.strip() or "\n" in between or quote_tail(prior.text) or not _ends_whole(prior.text):
        return None
    pointer = _POINTER.match(text)
    word = pointer.group(1).lower() if pointer else ""
    if word in ("it", "its") and (not stands_alone(prior.text) or _IT.search(prior.text)):
        # "it" is the thing the sentence before is about (or no one: "It is unclear whether …"), only when that
        # sentence names what it is about: one that points back, or says "it" itself, hands on something further back
        return None
    if word in ("they", "their", "them") and not _PLURAL.search(prior.text):
        return None
    if word in ("he", "she", "his", "her", "him") and not _NAME.search(prior.text):
        return None
    return prior


def _ends_whole(text: str) -> bool:
    """The sentence stands alone but for pointing back: it is usable once the sentence before is given."""
    return stands_alone(text) or points_back(text)
