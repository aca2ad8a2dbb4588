"""The training room's walls, from outside: which names serve answers, how big a console may grow, that no console
outlives serve, and what a browser (or anything posing as one) can make it print. Read from the kernel (/proc, ps)
and the wire, not from serve's own bookkeeping."""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import aiohttp
import pytest
from run_cli import run_queuetui
from servedriver import ServeProcess, Tab, environment_of, first_screen, have_proc, wait_until

from queuetui.web.hosts import HostRule, host_name, origin_name
from queuetui.web.leftovers import FOLDER_PREFIX, OWNER_FILE, mark_owner, process_start

needs_proc = pytest.mark.skipif(not have_proc(), reason="reads processes from /proc (Linux)")


def handshake(port: int, headers: Mapping[str, str]) -> int:
    """A web socket handshake for the console with these headers (Host among them); the status it got."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "GET",
            "/ws?width=80&height=24",
            headers={
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
                **headers,
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def served(log_dir: Path):
    with ServeProcess(["--max-sessions", "3"], log_dir=log_dir) as process:
        yield process


@needs_proc
@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "attacker.example:{port}"},
        # A rebound name vouches for itself: its Origin matches its own Host.
        {"Host": "attacker.example:{port}", "Origin": "http://attacker.example:{port}"},
        {"Host": "127.0.0.1.attacker.example:{port}", "Origin": "http://127.0.0.1.attacker.example:{port}"},
        {"Host": "10.1.2.3:{port}"},  # an address, but not one this server is bound to
        {"Host": "127.0.0.1:{port}", "Origin": "http://attacker.example:{port}"},
        {"Host": ""},
        {"Host": "[not an address"},
    ],
    ids=["host", "host-and-origin", "lookalike", "other-address", "origin", "empty", "malformed"],
)
def test_a_handshake_for_another_name_starts_no_console(served, headers):
    sent = {name: value.format(port=served.port) for name, value in headers.items()}
    own_name = sent["Host"] == f"127.0.0.1:{served.port}"
    assert handshake(served.port, sent) == (403 if own_name else 421)
    # The page for that name: refused too, unless the name was this server's own (only the Origin was foreign).
    assert served.get("/", {"Host": sent["Host"]})[0] == (200 if own_name else 421)
    assert served.consoles() == set()
    assert "Traceback" not in served.stderr + served.stdout


@needs_proc
def test_the_names_it_is_reached_by_are_answered(served):
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "LOCALHOST"):
        assert served.get("/", {"Host": host})[0] == 200, host
    origin = f"http://localhost:{served.port}"
    assert handshake(served.port, {"Host": f"localhost:{served.port}", "Origin": origin}) == 101
    assert served.get("/", {"Host": f"training.example:{served.port}"})[0] == 421


@needs_proc
def test_allow_host_admits_exactly_that_name(log_dir):
    with ServeProcess(["--allow-host", "training.example"], log_dir=log_dir) as served:
        assert served.get("/", {"Host": f"training.example:{served.port}"})[0] == 200
        assert served.get("/", {"Host": "Training.Example"})[0] == 200
        for other in ("training.example.attacker.example", "attacker.example", "xtraining.example"):
            assert served.get("/", {"Host": f"{other}:{served.port}"})[0] == 421, other
        origin = f"http://training.example:{served.port}"
        assert handshake(served.port, {"Host": f"training.example:{served.port}", "Origin": origin}) == 101
        wait_until(lambda: len(served.consoles()) == 1, 30, "the console for the allowed name")
    assert "training.example" in served.stdout


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


async def next_frame(socket: aiohttp.ClientWebSocketResponse) -> None:
    """Until the console sends its next drawing."""
    while True:
        message = await asyncio.wait_for(socket.receive(), 30)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            return


@needs_proc
def test_a_huge_resize_leaves_the_console_small(served):
    measured: list[float] = []

    async def scenario() -> None:
        async with Tab(served) as socket:
            await first_screen(socket)
            (console,) = served.consoles()
            await socket.send_str(json.dumps(["resize", {"width": 20000, "height": 10000}]))
            await next_frame(socket)
            # Keys after the resize: each answer is a frame drawn at the size the console took.
            for key in "jjjjkkkk":
                await socket.send_str(json.dumps(["stdin", key]))
                await next_frame(socket)
                measured.append(rss_mib(console))
            # Oddities a page could send beside it: dropped, never a crash.
            for odd in ('["resize", {"width": "x"}]', '["resize"]', "[]", "{}", "not json", '["stdin", 5]'):
                await socket.send_str(odd)
            await socket.send_str(json.dumps(["stdin", "j"]))
            await next_frame(socket)
            assert served.consoles() == {console}

    asyncio.run(scenario())
    print(f"console RSS after a 20000x10000 resize: at most {max(measured):.0f} MiB")
    assert max(measured) < 150
    assert "Traceback" not in served.stderr + served.stdout


def running(pids: set[int]) -> set[int]:
    """Which of `pids` ps lists as anything but a zombie (an ended process its new parent has yet to reap)."""
    if not pids:
        return set()
    listed = subprocess.run(
        ["ps", "-o", "pid=,stat=", "-p", ",".join(map(str, pids))], capture_output=True, text=True, check=False
    ).stdout
    return {int(pid) for pid, stat in (line.split() for line in listed.splitlines()) if not stat.startswith("Z")}


@needs_proc
def test_kill_9_of_serve_leaves_no_console_and_no_folder(served):
    async def scenario() -> tuple[set[int], list[Path]]:
        async with Tab(served) as first, Tab(served) as second, Tab(served) as third:
            await asyncio.gather(first_screen(first), first_screen(second), first_screen(third))
            consoles = served.consoles()
            folders = [Path(environment_of(pid)["HOME"]) for pid in consoles]
            assert len(consoles) == 3
            assert all(folder.is_dir() for folder in folders)
            os.kill(served.pid, signal.SIGKILL)
            served.process.wait()
            started = time.monotonic()
            await asyncio.to_thread(
                wait_until,
                lambda: not running(consoles) and not any(folder.exists() for folder in folders),
                2,
                "the consoles to end and their folders to go",
            )
            print(f"after kill -9: consoles ended, folders removed in {time.monotonic() - started:.2f} s")
            return consoles, folders

    consoles, folders = asyncio.run(scenario())
    listed = subprocess.run(["ls", str(folders[0].parent)], capture_output=True, text=True, check=True).stdout
    assert not any(folder.name in listed.split() for folder in folders)
    assert running(consoles) == set()


@needs_proc
def test_a_plain_get_of_the_socket_is_a_400_and_one_line(served):
    before = served.stderr.count("\n")
    status, body = served.get("/ws")
    assert status == 400
    assert "web socket" in body
    wait_until(lambda: served.stderr.count("\n") > before, 5, "the log line")
    told = served.stderr.splitlines()[before:]
    assert [line for line in told if "/ws" in line or "socket" in line]
    assert "Traceback" not in served.stderr
    assert served.consoles() == set()


@needs_proc
def test_no_directory_listings(served):
    for path in ("/static/", "/static/js/", "/static/fonts/"):
        status, body = served.get(path)
        assert status in (403, 404), path
        assert "textual.js" not in body and "Index of" not in body
    assert served.get("/static/js/textual.js")[0] == 200  # the files themselves still load


@pytest.mark.parametrize("port", ["70000", "65536", "-1", "eighty"])
def test_a_port_out_of_range_is_refused_naming_the_flag(port):
    done = run_queuetui("serve", "--port", port)
    assert done.returncode == 2
    assert "--port" in done.stderr
    assert done.stdout == ""


def status_at(url: str) -> int:
    """GET `url` as a browser in the room would: from outside this test's guard against leaving loopback, which
    the machine's own LAN address would trip."""
    done = subprocess.run(
        ["curl", "-s", "--noproxy", "*", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(done.stdout or 0)


@needs_proc
@pytest.mark.parametrize("host", ["0", "0.0.0.0"])
def test_every_interface_is_named_so_with_reachable_addresses(host, log_dir):
    with ServeProcess(["--host", host], log_dir=log_dir) as served:
        out, err = served.stdout, served.stderr
        urls = [line.split()[-1] for line in out.splitlines() if line.startswith(("  open ", "    or "))]
        assert urls[0] == f"http://127.0.0.1:{served.port}/"
        assert len(urls) >= 2, "no address for the room"
        assert [status_at(url) for url in urls] == [200] * len(urls)
    assert "every network interface (0.0.0.0)" in out
    assert "network 0 is on" not in out + err


@needs_proc
def test_the_next_serve_removes_folders_whose_serve_has_gone(log_dir):
    ended = subprocess.Popen(["true"])  # a process that has ended: its number names no serve now
    ended.wait()
    parent = Path(tempfile.gettempdir())
    left = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=parent))
    (left / OWNER_FILE).write_text(f"{ended.pid} {process_start(ended.pid) or '1'}\n")
    (left / "state").mkdir()
    running = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=parent))  # a serve still running: this test
    mark_owner(running)
    unknown = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=parent))  # no owner named: not to be guessed at
    try:
        with ServeProcess([], log_dir=log_dir):
            assert not left.exists()
            assert running.is_dir() and unknown.is_dir()
    finally:
        for folder in (left, running, unknown):
            shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    ("bind", "name", "admitted"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "localhost", True),
        ("127.0.0.1", "127.0.0.2", False),  # loopback, but not the address it is bound to
        ("127.0.0.1", "attacker.example", False),
        ("0.0.0.0", "127.0.0.1", True),
        ("0.0.0.0", "localhost", True),
        ("0.0.0.0", "203.0.113.9", False),  # an address, but not this machine's
        ("0.0.0.0", "attacker.example", False),  # bound everywhere, still no name but those given
        ("0.0.0.0", None, False),  # a Host header that could not be read
    ],
)
def test_which_names_a_bind_answers(bind, name, admitted):
    assert HostRule.of(bind).admits(name) is admitted


def test_names_are_read_from_host_and_origin_headers():
    assert host_name("Training.Example:8000") == "training.example"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("127.0.0.1:eighty") is None
    assert origin_name("http://localhost:8000") == "localhost"
    assert origin_name("null") is None
    assert origin_name("file:///etc/passwd") is None
