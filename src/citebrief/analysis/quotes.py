"""Whose words a sentence is when a quotation runs over several sentences.

'"Markets run ahead of the data. We see growth coming back in 2020," said Jo Bloggs.' — the first
sentence names no speaker, nor does the second; the quotation's end does. ``attributed`` rebuilds
such a sentence with the attribution that closes its quotation, so the parse finds the speaker (a
pronoun there, "he said", is resolved like any other). Pure over the document text.
"""

from __future__ import annotations

import re

from ..split import split_sentences
from .vocab import SPEECH_VERBS

_OPEN = "“\""
_CLOSE = re.compile(r"[”\"]")
_MAX_QUOTE = 1500  # characters from the sentence's end to the quotation's close
_MAX_PARAGRAPH = 6000  # characters of a paragraph before a sentence in which quotation marks are paired
_MAX_TAIL = 160  # characters of the attribution after the closing mark (', said X …' / ' X said …')


def open_quote(text: str) -> bool:
    """The sentence opens a quotation it does not close."""
    body = text.strip()
    if not body or body[0] not in _OPEN:
        return False
    if body[0] == "“":
        return "”" not in body and '"' not in body  # (a page may close a curly mark with a straight one)
    return body.count('"') % 2 == 1


def attributed(text: str, doc_text: str, end: int) -> str | None:
    """``text`` (ending at ``end`` in ``doc_text``) with the attribution that closes its quotation.

    None when the sentence opens no quotation and is not inside one, or the quotation does not close in the same
    paragraph, or nothing follows its close (a quotation that ends a paragraph names no speaker)."""
    if end <= 0 or not (open_quote(text) or (in_open_quotation(doc_text, end - len(text)) and not _CLOSE.search(text))):
        return None
    rest = doc_text[end:end + _MAX_QUOTE]
    stop = rest.find("\n\n")
    rest = rest if stop < 0 else rest[:stop]
    close = _CLOSE.search(rest)
    if close is None:
        return None
    tail = _tail(rest[close.end():]) if _open_end(rest, close.start()) else None
    if tail is None or not _reports(tail):
        return None  # (what follows the close is the story going on, not who said it)
    body = text.strip()
    if body[0] in _OPEN:
        mark = "”" if body[0] == "“" else '"'
        return f"{body.rstrip('.!?')},{mark} {tail}"
    return f"“{body.rstrip('.!?')},” {tail}"  # a sentence from the middle of the quotation


def _open_end(rest: str, close: int) -> bool:
    """The quotation closing at ``close`` leaves its sentence open for an attribution ('…,” he said', '…?” she
    asked'); one that ends with a full stop ('… leave it there.” The Courier has reported …') is followed by the
    story."""
    return not rest[:close].rstrip().endswith(".")


def in_open_quotation(doc_text: str, start: int) -> bool:
    """``start`` of ``doc_text`` falls inside a quotation opened earlier in its paragraph (``in_quotation`` counts
    the marks of one short text instead)."""
    para = _paragraph_before(doc_text, start)
    if para is None:
        return False
    # (the last mark before it says, not the count of marks: a page that drops one closing mark earlier in the
    # paragraph would turn every later count around)
    last = max(para.rfind("“"), para.rfind("”"), para.rfind('"'))
    if last < 0:
        return False
    return para[last] == "“" or (para[last] == '"' and opens_at(para, last))


