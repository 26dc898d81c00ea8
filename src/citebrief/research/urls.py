"""URL canonicalisation and domains: one spelling per page, so results from several providers merge.

``canonical_url`` is deliberately conservative: it only removes what never changes which page a
server returns (scheme/host case, default ports, fragments, click-tracking parameters, a trailing
slash). It does not sort query parameters or touch percent-encoding, since some servers care.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

# Click identifiers added by ad and mail platforms; never part of what the page is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
})
TRACKING_PREFIXES = ("utm_",)


def _is_tracking(segment: str) -> bool:
    key = unquote(segment.partition("=")[0]).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _clean_query(query: str) -> str:
    # Filter the raw ``k=v`` segments instead of parse + re-encode, which would respell the rest.
    kept = [segment for segment in query.split("&") if segment and not _is_tracking(segment)]
    return "&".join(kept)


def canonical_url(url: str) -> str:
    """Return one spelling of an http(s) URL; anything else comes back stripped but unchanged.

    ``HTTPS://WWW.Example.com:443/a/?utm_source=x&id=3#top`` → ``https://www.example.com/a?id=3``
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # an invalid port or IPv6 literal: leave it for the fetcher to reject
        return text
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return text
    host = parts.hostname.rstrip(".")  # ``hostname`` is already lower-cased
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        password = f":{parts.password}" if parts.password is not None else ""
        netloc = f"{parts.username}{password}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), _clean_query(parts.query), ""))


def fetchable_url(url: str) -> str:
    """The URL to request for a result: as the provider gave it, without its fragment.

    Canonical spellings are for recognising the same page; requesting one can fail where the
    server treats ``/a/`` and ``/a`` differently, so fetches use the provider's spelling.
    """
    text = url.strip()
    return text.partition("#")[0]


def domain_of(url: str) -> str:
    """Return the lower-case host of ``url`` without a leading ``www.``; ``""`` when it has none.

    Bare domains work too (``"www.Example.com"`` → ``"example.com"``), so include/exclude lists
    can be compared with result URLs. Subdomains other than ``www`` are kept: ``news.bbc.co.uk``.
    """
    text = url.strip()
    if "://" not in text and not text.startswith("//"):
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host.removeprefix("www.")
