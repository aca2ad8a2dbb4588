"""The console paints before the heavy half loads: building the app imports neither httpx nor the config, nor the
simulator; the demo's session opens without httpx, which loads for its first request; a start that leads to
the sign-in loads it, and the system's certificates, on a worker while the form is filled in. A regression here
costs every supervisor start-up time (see benchmarks/bench_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import PILOT_UNTIL

# The sign-in screen's module too: it loads with the first sign-in screen shown.
HEAVY = (
    "httpx",
    "queuetui.sim",
    "queuetui.core.config.settings",
    "queuetui.core.floor.calls",
    "queuetui.tui.screens.login",
    "queuetui.tui.widgets.sessions_table",  # Textual's DataTable: it comes with the session (see show_sessions)
)
PROBE = f"""
import json, sys
from queuetui.tui.launch import create_app
create_app(demo=True)
print(json.dumps(sorted(m for m in sys.modules if m in {HEAVY!r})))
"""


def loaded_after(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_building_the_app_loads_nothing_heavy():
    assert loaded_after(PROBE) == []


def test_the_probe_sees_a_heavy_module_when_one_is_loaded():
    # Without this, a probe that never saw any module would pass the test above.
    assert "httpx" in loaded_after("import httpx\n" + PROBE)


DEMO_PROBE = """
import json, sys, tempfile
from pathlib import Path
from queuetui.core.config.settings import Profile
from queuetui.core.demo import open_demo
demo = open_demo(Profile(), Path(tempfile.mkdtemp()) / "audit.jsonl")
opened = "httpx" in sys.modules
demo.session.watch_floor(lambda snapshot, ended: None)
snapshot = demo.session.floor.poll_once()
print(json.dumps([opened, "httpx" in sys.modules, snapshot.error is None]))
demo.close()
"""


def test_the_demo_session_opens_without_httpx_and_loads_it_for_its_first_request():
    # A session on this machine checks nothing that needs httpx: the demo is usable about 30 ms sooner.
    assert loaded_after(DEMO_PROBE) == [False, True, True]


# Probe code shared by the probes below: once `Watch()` is on `sys.meta_path`, `on_ui` lists, in order, each
# module first loaded on the UI (main) thread; `until(pilot, condition)` waits for the state a probe looks at.
WATCH_UI = (
    PILOT_UNTIL
    + """
import sys, threading
on_ui = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is threading.main_thread() and name not in sys.modules:
            on_ui.append(name)
        return None
"""
)

SIGN_IN_PROBE = (
    WATCH_UI
    + """
import asyncio, json, ssl, tempfile
from pathlib import Path
from queuetui.api.client import system_trust
from queuetui.tui.launch import create_app
from queuetui.tui.screens.login import LoginScreen

app = create_app(still=True, audit_path=Path(tempfile.mkdtemp()) / "audit.jsonl")

load_certificates = ssl.SSLContext.load_verify_locations

def watched(self, *args, **kwargs):
    if threading.current_thread() is threading.main_thread():
        on_ui.append("(certificates)")
    return load_certificates(self, *args, **kwargs)

ssl.SSLContext.load_verify_locations = watched

async def main():
    async with app.run_test() as pilot:
        # The supervisor fills the form in: meanwhile a worker loads the certificates (and httpx with them).
        await until(pilot, lambda: isinstance(app.screen, LoginScreen) and system_trust.cache_info().currsize)
        sys.meta_path.insert(0, Watch())
        app.screen.query_one("#ssid").value = "abcd1234efgh"
        await pilot.press("enter")
        await until(pilot, lambda: app.session is not None)
        signed_in = [name for name in on_ui if name.split(".")[0] in ("httpx", "httpcore", "h11", "(certificates)")]
        import certifi

        ssl.create_default_context(cafile=certifi.where())  # the control: certificates loaded here are seen
        print(json.dumps([app.session.host, signed_in, on_ui[-1]]))

