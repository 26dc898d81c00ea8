"""Map a report's numbered sources to corpus documents, and read ``--sources`` mapping files (pure).

Matching, first rule that applies; an entry no rule matches is reported, never guessed:

1. URL: the entry's URL and a document's URL have the same canonical form
   (``research.urls.canonical_url``, then scheme and a leading ``www.`` ignored, so
   ``http://www.a.org/x/`` and ``https://a.org/x`` agree).
2. Title: the share of a document title's words found in the entry is at least ``MIN_TITLE``
   (words lower-cased, stop words and possessive 's dropped). The entry "Seven NATO allies resist
   inviting Ukraine — Atlantic Dispatch, 2024" holds 6 of the 10 words of the title "At least seven
   NATO allies resist inviting Ukraine now, officials say" (least, now, officials, say are missing):
   0.6 < 0.8, so it stays unmatched; the full title with outlet and date scores 1.0.
   Ties go to the title closest to the entry's own title (Jaccard of their words). The best
   document must beat the runner-up by ``TITLE_MARGIN`` on one of the two, unless the runner-up
   is a near-duplicate (syndicated copy) of it; otherwise the entry is ambiguous, left unmatched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from ..errors import UsageError
from ..models import DocMeta
from ..research.urls import canonical_url
from .report import SourceEntry, make_entry, parse_entries

MIN_TITLE = 0.8
TITLE_MARGIN = 0.1
MIN_TITLE_WORDS = 3  # a shorter title ("Analysis") must equal the entry's title word for word
_STOPWORDS = frozenset("a an the of and or in on at to for by with from as is are was were be its it "
                       "this that than into over after before about".split())


class MatchedBy(str, Enum):
    """How a source entry was tied to a document."""

    URL = "url"
    TITLE = "title"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SourceMatch:
    """A source entry and the document it names (``doc_id`` None: unmatched, with the reason)."""

    entry: SourceEntry
    doc_id: str | None
    matched_by: MatchedBy
    score: float = 0.0  # title similarity (1.0 for a URL match)
    reason: str = ""


def url_key(url: str) -> str:
    """Canonical URL without scheme and leading ``www.``: the form two spellings are compared in."""
    canon = canonical_url(url if "://" in url else f"https://{url}")
    rest = canon.split("://", 1)[-1]
    return rest.removeprefix("www.") if rest else ""


def title_words(text: str) -> frozenset[str]:
    """The words a title is compared by: lower-case, no stop words, "Ukraine's" → "ukraine"."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", text)
    return frozenset(w.split("'")[0] for w in words if w.split("'")[0] not in _STOPWORDS)


def title_score(doc_title: str, entry: SourceEntry) -> tuple[float, float]:
    """(containment, overlap) of a document title and an entry, each in [0, 1].

    containment: share of the title's words found anywhere in the entry (outlet and date may follow);
    overlap: Jaccard of the title's words and the entry's title words, to prefer "Allies meet
    again" over "Allies meet" for the entry "Allies meet again", which contains both.
    """
    wanted = title_words(doc_title)
    given = title_words(entry.title or "")
    if not wanted:
        return 0.0, 0.0
    overlap = len(wanted & given) / len(wanted | given)
    if len(wanted) < MIN_TITLE_WORDS:
        return (1.0, 1.0) if given == wanted else (0.0, 0.0)
    found = title_words(entry.text if entry.url is None else entry.text.replace(entry.url, " "))
    return len(wanted & found) / len(wanted), overlap


def match_sources(entries: Sequence[SourceEntry], docs: Sequence[DocMeta]) -> tuple[SourceMatch, ...]:
    """Tie each entry to a document of ``docs`` by URL, then by title (see the module docstring)."""
    by_url: dict[str, DocMeta] = {}
    for doc in docs:  # an original wins over its syndicated copies at the same address
        if doc.url and (url_key(doc.url) not in by_url or by_url[url_key(doc.url)].duplicate_of):
            by_url[url_key(doc.url)] = doc
    return tuple(_match_one(entry, docs, by_url) for entry in entries)


