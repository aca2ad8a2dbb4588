"""The one-line header: environment badge, host, masked identity and snooper. No clock, so it stays still."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from queuetui.core.environment import Environment


@dataclass(frozen=True)
class HeaderFacts:
    environment: Environment
    host: str
    identity: str
    snooper: str


class StatusHeader(Widget):
    """What the header says shrinks to fit the width, least useful words first; the environment badge and
    the host never go."""

    DEFAULT_CSS = "StatusHeader { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts: HeaderFacts | None = None

    def starting(self) -> None:
        self.facts = None
        self.refresh()

    def show(self, environment: Environment, host: str, identity: str, snooper: str) -> None:
        for env in Environment:
            self.set_class(env is environment, f"-{env.value}")
        self.facts = HeaderFacts(environment, host, identity, snooper)
        self.refresh()

    def render(self) -> Text:
        if self.facts is None:
            return Text.assemble(("queuetui ", "bold"), " starting\u2026")
        for line in self._variants(self.facts):
            if line.cell_len <= self.size.width:
                return line
        return line

    @staticmethod
    def _variants(facts: HeaderFacts) -> list[Text]:
        badge = (f" {facts.environment.value.upper()} ", "bold reverse")
        host = f" {facts.host}" if facts.host else " signed out"
        identity = f"  {facts.identity}" if facts.identity else ""
        snooper = f"  snooper {facts.snooper}" if facts.snooper else ""
        short_snooper = f"  \u260e {facts.snooper}" if facts.snooper else ""
        return [
            Text.assemble(("queuetui ", "bold"), badge, host, identity, snooper),
            Text.assemble(badge, host, identity, snooper),
            Text.assemble(badge, host, identity, short_snooper),
            Text.assemble(badge, host, short_snooper),
            Text.assemble(badge, host),
        ]
