"""Whether a source sentence can stand alone in a brief: its own subject, no page residue, not opinion as fact.

A sentence whose subject is "he", "this" or "they" means something only after the sentence before
it; a link, an @handle or a glued byline ("Kristi NoemKristi Lynn Noem … MORE") is what a scraper
left of the page, not reporting; a quote attributed only to "he said" leaves the reader asking who.
Such sentences are not used (the brief quotes another sentence instead). Pure.
"""

from __future__ import annotations

import re

from ..analysis.quotes import open_quote

from ..models import DocMeta

# a sentence that announces the article's own next part states nothing ("Here is how it unfolded.")
_SIGNPOST = re.compile(r"^[\W_]*(here is|here are|here's|here’s|below is|below are|read on)\b", re.I)
# a sentence that announces what the next one says: a new thing of a general kind appears ("…, another phenomenon
# began to emerge."; shell nouns, Schmid 2000) or something "comes at a cost", and the sentence ends there
_SHELL = (r"phenomenon|problem|issue|twist|question|surprise|development|challenge|complication|change|trend|"
          r"pattern|thing|wrinkle|concern|factor|effect|difficulty|snag|catch|obstacle|idea")
_TEASER = re.compile(
    r"(?:^[\W_]*(?:(?:then|but|and|soon|now|later|yet|still)\s+)?|,\s+)"
    rf"(?:another|a new|one more|a further|a second|a third|an?)\s+(?:\w+\s+)?(?:{_SHELL})s?\s+"
    r"(?:(?:began|begins|started|starts|seemed|seems|was about) to |has |had |soon |quickly |then )?"
    r"(?:emerge|emerged|emerges|arise|arose|arises|appear|appeared|appears|surface|surfaced|surfaces|"
    r"crop(?:ped|s)? up|c[oa]me up|comes up|develop(?:ed|s)?)[\W_]*$|"
    r"\bc(?:ome|omes|oming|ame) at (?:a|some|an? \w+) (?:cost|price)[\W_]*$", re.I)
_DEPENDENT_START = re.compile(r"^[\W_]*(he|she|it|they|this|that|these|those|his|her|its|their|such|him|them)\b",
                              re.I)
# "So is the harbour tax.", "Neither did the union.": an inversion that repeats what was said before
_ELLIPTICAL = re.compile(r"^[\W_]*(?:so|neither|nor)\s+(?:is|are|was|were|do|does|did|has|have|had|can|could|will|"
                         r"would|should)\b", re.I)
_RESIDUE = re.compile(r"https?://|www\.|(?<![\w.])@\w+|\bpic\.twitter\.com\b|\bt\.co/", re.I)
# a page's call to act is an imperative: it opens the sentence, or is capitalised inside a run-on line ("Now Live,
# Sign up for the bundle"); "the company continued to sign up subscribers" is reporting
_CALLS = ("click here", "sign up", "subscribe", "read more", "share this", "follow us")
_CALL = "|".join(_CALLS) + r"|see (?:the )?tweets?|view (?:this )?(?:post|tweet) on"
_CALL_TO_ACT = re.compile(rf"^[\W_]*(?i:{_CALL})\b|\b(?:{'|'.join(c.capitalize() for c in _CALLS)})\b")
# Case matters here: a trailing "MORE" link label (names run together: ``_glued_names``).
_GLUED = re.compile(r"\bMORE\s*$")
_OPINION = re.compile(r"(^|[/\-_\s])(opinion|op-ed|oped|commentary|editorial|column|columnists?|viewpoint|"
                      r"perspective|letters?)([/\-_\s]|$)", re.I)


# "Now they've put out another statement", "Then he left": a sentence adverb or connective, then a personal pronoun
# (the ordinary English connectives; whoever the pronoun is was named in an earlier sentence; "it's" and "it is"
# are often no one: "Of course, it's not just …"; a demonstrative is ``_EARLY_DEMONSTRATIVE``'s)
_CONNECTIVES = (r"now|then|still|so|later|instead|meanwhile|also|yet|again|today|yesterday|however|but|and|or|thus|"
                r"hence|nonetheless|nevertheless|besides|moreover|furthermore|finally|eventually|earlier|previously|"
                r"since then|in turn|in response|in fact|indeed|of course|after all|at first|at the time")
