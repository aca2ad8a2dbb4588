"""What the floor panel asks of its screen. Its list posts them as keys act on it, so they bubble up through the
panel and reach the screen before the next key is routed (see `tui/key_gate.py`); they are named for the panel
(`on_floor_panel_act_on`), whose intents they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from queuetui.api.modes import SnoopType
    from queuetui.core.floor.calls import LiveCall


class ActOn(Message, namespace="floor_panel"):
    """Act on `call` in `mode`, as the highlighted row of the list."""

    def __init__(self, call: LiveCall, mode: SnoopType) -> None:
        super().__init__()
        self.call = call
        self.mode = mode


class CopyToForm(Message, namespace="floor_panel"):
    """Put `call` into the call form."""

    def __init__(self, call: LiveCall) -> None:
        super().__init__()
        self.call = call


class Follow(Message, namespace="floor_panel"):
    """Follow agent `agent`: their next call is marked, and spied on when the profile's `follow_spies` says so."""

    def __init__(self, agent: str) -> None:
        super().__init__()
        self.agent = agent


class NotActed(Message, namespace="floor_panel"):
    """A key that acts on the highlighted call found none it may act on: nothing was sent, and `why`."""

    def __init__(self, mode: SnoopType, why: str) -> None:
        super().__init__()
        self.mode = mode
        self.why = why
