"""The one decider of a request's client address: every per-address limit, log line, metric and
vote record uses it.

``X-Forwarded-For`` is a list each proxy appends to: the client writes whatever it likes on the
left, and only the entries added by proxies we run can be believed. So the address is found by
walking from the right, starting at the TCP peer: as long as the hop in hand is a trusted proxy
(``ANB_TRUSTED_PROXIES``), the entry before it is the address that proxy saw; the first hop that is
not a trusted proxy is the client. A forged header only adds entries to the left of the real
client, which the walk never reaches. uvicorn's own proxy-header rewriting is off
(``anb/server_cli.py``), so ``request.client`` is the TCP peer and nothing else decides.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from fastapi import Request

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# What an unknown peer is called (an ASGI server that reports none, a test transport).
UNKNOWN = "unknown"


def _parse(text: str) -> IPAddress | None:
    """An address as a proxy writes it: bare, or (IPv6) bracketed, possibly with a port."""
    candidate = text.strip()
    if candidate.startswith("["):
        candidate = candidate[1 : candidate.find("]")] if "]" in candidate else ""
    elif candidate.count(":") == 1:  # IPv4 with a port
        candidate = candidate.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    # An IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d: it is the IPv4 address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def resolve(peer: str | None, forwarded_for: Iterable[str], proxies: Sequence[IPNetwork]) -> str:
    """The nearest hop that is not a trusted proxy. ``forwarded_for`` holds every ``X-Forwarded-For``
    header in the order received (several headers are one list, RFC 9110)."""
    hop = _parse(peer) if peer else None
    if hop is None:
        return peer or UNKNOWN
    entries = [entry for header in forwarded_for for entry in header.split(",")]
    while _trusted(hop, proxies) and entries:
        previous = _parse(entries.pop())
        if previous is None:
            # Garbage written by something we do not run: the trusted proxy that handed it over
            # is the last hop we can vouch for.
            break
        hop = previous
    return str(hop)


def client_address(request: Request) -> str:
    """The request's client address (``settings.trusted_proxies``), computed once per request."""
    cached = request.scope.get("anb.client_address")
    if isinstance(cached, str):
        return cached
    headers = [value.decode("latin-1") for name, value in request.scope["headers"] if name == b"x-forwarded-for"]
    peer = request.client.host if request.client else None
    address = resolve(peer, headers, request.app.state.anb.settings.trusted_proxies)
    request.scope["anb.client_address"] = address
    return address