_CONNECTIVE_PRONOUN = re.compile(
    rf"^[\W_]*(?:{_CONNECTIVES})\b,?\s+"
    r"(?:he|she|they|his|her|its|their|it(?!['’]s|\s+(?:is|was)\b))\b(?![-'’]\w{3,})", re.I)
# "Today that mission scope may have expanded", "But that strategy …", "Still, this isn't …": a connective, then a
# demonstrative that points back ("But this week …" names a time, not something said before); and "Later that
# evening, he admitted …": a time that points back, then a personal pronoun
_TIMES = r"morning|afternoon|evening|night|day|week|weekend|month|year|season|summer|winter|spring|autumn|fall|time"
_CONNECTIVE_DEMONSTRATIVE = re.compile(
    rf"^[\W_]*(?!now\b|so\b)(?:{_CONNECTIVES})\b,?\s+(?:(?:this|that|these|those)\b(?!\s+(?:{_TIMES})\b)|"
    rf"(?:that|the same) (?:{_TIMES}),?\s+(?:he|she|they|it)\b)", re.I)
# "Together, these factors …", "In that case, …": a demonstrative in the opening words points back
_EARLY_DEMONSTRATIVE = re.compile(r"^[\W_]*(?:\w+,?\s+){1,2}(these|those|such|this|that)(?:\s+\w+|,)", re.I)
# "'By hyping up expectations …,' he said": a quote whose speaker is only a pronoun means nothing here
_PRONOUN_ATTRIBUTION = re.compile(r"[,.!?…—-][\"”’']?\s+(he|she|they)\s+(said|says|added|adds|told|tells|wrote|"
                                  r"writes|argued|argues|noted|notes|explained|continued|stressed|insisted|"
                                  r"warned|asked|replied|recalled)\b", re.I)
_WHOLLY_QUOTED = re.compile(r"^[“\"][^“”\"]+[.!?…,]?[”\"]$")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’')\]]*$|[\"”’]$")


def stands_alone(text: str) -> bool:
    """True when the sentence names its own subject, ends as a sentence (a headline does not), is not
    the opening of a quotation whose speaker comes later, and carries no page residue."""
    if open_quote(text):  # the first sentences of a quotation: its speaker is named only where it closes
        return False
    if signpost(text):  # "Here is how the event unfolded, and what experts say caused it."
        return False
    if _TEASER.search(text.strip()):  # "As the disks flattened, another phenomenon began to emerge."
        return False
    if says_i(_unquoted(text)):  # "… I can't recommend anyone jump onboard": who is "I"?
        return False
    if _REFERENCE.match(text):  # "[1] Alarm fatigue: impacts on patient safety, Ruskin KJ …": a reference list
        return False
    if _INTERVIEW_LINE.match(text):  # "Q: We are so glad to have you …", "A: Running the port means …": who asks, who
        return False  # answers is the page's layout, not the sentence's
    if quoted_alone(text):  # '"We're using our lander to …"', 'We will fix it.”': a quotation with no speaker
        return False
    stripped = text.strip().lstrip("“\"'‘(")
    if points_back(text) or not _ENDS_SENTENCE.search(stripped) or _PRONOUN_ATTRIBUTION.search(text):
        return False
    return not (_RESIDUE.search(text) or _CALL_TO_ACT.search(text) or _GLUED.search(text) or _glued_names(text))


def quoted_alone(text: str) -> bool:
    """The sentence is a quotation and nothing else: whose words they are is not said in it ('"We're using our
    lander to …"'), nor opened in it ('“It is a shame to see the pier close …'), nor closed ('… the harbour."')."""
    return bool(_WHOLLY_QUOTED.match(text.strip())) or open_quote(text) or (
        quote_tail(text) and text.rstrip()[-1:] in "”\"")


