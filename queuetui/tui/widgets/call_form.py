"""The call form: which call, the mode, the target and the supervisor's phone, with the Send button, what is being
sent and the field problems.

The form holds what is typed and shows what it is told; it sends nothing itself. Its Send button posts
`Submitted(fields)`; the console's Enter (a priority binding of the screen) reads `fields()` at the moment it is
pressed, in key order. The screen hands either to the session.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from queuetui.api.fields import CALL_ID_MAX
from queuetui.api.modes import SnoopType
from queuetui.tui.widgets.form_input import FormInput
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.send_button import SendButton

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from queuetui.api.fields import FieldErrors
    from queuetui.api.models import BargeRequest
    from queuetui.core.config.settings import Profile

# Form widgets by the wire name of the field they hold, so server and validation errors can focus them.
FIELD_WIDGETS = {
    "callId": "#call-id",
    "snoopType": "#mode",
    "targetEntityType": "#target-type",
    "targetEntityVal": "#target-value",
    "snooperNumber": "#snooper",
}
# The form's fields in Tab order.
FORM_ORDER = ("#call-id", "#target-type", "#target-value", "#snooper")


class CallForm(Vertical):
    class Submitted(Message):
        """Send the form: `fields` by their wire names, as they read when it was sent."""

        def __init__(self, fields: Mapping[str, object]) -> None:
            super().__init__()
            self.fields = dict(fields)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._live_mode: SnoopType | None = None  # the mode of the call the supervisor is on, if any
        self._busy: frozenset[str] = frozenset()  # the calls Send is off for, as last told (`show_busy`)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Call", classes="label")
            yield FormInput(placeholder="e.g. C-10023", id="call-id", compact=True, paste_limit=CALL_ID_MAX)
        yield ModeSelector(frozenset(SnoopType), id="mode")
        yield Static("", id="mode-help")
        with Horizontal(classes="row"):
            yield Label("Target", classes="label")
            yield FormInput("agent", id="target-type", compact=True, paste_limit=32)
            yield FormInput(placeholder="agent id", id="target-value", compact=True, paste_limit=64)
        with Horizontal(classes="row"):
            yield Label("Phone", classes="label")
            yield FormInput(placeholder="yours, rung to connect you", id="snooper", compact=True, paste_limit=24)
        with Horizontal(classes="row"):
            yield SendButton("Send", id="send")
            yield Static("", id="send-status")
        yield Static("", id="form-error")

    def on_mount(self) -> None:
        self.border_title = "Monitor a call"
        self.watch(self.modes, "mode", self._show_mode)

    # ----- what it holds ----------------------------------------------------------------------------

    @property
    def modes(self) -> ModeSelector:
        return self.query_one(ModeSelector)

    def field(self, selector: str) -> Input:
        return self.query_one(selector, Input)

    def fields(self) -> dict[str, object]:
        """The request's fields by their wire names, as the form reads now."""
        return {
            "callId": self.field("#call-id").value,
            "snoopType": self.modes.mode.value,
            "targetEntityType": self.field("#target-type").value,
            "targetEntityVal": self.field("#target-value").value,
            "snooperNumber": self.field("#snooper").value,
        }

    def show_as_sent(self, request: BargeRequest, names: Collection[str] = tuple(FIELD_WIDGETS)) -> None:
        """Each field named (by wire name) as the request carries it (trimmed, the number without its spaces and
        dashes, the type in lower case): the form shows what went out, not a spelling of it."""
        wire = request.wire_fields()
        for name in names:
            widget = self.query_one(FIELD_WIDGETS[name])
            if isinstance(widget, Input) and widget.value != wire[name]:
                widget.value = wire[name]

    def first_to_fill(self) -> Input:
        """The first empty field in Tab order, or Call when none is, to read the form through from the top."""
        fields = [self.field(selector) for selector in FORM_ORDER]
        return next((field for field in fields if not field.value.strip()), fields[0])

    def copy_call(self, call_id: str, agent: str | None) -> None:
        self.field("#call-id").value = call_id
        self.field("#target-type").value = "agent"
        self.field("#target-value").value = agent or ""

    def use_profile(self, profile: Profile) -> None:
        """A newly attached session's profile: the modes it allows, and its snooper number and target type where the
        form has none."""
        self.modes.set_allowed(frozenset(profile.allowed_modes))
        for selector, value in (("#snooper", profile.snooper_number), ("#target-type", profile.target_type)):
            field = self.field(selector)
            if not field.value.strip():
                field.value = value

    def step_down_from_barge(self) -> None:
        """Barge is never the form's resting mode: once a barge is sent or cancelled, the form is back in spy."""
        if self.modes.mode is SnoopType.BARGE:
            self.modes.choose(SnoopType.SPY)

    @on(SendButton.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.post_message(self.Submitted(self.fields()))

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the screen's priority binding, which reads the whole form: a field's own sends nothing

    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        """A field typed into is no longer marked as a problem; a new call in Call may be one Send is off for."""
        event.input.remove_class("-invalid")
        if event.input.id == "call-id":
            self.show_busy(self._busy)

    # ----- what it shows ----------------------------------------------------------------------------

    def show_busy(self, calls: Collection[str]) -> None:
        """Send is off while the call in the form is among `calls` (being sent, or waiting for a yes). The form keeps
        them until it is told again: a call typed into Call meanwhile is checked against them too."""
        self._busy = frozenset(calls)
        self.query_one("#send", SendButton).disabled = self.field("#call-id").value.strip() in self._busy

    def show_sending(self, text: str) -> None:
        status = self.query_one("#send-status", Static)
        if str(status.render()) != text:
            status.update(text)

    def show_live_mode(self, mode: SnoopType | None) -> None:
        """The mode of the call the supervisor is on now (None: on none), for the line under the modes."""
        self._live_mode = mode
        self._show_mode_help()

    def _show_mode(self, mode: SnoopType) -> None:
        self._show_mode_help()
        self.set_class(mode is SnoopType.BARGE, "-barge")
        send = self.query_one("#send", SendButton)
        send.label = "Send BARGE" if mode is SnoopType.BARGE else "Send"
        send.set_class(mode is SnoopType.BARGE, "-barge")

    def _show_mode_help(self) -> None:
        """Under the modes, who hears you in the one chosen. While a call is live in another mode, that would read
        as the state of the live call, which the top line gives: the line says the choice is not live yet."""
        mode = self.modes.mode
        if self._live_mode is not None and self._live_mode is not mode:
            text = f"Not live: Enter sends {mode.value}"
        else:
            text = mode.heard_by[:1].upper() + mode.heard_by[1:]  # keeps the capitals of AND
        help_line = self.query_one("#mode-help", Static)
        if str(help_line.render()) != text:  # refreshed each second while live: no layout when nothing changed
            help_line.update(text)
        help_line.set_class(mode is SnoopType.BARGE, "-barge")

    # ----- field problems ---------------------------------------------------------------------------

    def show_errors(self, errors: FieldErrors) -> None:
        """Mark every field with a problem, say the first (and how many more), and focus its field."""
        self.clear_errors()
        for problem in errors.problems:
            self.mark_invalid(problem.field)
        first, more = errors.problems[0], len(errors.problems) - 1
        # The count goes first: in a narrow form a long message would push it out of sight.
        shown = f"{first.label} (and {more} more): {first.message}" if more else str(first)
        self.query_one("#form-error", Static).update(f"\u2717 {shown}")
        self.focus_field(errors.first_field)

    def clear_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        for selector in FIELD_WIDGETS.values():
            self.query_one(selector).remove_class("-invalid")

    def mark_invalid(self, field: str) -> None:
        selector = FIELD_WIDGETS.get(field)
        if selector:
            self.query_one(selector).add_class("-invalid")

    def focus_field(self, field: str, sent: BargeRequest | None = None) -> None:
        """Mark and focus the field a problem is about. A field the server refused (`sent`) is also selected while
        it still holds what was sent, so the corrected value replaces it, as after a Tab; one typed into since the
        request went out is left as the supervisor has it."""
        selector = FIELD_WIDGETS.get(field)
        if not selector:
            return
        widget = self.query_one(selector)
        widget.add_class("-invalid")
        # At once: `Widget.focus()` waits its turn in the app's queue, behind keys already typed.
        self.screen.set_focus(widget)
        if sent is not None and isinstance(widget, Input):
            as_sent = str(sent.wire_fields().get(field, ""))
            if widget.value.strip() == as_sent:
                widget.select_all()
