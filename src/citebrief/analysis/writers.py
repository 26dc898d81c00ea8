"""The writer's own voice: who speaks when a page says "I" or "we", or when a column or review judges.

A reviewer's "we can say that Apple has listened to users' feedback", a columnist's unattributed
verdict and a feature writer's "I have watched these banks sell debt as freedom" are positions of the writer
(or of the publication, for an unsigned editorial), not of nobody. The writer is read from the
page's byline metadata (author, outlet), never from the text. Pure over the document metadata.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..brief.usable import is_opinion, says_i
from ..models import DocMeta
from ..split import split_sentences
from .claims import Holder
from .parse import parse_one
from .quotes import in_open_quotation

# "… review", "Review: …", "/reviews/": a page whose unattributed judgements are its reviewer's
_REVIEW = re.compile(r"(^|[/\-_\s:|])reviews?([/\-_\s:|]|$)", re.I)
FIRST_PERSON = frozenset({"i", "we"})
_NAME = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,3}")
# bylines that name a desk, not a person
_DESK_WORDS = frozenset("staff editorial editors editor board desk news newsroom reporters reporter press team wire "
                        "wires media agency agencies service services correspondent correspondents".split())


def speaks_for_itself(doc: DocMeta) -> bool:
    """Whether the page's unattributed sentences are its writer's judgements (an opinion piece or a review)."""
    path = re.sub(r"^https?://[^/]+", "", doc.url or "")
    return is_opinion(doc) or bool(_REVIEW.search(doc.title or "") or _REVIEW.search(path))


# a page whose writer says "I" or "my" in this many sentences of their own (outside any quotation) is written in
# their voice: a blog post, a column, a letter, however its address reads
_OWN_SENTENCES = 3


def in_own_voice(doc_text: str) -> bool:
    """Whether the page's writer speaks in the first person in at least ``_OWN_SENTENCES`` sentences outside
    quotation marks ("As one of the many thousands of people with broken keyboards, I welcome …")."""
    count = 0
    for start, end in split_sentences(doc_text):
        sentence = doc_text[start:end]
        if re.search(r"[“”\"]", sentence) or not says_i(sentence) or in_open_quotation(doc_text, start):
            continue
        count += 1
        if count >= _OWN_SENTENCES:
            return True
    return False


@lru_cache(maxsize=512)
def _people(author: str, outlet: str) -> tuple[str, ...]:
    """The people a byline names ("Condé Nast; Molly Wood" → Molly Wood; "Finian Cunningham Sputnik
    International" → Finian Cunningham; "Editorial" → none)."""
    names: list[str] = []
    site = re.sub(r"\W", "", outlet.lower())
    for part in re.split(r"[;|]|\band\b|,", author):
        part = part.strip()
        if not part or (outlet and part.lower() in outlet.lower()):
            continue
        # the outlet run on after the name ("Finian Cunningham Sputnik International" on SputnikInt)
        words = part.split()
        cut = next((k for k in range(2, len(words)) if len(key := re.sub(r"\W", "", words[k].lower())) >= 4 and site
                    and (site.startswith(key) or key.startswith(site))), len(words))
        part = " ".join(words[:cut])
        found = [e.text for e in parse_one(part).ents if e.label_ == "PERSON" and len(e.text.split()) >= 2]
        clean = bool(_NAME.fullmatch(part)) and not set(part.lower().split()) & _DESK_WORDS
        if clean and (not found or (part.startswith(found[0] + " ") and cut <= 3)):
            # a bare byline name the recogniser does not label out of context, or labels only in part ("Adam
            # Clark" of "Adam Clark Estes")
            found = [part]
        names += found
    return tuple(dict.fromkeys(names))


def writer_of(doc: DocMeta) -> Holder | None:
    """The page's writer as a holder: the one person its byline names, with the outlet in the role
    ("columnist, SputnikInt"), else the outlet itself ("editorial"); None without an outlet or author."""
    outlet = (doc.outlet or "").strip()
    people = _people((doc.author or "").strip(), outlet)
    what = "columnist" if is_opinion(doc) else "reviewer" if speaks_for_itself(doc) else "writer"
    if len(people) == 1:
        role = f"{what}, {outlet}" if outlet else what
        return Holder(people[0], "person", 0, len(people[0]), role)
    if not outlet:
        return None
    role = "editorial" if is_opinion(doc) else "review" if speaks_for_itself(doc) else what
    return Holder(outlet, "writer", 0, len(outlet), role)