def opens_at(text: str, i: int) -> bool:
    """The straight mark at ``text[i]`` opens a quotation: a space, the text's start, an opening bracket, a dash or
    a colon before it, and a word after it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–:") and not after.isspace()


def _paragraph_before(doc_text: str, start: int) -> str | None:
    """The paragraph's text before ``start``, from the paragraph's beginning (quotation marks are counted from
    there); None for a paragraph longer than _MAX_PARAGRAPH, whose quotation marks cannot be paired."""
    begin = doc_text.rfind("\n\n", max(0, start - _MAX_PARAGRAPH), start)
    if begin < 0 and start > _MAX_PARAGRAPH:
        return None
    return doc_text[begin + 2 if begin >= 0 else 0:start]


def _tail(after: str) -> str | None:
    """The attribution after a closing mark (", said U.S. Attorney Jo Bloggs." up to its sentence's end, an
    abbreviation's period not ending it), or None when none follows."""
    spans = split_sentences(after)
    if not spans:
        return None
    first = after[spans[0][0]:spans[0][1]].strip().lstrip(",").strip()
    if not 2 <= len(first) <= _MAX_TAIL or first[-1] not in ".!?" or any(c in first for c in "“\"”\n"):
        return None
    return first


def continued(text: str, doc_text: str, start: int) -> str | None:
    """``text`` (starting at ``start`` in ``doc_text``) with the attribution of the quotation before it, when it
    goes on in a new quotation that names no speaker of its own.

    '"It was hard for us," Lopez said. "We needed this win."': the second quotation, in the same paragraph right
    after an attributed one and closing with nothing after it, is the same speaker's words. None otherwise."""
    body = text.strip()
    if start <= 0 or not body:
        return None
    para = _paragraph_before(doc_text, start)
    if para is None:
        return None
    if body[0] in _OPEN:
        opening = len(para)
    elif in_open_quotation(doc_text, start):
        opening = max(para.rfind("“"), para.rfind('"'))
    else:
        return None
    if opening < 0:
        return None
    lead = _LEAD.search(para[:opening].rstrip())
    if lead is not None and _reports(lead.group(1)):
        speaker = lead.group(1).strip()
    elif body[0] not in _OPEN and (speaker := _introduced(para[:opening])):
        pass  # 'Ines Lopez said that the referee "cannot blame us. … He was protecting himself."': hers
    else:
        return None
    inner = _CLOSE.search(body, 1 if body[0] in _OPEN else 0)
    if inner is not None and len(body[inner.end():].split()) > 2:
        return None  # '"So that is working." She went on to share …': the story goes on past the quotation
    rest = doc_text[start:start + _MAX_QUOTE]
    stop = rest.find("\n\n")
    rest = rest if stop < 0 else rest[:stop]
    close = _CLOSE.search(rest, 1 if body[0] in _OPEN else 0)
    tail = _tail(rest[close.end():]) if close is not None and _open_end(rest, close.start()) else None
    if tail is not None and _reports(tail):
        return None  # the quotation names its own speaker (``attributed``)
    return f"“{body.strip(_OPEN + '”').rstrip('.!?')},” {speaker}"


def _introduced(before: str) -> str | None:
    """The attribution that opens a quotation in the middle of its sentence ("Ines Lopez, via the Courier, said that
    the referee “…", "Ada Brook told the committee: “…"), up to the verb of saying and its object, as a closing
    attribution ("Ines Lopez said.", "Ada Brook told the committee."); None when the words before the mark say
    nobody spoke."""
    spans = split_sentences(before)
    if not spans:
        return None
    intro = before[spans[-1][0]:].strip()
    if not intro or any(c in intro for c in "“”\""):
        return None
    words = re.findall(r"[\w'’.-]+|[,:;]", intro)
    verb = next((k for k, w in enumerate(words) if _reports(w)), None)
    if verb is None or verb == 0 or len(words) > 45:
        return None
    # (its object stays, "told the committee"; a clause after "that" is the quotation's own start)
    end = next((k for k in range(verb + 1, len(words)) if words[k] in (",", ":", ";", "that")), len(words))
    segments = " ".join(words[:end]).replace(" ,", ",").split(", ")
    last = segments[-1]
    before_verb = next((last.split()[:k] for k, w in enumerate(last.split()) if _reports(w)), [])
    if not any(w[:1].isupper() for w in before_verb):
        # "Ross Ambler, via the Courier, said": the subject is the named segment before the verb's, without the
        # asides ("via the Courier") and a scene set before it ("Earlier in the week,")
        named = [g for g in segments[:-1] if g[:1].isupper() and g.split()[0] not in _SCENE]
        if not named:
            return None
        last = f"{named[-1]} {last}"
    return last + "."


# words that open a scene-setting phrase, not a subject ("Earlier in the week, …", "On Sunday, …")
_SCENE = frozenset("On In At Earlier Later After Before During Meanwhile However Speaking Asked Then Now".split())

# a quotation closed by its attribution at the end of what comes before: '…," Lopez said.'
_LEAD = re.compile(rf"[”\"]\s*,?\s*([^“”\"\n]{{2,{_MAX_TAIL}}}[.!?])$")
_IRREGULAR = frozenset("said told wrote thought spoke according".split())


def _reports(tail: str) -> bool:
    """The words after a closing mark are an attribution: a short clause with a verb of saying in it ("Lopez
    said.", "the minister added on Friday.", "according to the filing.")."""
    words = re.findall(r"[a-z]+", tail.lower())
    return len(words) <= 25 and any(
        w in _IRREGULAR or w in SPEECH_VERBS or any(w.endswith(end) and w[:-len(end)] in SPEECH_VERBS
                                                    for end in ("s", "es", "d", "ed", "ing"))
        for w in words)


def in_quotation(text: str, offset: int) -> bool:
    """Whether ``offset`` of ``text`` lies inside a direct quotation (curly or straight double quotes).

    A straight quote mark opens after a space and closes before one, so a sentence that starts inside a
    quotation ('All were safe," she said.') is read as it is written."""
    inside = False
    for i, ch in enumerate(text[:offset]):
        if ch == "“" or ch == "”":
            inside = ch == "“"
        elif ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isspace() or before in "([—–":
                inside = True
            elif after.isspace() or after in ".,;:!?)—–":
                inside = False
            else:
                inside = not inside
    return inside
