"""The one-line header: environment badge, host, masked identity and snooper. No clock, so it stays still."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from queuetui.environment import Environment


class StatusHeader(Static):
    def starting(self) -> None:
        self.update(Text.assemble(("queuetui ", "bold"), " starting\u2026"))

    def show(self, environment: Environment, host: str, identity: str, snooper: str) -> None:
        for env in Environment:
            self.set_class(env is environment, f"-{env.value}")
        line = Text()
        # Tight spacing: all of it must fit 80 columns with a production host name.
        line.append("queuetui ", style="bold")
        line.append(f" {environment.value.upper()} ", style="bold reverse")
        line.append(f" {host}" if host else " signed out")
        if identity:
            line.append(f"  {identity}")
        if snooper:
            line.append(f"  snooper {snooper}")
        self.update(line)
