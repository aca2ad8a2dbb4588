"""A race harness for the live list in a real terminal: bursts of keys typed around the refreshes of a source
that reorders and churns on every one, at the lowest refresh period, in the installed console in tmux at 80x24,
each compared with the call the pane showed highlighted as the burst began. What was acted on is read from the
audit trail (and a refusal from the screen), never assumed. It counts mismatches, matches and refusals.

Shared by the end-to-end race test and `benchmarks/floor_races.py`, which reports the counts of a run.
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers import run_env
from tmuxdriver import TmuxSession

from queuetui.sim import DEMO_SSID, SimServer
from queuetui.sim.scenario import LiveCall, Scenario
from queuetui.tui.widgets.live_calls import REACTION_S

REFRESH_S = 0.5  # the lowest the config allows
FIRST_CALL = 50000
AGENT = "13"  # every call's: the simulator checks the agent, and the call id is what a burst is judged by
# A program for `source = "command"`: five calls or so, reshuffled on every run; on one run in two a call ends
# and a new one comes. It notes the time of each run, so bursts can be timed around the refreshes.
SOURCE = """\
import json, random, sys, time
state_path, ticks_path = sys.argv[1], sys.argv[2]
with open(ticks_path, "a") as ticks:
    ticks.write(f"{time.time()}\\n")
try:
    with open(state_path) as file:
        state = json.load(file)
except (OSError, ValueError):
    state = {"runs": 0, "next": FIRST_CALL, "live": []}
rng = random.Random(state["runs"])
state["runs"] += 1
live = state["live"]
if live and rng.random() < 0.5:
    live.pop(rng.randrange(len(live)))
while len(live) < 5:
    number = state["next"]
    state["next"] += 1
    live.append({"callId": f"C-{number}", "masterAgent": "AGENT", "cNumber": f"+91980{number}",
                 "campId": rng.choice(["sales", "billing"]), "state": "talking", "startTime": time.time()})
rng.shuffle(live)
with open(state_path, "w") as file:
    json.dump(state, file)
