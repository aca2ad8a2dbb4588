"""The app's own key bindings, each with why it is bound as it is: they apply on every screen. Their ids are what the
user's `[keymap]` names."""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    Binding("f1", "help", "Help", id="app.help", tooltip="This list of keys"),
    # For terminals that do not send F-keys: works wherever it would not type a question mark.
    Binding("question_mark", "help", "Help", show=False, id="app.help_alt", tooltip="This list of keys"),
    # Priority, so focus moves before the keys behind it are routed: type-ahead over a slow SSH link
    # arrives as one burst, and without this "C-1<Tab>13" would all land in the first field.
    Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next"),
    Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True, id="app.previous"),
    # Priority, and here rather than on the sign-in screen: the console replaces that screen before the keys
    # typed after Enter are routed, so they reach the console, not a form already read. Ctrl+J: an Enter
    # typed before the app has the terminal (a burst typed with the command) arrives as a line feed.
    Binding(
        "enter,ctrl+j",
        "sign_in",
        "Sign in",
        show=False,
        priority=True,
        id="app.sign_in",
        tooltip="On the sign-in screen: sign in with the form as typed",
    ),
]
