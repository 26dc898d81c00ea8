"""robots.txt rules for the fetcher: where the file lives, how a response becomes rules.

Follows RFC 9309 where it is cheap: a 2xx body is parsed, any 4xx (including 401/403) means no
rules. Unlike the RFC, an unreachable robots.txt (5xx, timeout) also allows fetching: citebrief only
fetches URLs a person or their feed named, never crawls, so a broken robots.txt should not make a
cited article unreadable.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: crawlers must parse at least 500 KiB
IGNORE_FLAG = "--ignore-robots"


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``: the scope one robots.txt governs."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def robots_url(url: str) -> str:
    """The robots.txt URL for the origin of ``url``."""
    return origin_of(url) + "/robots.txt"


def parse_robots(status: int, body: bytes) -> RobotFileParser | None:
    """Rules from a robots.txt response; None means everything is allowed."""
    if not 200 <= status < 300:
        return None
    text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


def robots_allows(rules: RobotFileParser | None, user_agent: str, url: str) -> bool:
    """True when ``rules`` let ``user_agent`` fetch ``url``.

    The robots parser matches on the product token, the part of the User-Agent before the first
    "/": "citebrief/0.1 (+https://…)" is governed by "User-agent: citebrief" groups.
    """
    return rules is None or rules.can_fetch(user_agent, url)
