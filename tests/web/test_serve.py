"""`queuetui serve` without a browser: what it refuses, where it listens, what its consoles inherit, and that
its consoles end with their socket and with Ctrl+C. A web socket client stands in for a tab."""

from __future__ import annotations

import asyncio
import http.client
import os
import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from run_cli import run_queuetui
from servedriver import ServeProcess, Tab, environment_of, first_screen, have_proc, wait_until
from textual_serve.download_manager import DownloadManager

from queuetui.web import server as server_module
from queuetui.web.child_env import BANNER_LINE, served_environment
from queuetui.web.server import DemoConsole

needs_proc = pytest.mark.skipif(not have_proc(), reason="reads processes from /proc (Linux)")


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--profile", "floor"],
        ["--profile", "floor", "serve"],
        ["serve", "--config", "room.toml"],
        ["--config", "room.toml", "serve", "--port", "0"],
    ],
)
def test_serve_refuses_profiles_and_config(args):
    done = run_queuetui(*args)
    assert done.returncode == 2
    assert "demo only" in done.stderr
    assert "no sign-in" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # refused before anything was served


def test_the_cap_must_allow_one_console():
    done = run_queuetui("serve", "--max-sessions", "0")
    assert done.returncode == 2
    assert "--max-sessions" in done.stderr


