"""Where live calls come from: DeepCall (the simulator's default shape end to end, and another shape from a
scripted server), error objects and authentication codes through the same catalogue, and a command source
(ok, failing, hanging, printing garbage or too much)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import HANGING_FEED, eventually, wait_for_processes
from rawserver import Connection, RawServer, answer, http_response

from queuetui.api.client import MAX_LIST_BODY_BYTES, ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.api.errors import Category, DeepCallError, HttpStatusError, ProtocolError, category_of
from queuetui.core.config.settings import Profile
from queuetui.core.floor.calls import CallState, FieldMap, LiveCall
from queuetui.core.floor.config import LiveCallFields, LiveCallsConfig
from queuetui.core.floor.sources import CommandFailed, CommandSource, DeepCallSource
from queuetui.core.session import Session
from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID
from queuetui.sim.scenario import RESTRICTED_SSID

SCRIPTED = ["C-10023", "C-10017", "C-10031", "C-10042", "C-10050", "C-10066"]


@pytest.fixture
def client() -> Iterator[Callable[[str], DeepCallClient]]:
    made: list[DeepCallClient] = []

    def make(base_url: str) -> DeepCallClient:
        made.append(DeepCallClient(ClientSettings(base_url=base_url, read_timeout=5.0)))
        return made[-1]

    yield make
    for one in made:
        one.close()


def deepcall(client: DeepCallClient, ssid: str = DEMO_SSID, **config: object) -> DeepCallSource:
    return DeepCallSource(client, parse_credentials(ssid=ssid), LiveCallsConfig(source="deepcall", **config))


# --- DeepCall, the simulator's default shape ----------------------------------------------------------


def test_the_default_mapping_end_to_end_through_a_session(sim):
    profile = Profile(base_url=sim.url, live_calls=LiveCallsConfig(source="deepcall"))
    session = Session.open("floor", profile, parse_credentials(ssid=DEMO_SSID), None)
    try:
        source = session.floor_source()
        assert source is not None and source.kind == "deepcall"
        mapped = source.fetch()
    finally:
        session.close()
    assert [call.call_id for call in mapped.calls][:6] == SCRIPTED
    assert mapped.calls[0] == LiveCall("C-10023", agent="13", customer="••••1023", queue="billing")
    assert mapped.skipped == 0
    assert len(mapped.calls) > 6  # the floor's own traffic
    assert sim.list_request_count == 1
    assert sim.request_count == 0  # a list is not an action


def test_the_simulator_answers_every_field_the_demo_maps(sim, client):
    fields = LiveCallFields(agent_name="/agentName", state="/state", started_at="/startTime")
    calls = {call.call_id: call for call in deepcall(client(sim.url), fields=fields).fetch().calls}
    assert calls["C-10042"].agent_name == "Dina"
    assert calls["C-10042"].state is CallState.ON_HOLD
    assert calls["C-10023"].duration_s(time.time()) in range(250, 260)


def test_token_credentials_work_as_for_bargingcall(sim, client):
    token = parse_credentials(user_id=DEMO_USER_ID, token=DEMO_TOKEN)
    assert len(DeepCallSource(client(sim.url), token, LiveCallsConfig()).fetch().calls) > 6


@pytest.mark.parametrize(
    ("ssid", "code", "category"),
    [
        ("expired-session-0f1e2d3c", 1014, Category.AUTH),
        (RESTRICTED_SSID, 1015, Category.PERMISSION),
    ],
)
def test_error_objects_go_through_the_catalogue(sim, client, ssid, code, category):
    with pytest.raises(DeepCallError) as raised:
        deepcall(client(sim.url), ssid=ssid).fetch()
    assert raised.value.code == code
    assert category_of(raised.value) is category
    assert "expired-session" not in raised.value.message


def test_an_auth_error_with_a_4xx_status_is_still_auth(sim, client):
    sim.list_faults.error_status = 401
    with pytest.raises(DeepCallError) as raised:
        deepcall(client(sim.url), ssid="wrong-session-1234").fetch()
    assert (raised.value.code, raised.value.http_status) == (1014, 401)
    assert category_of(raised.value) is Category.AUTH


def test_list_faults_do_not_touch_actions_and_the_reverse(sim, client):
    sim.list_faults.error_message = "queue service restarting"
    with pytest.raises(DeepCallError) as raised:
        deepcall(client(sim.url)).fetch()
    assert raised.value.code == 1009
    assert "queue service restarting" in raised.value.message
    sim.list_faults.error_message = ""
    sim.faults.html_502 = True
    assert deepcall(client(sim.url)).fetch().calls


@pytest.mark.parametrize(
    ("fault", "value", "error", "fragment"),
    [
        ("html_502", True, HttpStatusError, "HTTP 502: an HTML page"),
        ("drop", True, ProtocolError, "connection dropped"),
        ("oversize_bytes", MAX_LIST_BODY_BYTES + 1, ProtocolError, "limit 10 MiB"),
    ],
)
def test_a_broken_answer_is_one_clear_failure(sim, client, fault, value, error, fragment):
    setattr(sim.list_faults, fault, value)
    with pytest.raises(error, match=fragment):
        deepcall(client(sim.url)).fetch()


def test_an_items_pointer_that_misses_says_how_to_look(sim, client):
    with pytest.raises(ProtocolError, match=r"no array of calls at /calls \(nothing there\).*queuetui calls --raw"):
        deepcall(client(sim.url), items="/calls").fetch()


def test_the_raw_answer_is_the_text_as_received(sim, client):
    answer_ = deepcall(client(sim.url)).fetch_answer()
    assert answer_.text.startswith('{"status":"success","data":[{"callId":"C-10023","masterAgent":13,')
    assert answer_.document == json.loads(answer_.text)


# --- DeepCall, another shape (a scripted server) ------------------------------------------------------

OTHER_SHAPE = {
    "ok": True,
    "result": {
        "live/calls": [
            {
                "id": {"value": "L-1"},
                "agent": {"id": 501, "name": "Nia"},
                "caller": {"number": 919812345678},
                "queue": {"name": "vip"},
                "status": "Answered",
                "created_at": "2024-03-01T10:00:00Z",
            },
            {"id": {"value": 2}, "agent": {"id": "502"}, "status": "Ringing", "created_at": 1709287260000},
            {"id": {}, "agent": {"id": 503}},
        ]
    },
}
OTHER_FIELDS = LiveCallFields(
    call_id="/id/value",
    agent="/agent/id",
    agent_name="/agent/name",
    customer="/caller/number",
    queue="/queue/name",
    state="/status",
    started_at="/created_at",
)


@pytest.fixture
def shaped_server(request: pytest.FixtureRequest) -> Callable[[bytes], tuple[RawServer, list[bytes]]]:
    """A server that keeps each request's body and answers `body` as JSON."""

    def start(body: bytes, status: int = 200) -> tuple[RawServer, list[bytes]]:
        bodies: list[bytes] = []

        def behaviour(conn: Connection) -> None:
            bodies.append(conn.read_request().partition(b"\r\n\r\n")[2])
            conn.send(http_response(status, body, content_type="application/json"))

        server = RawServer(behaviour).start()
        request.addfinalizer(server.stop)
        return server, bodies

    return start


