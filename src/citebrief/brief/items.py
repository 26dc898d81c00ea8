"""The items of a notes column: a paragraph that lists short stories one after another.

A page of notes (a sports page's extra points, a newsletter's briefs) runs its items together in one
paragraph, each ended by a spaced ellipsis after the full stop: "… has not been cleared after a knock. ... Bly
goalkeeper Jo Lind said he received threats …". A question about one item ("Who defended Sam Okafor as Kelda
coach?") is not answered by the others, though they are in the same paragraph of the same page and as close
to the question in words (a coach, a goalkeeper, a match). An item that names nothing the question names is
on another story. An ellipsis inside a sentence ("We had some issues ... we had some delays") separates
nothing. Pure.
"""

from __future__ import annotations

import re

from ..analysis.names import CALENDAR_WORDS
from ..store.fts import STOPWORDS

# a spaced ellipsis after a sentence's end and before a new one: the mark between two items
_SEPARATOR = re.compile(r"(?<=[.!?”\"'’])\s+(?:\.\.\.|…)\s+(?=[A-Z“\"‘])")
_WORD = re.compile(r"[a-z0-9]+")
_ASKING = frozenset("who whom whose what which when where why how is are was were do does did can could will would "
                    "should has have had".split())


def item_at(doc_text: str, start: int) -> str | None:
    """The item around ``start`` when its paragraph lists items, else None."""
    begin = doc_text.rfind("\n\n", 0, start)
    begin = 0 if begin < 0 else begin + 2
    end = doc_text.find("\n\n", start)
    end = len(doc_text) if end < 0 else end
    paragraph = doc_text[begin:end]
    cuts = list(_SEPARATOR.finditer(paragraph))
    if not cuts:
        return None
    at = start - begin
    low = max((m.end() for m in cuts if m.end() <= at), default=0)
    high = min((m.start() for m in cuts if m.start() >= at), default=len(paragraph))
    return paragraph[low:high]


def asked_keys(question: str, topic_terms: tuple[str, ...]) -> frozenset[str]:
    """What an item must name to be on the question: the words of the names the question writes with capitals
    ("Sam", "Okafor", "Kelda"; not a month or a day), or its topic terms when it names nothing."""
    # (a function word is capitalised where it opens a sentence: "After the vote, …")
    names = {w.lower() for raw in question.split() if (w := raw.strip("?,.:;!'’\"“”()")) and w[:1].isupper()}
    names = {part for n in names for part in _WORD.findall(n)
             if len(part) > 1 and part not in CALENDAR_WORDS and part not in _ASKING and part not in STOPWORDS}
    return frozenset(names or {t.lower() for t in topic_terms})


def on_another_item(doc_text: str, start: int, keys: frozenset[str]) -> bool:
    """The sentence at ``start`` is in an item of a notes column that names none of ``keys``."""
    item = item_at(doc_text, start)
    if item is None or not keys:
        return False
    return not keys & set(_WORD.findall(item.lower()))
