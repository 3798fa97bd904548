"""Which hosts and addresses the portal may contact (reference §7.1): public unicast only.

Badge issuers use names; IP literals and private, loopback, link-local or otherwise
non-global addresses are how SSRF payloads reach a cloud's metadata service or the portal's
own network. ``SafeFetcher`` asks these functions about every URL and every redirect.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence

import idna

from credentials.verification.fetcher import FetchRefused

# NAT64 well-known prefix (RFC 6052): the low 32 bits are an IPv4 address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NUMERIC_LABEL = re.compile(r"(0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)

Resolver = Callable[[str, int], Sequence[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, as strings (the default resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str) -> str:
    """Why ``address`` must not be contacted, or "" when it is a public unicast address.

    IPv6 forms that embed an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by the
    embedded address, so ``::ffff:127.0.0.1`` is loopback; Teredo tunnels are refused.
    """
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:
            return "Teredo tunnel address"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = address_refusal(str(embedded))
            return f"embeds {embedded}: {reason}" if reason else ""
    for flag, reason in (
        (ip.is_unspecified, "unspecified address"),
        (ip.is_loopback, "loopback address"),
        (ip.is_link_local, "link-local address"),
        (ip.is_multicast, "multicast address"),
        (ip.is_private, "private address"),
        (ip.is_reserved, "reserved address"),
    ):
        if flag:
            return reason
    # Catches what the flags above miss, e.g. carrier-grade NAT 100.64.0.0/10.
    return "" if ip.is_global else "non-global address"


def is_ip_literal(host: str) -> bool:
    """IP literals in any spelling: 127.0.0.1, [::1], 2130706433, 0x7f000001, 127.1.

    Badge issuers use names; numeric hosts are how SSRF payloads dodge string filters.
    """
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return bool(_NUMERIC_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]))
    return True


def ascii_host(url: str, hostname: str) -> str:
    """The host as DNS, the Host header and TLS SNI need it: internationalised names
    (例え.jp) in their IDNA ASCII form (xn--r8jz45g.jp). A name IDNA cannot encode is the
    link's fault, so it is refused rather than reported as a host that may come back."""
    if hostname.isascii():
        return hostname.lower()
    try:
        return idna.encode(hostname, uts46=True).decode("ascii")
    except UnicodeError as exc:  # idna.IDNAError is a UnicodeError
        raise FetchRefused(url, "the host name is not a valid internationalised name") from exc


def allowed_host_refusal(address: str) -> str:
    """Allowed test/demo hosts may be on loopback or a private network, nowhere odder."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "not an IP address"
    if ip.is_loopback or (ip.is_private and not ip.is_link_local and not ip.is_unspecified):
        return ""
    return address_refusal(address)
