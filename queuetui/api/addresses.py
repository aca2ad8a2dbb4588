"""Whether an address is this machine: http:// is allowed there, proxies never apply there, and the training
room's server listens there unless told otherwise."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