def test_nested_pointers_another_items_and_numeric_ids(shaped_server, client):
    server, bodies = shaped_server(json.dumps(OTHER_SHAPE).encode())
    config = LiveCallsConfig(
        source="deepcall",
        path="v1/live_calls",
        body={"filter": {"agent": "*"}},
        items="/result/live~1calls",
        fields=OTHER_FIELDS,
    )
    source = DeepCallSource(client(server.url), parse_credentials(ssid=DEMO_SSID), config)
    mapped = source.fetch()
    assert mapped.calls == (
        LiveCall("L-1", "501", "Nia", "••••5678", "vip", CallState.TALKING, 1709287200.0),
        LiveCall("2", "502", state=CallState.RINGING, started_at=1709287260.0),
    )
    assert mapped.skipped == 1
    request_line = server.received.split(b"\r\n", 1)[0]
    assert request_line == b"POST /api/v2/v1/live_calls HTTP/1.1"
    assert json.loads(bodies[0]) == {"filter": {"agent": "*"}, "ssid": DEMO_SSID}


@pytest.mark.parametrize(
    ("status", "body", "code", "category"),
    [
        (200, b'{"status":"error","errCode":"1020","message":"Token not found"}', 1020, Category.AUTH),
        (403, b'{"status":"error","errorCode":1014,"message":"Invalid token"}', 1014, Category.AUTH),
        (200, b'{"status":"error","code":1502,"message":"Invalid filter value"}', 1502, Category.INPUT),
        (200, b'{"status":"error","message":"no code at all"}', None, Category.SERVER),
    ],
)
def test_error_objects_in_other_spellings(shaped_server, client, status, body, code, category):
    server, _ = shaped_server(body, status)
    with pytest.raises(DeepCallError) as raised:
        deepcall(client(server.url)).fetch()
    assert raised.value.code == code
    assert category_of(raised.value) is category