asyncio.run(main())
"""
)


def test_signing_in_to_deepcall_loads_neither_httpx_nor_certificates_on_the_ui_thread():
    # Both load on a worker while the sign-in form is filled in: about 55 ms that the Enter used to wait.
    assert loaded_after(SIGN_IN_PROBE) == ["v4-api.deepcall.com", [], "(certificates)"]


# The demo app built and watched from its start (`on_ui`, as above); `started(pilot)` returns once its session is
# open. The probes below go on from there.
DEMO_STARTED = (
    WATCH_UI
    + """
import asyncio, json, tempfile
from pathlib import Path
from queuetui.tui.launch import create_app

app = create_app(demo=True, still=True, audit_path=Path(tempfile.mkdtemp()) / "audit.jsonl")

sys.meta_path.insert(0, Watch())

async def started(pilot):
    await until(pilot, lambda: app.session is not None)

# `see` looks at the arguments of each call of `owner.name`, before it runs.
def before_each_call(owner, name, see):
    original = getattr(owner, name)

    def watched(*args):
        see(*args)
        return original(*args)

    setattr(owner, name, watched)
"""
)

UI_THREAD_PROBE = (
    DEMO_STARTED
    + """
async def main():
    async with app.run_test() as pilot:
        await started(pilot)
        on_ui.append("(usable)")
        import queuetui.tui.screens.login  # the control: a module loaded on the UI thread is seen

asyncio.run(main())
ours = [name for name in on_ui if name.startswith("queuetui") or name == "(usable)"]
usable = ours.index("(usable)")
print(json.dumps([ours[:usable], ours[usable + 1 :]]))
"""
)


def test_the_demo_start_loads_none_of_its_modules_on_the_ui_thread():
    # The sign-in screen (about 10 ms) and the live list's poller and sources (about 8 ms) used to load there
    # as the session was adopted, holding the frame that shows it.
    before, after = loaded_after(UI_THREAD_PROBE)
    assert before == []
    assert "queuetui.tui.screens.login" in after


REQUEST_MODEL_PROBE = (
    DEMO_STARTED
    + """
async def main():
    async with app.run_test() as pilot:
        await started(pilot)
        await until(pilot, lambda: hasattr(sys.modules.get("queuetui.api.models"), "parse_request"))
        fields = {"callId": "C-10023", "snoopType": "spy", "targetEntityType": "agent", "targetEntityVal": "13",
                  "snooperNumber": "9876543210"}
        request = app.session.prepare(fields)
        heavy = [name for name in on_ui if name == "queuetui.api.models"]
        print(json.dumps([heavy, request.call_id]))

asyncio.run(main())
"""
)


def test_the_first_request_does_not_wait_for_the_request_model():
    # The request model loads on a worker as the session's shift is read, not on the UI thread at the first Enter.
    assert loaded_after(REQUEST_MODEL_PROBE) == [[], "C-10023"]


HELD_ENTER_PROBE = (
    DEMO_STARTED
    + """
from textual import events
from queuetui.core.session import Session

loaded_at_prepare = []
before_each_call(
    Session,
    "prepare",
    lambda session, fields: loaded_at_prepare.append(hasattr(sys.modules.get("queuetui.api.models"), "parse_request")),
)
# A form typed with the command, Enter included: held until start-up is over, as the terminal delivers it.
for key, character in [*[("minus" if c == "-" else c, c) for c in "C-10017"], ("tab", "\\t"), ("tab", "\\t"),
                       ("tab", "\\t"), ("7", "7"), ("enter", "\\r")]:
    app.post_message(events.Key(key, character))

async def main():
    async with app.run_test() as pilot:
        await started(pilot)
        await until(pilot, lambda: loaded_at_prepare)
        heavy = [name for name in on_ui if name == "queuetui.api.models"]
        print(json.dumps([loaded_at_prepare, heavy]))

asyncio.run(main())
"""
)


def test_an_enter_typed_during_start_up_finds_the_request_model_loaded():
    # The held keys are typed once a worker has loaded it: else the Enter loaded it on the UI thread, or waited
    # there for the shift's read to, and the console froze for 100 ms or more.
    assert loaded_after(HELD_ENTER_PROBE) == [[True], []]