def test_served_environment_is_an_allow_list(tmp_path):
    kept = {
        "PATH": "/bin",
        "TERM": "xterm-256color",
        "LANG": "en_GB.UTF-8",
        "LC_TIME": "C",
        "TZ": "Europe/London",
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "80",
        "ROWS": "24",
    }
    # What a trainer's shell may hold, none of it named by any rule: all of it stays behind.
    left_behind = {
        "AWS_SECRET_ACCESS_KEY": "canary-aws",
        "GITHUB_TOKEN": "canary-gh",
        "DATABASE_URL": "postgres://u:p@db/x",
        "DEEPCALL_API_TOKEN": "canary-dc",
        "FTP_PROXY": "http://u:p@proxy:21",
        "SOCKS_PROXY": "socks5://u:p@proxy:1080",
        "WSS_PROXY": "http://u:p@proxy:3128",
        "QUEUETUI_SSID": "s",
        "https_proxy": "http://p:1",
        "TEXTUAL": "devtools",
        "PYTHONSTARTUP": "/home/trainer/evil.py",
        "HOME": "/home/trainer",
        "XDG_STATE_HOME": "/home/trainer/.local/state",
    }
    own = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    assert served_environment({**kept, **left_behind}, tmp_path) == {**kept, **own}


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port`, from the kernel's own table."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            local, _, state = line.split()[1:4]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@needs_proc
def test_default_bind_is_loopback(log_dir):
    with ServeProcess(log_dir=log_dir) as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert listening_addresses(served.port) == {"0100007F"}  # 127.0.0.1, and nothing else
        assert "warning" not in served.stderr


@needs_proc
def test_lan_host_warns_who_can_reach_it(log_dir):
    with ServeProcess(["--host", "0.0.0.0"], log_dir=log_dir) as served:
        assert listening_addresses(served.port) == {"00000000"}  # every interface, as asked
        warning = served.stderr
    assert "warning: listening on 0.0.0.0" in warning
    assert "anyone on any network this machine is on" in warning
    assert "no sign-in" in warning


@pytest.fixture
def served(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServeProcess]:
    for name, value in {
        "QUEUETUI_SSID": "serve-test-ssid-3c9a71",
        "QUEUETUI_TOKEN": "serve-test-token-b8e204",
        "QUEUETUI_PROFILE": "floor",
        "HTTPS_PROXY": "http://proxy.invalid:3128",
        "https_proxy": "http://proxy.invalid:3128",
        "NO_PROXY": "localhost",
        "AWS_SECRET_ACCESS_KEY": "canary-aws-5f1e0c",
        "SERVE_TEST_MARKER": "not-passed-along",
    }.items():
        monkeypatch.setenv(name, value)
    with ServeProcess(["--max-sessions", "2"], log_dir=log_dir) as process:
        yield process


@needs_proc
def test_consoles_get_no_secrets_proxies_or_files_of_the_trainer(served, isolated_home):
    async def scenario() -> Path:
        async with Tab(served) as socket:
            await first_screen(socket)
            (console,) = served.consoles()
            environ = environment_of(console)
            assert environ["PATH"] == os.environ["PATH"]  # the reading works: this one came through
            assert environ["TEXTUAL_DRIVER"].endswith("WebDriver")  # and it is the console textual-serve started
            assert "SERVE_TEST_MARKER" not in environ
            assert "AWS_SECRET_ACCESS_KEY" not in environ
            leaked = [name for name in environ if name.upper().startswith("QUEUETUI_") or "PROXY" in name.upper()]
            assert leaked == []
            values = "\0".join(environ.values())
            assert "serve-test-ssid-3c9a71" not in values
            assert "canary-aws-5f1e0c" not in values
            # Config and state of its own: not the trainer's profiles, remembered secrets or audit trail.
            own = Path(environ["XDG_CONFIG_HOME"]).parent
            assert own == Path(environ["XDG_STATE_HOME"]).parent
            assert own.is_dir()
            assert isolated_home not in own.parents
        # The tab closed: its console ends, its folders go, and nothing else is left running.
        await asyncio.to_thread(wait_until, lambda: served.consoles() == set(), 15, "the console to end")
        return own

    own = asyncio.run(scenario())
    assert not own.exists()
    assert BANNER_LINE in served.stdout.splitlines()
    assert "serve-test-ssid-3c9a71" not in served.stdout + served.stderr


@needs_proc
def test_ctrl_c_ends_every_console(served):
    async def scenario() -> None:
        async with Tab(served) as first, Tab(served) as second:
            await asyncio.gather(first_screen(first), first_screen(second))
            consoles = served.consoles()
            assert len(consoles) == 2
            assert await asyncio.to_thread(served.stop) == 0
            assert served.consoles() == set()

    asyncio.run(scenario())


@needs_proc
def test_a_socket_from_another_site_is_refused(served):
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            url = f"ws://127.0.0.1:{served.port}/ws"
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url, headers={"Origin": "https://ads.example.invalid"})
            assert refused.value.status == 403

    asyncio.run(scenario())
    assert served.consoles() == set()  # refused before any console started


@needs_proc
def test_the_page_refers_only_to_its_own_server(served):
    status, page = served.get("/")
    assert status == 200
    references = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert len(references) >= 3, "too few references found: the check would pass on anything"
    # Relative to the server that sent the page, or inline (data:); never a scheme and a host of their own.
    outside = [ref for ref in references if re.match(r"^([a-z]+:|//)", ref) and not ref.startswith("data:")]
    assert outside == []


@needs_proc
def test_asking_the_page_to_ping_another_host_is_redirected_away(served):
    # textual.js fetches whatever `ping` names before it connects.
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/?ping=https://tracker.example.invalid/&fontsize=24")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (302, "/?fontsize=24")
    connection.close()


@needs_proc
@pytest.mark.slow
def test_the_cap_turns_the_next_tab_away_until_one_closes(served):
    async def scenario() -> None:
        async with Tab(served) as first, Tab(served) as second:
            await asyncio.gather(first_screen(first), first_screen(second))
            status, page = await asyncio.to_thread(served.get, "/")
            assert status == 503
            assert "No free console" in page
            assert "All 2 demo consoles" in page
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
                assert refused.value.status == 503
            assert len(served.consoles()) == 2
        await asyncio.to_thread(wait_until, lambda: served.get("/")[0] == 200, 15, "a free place")

    asyncio.run(scenario())


def test_a_console_that_ignores_quit_is_killed(monkeypatch):
    monkeypatch.setattr(server_module, "QUIT_GRACE_S", 0.2)

    async def ignore(*_: object) -> None:
        return None

    async def scenario() -> int:
        console = DemoConsole(
            "exec sleep 60", write_bytes=ignore, write_str=ignore, close=ignore, download_manager=DownloadManager()
        )
        await console.start(80, 24)
        assert console.pid is not None
        await asyncio.wait_for(console.stop(), 5)
        await console.stop()  # a second stop (the tab's handler after shutdown) waits for the same ending
        return console.pid

    pid = asyncio.run(scenario())
    assert not Path(f"/proc/{pid}").exists()
