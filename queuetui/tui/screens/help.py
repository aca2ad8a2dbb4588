"""Every key binding of the app, generated from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _keys(binding: Binding) -> str:
    return " / ".join(key.replace("ctrl+", "^").replace("question_mark", "?") for key in binding.key.split(","))


def binding_table(sections: list[tuple[str, list[BindingType]]]) -> Group:
    """One titled table a section; the help text is the binding's tooltip, else its footer description."""
    parts: list[Table | Text] = []
    for title, bindings in sections:
        parts.append(Text(title, style="bold underline"))
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column("keys", style="bold", no_wrap=True, min_width=12)
        table.add_column("what")
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                table.add_row(_keys(binding), binding.tooltip or binding.description)
        parts += [table, Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(binding_table(self.sections), id="help-table")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys (Esc closes)"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
