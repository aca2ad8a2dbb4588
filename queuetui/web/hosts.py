"""Which names `serve` answers to, so another site's page cannot drive a console by pointing its own name here
(DNS rebinding: a name that resolves to the attacker's server, then to this machine, keeps its own Origin).

A request's Host must name an address the server is bound to: the loopback names for a loopback bind, one of
this machine's own addresses for "every interface", or a name the trainer gave with `--allow-host`. A browser's
Origin, when it sends one, must name one of those too; comparing it with the request's own Host would let a
rebound name vouch for itself.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost"})


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_own_address(text: str) -> bool:
    """True when `text` is an IP address of this machine: the kernel lets a socket bind to it."""
    address = _address(text)
    if address is None:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


def host_name(header: str) -> str | None:
    """The name in a Host header ("127.0.0.1:8000", "[::1]:8000", "Example.org"), lower case; None if malformed."""
    try:
        parts = urlsplit(f"//{header}")
        _ = parts.port  # a port that is not a number makes the header malformed
    except ValueError:
        return None
    return parts.hostname or None


def origin_name(origin: str) -> str | None:
    try:
        parts = urlsplit(origin)
        _ = parts.port
    except ValueError:
        return None
    return parts.hostname if parts.scheme in ("http", "https") else None


@dataclass
class HostRule:
    bind: str
    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, bind: str, extra: Iterable[str] = ()) -> HostRule:
        names = {name.strip().lower().strip("[]") for name in extra if name.strip()}
        bound = _address(bind)
        if bound is None:
            names.add(bind.lower())  # bound by name ("localhost"): that name
        elif not bound.is_unspecified:
            names.add(str(bound))
        if bound is None or bound.is_loopback or bound.is_unspecified or bind.lower() in LOOPBACK_NAMES:
            names |= LOOPBACK_NAMES
        return cls(bind, frozenset(names))

    @property
    def every_interface(self) -> bool:
        bound = _address(self.bind)
        return bound is not None and bound.is_unspecified

    def admits(self, name: str | None) -> bool:
        """Whether a request naming `name` (from `host_name` or `origin_name`) is for this server."""
        if name is None:
            return False
        if name in self.allowed:
            return True
        if not self.every_interface or _address(name) is None:
            return False
        # Bound to every interface: any address of this machine reaches it. Only addresses: a name can be rebound.
        # Asked of the kernel each time, not remembered: a page could send any number of addresses.
        return is_own_address(name)


def own_addresses(ipv6: bool) -> list[str]:
    """This machine's addresses a room could use (not loopback), best effort: the one its default route leaves
    from, and those its host name resolves to. Nothing is sent to find them."""
    family = socket.AF_INET6 if ipv6 else socket.AF_INET
    found: list[str] = []
    # Connecting a datagram socket only picks the route: no packet leaves.
    with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect(("2001:db8::1" if ipv6 else "192.0.2.1", 9))
        found.append(str(probe.getsockname()[0]))
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, family)]
    usable = [text for text in found if (address := _address(text)) is not None and not address.is_loopback]
    return [text for text in dict.fromkeys(usable) if is_own_address(text)]
