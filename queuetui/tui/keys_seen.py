"""Keys as the app receives them, before any widget sees them. The key caster shows them while it is on (what a room
watching the presenter should see; a secret field's as dots), and a key that comes in while the console is on top
counts as typed: attaching a session then leaves the focus where the keys are going rather than moving it. The app
hands it each key and the palette turns the caster on and off, as `console.keys_seen`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from queuetui.tui.widgets.key_caster import KeyCaster


class KeysSeen:
    def __init__(self, screen: Screen[None], caster: Callable[[], KeyCaster]) -> None:
        self._screen = screen
        self._caster = caster
        self.typed = False  # a key has come in while the console was on top (the console resets it at sign-out)

    def show(self, on: bool) -> None:
        if self._screen.is_mounted:  # not while the app is closing down
            self._caster().set_class(on, "-on")

    @property
    def showing(self) -> bool:
        return self._caster().has_class("-on")

    def focus_free_at_attach(self, *, signed_in: bool) -> bool:
        """Whether attaching a session may put the focus where a session starts: only while no key has come in
        since the last sign-out (a sign-out starts the count again), so a burst typed at launch keeps going where
        it was aimed. Counted as keys arrive, not as fields change: a key on its way to a field has not changed it
        yet."""
        if not signed_in:
            self.typed = False
        return signed_in and not self.typed

    def held_for_the_session(self) -> None:
        """Keys typed before start-up was over will be typed in once the session is attached: they count as keys
        come in, so attaching it leaves the focus where they are going."""
        self.typed = True

    def pressed(self, key: str, character: str | None, secret: bool) -> None:
        """Every key as the app receives it, before it is routed."""
        if not self._screen.is_mounted:
            return
        if self._screen.app.screen is self._screen:  # not `is_current`: that is true below a sign-in screen too
            self.typed = True
        caster = self._caster()
        if caster.has_class("-on"):
            caster.add(key, character, secret)
