"""Build FTS5 MATCH expressions from user text so query syntax in it cannot break or alter a query."""

from __future__ import annotations

import re

# Function words that only add noise to BM25 (they are still indexed; we just do not query them).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves""".split()
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[str]:
    """Content words of ``text``, lower-cased, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD_RE.findall(text.lower()):
        if word not in STOPWORDS and word not in seen:
            seen[word] = None
    return list(seen)


def search_words(text: str) -> list[str]:
    """The words a search looks for: the content words, or every word when all are stopwords."""
    return query_terms(text) or list(dict.fromkeys(_WORD_RE.findall(text.lower())))


def fts_match(text: str) -> str | None:
    """An FTS5 MATCH string: each term double-quoted, OR-ed (BM25 ranks partial matches too).

    Every term is a ``\\w+`` run wrapped in double quotes, so ``NOT``, ``"``, ``*``, ``:``, ``^``
    or parentheses in the question are never operators. Returns None when no term is left.
    """
    terms = search_words(text)
    if not terms:
        return None
    return " OR ".join(f'"{t}"' for t in terms)