@pytest.mark.parametrize(
    ("status", "body", "error", "fragment"),
    [
        (401, b"<html>Unauthorized</html>", HttpStatusError, "HTTP 401"),
        (200, b"<html>captive portal</html>", ProtocolError, "HTML page"),
        (200, b"", ProtocolError, "empty body"),
        (200, b'{"data": [', ProtocolError, "not JSON"),
        (200, b"\xff\xfe{}", ProtocolError, "not UTF-8"),
        (302, b"", ProtocolError, "redirect"),
    ],
)
def test_answers_that_are_not_a_json_list(raw_server, client, status, body, error, fragment):
    server = raw_server(answer(status, body, content_type="application/json"))
    with pytest.raises(error, match=fragment) as raised:
        deepcall(client(server.url)).fetch()
    if status == 401:
        assert category_of(raised.value) is Category.AUTH


@pytest.fixture
def raw_server(request: pytest.FixtureRequest) -> Callable[..., RawServer]:
    def start(behaviour: Callable[[Connection], None]) -> RawServer:
        server = RawServer(behaviour).start()
        request.addfinalizer(server.stop)
        return server

    return start


def test_our_secret_echoed_in_the_answer_is_masked_in_the_raw_text(raw_server, client):
    secret = "echoed-session-9a8b7c6d5e"
    server = raw_server(answer(200, json.dumps({"data": [], "you_sent": secret}).encode()))
    text = deepcall(client(server.url), ssid=secret).fetch_answer().text
    assert secret not in text
    assert "••••6d5e" in text


def test_token_credentials_travel_in_the_body_without_an_ssid(shaped_server, client):
    server, bodies = shaped_server(b'{"data": []}')
    token = parse_credentials(user_id=DEMO_USER_ID, token=DEMO_TOKEN)
    DeepCallSource(client(server.url), token, LiveCallsConfig(body={"page": 2})).fetch()
    assert json.loads(bodies[0]) == {"page": 2, "userId": DEMO_USER_ID, "token": DEMO_TOKEN}


def test_credential_fields_in_the_body_and_odd_paths_are_refused_before_sending(raw_server, client):
    server = raw_server(answer(200, b'{"data": []}'))
    api = client(server.url)
    credentials = parse_credentials(ssid=DEMO_SSID)
    with pytest.raises(ValueError, match="must not carry token"):
        api.post_json("queue/list", {"token": "x"}, credentials)
    with pytest.raises(ValueError, match="must look like queue/list"):
        api.post_json("../../admin", {}, credentials)
    assert server.connections == 0


# --- the command source -------------------------------------------------------------------------------

DEFAULT_FIELDS = FieldMap.from_config(LiveCallFields())
ITEMS = [{"callId": "C-1", "masterAgent": 7, "cNumber": "+919800001111", "campId": "sales"}]


@pytest.fixture
def script(tmp_path: Path) -> Callable[[str], list[str]]:
    """A Python program with the given body; returns the argv that runs it."""

    def make(body: str) -> list[str]:
        path = tmp_path / f"feed{len(list(tmp_path.iterdir()))}.py"
        path.write_text(textwrap.dedent(body))
        return [sys.executable, str(path)]

    return make


def command(argv: list[str], timeout_s: float = 10.0, **options: int) -> CommandSource:
    return CommandSource(argv, DEFAULT_FIELDS, timeout_s, **options)


