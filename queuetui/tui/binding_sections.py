"""Every binding of the console by where it applies: what F1's help lists, what the user's keymap is checked
against, and what the tour and the key bar name a binding by. Loaded with the first of these, not with the app."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual.binding import Binding, BindingType

from queuetui.tui.keymap import CheckedKeymap, Scope, active_keys, check_keymap
from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.hang_up import HangUpScreen
from queuetui.tui.screens.help import HelpScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.screens.shift_summary import ShiftSummaryScreen
from queuetui.tui.widgets.agents_table import AgentsTable
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.mode_selector import ModeSelector
from queuetui.tui.widgets.sessions_table import SessionsTable

Sections = list[tuple[str, list[BindingType]]]


def binding_sections(everywhere: Sequence[BindingType]) -> Sections:
    """The sections, `everywhere` (the app's own bindings) first."""
    return [
        ("Everywhere", list(everywhere)),
        ("Console", list(ConsoleScreen.BINDINGS)),
        ("Mode selector (when focused)", list(ModeSelector.BINDINGS)),
        ("Live calls (when focused)", list(LiveCallsTable.BINDINGS)),
        ("Agents (when focused)", list(AgentsTable.BINDINGS)),
        ("Sessions list (when focused)", list(SessionsTable.BINDINGS)),
        ("Sign in", list(LoginScreen.BINDINGS)),
        ("Barge confirmation", list(ConfirmBargeScreen.BINDINGS)),
        ("Which call you hung up", list(HangUpScreen.BINDINGS)),
        ("Help", list(HelpScreen.BINDINGS)),
        ("Shift summary", list(ShiftSummaryScreen.BINDINGS)),
    ]


def checked_keymap(keymap: Mapping[str, str], sections: Sections, where: str) -> CheckedKeymap:
    """`keymap` (from the file `where`) checked where keys can clash: only where both bindings are active at once,
    the app's, the screen's and the focused widget's."""
    found = dict(sections)
    everywhere, console = found["Everywhere"], found["Console"]
    scopes = [
        Scope("console", [*everywhere, *console], has_fields=True),
        *(
            Scope(name.split(" (")[0].lower(), [*everywhere, *console, *found[name]])
            for name in found
            if name.endswith("(when focused)")
        ),
        Scope("sign in", [*everywhere, *found["Sign in"]], has_fields=True),
        *(
            Scope(name.lower(), [*everywhere, *found[name]])
            for name in ("Barge confirmation", "Which call you hung up", "Help")
        ),
    ]
    return check_keymap(keymap, scopes, where)


def keys_of(sections: Sections, keymap: Mapping[str, str], binding_id: str, display: Callable[[Binding], str]) -> str:
    """The keys a binding has now (the keymap's, else its own), as the key bar shows them: "f5 or ^g"."""
    for _, bindings in sections:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id == binding_id:
                keys = active_keys(binding, keymap).split(",")
                return " or ".join(display(Binding(key.strip(), "")) for key in keys)
    raise KeyError(binding_id)
