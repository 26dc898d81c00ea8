"""Word lists for stance, reasons, attribution and denial — general English news vocabulary."""

from __future__ import annotations

import re

from ..analysis.quotes import opens_at
from .addressed import looks_like_instruction  # noqa: F401 — re-exported; the detector lives there
from .model import Position

# Stance cues as regexes over lower-cased text; order matters: the first matching group wins, so
# negated support ("will never support") is tested before support.
STANCE_PATTERNS: list[tuple[Position, re.Pattern[str]]] = [
    (Position.OPPOSES, re.compile(
        r"\b(never (support|back|accept|agree)|(will|would|does|do|did) not (support|back|accept|agree)|"
        r"(doesn|don|didn|won|wouldn)['’]t (support|back|accept)|refus\w*|oppos\w*|against|block\w*|veto\w*|"
        r"reject\w*|resist\w*|rul\w* out|object\w* to|unrealistic|opposition|opponents?)\b")),
    (Position.HESITANT, re.compile(
        r"\b(hesitant|hesitat(e|es|ed|ing)|cautious(ly)?|counsel\w* caution|reluctan\w*|wary|reticen\w*|sceptic\w*|skeptic\w*|"
        r"not ready|lukewarm|holding back|noncommittal|concerned about|uneasy|doubts?)\b")),
    (Position.SUPPORTS, re.compile(
        r"\b(support\w*|back(s|ed|ing)?|favou?r\w*|press\w* for|push\w* for|"
        r"champion\w*|advocat\w*|lobby\w*|call\w* for|urg\w*|in favou?r)\b")),
]
STANCE_CUES = ("oppose", "against", "resist", "block", "veto", "reject", "hesitant", "cautious",
               "reluctant", "wary", "support", "back", "favour", "favor", "push")

# General connectives of reason and cause, and the nouns and verbs of concern ("citing", "due to",
# "fears that", "blamed … for", "the main source of").
REASON_CUES = ("because", "citing", "cited", "concern", "fear", "risk", "warn", "argue", "argued",
               "due to", "over ", "reason", "worr", "threat", "danger", "cost", "burden", "accus", "blame",
               "caus", "result of", "led to", "lead to", "source of", "responsible", "contribut", "factor")
_REASON_RE = re.compile(
    r"\b(because|citing|cited|concern\w*|fear\w*|risk\w*|warn\w*|argu\w*|due to|reasons?|worr\w*|threat\w*|"
    r"danger\w*|burden\w*|accus\w*|blam\w*|caus(e|es|ed|ing)|result(s|ed)? (of|from)|led to|lead(s|ing)? to|"
    r"sources? of|responsible for|contribut\w*|factors?|so long as|as long as|unless)\b", re.I)

_ATTRIBUTION_RES = [
    re.compile(r"\b([A-Z][\w.&’' -]{1,60}?),? citing ([^,.;]{3,80})"),
    re.compile(r"\baccording to ([^,.;]{3,80})"),
    re.compile(r"\b((?:[A-Z][\w’'-]+ ){0,3}(?:officials?|diplomats?|sources?|analysts?|spokes\w+|[A-Z][\w’'-]+))"
               r"(?: who [^,.;]{3,60})? (said|says|told|reported|reports|argued|wrote|added|stressed|noted|predicted)\b"),
    re.compile(r"\b(said|says|told|reported) ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})"),
]
ANONYMOUS_RE = re.compile(r"\b(unnamed|anonymous|anonymity|not authori[sz]ed to|who (asked|declined) not to be named|"
                          r"people familiar with|sources said|officials said|diplomats said|one (senior )?official)\b", re.I)
DENIAL_RE = re.compile(r"\b(inaccurate|not accurate|untrue|not true|false(ly)?|fake|rumou?rs?|baseless|unfounded|misleading|"
                       r"denied|denies|deny|dismiss(ed|es)?|reject(ed|s)? (the |a |such )?(reports?|claims?|suggestions?|"
                       r"allegations?)|disputed?|disputes|contested|refuted?|fabricat\w*)\b", re.I)
