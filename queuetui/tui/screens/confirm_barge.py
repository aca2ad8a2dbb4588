"""Asks before an audible barge, and before a whisper or barge on a call another supervisor is on (presence),
saying who and in which mode; a barge onto a call someone else is barging takes its own key, not the usual yes.
Cancel has the focus, so a stray Enter never puts a voice into a call; and only an
answer typed once the question is on screen barges, so a `y` typed ahead (say, `F4 Enter y` in one burst over a slow
link, or with the command while the console starts) never answers a question nobody has seen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from queuetui.api.text import mask_phone
from queuetui.tui.screens.question import Question
from queuetui.tui.textual_private import keymap_of
from queuetui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest
    from queuetui.core.presence.entry import Presence


class ConfirmBargeScreen(Question[bool]):
    DEFAULT_CSS = """
        ConfirmBargeScreen {
            align: center middle;
        }
        #confirm-box {
            width: 60;
            max-width: 100%;
            height: auto;
            border: heavy $mode-barge;
            padding: 0 1;
        }
        #confirm-title {
            text-style: bold;
            color: $mode-barge;
        }
        #confirm-keys {
            color: $text-muted;
        }
        #confirm-buttons {
            height: 1;
            margin-top: 1;
        }
        #confirm-buttons Button {
            margin-right: 2;
        }
    """

    # Cancel has the focus from the moment the screen is composed: focused later (`focus()` in `on_mount` goes by
    # the app's queue), it would take the focus back from a Tab typed right behind the key that opened it.
    AUTO_FOCUS = "#confirm-cancel"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: acted on as it is read, so that the keys typed behind them reach the console (a key the
        # screen binds otherwise acts only once it has bubbled back to the app, behind them). A yes still checks,
        # in its action, that it was typed after the question was shown.
        Binding(
            "n,escape", "answer(False)", "Cancel", id="confirm.cancel", tooltip="Cancel: nothing is sent", priority=True
        ),
        # One of the two is on offer (see `check_action`): y, or B where another supervisor is barging.
        Binding("y", "answer(True)", "Barge", id="confirm.barge", tooltip="Confirm the audible barge", priority=True),
        Binding(
            "B",
            "barge_too",
            "Barge as well",
            id="confirm.barge_too",
            tooltip="Barge onto a call another supervisor is barging (y does not)",
            priority=True,
        ),
    ]

    def __init__(self, request: BargeRequest, others: tuple[Presence, ...] = (), now: float = 0.0) -> None:
        super().__init__()
        self.request = request
        self.others = others  # the other supervisors on this call, as presence last said
        self.barging = tuple(other for other in others if other.mode == "barge")
        self.now = now

    def compose(self) -> ComposeResult:
        request = self.request
        barge = request.snoop_type.value == "barge"
        with Vertical(id="confirm-box"):
            if not barge:
                title = "Whisper on a call others are on?"
            elif self.barging:
                title = "Barge into a call ANOTHER SUPERVISOR IS BARGING?"
            else:
                title = "Barge into a live call?"
            yield Static(title, id="confirm-title")
            yield Static(
                f"Call {request.call_id}, {request.target_entity_type} {request.target_entity_val}.\n"
                + self._others_words()
                + ("The agent AND THE CUSTOMER will hear you.\n" if barge else "The agent will hear you.\n")
                + f"DeepCall will ring {mask_phone(request.snooper_number)}.",
                id="confirm-body",
            )
            yield Static("", id="confirm-keys")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel", variant="primary", compact=True)
                label = "Barge (audible)" if barge else "Whisper"
                yield Button(label, id="confirm-yes", variant="error", compact=True)
        # Its own key bar: the console's, still showing below, would offer keys that do nothing here.
        yield KeyBar()

    def _others_words(self) -> str:
        if not self.others:
            return ""
        from queuetui.core.presence.entry import others_words

        return f"Also on it: {others_words(self.others, self.now)}.\n"

    def on_mount(self) -> None:
        # Notices sit at the bottom right, over this box on a small terminal: they would hide who will hear you,
        # the phone rung and the Barge button. What they said is in the log.
        self.app.clear_notifications()
        self.query_one("#confirm-keys", Static).update(self._answer_keys())

    def _answer_keys(self) -> str:
        """The answer keys in force: the user's keymap may have moved them (even swapped them)."""
        keys: dict[str, list[str]] = {"confirm.barge": [], "confirm.cancel": [], "confirm.barge_too": []}
        for key, active in self.active_bindings.items():
            if active.node is self and active.binding.id in keys:
                keys[active.binding.id].append(self.app.get_key_display(Binding(key, "")))
        yes = "confirm.barge_too" if self.barging else "confirm.barge"
        verb = "whisper" if self.request.snoop_type.value == "whisper" else "barge"
        verb = "barge as well" if self.barging else verb
        return f"{' / '.join(keys[yes])}  {verb}    {' / '.join(keys['confirm.cancel'])}  cancel"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key bar offers the key that sends: where another supervisor is barging that is B, and y only says so
        (`on_key`)."""
        if action == "answer" and parameters == (True,):
            return not self.barging
        if action == "barge_too":
            return bool(self.barging)
        return True

    def on_key(self, event: events.Key) -> None:
        if self.barging and event.key in self._usual_yes_keys():  # not bound here: see `check_action`
            event.stop()
            event.prevent_default()
            if self.typed_before_shown(event):
                self._refuse_early_barge()
            else:
                self._ask_for_the_other_key()
            return
        # Enter on the Barge button, typed while the console was busy (the Enter that opened this question waited
        # for start-up, say) and handled only now, after the question is drawn. The yes keys check this themselves.
        if self.typed_before_shown(event) and self._presses_yes(event.key):
            event.stop()
            event.prevent_default()
            self._refuse_early_barge()

    def _usual_yes_keys(self) -> list[str]:
        """The keys of the usual yes, as the keymap left them: not bound while another supervisor is barging."""
        declared = next(b.key for b in self.BINDINGS if isinstance(b, Binding) and b.id == "confirm.barge")
        return [key.strip() for key in keymap_of(self.app).get("confirm.barge", declared).split(",")]

    def _presses_yes(self, key: str) -> bool:
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action == "press" and active.node is self.query_one("#confirm-yes")

    def _refuse_early_barge(self) -> None:
        # Said in the box, not as a notice: a notice would cover it on a small terminal.
        self.query_one("#confirm-keys", Static).update(
            f"That barge key came before this question was shown: nothing sent.\n{self._answer_keys()}"
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm-yes" and self.barging:
            self._ask_for_the_other_key()
            return
        self.action_answer(event.button.id == "confirm-yes")

    def action_answer(self, confirmed: bool) -> None:
        if confirmed and self.barging:  # the usual yes is not enough here
            self._ask_for_the_other_key()
            return
        if confirmed and self.answered_before_shown():
            self._refuse_early_barge()
            return
        self.dismiss(confirmed)

    def action_barge_too(self) -> None:
        if not self.barging:  # nobody else barging: this key means nothing here
            return
        if self.answered_before_shown():
            self._refuse_early_barge()
            return
        self.dismiss(True)

    def _ask_for_the_other_key(self) -> None:
        who = ", ".join(other.who for other in self.barging)
        self.query_one("#confirm-keys", Static).update(
            f"{who} is barging this call: nothing sent. {self._answer_keys()}"
        )
