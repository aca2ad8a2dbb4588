"""Every key binding of the app, generated from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from queuetui.tui.keymap import active_keys
from queuetui.tui.widgets.key_bar import browser_words


def binding_table(
    sections: list[tuple[str, list[BindingType]]], keymap: Mapping[str, str], shown: Callable[[str], str]
) -> Group:
    """One titled table a section: the keys in force (the keymap's where it remaps; each as `shown`, the way the
    key bar shows it) and what they do (the binding's tooltip, else its footer description). The ids to remap
    them by come last, in a section of their own, as lines of `[keymap]`: a supervisor looks keys up by what
    they do, and only someone changing them needs the ids."""
    parts: list[Table | Text] = []
    remappable: list[tuple[str, str]] = []
    for title, bindings in sections:
        parts.append(Text(title, style="bold underline"))
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column("keys", style="bold", no_wrap=True, min_width=12)
        table.add_column("what")
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                keys = active_keys(binding, keymap)
                table.add_row(" / ".join(shown(key) for key in keys.split(",")), binding.tooltip or binding.description)
                if binding.id and (binding.id, keys) not in remappable:
                    remappable.append((binding.id, keys))
        parts += [table, Text("")]
    parts.append(Text("Your own keys: in config.toml, under [keymap]", style="bold underline"))
    parts.append(Text("\n".join(f'"{binding_id}" = "{keys}"' for binding_id, keys in remappable)))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
        HelpScreen {
            align: center middle;
        }
        #help-box {
            width: 100;
            max-width: 100%;
            height: 90%;
            border: round $primary;
            padding: 0 1;
        }
    """

    # Priority, as every key that closes a dialog: the keys typed behind it reach the console.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close help", id="help.close", priority=True)
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            if self.app.is_web:
                yield Static(browser_words(), id="help-browser")
            yield Static(binding_table(self.sections, self.keymap, self._shown), id="help-table")

    def _shown(self, key: str) -> str:
        return self.app.get_key_display(Binding(key.strip(), ""))

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys (Esc closes)"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