@pytest.mark.parametrize("printed", [ITEMS, {"calls": ITEMS, "generated": "now"}])
def test_a_command_prints_an_array_or_an_object_with_calls(script, printed):
    argv = script(f"import json; print(json.dumps({printed!r}))")
    assert command(argv).fetch().calls == (LiveCall("C-1", "7", customer="••••1111", queue="sales"),)


def test_the_command_source_is_built_from_the_profile():
    config = LiveCallsConfig(source="command", command=["/opt/floor/live-calls", "--json"])
    source = CommandSource.from_config(config, timeout_s=4)
    assert (source.argv, source.timeout_s, source.kind) == (["/opt/floor/live-calls", "--json"], 4, "command")


def test_arguments_reach_the_program_as_given_never_through_a_shell(script, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = script("import json, sys; print(json.dumps([{'callId': sys.argv[1]}]))")
    calls = command([*argv, "C-9; touch shell-ran"]).fetch().calls
    assert calls[0].call_id == "C-9; touch shell-ran"
    assert not (tmp_path / "shell-ran").exists()


def test_the_command_gets_none_of_our_credentials(script, monkeypatch):
    monkeypatch.setenv("QUEUETUI_SSID", "secret-session-1234")
    monkeypatch.setenv("QUEUETUI_TOKEN", "secret-token-1234")
    monkeypatch.setenv("FLOOR_SITE", "kept")
    argv = script(
        """
        import json, os
        print(json.dumps([{"callId": "C-1", "campId": "|".join(os.environ.get(n, "-") for n in
            ("QUEUETUI_SSID", "QUEUETUI_TOKEN", "FLOOR_SITE"))}]))
        """
    )
    assert command(argv).fetch().calls[0].queue == "-|-|kept"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            "import sys; sys.stderr.write('warming up\\nfeed is down\\n'); sys.exit(3)",
            "exited with status 3: feed is down",
        ),
        ("import os, signal; os.kill(os.getpid(), signal.SIGTERM)", f"stopped by signal {int(signal.SIGTERM)}"),
        ("print('{\"calls\": [')", "printed something that is not JSON (Expecting value, line 2 column 1)"),
        ("print('C-1 13 billing')", "not JSON"),
        ("import sys; sys.stdout.buffer.write(b'[\\xff]')", "not UTF-8"),
        ("pass", "printed nothing"),
        ("print('{\"data\": []}')", 'neither an array of calls nor {"calls": [...]}'),
        ("print('[' * 100000)", "cannot be read"),
    ],
)
def test_a_failing_command_is_a_clear_error(script, body, fragment):
    with pytest.raises(CommandFailed) as raised:
        command(script(body)).fetch()
    assert fragment in raised.value.message
    assert raised.value.message.startswith(sys.executable)


def test_a_program_that_does_not_exist(tmp_path):
    with pytest.raises(CommandFailed, match="cannot be run"):
        command([str(tmp_path / "no-such-feed")]).fetch()


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # a zombie has ended; only its parent's reaping is left


def test_a_hanging_command_is_stopped_with_its_children(script, tmp_path):
    pid_file = tmp_path / "child.pid"
    argv = script(
        f"""
        import signal, subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print("[", flush=True)
        signal.pause()
        """
    )
    started = time.monotonic()
    with pytest.raises(CommandFailed, match=r"did not finish within 0\.8 s; stopped"):
        command(argv, timeout_s=0.8).fetch()
    assert time.monotonic() - started < 3
    child = int(pid_file.read_text())
    assert eventually(lambda: _gone(child), timeout=3)


def test_a_command_that_closes_its_output_but_keeps_running_times_out(script):
    argv = script("import os, signal; print('[]', flush=True); os.close(1); signal.pause()")
    with pytest.raises(CommandFailed, match="did not finish"):
        command(argv, timeout_s=0.5).fetch()