def quote_tail(text: str) -> bool:
    """The sentence closes a quotation an earlier sentence opened: its first curly mark closes, or its first
    straight mark follows a word or a stop ('… the harbour." This chart …')."""
    curly = re.search(r"[“”]", text)
    if curly is not None:
        return curly.group() == "”"
    straight = text.find('"')
    return straight > 0 and text.count('"') % 2 == 1 and not text[straight - 1].isspace()


def points_back(text: str) -> bool:
    """True when the sentence opens by pointing back to one before it: a pronoun or demonstrative subject ("This
    can lead to …"), a connective then one ("But they …"), a demonstrative in its opening words ("Together,
    these factors …")."""
    stripped = text.strip().lstrip("“\"'‘(")
    # (a quotation's "Now, they …" is its speaker's, named where it closes)
    connective = (_CONNECTIVE_PRONOUN.match(stripped) or _CONNECTIVE_DEMONSTRATIVE.match(stripped)) \
        and not text.lstrip().startswith(("“", '"', "‘", "'"))
    if _DEPENDENT_START.match(stripped) or _ELLIPTICAL.match(stripped) or connective:
        return True
    early = _EARLY_DEMONSTRATIVE.match(stripped)
    return bool(early and early.group(1).lower() in ("these", "those", "such") or
                (early and re.match(r"^[\W_]*(in|at|for|by|on|with|despite|after|before)\b", stripped, re.I)))


# a line of an interview printed as questions and answers
_INTERVIEW_LINE = re.compile(r"^\s*[QA]\s*[:.]\s+\S")
# an entry of a page's reference list: a bracketed or dotted number, then authors or a title
_REFERENCE = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s+[A-Z][^.]{0,80},\s+[A-Z][a-z]+\s+[A-Z]{1,3}\b)")
# "I" as a subject ("I can't", "I’ve seen"), not "I-95" or "World War I."; "me", "my" in lower case
_FIRST_PERSON = re.compile(r"(?<!War )(?<!Phase )(?<!Part )\bI(?:['’](?:m|ve|d|ll))?\s+[a-z]|\b(?:[Mm]e|[Mm]y)\b")


def says_i(text: str) -> bool:
    """The text speaks in the first person singular ("I can't recommend …", "my last one"), not "World War I"."""
    return bool(_FIRST_PERSON.search(text))


def signpost(text: str) -> bool:
    """The sentence announces the page's next part ("Here's what the early reviews say:") and states nothing."""
    return bool(_SIGNPOST.match(text))


def _unquoted(text: str) -> str:
    """The sentence without its quotations (a speaker's "I" inside quotation marks is theirs)."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)


_CAMEL = re.compile(r"\b([A-Z][a-z]+)([A-Z][a-z]{2,})\b")


def _glued_names(text: str) -> bool:
    """Two names run together where a page's link text lost its spacing, one of them also standing
    alone in the sentence ("Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor …"); a brand written
    in one word ("PlayStation") repeats neither half on its own."""
    words = set(re.findall(r"\b[A-Z][a-z]+\b", _CAMEL.sub(" ", text)))
    return any(m.group(1) in words or m.group(2) in words for m in _CAMEL.finditer(text))


def is_opinion(doc: DocMeta) -> bool:
    """Whether a document is an opinion piece, by its URL path or title (op-ed, column, editorial…)."""
    url_path = re.sub(r"^https?://[^/]+", "", doc.url or "")
    return bool(_OPINION.search(url_path) or _OPINION.search(doc.title or "")
                or (doc.title or "").lower().startswith(("opinion:", "op-ed:", "commentary:")))


def asks(text: str) -> bool:
    """The sentence is a question of the page itself ("Why Can't Swift Perform Her Own Songs?"), not a quoted one
    ('Malaska asked, "Could it live in the ocean?"'): in a news report it asserts nothing."""
    return text.rstrip().endswith("?") and not re.search(r"[“\"]", text)
