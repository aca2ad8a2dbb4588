"""The command palette, which runs no command from an Enter typed before the list it would act on was shown.

Typed in one burst (`Ctrl+P hung Enter`, or over a slow link), the Enter reaches Textual's palette before the list
for what was typed is drawn, and runs whatever that list, or an earlier one, has highlighted: a command the
supervisor never saw. Here an Enter counts only when it was typed after the list for the text in the box was on
screen, judged by when the key was typed, as the barge question judges its answer.
"""

from __future__ import annotations

from textual import events
from textual._time import get_time  # the clock Textual stamps events with (textual is pinned)
from textual.command import Command, CommandInput, CommandList, CommandPalette, ProviderSource


class Palette(CommandPalette):
    def __init__(
        self,
        providers: ProviderSource | None = None,
        *,
        placeholder: str = "Search for commands\u2026",
        id: str | None = None,
    ) -> None:
        super().__init__(providers, placeholder=placeholder, id=id)
        self._shown: tuple[str, float] | None = None  # the text the list on screen is for, and when it was drawn

    def _refresh_command_list(self, command_list: CommandList, commands: list[Command], clear_current: bool) -> None:
        super()._refresh_command_list(command_list, commands, clear_current)
        self._shown = None
        self.call_after_refresh(self._list_drawn, self._typed())

    def _typed(self) -> str:
        return self.query_one(CommandInput).value

    def _list_drawn(self, text: str) -> None:
        self._shown = (text, get_time())

    def on_key(self, event: events.Key) -> None:
        if event.key != "enter":
            return
        shown = self._shown
        if shown is None or shown[0] != self._typed() or event.time <= shown[1]:
            event.stop()
            event.prevent_default()
