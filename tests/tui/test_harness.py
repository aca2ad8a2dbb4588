"""The harness draws only the frames a test looks at, and every test's last frame: a widget that cannot draw
still fails the test that showed it."""

from __future__ import annotations

import pytest
from rich.text import Text

from queuetui.tui.widgets.status_header import StatusHeader
from tui.conftest import drive, screen_text


def cannot_draw(self: StatusHeader) -> Text:
    raise RuntimeError("the top line cannot draw")


def test_a_widget_that_cannot_draw_fails_the_test_that_showed_it(make_app, monkeypatch):
    h = make_app(demo=True)

    async def steps(pilot):
        monkeypatch.setattr(StatusHeader, "render", cannot_draw)
        h.console.query_one(StatusHeader).refresh()
        await pilot.pause()

    with pytest.raises(RuntimeError, match="cannot draw"):
        drive(h, steps)


def test_what_the_screen_shows_is_drawn_when_looked_at(make_app):
    h = make_app(demo=True)
    shown: list[str] = []

    async def steps(pilot):
        h.field("#call-id").value = "C-10099"
        await pilot.pause()
        shown.append(screen_text(h.app))

    drive(h, steps)
    assert "C-10099" in shown[0]
