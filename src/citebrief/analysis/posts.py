"""Social-media posts and credited excerpts quoted in a page: who wrote them.

A page that embeds a post (a tweet, a Mastodon or Bluesky post) prints its text as one to four short
paragraphs followed by the author's line: "— Arvind Kejriwal (@ArvindKejriwal) November 1, 2019".
The sentences of the post are then the author's own words, though no verb of saying introduces them.
A roundup of reviews or reports prints each excerpt as a paragraph followed by its source on a line of
its own ("[CNET]"): that paragraph is the credited source's. Pure over the document text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "— Name (@handle) date" on a line of its own (an em or en dash; the handle as the platforms write it)
_AUTHOR_LINE = re.compile(r"^[ \t]*[—–][ \t]*(?P<name>[^\n()@—–]{2,80}?)[ \t]*\(@(?P<handle>[\w.]{1,40})\)[^\n]*$",
                          re.M)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINK = re.compile(r"(?:https?://|pic\.twitter\.com/)\S+")
# characters of a post without its links (X allows 280, Bluesky 300): paragraphs beyond are the article's
MAX_POST_CHARS = 300
MAX_POST_PARAGRAPHS = 4
# "[CNET]", "[The Verge]" on a line of its own after a quoted paragraph: the source a roundup credits
_CREDIT_LINE = re.compile(r"^[ \t]*\[(?P<name>[A-Z][\w.&' -]{1,40})\][ \t]*$", re.M)
MAX_EXCERPT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Post:
    """The character span of one quoted post in the document and who wrote it."""

    start: int
    end: int
    author: str  # as the author line gives it, e.g. "Rep. Ilhan Omar"
    handle: str
    credited: bool = False  # an excerpt a roundup credits to its source ("[CNET]" after it), not a post


def embedded_posts(text: str) -> list[Post]:
    """The posts quoted in ``text``: the paragraphs right before each author line, as many as fit in one post."""
    posts = []
    for match in _AUTHOR_LINE.finditer(text):
        end = len(text[:match.start()].rstrip())
        start, size = end, 0
        for _ in range(MAX_POST_PARAGRAPHS):
            stop = len(text[:start].rstrip())  # before the break that ends this paragraph
            breaks = list(_PARAGRAPH_BREAK.finditer(text, 0, stop))
            begin = breaks[-1].end() if breaks else 0
            paragraph = text[begin:stop].strip()
            size += len(without_links(paragraph))
            if not paragraph or size > MAX_POST_CHARS or _AUTHOR_LINE.search(paragraph):
                break
            start = begin
            if not breaks:
                break
        if start < end:
            posts.append(Post(start, end, match.group("name").strip(), match.group("handle")))
    for match in _CREDIT_LINE.finditer(text):
        # a roundup's "[CNET]" on a line of its own credits the paragraph right before it
        end = len(text[:match.start()].rstrip())
        breaks = list(_PARAGRAPH_BREAK.finditer(text, 0, end))
        start = breaks[-1].end() if breaks else 0
        if 0 < end - start <= MAX_EXCERPT_CHARS and not post_at(posts, start):
            posts.append(Post(start, end, match.group("name").strip(), "", credited=True))
    return sorted(posts, key=lambda p: p.start)


def without_links(text: str) -> str:
    """A post's text without the links the platform appends ("pic.twitter.com/…", "https://t.co/…")."""
    return " ".join(_LINK.sub("", text).split())


def post_at(posts: list[Post], offset: int) -> Post | None:
    """The post whose text holds the character at ``offset``, or None."""
    return next((p for p in posts if p.start <= offset < p.end), None)
