"""The command palette, which runs no command from an Enter typed before the list it would act on was shown.

Typed in one burst (`Ctrl+P hung Enter`, or over a slow link), the Enter reaches Textual's palette before the list
for what was typed is drawn, and runs whatever that list, or an earlier one, has highlighted: a command the
supervisor never saw. Here an Enter counts only when it was typed after the list for the text in the box was on
screen, judged by when the key was typed, as the barge question judges its answer; a refused Enter rings the
terminal's bell, so the supervisor knows to press it again.
"""

from __future__ import annotations

from textual import events
from textual.command import Command, CommandInput, CommandList, CommandPalette, ProviderSource, SearchIcon

from queuetui.tui.textual_private import event_time


class Palette(CommandPalette):
    # Textual's magnifying glass is an emoji: two cells of `??` on a terminal without UTF-8, and drawn in black.
    # Textual's palette spans the screen's width and lists up to 70% of its height: every cell of it is the
    # console's to draw again when the palette closes, and over an SSH link that is what Esc waits for. Narrower,
    # and five commands at a time, the rest a scroll or a letter away.
    DEFAULT_CSS = """
        Palette SearchIcon {
            color: $text-muted;
        }
        Palette > Vertical {
            width: 64;
            max-width: 100%;
        }
        Palette CommandList {
            max-height: 10;
        }
    """

    def __init__(
        self,
        providers: ProviderSource | None = None,
        *,
        placeholder: str = "Type part of a command's name",
        id: str | None = None,
    ) -> None:
        super().__init__(providers, placeholder=placeholder, id=id)
        # What the screen shows, and since when: the text in the box, the command highlighted for it (the one Enter
        # runs) and when that was put on screen.
        self._shown: tuple[str, str | None, float] | None = None

    def on_mount(self) -> None:
        self.query_one(SearchIcon).icon = ">"

    # A private hook of Textual's (see textual_private.NAMES).
    def _refresh_command_list(self, command_list: CommandList, commands: list[Command], clear_current: bool) -> None:
        super()._refresh_command_list(command_list, commands, clear_current)
        self._list_changed()

    def on_option_list_option_highlighted(self) -> None:
        self._list_changed()

    def _now(self) -> tuple[str, str | None]:
        """The text in the box and the command Enter would run now."""
        command_list = self.query_one(CommandList)
        index = command_list.highlighted
        command = str(command_list.get_option_at_index(index).prompt) if index is not None else None
        return self.query_one(CommandInput).value, command

    def _list_changed(self) -> None:
        # The search delivers its hits in batches: a batch that leaves the same command highlighted for the same text
        # changes nothing the supervisor acts on, and keeps the moment it was first put on screen.
        now = self._now()
        if self._shown is None or self._shown[:2] != now:
            # The frame that shows it goes out next; keys of a burst typed with the text were all read before any
            # list for that text existed, so they stay on the early side of this moment.
            self._shown = (*now, event_time())

    def on_key(self, event: events.Key) -> None:
        if event.key != "enter":
            return
        shown = self._shown
        if shown is None or shown[:2] != self._now() or event.time <= shown[2]:
            event.stop()
            event.prevent_default()
            self.app.bell()  # over a slow link the list may lag the keys: the bell says this Enter did nothing
