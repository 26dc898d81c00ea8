"""Whose words a sentence is when a quotation runs over several sentences.

'"Markets run ahead of the data. We see growth coming back in 2020," said Jo Bloggs.' — the first
sentence names no speaker; the quotation's end does. ``attributed`` rebuilds such a sentence with
the attribution that closes its quotation, so the parse finds the speaker (a pronoun there, "he
said", is resolved like any other). Pure over the document text.
"""

from __future__ import annotations

import re

_OPEN = "“\""
_CLOSE = re.compile(r"[”\"]")
_MAX_QUOTE = 1500  # characters from the sentence's end to the quotation's close
# what follows the closing mark: ', said X …' / ' X said …' up to the end of that sentence
_TAIL = re.compile(r"^[,.!?]?[”\"]?\s*([^.!?\n“\"”]{2,160}[.!?])")


def open_quote(text: str) -> bool:
    """The sentence opens a quotation it does not close."""
    body = text.strip()
    if not body or body[0] not in _OPEN:
        return False
    if body[0] == "“":
        return "”" not in body
    return body.count('"') % 2 == 1


def attributed(text: str, doc_text: str, end: int) -> str | None:
    """``text`` (ending at ``end`` in ``doc_text``) with the attribution that closes its quotation.

    None when the sentence opens no quotation, or the quotation does not close in the same
    paragraph, or nothing follows its close (a quotation that ends a paragraph names no speaker)."""
    if not open_quote(text) or end <= 0:
        return None
    rest = doc_text[end:end + _MAX_QUOTE]
    stop = rest.find("\n\n")
    rest = rest if stop < 0 else rest[:stop]
    close = _CLOSE.search(rest)
    if close is None:
        return None
    tail = _TAIL.match(rest[close.start():])
    if tail is None:
        return None
    mark = "”" if text.strip()[0] == "“" else '"'
    return f"{text.strip().rstrip('.!?')},{mark} {tail.group(1).strip()}"
