"""Boilerplate removal for text coming out of every reader (pure: text in, text out).

trafilatura already drops navigation from HTML; this pass removes what survives in scraped text:
advertisement markers, share/subscribe prompts, "Other Topics of Interest"/"Read more" blocks with
the teaser headline and blurb they carry, corrections footers, cookie notices, comment-widget and
tag lines, wire credit footers, copies of the title and lines the extractor doubled.
Paragraphs in the result are separated by one blank line; lines inside a paragraph are joined.
bench/bench_extraction.py measures the effect on the article-extraction benchmark.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Whole-line boilerplate: matched against a stripped line, case-insensitively.
_LINE_PATTERNS = [
    r"advertisement",
    r"advertising",
    r"sponsored( content)?",
    r"(story|article) continues (below|after)( (the )?(advertisement|ad))?",
    r"scroll to continue( reading)?",
    r"(please )?subscribe\b.{0,80}",
    r"sign up\b.{0,80}(newsletter|updates|inbox|alerts).{0,40}",
    r".{0,60}\bnewsletter\b.{0,60}(sign up|subscribe|inbox|delivered)\b.{0,40}",
    r".{0,200}\bthanks for (signing up|subscribing)\b.{0,200}",
    r"(share|tweet|email|print)( this)?( (article|story|page|post))?( on \w+)?[.:!]?",
    r"share on (facebook|twitter|x|linkedin|whatsapp|reddit|email).{0,40}",
    r"follow us on .{0,60}",
    # Inline teaser links, sometimes bracketed: "Read more: …", "[Related: …]", "Also on example.com …".
    r"\[?(read more|read also|related( (posts?|articles?|stories|story|content|reading|coverage))?|"
    r"see also|see more|also read|more from|more on this( story)?|recommended|you may also like|"
    r"most read|trending|watch|listen)\s*[:\-–—].{0,160}",
    r"also on \S+\.[a-z]{2,}\b.{0,160}",
    r"to suggest a correction.{0,120}",
    r"you can also highlight the text and press ctrl.{0,60}",
    r"(we|this (site|website)) uses? cookies.{0,200}",
    r".{0,40}\baccept (all )?cookies\b.{0,80}",
    r"(all rights reserved|copyright ©|copyright ⓒ|©|ⓒ).{0,120}",
    r"click here to .{0,100}",
    # A short prompt without a sentence end that sends the reader elsewhere ("… by clicking here").
    r"[^.!?]{0,80}\b(click|tap)(ing)? here\b[^.!?]{0,80}",
    r"(photo|image|video) (credit|courtesy)\s*:.{0,120}",
    r"skip to (main )?content",
    r"(loading|please wait)\.{0,3}",
    r"corrections? (and|&) clarifications.{0,80}",
    r"report (a|an) (error|typo).{0,60}",
    # Comment widgets: "Comments", "12 comments", "Leave a reply", "Show comments".
    r"(\d+ )?comments?( \(\d+\))?",
    r"(leave|post|add|write) a (comment|reply)\b.{0,60}",
    r"(show|view|load|hide|see) (all )?(\d+ )?comments\b.{0,20}",
    r"(tags|tagged( with)?|filed (under|in))\s*:.{0,200}",
    r"\d+\s*(min|mins|minutes?)\s+read",
    r"(estimated )?reading time\s*:?\s*\d+.{0,20}",
    # Wire-agency credit footers: "(Reporting by A; additional reporting by B; Editing by C)".
    r"\(?(additional )?(reporting|writing) by .{1,250}[;,]\s*(editing|edited) by [^;,]{1,120}",
]
_LINE_RE = re.compile(r"^(?:" + "|".join(_LINE_PATTERNS) + r")$", re.IGNORECASE)

# Headings that introduce a block of unrelated teasers: the heading, the teaser headlines after it
# (and the one right before it, often a duplicate), and the blurb under each headline are dropped.
_BLOCK_RE = re.compile(
    r"^(other topics of interest|read more|related( (articles|stories|coverage|content|posts|links))?|"
    r"more (from|on) .{1,40}|more stories|you (may|might) also like|recommended( for you| reading)?|"
    r"most (read|popular)|popular on .{1,40}|trending( now)?|top stories|what to read next|latest news|"
    r"editor'?s picks|further reading|don[’']?t miss( this)?|must read|around the web)\s*:?$",
    re.IGNORECASE,
)

# A teaser blurb is a sentence or two (the seed article's is 25 words); a longer paragraph after a
# teaser headline is article text that resumes, and is kept.
_BLURB_MAX_WORDS = 60

_CONTROL_RE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]")
_SPACES = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
# Only the runs that change: two or more spaces, or one space character other than " ". Matching
# every single " " made re.sub build a piece per word (48 MB of prose: 600 MB and 16 s).
_SPACE_RE = re.compile(_SPACES + r"{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_SENTENCE_END = ('.', '."', '.”', ".'", '.’', '!', '!"', '!”', ':', ';', ',')


def normalise(text: str) -> str:
    """NFC-normalise, drop control and zero-width characters, unify spaces and line ends."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL_RE.sub("", text)
    return "\n".join(_SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))


