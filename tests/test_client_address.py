"""The one decider of the client address (anb/client_address.py): the nearest X-Forwarded-For hop
that is not a trusted proxy, walked from the TCP peer. Through real processes in
tests/hardening/test_forwarded_for.py (``anb serve``) and tests/deploy/test_local_topology.py (nginx)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from anb.client_address import resolve
from anb.config import DatabaseSettings, Settings
from bench.harness.signup import signup_body
from tests.support.in_process import app_client

LOOPBACK = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128")]
VPC = [ipaddress.ip_network("10.0.0.0/16")]


@pytest.mark.parametrize(
    ("peer", "headers", "proxies", "expected"),
    [
        # No proxy: the peer, whatever the client writes.
        ("198.51.100.7", ["203.0.113.1"], LOOPBACK, "198.51.100.7"),
        ("198.51.100.7", [], LOOPBACK, "198.51.100.7"),
        # client -> edge (trusted) -> server: the entry the edge appended.
        ("10.0.3.4", ["198.51.100.7"], VPC, "198.51.100.7"),
        # A forged entry sits left of what the edge appended and is never reached.
        ("10.0.3.4", ["203.0.113.1, 198.51.100.7"], VPC, "198.51.100.7"),
        ("10.0.3.4", ["203.0.113.1", "198.51.100.7"], VPC, "198.51.100.7"),
        # Two trusted hops (edge, then an internal proxy): the walk passes both.
        ("10.0.3.4", ["203.0.113.1, 198.51.100.7, 10.0.9.9"], VPC, "198.51.100.7"),
        # A client forging a trusted-looking entry gets no further than itself.
        ("10.0.3.4", ["10.0.0.1, 198.51.100.7"], VPC, "198.51.100.7"),
        # A trusted peer sending no header is the client itself (a health check).
        ("10.0.3.4", [], VPC, "10.0.3.4"),
        # Garbage handed over by a trusted hop: that hop is the last one we can vouch for.
        ("10.0.3.4", ["not-an-address"], VPC, "10.0.3.4"),
        # Ports and brackets as some proxies write them; IPv6; IPv4-mapped peers.
        ("10.0.3.4", ["198.51.100.7:5123"], VPC, "198.51.100.7"),
        ("::1", ["[2001:db8::5]:443"], LOOPBACK, "2001:db8::5"),
        ("::ffff:127.0.0.1", ["198.51.100.7"], LOOPBACK, "198.51.100.7"),
        (None, ["198.51.100.7"], LOOPBACK, "unknown"),
    ],
)
def test_the_nearest_untrusted_hop_is_the_client(
    peer: str | None, headers: list[str], proxies: list[ipaddress.IPv4Network | ipaddress.IPv6Network], expected: str
) -> None:
    assert resolve(peer, headers, proxies) == expected


def test_trusted_proxies_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().trusted_proxies == LOOPBACK
    monkeypatch.setenv("ANB_TRUSTED_PROXIES", "10.0.0.0/16, 172.30.80.10")
    assert Settings().trusted_proxies == [ipaddress.ip_network("10.0.0.0/16"), ipaddress.ip_network("172.30.80.10/32")]
    monkeypatch.setenv("ANB_TRUSTED_PROXIES", "10.0.0.0/16,everyone")
    with pytest.raises(ValidationError, match="ANB_TRUSTED_PROXIES"):
        Settings()


async def test_a_forged_header_escapes_no_per_address_limit(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=database_url),
        rate_limit={"signup_per_address": "2/hour"},  # type: ignore[arg-type]
    )
    async with app_client(settings) as (application, _):
        # A client on the internet, not behind any trusted proxy, writing a new address each time.
        transport = httpx.ASGITransport(app=application, client=("198.51.100.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            codes = [
                (
                    await http.post(
                        "/api/auth/signup", json=signup_body(), headers={"X-Forwarded-For": f"203.0.113.{n}"}
                    )
                ).status_code
                for n in range(3)
            ]
        assert codes == [201, 201, 429]
