"""A form field that keeps keys in the order they were typed and never cuts what was typed or pasted.

Typing is never cut short (Input's `max_length` drops the keys past it without a word, and Enter would then send
what was left): a value too long stays whole in the field, and the form's check refuses it by name. A paste longer
than `paste_limit` is refused whole, with a message.

Textual runs a focused Input's own bindings (Backspace, Home, ...) only after the key has travelled back up to
the app, behind any keys that arrived meanwhile. The console reads the form the moment Enter is pressed, so
here a field's own bindings run in its own queue, in order with the characters around them.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from queuetui.tui.textual_private import bindings_of, keymap_of


class FormInput(Input):
    # Input sets its virtual size from its text on every key, and Widget's reactive lays the whole screen out for
    # it: on a console of many widgets that layout, not the field, is what an echo waits for. A field of a set width
    # has nothing to lay out (Input asks for a layout itself when its width follows its text).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class PasteRefused(Message):
        def __init__(self, field: FormInput, reason: str) -> None:
            super().__init__()
            self.field = field
            self.reason = reason

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        paste_limit: int | None = None,
        password: bool = False,
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(value, placeholder, password=password, id=id, compact=compact)
        self.paste_limit = paste_limit

    # Textual calls the handler of every class in the hierarchy, this one first, unless it prevents the
    # default: so these handle what they take over and leave the rest to Input's own, never calling it twice.
    # Both are private hooks of Input's (see textual_private.NAMES).
    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return
        bindings = bindings_of(self).copy()
        keymap = keymap_of(self.app)
        if keymap:
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(event.key, ()):
            if binding.action != "submit":  # Enter is the screen's: it reads the whole form
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return

    def _on_paste(self, event: events.Paste) -> None:
        lines = event.text.splitlines()
        kept = len(self.value) - len(self.selected_text)  # what the paste does not replace
        reason = ""
        if len(lines) > 1:
            reason = f"the paste holds {len(lines)} lines; paste one value"
        elif self.paste_limit and lines and kept + len(lines[0]) > self.paste_limit:
            reason = f"the paste is {len(lines[0])} characters; this field takes {self.paste_limit}"
        if reason:
            event.stop()
            event.prevent_default()
            self.post_message(self.PasteRefused(self, reason))
