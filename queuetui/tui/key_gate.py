"""The gate every key typed into the console passes: held while the screen it is meant for is not ready, then typed in
again, in order, and each one let through only once the keys before it have done what they set off.

Keys typed before start-up is over are held, then typed into the screen they were meant for: the console once its
session, profile and keymap are in force (with --demo), or the sign-in screen. Acted on sooner, a remapped key
would do what the default keymap says; keys read before the console is pushed would go to the empty screen
Textual starts on, and be lost; a session id typed at launch would land in the console's form behind the sign-in
screen, in plain sight. Keys typed after Sign in, while the live list checks the credentials, are held the same
way. The app's `on_event` hands each key here (see `admit`); the gate takes the app as a Textual `App` and never
imports it.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.app import App
from textual.dom import DOMNode


async def _handled_so_far(node: DOMNode) -> None:
    """Wait until `node` has handled every message already sent to it (a node not yet running first mounts)."""
    handled = asyncio.Event()
    if node.call_later(handled.set):
        await handled.wait()


class KeyGate:
    def __init__(self, app: App[None]) -> None:
        self._app = app
        self._held: list[events.Key] | None = []  # None once nothing is held: keys go straight through
        self._replayed: set[int] = set()  # ids of the held keys posted again, still on their way

    @property
    def holding(self) -> bool:
        """Whether keys that come in now are held (the console or sign-in screen is not ready for them)."""
        return self._held is not None

    @property
    def held(self) -> int:
        """How many keys are held now."""
        return len(self._held or [])

    def hold(self) -> None:
        """Hold the keys that come in from now on, until `release`."""
        if self._held is None:
            self._held = []

    def drop(self) -> int:
        """Forget the keys held (the screen they were typed for did not open) and stop holding; how many there
        were."""
        dropped = self.held
        self._held = None
        return dropped

    async def admit(self, event: events.Key) -> bool:
        """Whether the app should route `event` now: False when it is held. A key let through waits first until
        what the keys before it set off is done."""
        replayed = id(event) in self._replayed
        if self._held is not None and not replayed and not self._quits(event.key):
            self._held.append(event)
            return False
        if replayed:
            self._replayed.discard(id(event))
            if not self._replayed:
                self._app.call_later(self.release)  # any that came in meanwhile, or the hold ends
        await self._earlier_keys_handled()
        return True

    def _quits(self, key: str) -> bool:
        active = self._app.screen.active_bindings.get(key)
        return active is not None and active.binding.action in ("quit", "help_quit")

    async def _earlier_keys_handled(self) -> None:
        """Wait until what the keys before this one set off is done, from the focused widget up to its screen, and
        in a screen that opened meanwhile. A key routed to a widget is matched to its bindings, and their messages
        handled, only as they bubble up, one node at a time; meanwhile the app would route the next key, and a
        priority key (Tab, Enter, F4) would act first: `b Tab` on the live list lost the b, `b Enter` sent the
        form before the b's question. A screen just pushed (that question) sets its focus as it mounts: a Tab
        routed sooner would move a focus about to be set."""
        app = self._app
        screen = app.screen
        node: DOMNode | None = app.focused or screen
        while node is not None and node is not app:
            await _handled_so_far(node)
            node = node.parent
        if app.screen is not screen:
            await _handled_so_far(app.screen)

    def release_after_refresh(self) -> None:
        """`release` after the next refresh: the screen the keys are for has its focus by then."""
        self._app.call_after_refresh(self.release)

    def release_once_requests_load(self) -> None:
        """`release` once a worker has loaded the request model. An Enter among the keys held would load it on the UI
        thread, freezing the console while it loads (longer while the shift's read loads it too): the keys wait
        instead, while the console shows the session."""
        self._app.run_worker(self._load_requests, name="keys", group="boot", thread=True, exit_on_error=True)

    def _load_requests(self) -> None:
        from queuetui.core.session import load_requests

        load_requests()
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile: the keys go with it
            self._app.call_from_thread(self.release_after_refresh)

    def release(self) -> None:
        """Type what was held into the screen it was meant for, in order, now that it has its focus. Each key keeps
        the time it was typed: a barge question refuses keys typed before it was shown.

        The hold ends only once no key is left behind the ones posted again: keys typed later may already wait in
        the app's queue, ahead of them, and would act first (`/ C-10017 Enter` with only its `/` held sent the
        form before the filter opened). Those are held too, and posted again after them."""
        held = self._held or []
        if not held:
            self._held = None
            return
        self._held = []
        for key in held:
            typed = events.Key(key.key, key.character)
            typed.time = key.time
            self._replayed.add(id(typed))
            self._app.post_message(typed)
