"""The guided tour of the demo: eight steps, each finished by what really happens in the console (an answer
from the simulator, a cancelled barge, "I hung up"), never by which keys were pressed. The steps name the keys in
force: with spy and whisper swapped in the keymap, a tour that said "w" would have a trainee send a spy."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from queuetui.api.modes import SnoopType
from queuetui.core.monitoring import Change
from queuetui.core.outcome import Outcome


@dataclass(frozen=True)
class Happened:
    """Something the console did: `kind` is "outcome", "barge-cancelled", "hung-up" or "shift-summary"."""

    kind: str
    outcome: Outcome | None = None


def _ok(mode: SnoopType, change: Change | None = None) -> Callable[[Happened], bool]:
    def done(event: Happened) -> bool:
        outcome = event.outcome
        if event.kind != "outcome" or outcome is None or not outcome.ok or outcome.request is None:
            return False
        if outcome.request.snoop_type is not mode:
            return False
        return change is None or (outcome.change is not None and outcome.change.kind is change)

    return done


def _retried(event: Happened) -> bool:
    outcome = event.outcome
    return event.kind == "outcome" and outcome is not None and outcome.ok and outcome.attempts > 1


def _corrected() -> Callable[[Happened], bool]:
    """Done by a success on a call that the server refused with 1502 earlier in this step."""
    refused: set[str] = set()

    def done(event: Happened) -> bool:
        outcome = event.outcome
        if event.kind != "outcome" or outcome is None or outcome.request is None:
            return False
        if outcome.code == 1502:
            refused.add(outcome.request.call_id)
            return False
        return outcome.ok and outcome.request.call_id in refused

    return done


def _kind(kind: str) -> Callable[[Happened], bool]:
    return lambda event: event.kind == kind


@dataclass(frozen=True)
class Step:
    text: str
    done: Callable[[Happened], bool]


KeysOf = Callable[[str], str]  # binding id -> its keys in force, as the screen shows them ("s", "f5 or ^g")

_BINDING = re.compile(r"<([a-z_]+\.[a-z_]+)>")


def tour_steps(keys_of: KeysOf) -> tuple[Step, ...]:
    def step(text: str, done: Callable[[Happened], bool]) -> Step:
        return Step(_BINDING.sub(lambda found: keys_of(found.group(1)), text), done)

    return (
        step(
            "Spy on a call from the list: press <console.filter>, type C-10023, Enter, then <floor.spy>. "
            "Nobody hears you.",
            _ok(SnoopType.SPY),
        ),
        step(
            "Coach the same agent: <floor.whisper> on the same row (or <console.whisper> then Enter in the form). "
            "Now the agent hears you.",
            _ok(SnoopType.WHISPER, Change.SWITCHED),
        ),
        step(
            "Barge, then think again: <floor.barge> on a row, then <confirm.cancel>. Nothing is sent.",
            _kind("barge-cancelled"),
        ),
        step(
            "Barge for real: <floor.barge> on a row, then <confirm.barge>. The agent and the customer hear you.",
            _ok(SnoopType.BARGE),
        ),
        step("A busy call: spy on C-10050 (agent 9). It answers 1501; queuetui retries for you.", _retried),
        step(
            "A wrong agent: in the form, call C-10017 with agent 99 and Enter (1502, the field is marked); "
            "fix it to 7 and Enter.",
            _corrected(),
        ),
        step(
            "You put the phone down: tell queuetui with <console.hung_up>; asked which call, pick All of them. "
            "The top line clears.",
            _kind("hung-up"),
        ),
        step(
            "Find the shift's records: <console.shift> sums them up; `queuetui audit` lists them all.",
            _kind("shift-summary"),
        ),
    )


class Tour:
    def __init__(self, keys_of: KeysOf) -> None:
        self.keys_of = keys_of
        self.steps = tour_steps(keys_of)
        self.index = 0

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def progress(self) -> str:
        return f"{min(self.index + 1, len(self.steps))}/{len(self.steps)}"

    @property
    def text(self) -> str:
        if self.finished:
            return "Tour done: all eight steps. Esc closes this panel."
        return self.steps[self.index].text

    def saw(self, event: Happened) -> bool:
        """True when `event` finished the current step (the tour has moved on)."""
        if self.finished or not self.steps[self.index].done(event):
            return False
        self.index += 1
        return True
