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


# Blocks that are not globally reachable, from the IANA IPv4 Special-Purpose Address Registry
# (https://www.iana.org/assignments/iana-ipv4-special-registry/, "Globally Reachable: False"),
# plus multicast (IANA IPv4 Multicast Address Space Registry) and the deprecated 6to4 relay anycast
# block (RFC 7526). Stricter than the registry in one place: all of 192.0.0.0/24 is refused, though
# it holds two anycast /32s (PCP, TURN) that are reachable but never a web server.
_IPV4_NOT_GLOBAL = tuple(ipaddress.IPv4Network(block) for block in (
    "0.0.0.0/8",  # "this network"
    "10.0.0.0/8",  # private use
    "100.64.0.0/10",  # shared address space (carrier-grade NAT)
    "127.0.0.0/8",  # loopback
    "169.254.0.0/16",  # link local (cloud metadata services live at 169.254.169.254)
    "172.16.0.0/12",  # private use
    "192.0.0.0/24",  # IETF protocol assignments (192.0.0.8 dummy, 192.0.0.170/171 NAT64 discovery)
    "192.0.2.0/24",  # documentation (TEST-NET-1)
    "192.88.99.0/24",  # 6to4 relay anycast, deprecated
    "192.168.0.0/16",  # private use
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # documentation (TEST-NET-2)
    "203.0.113.0/24",  # documentation (TEST-NET-3)
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and 255.255.255.255 limited broadcast
))
# IPv6 is judged by allow-list: only global unicast space (2000::/3, IANA IPv6 Address Space
# Registry) can be public; fe80::/10 link-local, fec0::/10 site-local (deprecated, RFC 3879),
# fc00::/7 unique-local, ff00::/8 multicast, ::1, :: and the IPv4-compatible ::/96 all lie outside.
_IPV6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
# Inside 2000::/3, blocks of the IANA IPv6 Special-Purpose Address Registry
# (https://www.iana.org/assignments/iana-ipv6-special-registry/) that are not globally reachable.
# Stricter in one place: all of 2001::/23 is refused but Teredo (2001::/32, judged by the IPv4
# addresses it embeds), though it holds anycast and AS112 blocks that are never a web server.
_IPV6_NOT_GLOBAL = tuple(ipaddress.IPv6Network(block) for block in (
    "2001::/23",  # IETF protocol assignments (benchmarking 2001:2::/48, ORCHID 2001:10::/28, …)
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation (RFC 9637)
))
# Prefixes that carry an IPv4 address inside the IPv6 one; the IPv4 address is judged instead.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052), last 32 bits
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215): not global
_TEREDO = ipaddress.IPv6Network("2001::/32")  # RFC 4380: server and (inverted) client IPv4


def is_private_address(ip: str) -> bool:
    """True when ``ip`` is not a globally reachable unicast address, so never fetched by default.

    IPv4: the blocks of the IANA special-purpose registry marked not globally reachable, plus
    multicast. IPv6: anything outside global unicast 2000::/3 and the registry's non-global blocks
    inside it. An IPv6 address that embeds an IPv4 one is judged by the IPv4 address: mapped
    (::ffff:127.0.0.1), NAT64 (64:ff9b::7f00:1), 6to4 (2002:7f00:1::) and Teredo (either end).
    Unparseable input counts as private, so a resolver surprise fails closed.
    """
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone id ("fe80::1%eth0")
    except ValueError:
        return True
    if isinstance(addr, ipaddress.IPv4Address):
        return _ipv4_private(addr)
    embedded = _embedded_ipv4(addr)
    if embedded is not None:
        return any(_ipv4_private(v4) for v4 in embedded)
    if addr in _NAT64_LOCAL or addr not in _IPV6_GLOBAL_UNICAST:
        return True
    # Python's own table as a second opinion: it can only add refusals.
    return any(addr in block for block in _IPV6_NOT_GLOBAL) or not addr.is_global


def _ipv4_private(addr: ipaddress.IPv4Address) -> bool:
    return any(addr in block for block in _IPV4_NOT_GLOBAL) or not addr.is_global


def _embedded_ipv4(addr: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...] | None:
    """The IPv4 addresses an IPv6 address stands for (mapped, NAT64, 6to4, Teredo), or None."""
    if addr.ipv4_mapped is not None:
        return (addr.ipv4_mapped,)
    if addr in _NAT64:
        return (ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF),)
    if addr.sixtofour is not None:
        return (addr.sixtofour,)
    if addr in _TEREDO and addr.teredo is not None:
        return addr.teredo  # (server, client); the client address is stored inverted, decoded here
    return None


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