print(json.dumps({"calls": live}))
""".replace("FIRST_CALL", str(FIRST_CALL)).replace("AGENT", AGENT)

_ESCAPE = re.compile(r"\x1b\[([0-9;]*)m")
ENDED = "\u00d7"  # the marker of an ended call's row
_SIDES = ("\u2502", "\u2551")  # the live list's left border: single, or double while it has the focus
_SETTLE_S = 0.05  # longer than the terminal takes to show a frame the app has drawn


def simulator(calls: int = 5000) -> SimServer:
    """A simulator that knows every call the source will list (as long as it runs: its calls never end there),
    so every action that goes out is answered 200 and none moves the focus to the form."""
    numbers = range(FIRST_CALL, FIRST_CALL + calls)
    known = [LiveCall(f"C-{number}", AGENT, "sales", "+919800000000") for number in numbers]
    return SimServer(scenario=Scenario(calls={call.call_id: call for call in known}))


def write_source(folder: Path) -> tuple[list[str], Path]:
    """The argv of the churning source, and the file it notes its runs in."""
    script, state, ticks = folder / "churn.py", folder / "churn-state.json", folder / "churn-ticks"
    script.write_text(SOURCE, encoding="utf-8")
    return [sys.executable, str(script), str(state), str(ticks)], ticks


@contextmanager
def racing_console(home: Path, command: str, source: list[str]) -> Iterator[tuple[TmuxSession, Path]]:
    """The console `command` in tmux at 80x24, signed in to the `simulator`, with its live list from `source` (a
    command listing calls numbered from FIRST_CALL, all on AGENT) on screen: the terminal, and its audit trail."""
    config = home / ".config" / "queuetui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    with simulator() as sim:
        config.write_text(
            f'[profiles.floor]\nbase_url = "{sim.url}"\nsnooper_number = "9876543210"\n'
            f'[profiles.floor.live_calls]\nsource = "command"\ncommand = {json.dumps(source)}\n'
            f"refresh_s = {REFRESH_S}\n"
            '[profiles.floor.live_calls.fields]\nstate = "/state"\nstarted_at = "/startTime"\n',
            encoding="utf-8",
        )
        env = {**run_env(home), "QUEUETUI_SSID": DEMO_SSID}
        audit = home / ".local" / "state" / "queuetui" / "audit.jsonl"
        with TmuxSession([command], env=env, term="xterm") as term:
            term.wait_for("Sign in", timeout=20)
            term.send("Enter")
            wait_for_pane(term, lambda pane: bool(pane.rows))
            shown_at = time.monotonic()
            term.send("/", "Down")  # the cursor on the first row, with the focus, however the sign-in left it
            wait_for_pane(term, lambda pane: pane.highlighted == 0)
            # Read before moving on, as a supervisor does: a key typed sooner is not let onto a row the list added.
            time.sleep(max(0.0, shown_at + REACTION_S - time.monotonic()))
            yield term, audit


@dataclass(frozen=True)
class Row:
    marker: str
    call_id: str
    queue: str

    @property
    def ended(self) -> bool:
        return self.marker == ENDED


@dataclass(frozen=True)
class Pane:
    """The live list as the terminal shows it: its visible rows, the highlighted one, and whether every row of
    the list is on screen (a blank line below the last)."""

    rows: list[Row]
    highlighted: int | None
    whole: bool
    text: str


def read_pane(escaped: str) -> Pane:
    lines = escaped.splitlines()
    plain = [_ESCAPE.sub("", line) for line in lines]
    headers = [index for index, line in enumerate(plain) if line.startswith(_SIDES) and "Call    Agent" in line]
    if not headers:
        raise AssertionError("no live list on screen:\n" + "\n".join(plain))
    header = headers[0]
    rows: list[Row] = []
    highlighted = None
    whole = False
    for line, styled in zip(plain[header + 1 :], lines[header + 1 :], strict=False):
        if not line.startswith(_SIDES):
            break
        text = line[1:44]
        if not text[:10].strip():  # no marker, no call id: past the last row (a notice may cover the rest)
            whole = True
            break
        border = re.search("|".join(_SIDES), styled)
        assert border is not None  # the plain line starts with it
        after_border = styled[border.end() :]
        opening = re.match(r"(?:\x1b\[[0-9;]*m)*", after_border)
        codes = _ESCAPE.findall(opening.group(0) if opening else "")
        if any("7" in code.split(";") for code in codes):
            highlighted = len(rows)
        rows.append(Row(text[0], text[2:10].strip(), text[24:32].strip()))
    return Pane(rows, highlighted, whole, "\n".join(plain))


@dataclass(frozen=True)
class Burst:
    keys: tuple[str, ...]
    expected: Row


def choose_burst(pane: Pane, rng: random.Random) -> Burst | None:
    """A burst whose target the pane shows, or None when the pane gives no highlighted row to start from."""
    rows, at = pane.rows, pane.highlighted
    if at is None or not rows:
        return None
    kinds = ["home", "relative", "relative"]
    if pane.whole:
        kinds += ["end", "filter"]
    kind = rng.choice(kinds)
    if kind == "home":
        steps = rng.randrange(len(rows))
        return Burst(("Home", *["Down"] * steps, "s"), rows[steps])
    if kind == "end":
        return Burst(("End", "s"), rows[-1])
    if kind == "filter":
        queue = rng.choice(["sales", "billing"])
        matches = [row for row in rows if row.queue == queue]
        if not matches:
            return None
        second = matches[min(1, len(matches) - 1)]
        return Burst(("/", "End", "C-u", *queue, "Enter", "Down", "s"), second)
    target = rng.randrange(len(rows))
    move = "Down" if target >= at else "Up"
    return Burst(((move,) * abs(target - at) + ("s",)), rows[target])


@dataclass
class Tally:
    bursts: int = 0
    matched: int = 0  # acted on (sent or refused by the session) the call the pane showed
    refused_ended: int = 0  # refused on the screen: the call the pane showed had ended by then
    mismatched: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # neither a record nor a refusal came in time
    panes: list[str] = field(default_factory=list)  # the screen before and after each mismatch


def audit_calls(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    complete = text[: text.rfind("\n") + 1]  # a record being written is read once its line is whole
    records = [json.loads(line) for line in complete.splitlines() if line.strip()]
    return [str(record["call_id"]) for record in records if record.get("event") != "attempt"]


def refusals(text: str) -> Counter[str]:
    """The calls the notices on screen say were refused as ended (a notice's left edge is a half block; the log's
    lines, which notices uncover as they go, are not counted)."""
    return Counter(re.findall("\u258c SPY not sent: (C-\\d+) has ended", text))


def wait_for_pane(term: TmuxSession, ready: Callable[[Pane], bool]) -> Pane:
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline:
        with contextlib.suppress(AssertionError):  # no live list on screen yet
            pane = read_pane(term.capture(escapes=True))
            if ready(pane):
                return pane
        time.sleep(0.01)
    raise AssertionError(f"the pane never got ready:\n{term.capture()}")


def _filter_line(pane: Pane) -> str:
    """The line above the list's column titles: the filter (the health line may sit above the panel)."""
    lines = pane.text.splitlines()
    return next(lines[index - 1] for index, line in enumerate(lines) if "Call    Agent" in line)


