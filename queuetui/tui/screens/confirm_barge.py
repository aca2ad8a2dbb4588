"""Asks before an audible barge. Cancel has the focus, so a stray Enter never puts a voice into a call; and only an
answer given once the question is on screen barges, so a `y` typed ahead (say, `F4 Enter y` in one burst over a slow
link) never answers a question nobody has seen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from queuetui.api.text import mask_phone

if TYPE_CHECKING:
    from queuetui.api.models import BargeRequest


class ConfirmBargeScreen(ModalScreen[bool]):
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm.cancel", tooltip="Cancel: nothing is sent"),
        Binding("y", "answer(True)", "Barge", id="confirm.barge", tooltip="Confirm the audible barge"),
    ]

    def __init__(self, request: BargeRequest) -> None:
        super().__init__()
        self.request = request
        self._shown = False  # the question has been drawn: from then on, y barges

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(id="confirm-box"):
            yield Static("Barge into a live call?", id="confirm-title")
            yield Static(
                f"Call {request.call_id}, {request.target_entity_type} {request.target_entity_val}.\n"
                f"The agent AND THE CUSTOMER will hear you.\n"
                f"DeepCall will ring {mask_phone(request.snooper_number)}.",
                id="confirm-body",
            )
            yield Static("y  barge    n / Esc  cancel", id="confirm-keys")
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel", variant="primary", compact=True)
                yield Button("Barge (audible)", id="confirm-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        # Notices sit at the bottom right, over this box on a small terminal: they would hide who will hear you,
        # the phone rung and the Barge button. What they said is in the log.
        self.app.clear_notifications()
        self.query_one("#confirm-cancel", Button).focus()

    def on_screen_resume(self) -> None:
        # Keys typed ahead reach this screen as soon as it is pushed, before its first frame. On each resume, not
        # once: Textual drops this call if another screen covers this one before its refresh (the palette, say).
        self.call_after_refresh(self._question_shown)

    def _question_shown(self) -> None:
        self._shown = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "confirm-yes")

    def action_answer(self, confirmed: bool) -> None:
        if confirmed and not self._shown:
            # Said in the box, not as a notice: a notice would cover it on a small terminal.
            self.query_one("#confirm-keys", Static).update(
                "That barge key came before this question was shown: nothing sent. y  barge    n / Esc  cancel"
            )
            return
        self.dismiss(confirmed)