# (a connective that can also open a phrase is one only with its comma: "In addition to the fatalities, …",
# "So far, …", "Still photos …" keep their words)
_LEADING_CONNECTIVE = re.compile(
    r"^(?:(?:but|and|also|however|meanwhile|moreover|furthermore|nonetheless|nevertheless)\s*,?\s+|"
    r"(?:still|yet|instead|for instance|for example|in addition|by contrast|in contrast|indeed|so|then)\s*,\s+)",
    re.I)
# "NEW YORK (Reuters) - ", "SAN FRANCISCO — ", or a bare agency tag the page kept without its place, "(AP) — "
_AGENCY = r"\((?:AP|Reuters|AFP|UPI|dpa)\)\s*"
_DATELINE = re.compile(rf"^(?:[A-Z][A-Z .'’]{{2,30}}(?:,\s*[A-Z][\w .]{{1,20}})?\s*(?:{_AGENCY})?|{_AGENCY})[-–—]+\s+")
# a link's label the page ran into the next sentence ("More: “We have a need …,” Clarke said")
_LINK_LABEL = re.compile(r"^(?=[A-Z])(?i:more|read more|also read|related|see also)\s*:\s+(?=\S)")
PRONOUN_START = re.compile(r"^(he|she|it|they|this|that|these|those|his|her|its|their|such|the two|both)\b", re.I)


def stance_of(text: str) -> Position | None:
    """The stance a clause expresses, or None."""
    low = text.lower()
    for position, pattern in STANCE_PATTERNS:
        if pattern.search(low):
            return position
    return None


def has_cue(text: str, cues: tuple[str, ...]) -> bool:
    """A cue at the start of a word of ``text`` ("criticis" in "criticised"; "no " in "no evidence", not in "now",
    "announcing" or "economy")."""
    low = text.lower()
    return any(re.search(rf"\b{re.escape(cue)}", low) for cue in cues)


def has_reason(text: str) -> bool:
    """True when the sentence states a reason or concern."""
    return bool(_REASON_RE.search(text))


def attribution_of(text: str) -> str | None:
    """Who a sentence says the claim comes from ("Politico, citing unnamed US officials")."""
    for i, pattern in enumerate(_ATTRIBUTION_RES):
        match = pattern.search(text)
        if not match:
            continue
        if i == 0:
            return f"{match.group(1).strip()}, citing {match.group(2).strip()}"
        if i == 1:
            return match.group(1).strip()
        if i == 2:
            return match.group(1).strip()
        return match.group(2).strip()
    return None


def without_label(text: str) -> str:
    """The sentence without a link label run into its start ("More: “We have a need …”" → "“We have a need …”")."""
    return _LINK_LABEL.sub("", text, count=1)


# a page's reference marker glued to a word ("up to 900 alerts per shift[1],"): in a brief it would read as a citation
_FOOTNOTE = re.compile(r"(?<=[\w.,;:)%])\[\d{1,3}\]")


def trim_sentence(text: str) -> str:
    """Lightly trim a source sentence for reuse: drop a leading connective, open a quotation that only
    closes in it, capitalise."""
    trimmed = _FOOTNOTE.sub("", without_label(_DATELINE.sub("", text.strip())))
    trimmed = _LEADING_CONNECTIVE.sub("", trimmed)
    # the end of a quotation that opened in the sentence before ('And we are going," said Ortega.') is
    # shown as the quotation it is
    # … and one that opens in it and goes on past it ('… said that the referee "cannot blame us.') is closed
    if "”" in trimmed and "“" not in trimmed.split("”")[0]:
        trimmed = "“" + trimmed
    elif "“" in trimmed and not any(mark in trimmed.split("“")[-1] for mark in '”"'):
        trimmed = trimmed + "”"
    elif trimmed.count('"') % 2 and not trimmed.startswith(('"', "“")):
        trimmed = trimmed + '"' if opens_at(trimmed, trimmed.rfind('"')) else '"' + trimmed
    lead = len(trimmed) - len(trimmed.lstrip('"“'))
    return trimmed[:lead] + capitalised(trimmed[lead:])


def capitalised(text: str) -> str:
    """The text with its first letter in capitals, unless its first word is written with a capital inside it
    ("iFixit", "eBay", "iPhone" stay as their makers write them)."""
    first = text.split(" ", 1)[0]
    if any(c.isupper() for c in first[1:]):
        return text
    return text[:1].upper() + text[1:]

