"""The private names of Textual and textual-serve that queuetui relies on, behind one door.

Both libraries are pinned (pyproject.toml) because queuetui reaches past their public API where that API offers no
way to do what the console must. Every such name is in `NAMES`, with why it is needed, and nowhere else:

- names the console calls or reads are reached through the functions below, never directly;
- a private hook a class of ours overrides (Textual's crash report, the palette's list, textual-serve's child
  environment) stays in that class, and its entry here says where;
- the served front end (`queuetui/web`) may not import Textual or this module (pyproject.toml's contracts), so its
  overrides of textual-serve's hooks are listed here and used in place;
- the test harness's own reaches into Textual are listed too, so that an upgrade is judged in one place.

`tests/test_textual_private.py` looks every name up, failing with its name when an upgrade removes one, and fails on
a private name used anywhere in the package or the tests that is not listed here.

This module loads with the first frame: it imports only what Textual has imported by then.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.keys import _character_to_key

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.dom import DOMNode

__all__ = [
    "NAMES",
    "XTermParser",
    "bindings_of",
    "character_to_key",
    "cut_escape_wait",
    "event_time",
    "keep_newest_notification",
    "keymap_of",
    "read_keys_with",
    "take_down_notifications",
]


class Private(NamedTuple):
    """`name` in `owner` ("package.module" or "package.module:Class"), and why queuetui needs it."""

    owner: str
    name: str
    why: str


NAMES: tuple[Private, ...] = (
    # Reached through this module.
    Private(
        "textual._time",
        "get_time",
        "the clock key events are stamped with: a key typed before a question or "
        "the palette's list was drawn is told apart from one typed after",
    ),
    Private(
        "textual._xterm_parser",
        "XTermParser",
        "the terminal's input parser: an Esc typed in a burst is read "
        "as Esc, not Alt+ the next key (tui/escape_key.py)",
    ),
    Private(
        "textual._xterm_parser:XTermParser",
        "_timeout_time",
        "when the parser's wait after an ESC ends: a key that starts no key code, or nothing behind an ESC read alone, "
        "ends it at once",
    ),
    Private(
        "textual.drivers.linux_driver",
        "XTermParser",
        "the name the terminal driver builds its parser by, replaced before the app runs",
    ),
    Private(
        "textual.keys",
        "_character_to_key",
        "the name key events give a typed character: the user's keymap must spell keys as they arrive",
    ),
    Private("textual.app:App", "_keymap", "the keymap in force: the form's fields and the key bar apply it too"),
    Private(
        "textual.dom:DOMNode",
        "_bindings",
        "a field's own bindings, remapped by the keymap before the field handles a key the screen does not take",
    ),
    Private("textual.app:App", "_notifications", "the notices on screen: at most two are kept at 80x24"),
    Private("textual.app:App", "_unnotify", "takes a notice down; Textual has no public way to"),
    # Hooks overridden in place.
    Private(
        "textual.app:App",
        "_fatal_error",
        "the crash report, replaced in tui/app.py by one that shows no local "
        "variables (a frame of the sign-in form holds a secret)",
    ),
    Private(
        "textual.command:CommandPalette",
        "_refresh_command_list",
        "called when the palette's list is redrawn: "
        "tui/screens/palette.py refuses an Enter typed before the list it would act on was shown",
    ),
    Private(
        "textual.scroll_view:ScrollView",
        "_size_updated",
        "called at every layout of the screen: tui/widgets/steady_scroll.py skips the scrollbar's redraw when "
        "nothing of the view changed (a notice coming or going re-lays out the screen)",
    ),
    Private(
        "textual.widgets:Input",
        "_on_key",
        "the field's key handler: tui/widgets/form_input.py runs the field's remapped bindings before Input's own",
    ),
    Private(
        "textual.widgets:Input",
        "_on_paste",
        "the field's paste handler: tui/widgets/form_input.py refuses a paste of many lines or over the field's limit",
    ),
    Private(
        "textual_serve.app_service:AppService",
        "_build_environment",
        "the served console's environment: "
        "web/server.py gives each console a folder of its own and the terminal's settings",
    ),
    Private(
        "textual_serve.app_service:AppService",
        "_process",
        "the served console's process: web/server.py waits for it to end, and kills it if it does not",
    ),
    Private(
        "textual_serve.server:Server",
        "_make_app",
        "the web application: web/server.py adds its host check and its own routes",
    ),
    Private(
        "textual_serve.server:Server",
        "_process_messages",
        "a tab's messages: web/server.py drops what does not look like textual.js's instead of failing the console",
    ),
    # The test harness (tests/tui/conftest.py and the tests that look inside a running app).
    Private("textual._compositor", "Compositor", "the harness draws a frame only when a test looks at the screen"),
    Private("textual.screen:Screen", "_compositor", "the harness renders the screen a test looks at"),
    Private(
        "textual._compositor:Compositor",
        "_dirty_regions",
        "the harness drops a frame nobody looks at, as Textual does once it is drawn",
    ),
    Private("textual.screen:Screen", "_refresh_layout", "the layout tests count the layouts a resize causes"),
    Private("textual.app:App", "_background_screens", "the harness renders the screens under a modal one too"),
    Private(
        "textual.css.stylesheet:Stylesheet",
        "_parse_rules",
        "the harness shares parsed CSS between the apps a worker starts",
    ),
    Private("textual.css.stylesheet:Stylesheet", "_variables", "part of what the harness keys parsed CSS by"),
    Private("textual._wait", "SLEEP_GRANULARITY", "the harness checks for idle in shorter slices"),
    Private("textual.app:App", "_batch_count", "the type-ahead tests check that screen updates are no longer held"),
    Private("textual.app:App", "_exit", "the type-ahead tests wait for the app to be told to exit"),
    Private("textual.widgets._toast", "Toast", "the training tests read the notices on screen"),
    Private("textual.screen:Screen", "_compositor_refresh", "the start-up tests count the frames drawn"),
)


def event_time() -> float:
    """The time now by the clock key events are stamped with (`events.Key.time`)."""
    return get_time()


def character_to_key(character: str) -> str:
    """The key name a key event gives `character` (`?` → question_mark)."""
    return _character_to_key(character)


def read_keys_with(parser: Callable[[bool], XTermParser]) -> None:
    """Make Textual's terminal driver read keys with the parser `parser(debug)` makes (before the app runs). Windows
    consoles send keys, not bytes: their driver is left as it is."""
    if sys.platform == "win32":
        return
    from textual.drivers import linux_driver  # the driver names its parser at this module's level

    linux_driver.XTermParser = parser  # type: ignore[attr-defined,assignment]


def cut_escape_wait(parser: XTermParser) -> bool:
    """End `parser`'s wait after an ESC, as its timeout would at its next tick; False when it was not waiting."""
    if parser._timeout_time is None:
        return False
    parser._timeout_time = 0.0
    return True


def keymap_of(app: App[Any]) -> Mapping[str, str]:
    """The keymap in force (binding id → keys)."""
    return app._keymap


def bindings_of(node: DOMNode) -> BindingsMap:
    """`node`'s own bindings, before any keymap."""
    return node._bindings


def take_down_notifications(app: App[Any], message: str) -> None:
    """Take down the notices on screen that show `message`, without a redraw of their own."""
    for shown in list(app._notifications):
        if shown.message == message:
            app._unnotify(shown, refresh=False)


def keep_newest_notification(app: App[Any]) -> None:
    """Take down every notice on screen but the newest, without a redraw of its own."""
    for older in list(app._notifications)[:-1]:
        app._unnotify(older, refresh=False)
