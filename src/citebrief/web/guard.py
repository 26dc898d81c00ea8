"""URL guard: refuse non-http(s) schemes and hosts that resolve to private or special addresses.

A brief is often built from URLs someone else chose (a feed, a search result, a pasted link), so by
default the fetcher must not become a way to read the user's router, cloud metadata service
(169.254.169.254) or localhost admin pages. The guard runs on the first URL and on every redirect
hop, after DNS resolution, and checks *every* address a name resolves to (an attacker's DNS can
return one public and one private address and let the OS pick).

This check runs before each request, but httpx would resolve the name again to connect, and a
hostile DNS server can answer a public address to the check and 127.0.0.1 a moment later (DNS
rebinding). So the fetcher also pins every direct connection (``pinned.PinnedBackend``): httpcore
asks it for each new TCP connection, and it resolves the name once more with the same resolver,
refuses with the same message if any address is private, and dials the checked IP itself — the
address checked is the address connected, and httpx never resolves the name on its own.

Limit: a request sent through a proxy from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY) is
resolved by the proxy, so for it only the check here applies. ``--allow-private`` turns off both.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Callable
from urllib.parse import urlsplit

from ..errors import FetchError

ALLOWED_SCHEMES = ("http", "https")
PRIVATE_FLAG = "--allow-private"

# host, port -> the IP address strings the name resolves to (raises OSError when it does not).
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system's resolver (``socket.getaddrinfo``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # Deduplicated in getaddrinfo's order (RFC 6724 preference), which is also the order dialled.
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_private_address(ip: str) -> bool:
    """True when ``ip`` is loopback, private, link-local, multicast or otherwise not globally routed.

    "Not global" also covers carrier-grade NAT (100.64/10), documentation ranges and the unspecified
    address; an IPv4 address mapped into IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address.
    Unparseable input counts as private, so a resolver surprise fails closed.
    """
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone id ("fe80::1%eth0")
    except ValueError:
        return True
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return (not addr.is_global or addr.is_loopback or addr.is_private or addr.is_link_local
            or addr.is_multicast or addr.is_unspecified or addr.is_reserved)


def check_url(url: str, allow_private: bool, *, resolver: Resolver | None = None) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s) and (unless allowed) resolves only to public IPs."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        if not scheme:
            raise FetchError(f"{url}: URL has no scheme; only http:// and https:// URLs are "
                             f"fetched (did you mean https://{url}?)")
        raise FetchError(f"{url}: '{scheme}:' URLs are not fetched; only http:// and https:// are")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: URL has no host name")
    if allow_private:
        return
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = (resolver or system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{url}: DNS lookup of {host} failed ({exc}) — check the address") from exc
    if not addresses:
        raise FetchError(f"{url}: DNS lookup of {host} returned no address")
    private = [ip for ip in addresses if is_private_address(ip)]
    if private:
        raise FetchError(f"{url}: {private_address_reason(host, private[0])}")


def private_address_reason(host: str, ip: str) -> str:
    """Why ``host`` is refused when it resolves to the private ``ip`` (shared with the pin)."""
    what = "is a" if ip == host else "resolves to the"
    return (f"{host} {what} private or local address {ip}; "
            f"refusing to fetch it (pass {PRIVATE_FLAG} if you mean to)")
