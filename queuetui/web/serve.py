"""`queuetui serve`: the demo console in a browser, one console and one simulator per tab."""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Sequence

from queuetui.web.child_env import BANNER_LINE
from queuetui.web.hosts import HostRule, own_addresses
from queuetui.web.leftovers import FOLDER_PREFIX, remove_left_behind
from queuetui.web.server import DemoServer


def is_every_interface(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def reach_warning(host: str, port: int) -> str:
    where = (
        "any network this machine is on (the training LAN, and any other: Wi-Fi, VPN)"
        if is_every_interface(host)
        else f"a network that reaches {host}"
    )
    return (
        f"warning: listening on {host}:{port}: anyone on {where} who can reach port {port} can open a demo "
        "console. There is no sign-in; only the demo is served, never real credentials. Stop with Ctrl+C "
        "when the session is over."
    )


def claim_port(host: str, port: int) -> tuple[str, int]:
    """The address (as a number: "0" is 0.0.0.0) and port to serve on (port 0 picks a free one). Binding once
    first reports a taken port before the banner says where to go; OSError when the address cannot be used."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
        probe.bind(address)
        bound = probe.getsockname()
        return str(bound[0]), int(bound[1])


def page_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def page_urls(address: str, port: int, allowed: Sequence[str]) -> list[str]:
    """Where the page can be opened: on this machine, and from the room at the names and addresses it answers."""
    if not is_every_interface(address):
        return [page_url(address, port), *(page_url(name, port) for name in allowed)]
    loopback = "::1" if ":" in address else "127.0.0.1"
    return [page_url(host, port) for host in (loopback, *own_addresses(":" in address), *allowed)]


def run_serve(host: str, port: int, max_sessions: int, allow_hosts: Sequence[str] = ()) -> int:
    try:
        address, port = claim_port(host, port)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    remove_left_behind(FOLDER_PREFIX)
    rule = HostRule.of(address, allow_hosts)
    every = is_every_interface(address)
    named = sorted(rule.allowed - {address, "localhost"})
    print(f"queuetui serve: the demo console in a browser, one per tab, at most {max_sessions} at a time")
    urls = page_urls(address, port, named)
    print(f"  open {urls[0]}")
    for url in urls[1:]:
        print(f"    or {url}")
    if every:
        print(f"Listening on every network interface ({address}), port {port}.")
    answered = ", ".join(sorted(rule.allowed)) + (" and this machine's own addresses" if every else "")
    print(f"Answers only to {answered}: other names are refused (add one with --allow-host NAME).")
    print("Each tab gets its own console and simulator: the demo only, locked to it, no outside network.")
    print(BANNER_LINE)
    print("Press Ctrl+C to stop; every console it started ends with it.", flush=True)
    if every or not ipaddress.ip_address(address).is_loopback:
        print(reach_warning(address, port), file=sys.stderr, flush=True)
    try:
        DemoServer(host=address, port=port, max_sessions=max_sessions, allow_hosts=allow_hosts).serve()
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