def test_output_over_the_cap_is_refused_without_reading_it_all(script):
    argv = script(
        """
        import sys
        block = b" " * 65536
        sys.stdout.buffer.write(b"[")
        for _ in range(400):  # 25 MiB, more than twice the cap
            sys.stdout.buffer.write(block)
        sys.stdout.buffer.write(b"]")
        """
    )
    started = time.monotonic()
    with pytest.raises(CommandFailed, match="printed more than 10 MiB; refused"):
        command(argv).fetch()
    assert time.monotonic() - started < 5


def test_output_up_to_the_cap_is_read(script):
    argv = script(f"import json, sys; sys.stdout.write(json.dumps({ITEMS!r}).ljust(1000))")
    assert command(argv, max_bytes=1000).fetch().calls[0].call_id == "C-1"
    with pytest.raises(CommandFailed, match="more than"):
        command(argv, max_bytes=999).fetch()


def test_a_lot_of_error_output_is_cut_to_its_last_line(script):
    argv = script("import sys; sys.stderr.write('noise ' * 1_000_000 + '\\nthe real reason\\n'); sys.exit(1)")
    with pytest.raises(CommandFailed, match=r"exited with status 1: the real reason$"):
        command(argv).fetch()


def test_the_raw_answer_of_a_command_is_its_output(script):
    argv = script('print(\'[{"callId": "C-1"}]  \')')
    raw = command(argv).fetch_answer()
    assert raw.text == '[{"callId": "C-1"}]  \n'
    assert raw.document == [{"callId": "C-1"}]


def _children() -> set[int]:
    """Processes whose parent is this test process, reaped or not."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == str(os.getpid()):
                found.add(int(entry))
    return found


def test_no_process_is_left_behind(script):
    before = _children()
    for body in ("print('[]')", "import sys; sys.exit(2)", "print('x' * 100)"):
        with contextlib.suppress(CommandFailed):
            command(script(body)).fetch()
    assert _children() - before == set()


@pytest.fixture
def hanging_feed(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[list[str], str]:
    """The argv of a program that hangs with a child in its group and one that left it, and its marker."""
    marker = f"queuetui-feed-{os.getpid()}-{request.node.name}"
    path = tmp_path / "hanging_feed.py"
    path.write_text(HANGING_FEED)
    return [sys.executable, str(path), marker], marker


def all_started(found: list[str]) -> bool:
    """The keeper, the program, its child and the child that left its group are all running."""
    return len(found) >= 4 and any(line.endswith("setsid") for line in found)


def test_a_timeout_stops_the_program_and_a_child_that_left_its_group(hanging_feed):
    argv, marker = hanging_feed
    failed: list[CommandFailed] = []

    def fetch() -> None:
        try:
            command(argv, timeout_s=4).fetch()
        except CommandFailed as error:
            failed.append(error)

    fetching = threading.Thread(target=fetch)
    fetching.start()
    wait_for_processes(marker, all_started)
    fetching.join(15)
    assert "did not finish within 4 s" in failed[0].message
    assert wait_for_processes(marker, lambda found: not found) == []


def test_what_the_program_leaves_running_ends_with_the_fetch(script):
    marker = f"queuetui-left-{os.getpid()}"
    argv = script(
        f"""
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import os, signal; os.setsid(); signal.pause()", {marker!r}],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("[]")
        """
    )
    assert command(argv, timeout_s=20).fetch().calls == ()
    assert wait_for_processes(marker, lambda found: not found) == []


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_console_that_dies_leaves_no_process_of_its_command(hanging_feed, signum):
    argv, marker = hanging_feed
    # A console meets a hangup with the default action, even when the suite runs under nohup (which ignores it
    # and so hands it on ignored).
    fetching = (
        "import signal; signal.signal(signal.SIGHUP, signal.SIG_DFL); "
        "from queuetui.core.floor.sources import CommandSource; from queuetui.core.floor.calls import FieldMap; "
        "from queuetui.core.floor.config import LiveCallFields; "
        f"CommandSource({argv!r}, FieldMap.from_config(LiveCallFields()), 300).fetch()"
    )
    console = subprocess.Popen([sys.executable, "-c", fetching])
    try:
        wait_for_processes(marker, all_started)
        console.send_signal(signum)
        assert console.wait(10) == -signum
        assert wait_for_processes(marker, lambda found: not found) == []
    finally:
        console.kill()
        console.wait()
