"""Asks which leg "I hung up" is about when more than one may still be on the supervisor's phone: each leg by its
call, mode and who hears you, or all of them. Nothing is sent either way: the answer ends what the console shows
as live and is recorded in the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from queuetui.core.monitoring import Monitoring
from queuetui.tui.screens.question import Question
from queuetui.tui.widgets.key_bar import KeyBar

ALL = "*"  # the answer for every leg (the `a` binding gives it too)


class HangUpScreen(Question[str | None]):
    """Dismissed with the call id of the leg hung up, `ALL`, or None (cancelled)."""

    DEFAULT_CSS = """
        HangUpScreen {
            align: center middle;
        }
        #hang-up-box {
            width: 64;
            max-width: 100%;
            height: auto;
            border: heavy $warning;
            padding: 0 1;
        }
        #hang-up-title {
            text-style: bold;
        }
        #hang-up-legs {
            height: auto;
            max-height: 10;
        }
    """
    # Focused from the moment the screen is composed, so keys typed right behind F5 reach the list: an Enter among
    # them is then refused by `on_key` rather than lost by chance.
    AUTO_FOCUS = "#hang-up-legs"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, as every key that closes a dialog: the keys typed behind it reach the console. The answers
        # check, in their action, that they were typed after the question was shown.
        Binding("enter", "end_highlighted", "End", id="hang_up.end", tooltip="End the highlighted call", priority=True),
        Binding("a", "all", "All", id="hang_up.all", tooltip="All of them: my phone is down", priority=True),
        Binding(
            "escape", "dismiss(None)", "Cancel", id="hang_up.cancel", tooltip="Cancel: nothing ends", priority=True
        ),
    ]
    _KEYS = "Enter ends the highlighted call \u00b7 a all of them \u00b7 Esc cancel"

    def __init__(self, legs: tuple[Monitoring, ...], live: Monitoring | None, now: datetime) -> None:
        super().__init__()
        self.legs = legs
        self.live = live
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="hang-up-box"):
            yield Static("Which call did you hang up?", id="hang-up-title")
            options = [Option(self._leg_words(leg), id=leg.call_id) for leg in self.legs]
            yield OptionList(*options, Option("All of them: my phone is down", id=ALL), id="hang-up-legs")
            yield Static(self._KEYS, id="hang-up-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0  # the live call, listed first

    def _leg_words(self, leg: Monitoring) -> str:
        minutes, seconds = divmod(max(0, int((self.now - leg.since).total_seconds())), 60)
        where = "live" if leg == self.live else "left to your phone"
        return f"{leg.call_id} {leg.mode.value.upper()}: {leg.mode.heard_by} ({where}, {minutes:02}:{seconds:02})"

    def action_end_highlighted(self) -> None:
        legs = self.query_one(OptionList)
        if legs.highlighted is not None:
            self._answer(legs.get_option_at_index(legs.highlighted).id)

    def action_all(self) -> None:
        self._answer(ALL)

    def _answer(self, leg: str | None) -> None:
        # An answer typed before the question was drawn (`F5 Enter` in one burst) answers nothing; the box says so.
        if self.answered_before_shown():
            self.query_one("#hang-up-keys", Static).update(
                f"That key came before this question was shown: nothing ended. {self._KEYS}"
            )
            return
        self.dismiss(leg)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
