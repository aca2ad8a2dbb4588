"""The console's key bindings, each with why it is bound as it is. Their ids are what the user's `[keymap]` names."""

from __future__ import annotations

from textual.binding import Binding, BindingType

# Send and the mode keys are priority bindings: the app runs them the moment the key arrives, in the order
# typed. Send then waits for the form's fields to finish the keys typed before it, and reads the form
# before any later key is handled. Ctrl+J is an Enter typed before the app had the terminal (a burst typed
# with the command): the terminal turns it into a line feed.
CONSOLE_BINDINGS: list[BindingType] = [
    Binding(
        "enter,ctrl+j,ctrl+s",
        "send",
        "Send",
        show=False,
        priority=True,
        id="console.send",
        tooltip="Send the form as it reads now (Enter in the form, or Ctrl+S)",
    ),
    # Each F-key has a Ctrl twin for terminals and SSH clients that do not send F-keys; the key bar names both.
    # No twin is the prefix key of a terminal multiplexer (Ctrl+B for tmux, Ctrl+A for screen): never delivered.
    Binding(
        "f2,ctrl+o",
        "mode('spy')",
        "Spy",
        priority=True,
        id="console.spy",
        tooltip="Mode spy: nobody hears you",
    ),
    Binding(
        "f3,ctrl+t",
        "mode('whisper')",
        "Whisper",
        priority=True,
        id="console.whisper",
        tooltip="Mode whisper: the agent hears you, the customer does not",
    ),
    Binding(
        "f4,ctrl+r",
        "mode('barge')",
        "Barge",
        priority=True,
        id="console.barge",
        tooltip="Mode barge: agent and customer hear you (asks to confirm)",
    ),
    # Priority too: handled after the keys typed behind it (`F5 Enter` in one burst), it let that Enter send
    # the form before the question of which call was hung up was asked.
    Binding(
        "f5,ctrl+g",
        "hung_up",
        "Hung up",
        priority=True,
        id="console.hung_up",
        tooltip="I hung up my phone: the live call is over for me",
    ),
    Binding(
        "f6,ctrl+y",
        "shift_summary",
        "Shift",
        show=False,
        id="console.shift",
        tooltip="This shift: actions by mode and outcome, time on shift",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        show=False,
        priority=True,
        id="console.filter",
        tooltip="Filter the live calls",
    ),
    # Down in the filter goes to the first match; elsewhere it keeps its own meaning.
    Binding(
        "down",
        "first_match",
        "First match",
        show=False,
        priority=True,
        id="console.first_match",
        tooltip="In the filter: go to the first match (Enter does too)",
    ),
    # Not a priority: in a field `a` is a letter; on the list or anywhere else it acknowledges.
    Binding(
        "a",
        "acknowledge",
        "Ack",
        show=False,
        id="console.acknowledge",
        tooltip="Acknowledge the alarms now on: the bell does not ring again for them",
    ),
    Binding(
        "F",
        "spy_followed",
        "Spy followed",
        show=False,
        id="console.spy_followed",
        tooltip="Spy on the new call of the agent you follow (f on an agent or a call follows them)",
    ),
    # A priority, as Down's: the keys behind the Esc in a burst meet the list it lays out. Elsewhere it is skipped
    # and Esc keeps its other meanings (leaving the tour, below).
    Binding(
        "escape",
        "leave_filter",
        "Leave filter",
        show=False,
        priority=True,
        id="console.leave_filter",
        tooltip="In the filter: empty it and go back to the list, on the call you were on",
    ),
    Binding("escape", "leave_tour", "Leave tour", show=False, id="console.leave_tour", tooltip="Leave the tour"),
    Binding("ctrl+l", "clear_log", "Clear", show=False, id="console.clear_log", tooltip="Clear the log panel"),
    # Priority, unlike the rest: Input binds ctrl+e to "end", which would swallow it in every field.
    # Export does not read the form, so it cannot act on a half-typed one.
    Binding(
        "ctrl+e",
        "export_log",
        "Export",
        id="console.export_log",
        show=False,
        priority=True,
        tooltip="Export the log panel to a file",
    ),
]
