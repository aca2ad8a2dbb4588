"""`queuetui serve`: the demo console in a browser, one console and one simulator per tab."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

from queuetui.api.addresses import is_loopback
from queuetui.web.child_env import withheld_names
from queuetui.web.server import DemoServer


def is_every_interface(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def reach_warning(host: str, port: int) -> str:
    where = (
        "every network this machine is on (the training LAN, and any other: Wi-Fi, VPN)"
        if is_every_interface(host)
        else f"the network {host} is on"
    )
    return (
        f"warning: listening on {host}:{port}: anyone on {where} who can reach port {port} can open a demo "
        "console. There is no sign-in; only the demo is served, never real credentials. Stop with Ctrl+C "
        "when the session is over."
    )


def claim_port(host: str, port: int) -> int:
    """The port to serve on (port 0 picks a free one). Binding once first reports a taken port before the
    banner says where to go; OSError when the address cannot be used."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
        probe.bind(address)
        return int(probe.getsockname()[1])


def page_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if is_every_interface(host) else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def run_serve(host: str, port: int, max_sessions: int) -> int:
    try:
        port = claim_port(host, port)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"queuetui serve: the demo console in a browser, one per tab, at most {max_sessions} at a time")
    print(f"  open {page_url(host, port)}")
    if not is_loopback(host):
        print(f"  from the room: http://<this machine's address>:{port}/")
    print("Each tab gets its own console and simulator: the demo only, no credentials, no outside network.")
    withheld = withheld_names(os.environ)
    if withheld:
        print("Not passed to the consoles: " + ", ".join(withheld))
    print("Press Ctrl+C to stop; every console it started ends with it.", flush=True)
    if not is_loopback(host):
        print(reach_warning(host, port), file=sys.stderr, flush=True)
    try:
        DemoServer(host=host, port=port, max_sessions=max_sessions).serve()
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