def _match_one(entry: SourceEntry, docs: Sequence[DocMeta], by_url: dict[str, DocMeta]) -> SourceMatch:
    if entry.url and url_key(entry.url) in by_url:
        return SourceMatch(entry, by_url[url_key(entry.url)].doc_id, MatchedBy.URL, 1.0)
    scored = sorted(((*title_score(d.title, entry), i, d) for i, d in enumerate(docs) if d.title),
                    key=lambda s: (-s[0], -s[1], s[3].duplicate_of is not None, s[2]))
    what = "URL or title" if entry.url else "title"
    if not scored or scored[0][0] < MIN_TITLE:
        best = f" (closest title shares {scored[0][0]:.0%} of its words)" if scored and scored[0][0] else ""
        return SourceMatch(entry, None, MatchedBy.NONE, scored[0][0] if scored else 0.0,
                           f"no document in the corpus has this {what}{best}")
    top, best = scored[0], scored[0][3]
    rivals = [s for s in scored[1:] if top[0] - s[0] < TITLE_MARGIN and top[1] - s[1] < TITLE_MARGIN
              and best.doc_id != s[3].duplicate_of and s[3].doc_id != best.duplicate_of]
    if rivals:
        names = ", ".join(f"{s[3].doc_id[:12]} {s[3].title!r}" for s in [top, *rivals][:3])
        return SourceMatch(entry, None, MatchedBy.NONE, top[0],
                           f"ambiguous title: it fits several documents ({names}); give its URL")
    return SourceMatch(entry, best.doc_id, MatchedBy.TITLE, top[0])


def _entry(number: object, value: object, where: str) -> SourceEntry:
    """An entry from a mapping's number and "url-or-title" value, or a UsageError saying what is wrong."""
    try:
        n = int(str(number).strip().strip("[]"))
    except ValueError:
        raise UsageError(f"{where}: source number {number!r} is not a whole number") from None
    if n < 1:
        raise UsageError(f"{where}: source numbers start at 1, got {n}")
    if isinstance(value, dict):
        url, title = value.get("url"), value.get("title")
        if not (isinstance(url, str) and url.strip()) and not (isinstance(title, str) and title.strip()):
            raise UsageError(f'{where}: give "url" or "title" as a non-empty string')
        value = " — ".join(x.strip() for x in (title, url) if isinstance(x, str) and x.strip())
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where}: expected a URL or title string for source {n}")
    return make_entry(n, value.strip())


def parse_mapping(text: str, *, name: str = "--sources") -> tuple[SourceEntry, ...]:
    """Read a ``--sources`` file: a JSON object or list, or one "n<TAB>url-or-title" line per source.

    JSON: ``{"1": "https://…", "2": "A title"}`` or ``[{"n": 1, "url": "…"}, {"n": 2, "title": "…"}]``.
    Lines: ``1<TAB>https://…``; lines of a source list (``1. Title URL``, ``[2] Title``) work too.
    Blank lines and lines starting with ``#`` are skipped.
    """
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped.startswith("{"):
                raise UsageError(f"{name} is not valid JSON ({exc.msg}, line {exc.lineno}); expected "
                                 '{"1": "url-or-title", ...}') from None
        else:
            return _from_json(data, name)
    return _from_lines(text.splitlines(), name)


def _from_json(data: object, name: str) -> tuple[SourceEntry, ...]:
    if isinstance(data, dict):
        entries = [_entry(k, v, f"{name} key {k!r}") for k, v in data.items()]
    elif isinstance(data, list):
        entries = []
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict) or "n" not in item:
                raise UsageError(f'{name} item {i}: expected {{"n": 1, "url": "…"}} or {{"n": 1, "title": "…"}}')
            entries.append(_entry(item["n"], {k: item.get(k) for k in ("url", "title")}, f"{name} item {i}"))
    else:
        raise UsageError(f'{name}: expected a JSON object {{"1": "url-or-title"}} or a list of '
                         '{"n", "url"|"title"} objects')
    return _unique(entries, name)


def _from_lines(lines: list[str], name: str) -> tuple[SourceEntry, ...]:
    entries: list[SourceEntry] = []
    listed: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line:
            key, value = line.split("\t", 1)
            entries.append(_entry(key, value, f"{name} line {number}"))
        elif re.match(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.):])\s+\S", line):
            listed.append(line)
        else:
            raise UsageError(f"{name} line {number}: expected 'n<TAB>url-or-title' "
                             f"(or '[n] Title URL'), got {line.strip()[:60]!r}")
    return _unique([*entries, *parse_entries(listed)], name)


def _unique(entries: list[SourceEntry], name: str) -> tuple[SourceEntry, ...]:
    seen: set[int] = set()
    for entry in entries:
        if entry.number in seen:
            raise UsageError(f"{name}: source {entry.number} is given twice; keep one")
        seen.add(entry.number)
    if not entries:
        raise UsageError(f"{name} names no sources; expected lines like '1<TAB>https://…'")
    return tuple(entries)
