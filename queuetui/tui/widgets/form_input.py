"""A form field that keeps keys in the order they were typed and never cuts a paste silently.

Textual runs a focused Input's own bindings (Backspace, Home, ...) only after the key has travelled back up to
the app, behind any keys that arrived meanwhile. The console reads the form the moment Enter is pressed, so
here a field's own bindings run in its own queue, in order with the characters around them.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class FormInput(Input):
    class PasteRefused(Message):
        def __init__(self, field: FormInput, reason: str) -> None:
            super().__init__()
            self.field = field
            self.reason = reason

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            bindings = self._bindings.copy()
            if self.app._keymap:
                bindings.apply_keymap(self.app._keymap)
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if binding.action != "submit":  # Enter is the screen's: it reads the whole form
                    event.stop()
                    event.prevent_default()
                    await self.run_action(binding.action)
                    return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        lines = event.text.splitlines()
        if len(lines) > 1:
            event.stop()
            self.post_message(self.PasteRefused(self, f"the paste holds {len(lines)} lines; paste one value"))
            return
        room = self.max_length - len(self.value) + len(self.selected_text) if self.max_length else None
        if room is not None and len(lines[0] if lines else "") > room:
            event.stop()
            self.post_message(
                self.PasteRefused(self, f"the paste is {len(lines[0])} characters; this field takes {self.max_length}")
            )
            return
        super()._on_paste(event)
