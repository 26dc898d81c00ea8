"""The web reader: fetch pages, feeds and sitemaps safely and turn them into ``RawDocument`` values.

    guard.py    check_url / is_private_address: schemes and private addresses, every hop
    fetch.py    FetchOptions, Fetcher protocol, HttpFetcher (async httpx; sync facade)
    pinned.py   connections pinned to the addresses just checked (no DNS rebinding)
    page.py     FetchedPage, canonical URL, compress_page / decompress_page for the raw store
    convert.py  page_to_raw: content type → reader, charset detection that survives lying pages
    feeds.py    parse_feed (RSS 2.0, Atom, RSS 1.0), parse_sitemap, merge_entry_metadata
    poll.py     poll_feed (conditional GET), new_entries, collect_sitemap (sitemap indexes)
    robots.py   robots.txt rules
"""

from __future__ import annotations

from .convert import decode_page, page_to_raw
from .feeds import FeedEntry, Sitemap, merge_entry_metadata, parse_feed, parse_sitemap
from .fetch import USER_AGENT, FetchOptions, Fetcher, HttpFetcher
from .guard import PRIVATE_FLAG, check_url, is_private_address
from .page import FetchedPage, compress_page, decompress_page
from .poll import FeedPoll, collect_sitemap, new_entries, poll_feed
from .robots import IGNORE_FLAG

__all__ = [
    "FeedEntry", "FeedPoll", "FetchOptions", "FetchedPage", "Fetcher", "HttpFetcher",
    "IGNORE_FLAG", "PRIVATE_FLAG", "Sitemap", "USER_AGENT", "check_url", "collect_sitemap",
    "compress_page", "decode_page", "decompress_page", "is_private_address", "merge_entry_metadata",
    "new_entries", "page_to_raw", "parse_feed", "parse_sitemap", "poll_feed",
]