# A terminal escape sequence as a whole (CSI "\x1b[2J", OSC "\x1b]0;title\x07", two-byte "\x1bM"),
# then any other control: C0 but tab and newline, DEL, C1 (0x9b is a one-byte CSI on some
# terminals) and the bidirectional overrides and isolates that reorder what a line appears to say.
_ESCAPE_SEQUENCE_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_TERMINAL_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tab and newline stay)."""
    return _TERMINAL_CONTROL_RE.sub("", _ESCAPE_SEQUENCE_RE.sub("", text))


def clean_field(value: str | None) -> str | None:
    """A metadata field (title, outlet, author, URL) on one line, without control characters.

    ESC sequences in a "Title:" line once reached the terminal from `citebrief sources`; a field
    is stored without them. None for a field left empty.
    """
    if value is None:
        return None
    value = strip_controls(unicodedata.normalize("NFC", value).replace("\t", " ").replace("\n", " "))
    return _SPACE_RE.sub(" ", value).strip() or None


WEB_SCHEMES = frozenset({"http", "https"})


def web_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host, else None.

    A document's URL becomes a link in every output, so only a web address is kept: a file, a page's
    canonical link or og:url, or a front-matter ``url:`` that declares ``javascript:``, ``data:``,
    ``vbscript:``, ``file:`` or a relative address leaves the document without a URL (it keeps its
    path). An allow-list, not a block-list: browsers also run ``JaVaScRiPt:`` and `` javascript:``.
    """
    if not value:
        return None
    value = value.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None  # "java\tscript:" reads as "javascript:" to a browser, so no control character passes
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in WEB_SCHEMES and parts.hostname else None


def is_boilerplate_line(line: str) -> bool:
    """True when a whole line is a known boilerplate line."""
    return bool(_LINE_RE.match(line.strip()))


def _word_count_upto(text: str, limit: int) -> int:
    """The number of words of ``text``, or ``limit + 1`` when it has more (no list of every word)."""
    return len(text.split(None, limit))


def _headline_like(line: str) -> bool:
    """A short line without sentence-final punctuation: a title or teaser headline."""
    return 0 < _word_count_upto(line, 22) <= 22 and not line.rstrip().endswith(_SENTENCE_END)


def _paragraphs(text: str) -> list[str]:
    """Group non-empty lines into paragraphs; lines of one paragraph are joined with a space.

    A headline-like line is its own paragraph even without a blank line around it, so a teaser
    headline glued to the next paragraph can still be recognised.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if _headline_like(line) or is_boilerplate_line(line) or _BLOCK_RE.match(line):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            paragraphs.append(line)
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _drop_blocks(paragraphs: list[str]) -> list[str]:
    """Remove teaser blocks: heading, neighbouring headlines and the blurb under each headline.

    A heading that an earlier heading's scan already passed over is skipped: that scan marked
    everything the later one would (it went on past the heading), so every paragraph is scanned
    once. Scanning again from each heading made 16,000 "Related"/headline lines take 106 s.
    """
    keep = [True] * len(paragraphs)
    scanned_to = 0  # paragraphs before this index were passed over by a scan
    for i, para in enumerate(paragraphs):
        if i < scanned_to or not _BLOCK_RE.match(para):
            continue
        keep[i] = False
        if i > 0 and _headline_like(paragraphs[i - 1]):
            keep[i - 1] = False  # the teaser headline often precedes its heading too
        j, after_headline = i + 1, False
        while j < len(paragraphs):
            if _headline_like(paragraphs[j]):
                keep[j], after_headline = False, True
            elif after_headline and _word_count_upto(paragraphs[j], _BLURB_MAX_WORDS) <= _BLURB_MAX_WORDS:
                keep[j], after_headline = False, False  # the blurb under a teaser headline
            else:
                break
            j += 1
        scanned_to = j
    return [p for p, k in zip(paragraphs, keep) if k]


def _drop_repeats(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop copies of the title and a paragraph that repeats the one right before it.

    Only adjacent repeats go: extraction often doubles a line (a table header, a heading shown for
    two layouts). A line repeated further away is usually structure the article needs (a table
    column, a schedule, an interview question), so dropping every repeated headline cost recall on
    the article-extraction benchmark; teasers shown twice are caught by ``_drop_blocks`` instead.
    """
    title_key = title.strip().casefold() if title else None
    out: list[str] = []
    for para in paragraphs:
        key = para.casefold()
        if key == title_key:
            continue  # the title is metadata, not body text
        if out and out[-1].casefold() == key:
            continue
        out.append(para)
    return out


def clean_text(text: str, *, title: str | None = None) -> str:
    """Return ``text`` without boilerplate, paragraphs separated by a blank line."""
    paragraphs = _paragraphs(normalise(text))
    paragraphs = [p for p in paragraphs if not is_boilerplate_line(p)]
    paragraphs = _drop_blocks(paragraphs)
    paragraphs = _drop_repeats(paragraphs, title)
    return "\n\n".join(paragraphs).strip()
