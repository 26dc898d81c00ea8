"""Connections pinned to checked addresses, so DNS rebinding cannot slip past the URL guard.

``guard.check_url`` resolves a name before each request, but httpx would resolve it again to
connect; a hostile DNS server can answer a public address to the first lookup and 127.0.0.1 to the
second. Pinning moves the check to the moment of connecting:

    httpcore pool ─ new connection to (host, port) ─▶ PinnedBackend.connect_tcp
        ─ resolve host (same resolver as the guard) ─ any private address? → AddressRefused
        ─ dial each checked IP literal in turn through the network (httpcore's AnyIOBackend)

TLS is unaffected: httpcore starts TLS on the returned stream with the URL's host name (SNI and
certificate check, ``AsyncHTTPConnection._connect``), and the Host header comes from the URL.

httpx has no public way to give its transport a network backend, so ``pin_connections`` swaps the
client's direct transport for ``PinnedTransport``, httpx's own transport with its connection pool
rebuilt around the backend. Each step touches one private httpx attribute, checks what it replaces
and raises rather than run unpinned; the pinning tests in tests/test_web_fetch.py fail if an
upgrade routes around them. Proxy routes that httpx built from the environment are left as they are.
"""

from __future__ import annotations

import asyncio
from typing import Iterable

import httpcore
import httpx

from .guard import Resolver, is_private_address, private_address_reason, system_resolver

# (level, option, value) for socket.setsockopt, as httpcore passes it.
SocketOption = tuple[int, int, int | bytes] | tuple[int, int, None, int]


class AddressRefused(Exception):
    """A connection refused because its host resolves to a private address.

    Not a ``CitebriefError``: it never leaves the fetcher, which turns it into a ``FetchError``
    naming the URL (the backend sees only host and port).
    """

    def __init__(self, host: str, ip: str) -> None:
        super().__init__(private_address_reason(host, ip))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that dials only addresses it has just checked."""

    def __init__(self, *, allow_private: bool, resolver: Resolver | None = None,
                 network: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allow_private = allow_private
        self._resolve = resolver or system_resolver
        # What AutoBackend picks under asyncio, named directly because AutoBackend is not exported.
        self._network = network or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[SocketOption] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, refuse it if any address is private, else connect to a checked IP."""
        if self.allow_private:  # nothing to pin: let the network resolve the name as usual
            return await self._network.connect_tcp(host, port, timeout=timeout,
                                                   local_address=local_address,
                                                   socket_options=socket_options)
        loop = asyncio.get_running_loop()
        # One deadline for the lookup and every address tried, as httpcore's own backend has.
        deadline = None if timeout is None else loop.time() + timeout

        async def dial(ip: str) -> httpcore.AsyncNetworkStream:
            left = None if deadline is None else max(0.0, deadline - loop.time())
            return await self._network.connect_tcp(ip, port, timeout=left,
                                                   local_address=local_address,
                                                   socket_options=socket_options)

        *others, last = await self._checked_addresses(host, port, deadline)
        for ip in others:
            try:
                return await dial(ip)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # the next checked address may answer (an IPv6 one without a route, say)
        return await dial(last)

    async def _checked_addresses(self, host: str, port: int, deadline: float | None) -> list[str]:
        try:
            async with asyncio.timeout_at(deadline):
                addresses = await asyncio.to_thread(self._resolve, host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"DNS lookup of {host} failed ({exc})") from exc
        if not addresses:
            raise httpcore.ConnectError(f"DNS lookup of {host} returned no address")
        private = [ip for ip in addresses if is_private_address(ip)]
        if private:
            raise AddressRefused(host, private[0])
        return addresses

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[SocketOption] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError(f"{path}: the fetcher connects over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's HTTP transport whose connection pool connects through a ``PinnedBackend``."""

    def __init__(self, backend: PinnedBackend, *, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=True)
        # httpx builds its pool without a network_backend argument and has no setter; rebuilding
        # the pool is the way in. Refuse, rather than run unpinned, if httpx builds it differently.
        if type(getattr(self, "_pool", None)) is not httpcore.AsyncConnectionPool:
            raise RuntimeError(f"httpx {httpx.__version__} no longer keeps its connection pool in "
                               "AsyncHTTPTransport._pool; citebrief cannot pin connections to "
                               "checked addresses with it — install an httpx it supports")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=True),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend)


def pin_connections(client: httpx.AsyncClient, backend: PinnedBackend, *,
                    limits: httpx.Limits) -> None:
    """Send ``client``'s direct (non-proxied) requests through ``backend``; call before use.

    Passing ``transport=`` to ``httpx.AsyncClient`` would also switch off proxies from the
    environment (httpx: ``allow_env_proxies = trust_env and transport is None``), and a catch-all
    mount would miss hosts in NO_PROXY, which fall back to the client's direct transport. So that
    direct transport is swapped after the client has built its proxy routes.
    """
    if type(getattr(client, "_transport", None)) is not httpx.AsyncHTTPTransport:
        raise RuntimeError(f"httpx {httpx.__version__} no longer keeps its direct transport in "
                           "AsyncClient._transport; citebrief cannot pin connections to checked "
                           "addresses with it — install an httpx it supports")
    client._transport = PinnedTransport(backend, limits=limits)
