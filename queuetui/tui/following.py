"""Following an agent, the coaching case: the top line says whom, and when that agent's next call comes the console
says so, marks its row (as every new row is) and `F` spies on it; with the profile's `follow_spies = true` the console
spies on it by itself (spy only, never whisper or barge; its audit record says it was a follow)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.core.floor.calls import LiveCall
    from queuetui.core.floor.poller import FloorSnapshot


class Following:
    def __init__(self) -> None:
        self.agent: str | None = None
        self.spies = False
        self.new_call: LiveCall | None = None  # the followed agent's latest new call, for `F`

    @property
    def words(self) -> tuple[str, ...]:
        """What the top line says, longest first, for the line to take the longest that fits beside the environment
        badge ("" when following nobody)."""
        if self.agent is None:
            return ("",)
        spies = " (spies)" if self.spies else ""
        return f"following agent {self.agent}{spies}", f"follow {self.agent}{spies}"

    def start(self, agent: str, spies: bool) -> str:
        """Follow `agent` (again on the one followed: stop); what the log says of it."""
        if agent == self.agent:
            self.stop()
            return f"No longer following agent {agent}"
        self.agent, self.spies, self.new_call = agent, spies, None
        then = "the console spies on it" if spies else "F spies on it"
        return f"Following agent {agent}: their next call is marked and {then}"

    def stop(self) -> None:
        self.agent, self.spies, self.new_call = None, False, None

    def took(self, snapshot: FloorSnapshot, new_calls: Collection[str]) -> LiveCall | None:
        """The followed agent's call among the calls a refresh added, or None."""
        if self.agent is None or not new_calls:
            return None
        for call_id in new_calls:
            call = snapshot.find(call_id)
            if call is not None and call.agent == self.agent and not call.ended:
                self.new_call = call
                return call
        return None
