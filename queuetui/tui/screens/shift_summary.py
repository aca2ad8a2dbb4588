"""This shift in numbers: actions by mode and by outcome, and the time from the first to the last."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from queuetui.core.outcome import outcome_words

if TYPE_CHECKING:
    from queuetui.core.audit.trail import ShiftSummary


def summary_table(summary: ShiftSummary) -> Table:
    table = Table(box=None, padding=(0, 2, 0, 0))
    outcomes = sorted(summary.by_outcome)
    table.add_column("mode", style="bold")
    for outcome in outcomes:
        table.add_column(outcome_words(outcome), justify="right")
    table.add_column("all", justify="right", style="bold")
    for mode in ("spy", "whisper", "barge"):
        counts = [summary.by_mode_and_outcome.get((mode, outcome), 0) for outcome in outcomes]
        table.add_row(mode.upper(), *map(str, counts), str(summary.by_mode.get(mode, 0)))
    return table


class ShiftSummaryScreen(ModalScreen[None]):
    DEFAULT_CSS = """
        ShiftSummaryScreen {
            align: center middle;
        }
        /* As wide as what it shows: what it covers is what the console draws again when it closes. */
        #shift-box {
            width: auto;
            max-width: 100%;
            height: auto;
            border: round $primary;
            padding: 0 1;
        }
        #shift-box > Static {
            width: auto;
        }
        #shift-hint {
            color: $text-muted;
            margin-top: 1;
        }
    """

    # Priority, as every key that closes a dialog: the keys typed behind it reach the console.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss", "Close", id="shift.close", priority=True)]

    def __init__(self, summary: ShiftSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        summary = self.summary
        minutes = int(summary.on_shift.total_seconds() // 60)
        actions = "1 action" if summary.actions == 1 else f"{summary.actions} actions"
        done = f"{actions} today since {summary.first.astimezone():%H:%M}" if summary.first else "No actions yet today"
        with Vertical(id="shift-box"):
            yield Static(f"{done}; on shift {minutes // 60} h {minutes % 60:02} min", id="shift-line")
            yield Static(summary_table(summary), id="shift-table")
            yield Static("Every record: queuetui audit --since today", id="shift-hint")

    def on_mount(self) -> None:
        self.query_one("#shift-box").border_title = "This shift (Esc closes)"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