def _reset(term: TmuxSession, mark: str) -> None:
    """Between bursts: the ended rows tidied away (the cursor moved off the first row, so that one goes too), the
    filter emptied, the cursor on the first row. `mark` is typed into the filter on the way: once the pane shows
    it, every key before it has been handled, and the pane read next is not one those keys are about to change."""
    term.send("Home", "Down", "r", "Home", "/", "End", "C-u", *mark)
    wait_for_pane(term, lambda pane: mark in _filter_line(pane))
    term.send("C-u", "Down")
    wait_for_pane(term, lambda pane: "filter: call" in _filter_line(pane) and pane.highlighted == 0)


def run(term: TmuxSession, audit: Path, ticks: Path, bursts: int, rng: random.Random, refresh_s: float) -> Tally:
    """Type `bursts` bursts, each timed to start from a little before to a little after a refresh is due, and
    compare what each acted on with what the pane showed as it began: the pane read a reaction time before the
    keys are typed, as a supervisor reads the screen and then types (a row shown for less than that is one no
    key may reach: docs/behaviour.md)."""
    tally = Tally()
    while tally.bursts < bursts:
        _reset(term, f"q{tally.bursts}")
        last_run = float(ticks.read_text().split()[-1])
        due = last_run + refresh_s
        while due < time.time():
            due += refresh_s
        start = due + rng.uniform(-0.1, 0.25)
        while time.time() < start - REACTION_S:
            time.sleep(0.002)
        read_at, pane = _read_settled(term)
        burst = choose_burst(pane, rng)
        if burst is None:
            continue
        records, refused = len(audit_calls(audit)), refusals(pane.text)
        while time.time() < max(start, read_at + REACTION_S):  # typed at a chosen moment of the refresh cycle
            time.sleep(0.002)
        term.send(*burst.keys)
        tally.bursts += 1
        _decide(term, audit, burst, records, refused, tally, pane.text)
    return tally


def _read_settled(term: TmuxSession) -> tuple[float, Pane]:
    """The pane and when it was read, once a second reading a moment later shows the same rows: a frame the app
    drew just before the first reading, which the terminal had yet to show, would be in the second.

    A reading is timed when the capture has returned, not when it was asked for: on a busy machine tmux may take
    a while to answer, and what it shows may have reached it in the meantime. Only from then on is the row known
    to have been on screen."""
    pane, read_at = _read(term)
    while True:
        time.sleep(_SETTLE_S)
        again, again_at = _read(term)
        if (again.rows, again.highlighted) == (pane.rows, pane.highlighted):
            return read_at, pane
        pane, read_at = again, again_at


def _read(term: TmuxSession) -> tuple[Pane, float]:
    pane = read_pane(term.capture(escapes=True))
    return pane, time.time()


def _decide(
    term: TmuxSession, audit: Path, burst: Burst, records: int, refused: Counter[str], tally: Tally, shown: str
) -> None:
    expected = burst.expected.call_id
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        acted = audit_calls(audit)[records:]
        if acted:
            if acted == [expected]:
                tally.matched += 1
            else:
                tally.mismatched.append(f"{' '.join(burst.keys)}: showed {expected}, acted on {acted}")
                tally.panes.append(f"{shown}\n-- then --\n{term.capture()}")
            return
        new = refusals(term.capture()) - refused
        if new[expected]:
            tally.refused_ended += 1
            return
        if new:
            tally.mismatched.append(f"{' '.join(burst.keys)}: showed {expected}, refused {sorted(new)}")
            tally.panes.append(f"{shown}\n-- then --\n{term.capture()}")
            return
        time.sleep(0.02)
    tally.undecided.append(f"{' '.join(burst.keys)}: showed {expected}")
