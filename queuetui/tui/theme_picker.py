"""The theme picker: queuetui's own themes first, the current one marked, then Textual's."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

CURRENT = "\u25cf "


class ThemePicker(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], None]]]:
        app = self.app
        names = sorted(app.available_themes, key=lambda name: (not name.startswith("queuetui-"), name))

        def choose(name: str) -> None:
            app.theme = name

        return [
            (f"{CURRENT}{name} (current)" if name == app.theme else f"  {name}", partial(choose, name))
            for name in names
        ]

    async def discover(self) -> Hits:
        for label, choose in self._commands():
            yield DiscoveryHit(label, choose)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, choose in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), choose)
