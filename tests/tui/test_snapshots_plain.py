"""Pictures of what a supervisor at the far end of an SSH link sees at 80x24: a jump host whose locale is not UTF-8
(LANG=C, so the console writes plain ASCII) and the light theme in a 16-colour terminal (TERM=xterm). Then one
rule checked on every approved picture, these and the others: no message is cut short.

The pictures are Textual's own screenshot, passed through what the terminal would get: `to_ascii`, the function
the ASCII driver applies to every byte it writes, one character for one; and for 16 colours, each colour replaced
by the nearest of the standard palette, as Textual sends them to such a terminal. Pinned as in
test_snapshots_live.py: the clock, the base URL, the server, the measured latency.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.color import Color, ColorSystem
from textual.pilot import Pilot

from queuetui.tui.app import QueueApp
from queuetui.tui.ascii_terminal import to_ascii
from tui.conftest import Harness, send_call
from tui.test_snapshots_live import FIXED_URL, seed_success, signed_in_steady

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def as_ascii(app: QueueApp) -> None:
    """The app's screenshots as a terminal without UTF-8 gets its frames."""
    export = app.export_screenshot

    def exported(**options: Any) -> str:
        return to_ascii(export(**options))

    app.export_screenshot = exported  # type: ignore[method-assign]


def sixteen_colours(app: QueueApp) -> None:
    """The app's screenshots in the colours a 16-colour terminal shows."""
    export = app.export_screenshot

    def nearest(found: re.Match[str]) -> str:
        colour = Color.parse(found[0]).downgrade(ColorSystem.STANDARD).get_truecolor()
        return colour.hex

    def exported(**options: Any) -> str:
        svg = export(**options)
        head, style_end, body = svg.partition("</style>")
        return HEX.sub(nearest, head) + style_end + body

    app.export_screenshot = exported  # type: ignore[method-assign]


async def spy_with_its_notice(pilot: Pilot[None]) -> None:
    """A spy from the form, its notice on screen where notices sit."""
    await signed_in_steady(pilot)
    await send_call(pilot, "C-10023", "13")


def refuses_agent_13_on_c_10017(request: httpx.Request) -> httpx.Response:
    """The seed's success, but for agent 13 on C-10017, which DeepCall refuses as the simulator does."""
    if json.loads(request.content).get("callId") == "C-10017":
        message = "Invalid filter value: targetEntityVal does not match the agent on C-10017"
        return httpx.Response(200, json={"status": "error", "message": message, "code": 1502})
    return seed_success(request)


async def wrong_agent_with_its_notice(pilot: Pilot[None]) -> None:
    """A whisper live, then a refusal: its notice in floor words, DeepCall's own on the log's next line."""
    await signed_in_steady(pilot)
    await send_call(pilot, "C-10023", "13", mode="whisper")
    await send_call(pilot, "C-10017", "13", mode="spy")


def test_a_terminal_without_utf8_gets_plain_ascii_at_80x24(
    snap_compare: Callable[..., bool], make_app: Callable[..., Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_CTYPE", "QUEUETUI_ASCII"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")
    app = make_app(base_url=FIXED_URL, transport=httpx.MockTransport(refuses_agent_13_on_c_10017)).app
    assert app.plain_ascii
    as_ascii(app)
    assert snap_compare(app, terminal_size=(80, 24), run_before=wrong_agent_with_its_notice)


def test_the_light_theme_in_16_colours_at_80x24(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., Harness],
    write_config: Callable[[str], Path],
) -> None:
    write_config('theme = "queuetui-light"\n')
    app = make_app(base_url=FIXED_URL, transport=httpx.MockTransport(seed_success)).app
    sixteen_colours(app)
    assert snap_compare(app, terminal_size=(80, 24), run_before=spy_with_its_notice)


# ----- no message cut short, in any approved picture ---------------------------------------------------------

TEXT = re.compile(r'<text class="[^"]*" x="(?P<x>[0-9.]+)" y="(?P<y>[0-9.]+)"[^>]*>(?P<text>[^<]*)</text>')
CELL_WIDTH = 12.2
# A call id shortened in the middle (its whole id is under the live list): "C-1…123".
SHORT_ID = re.compile(r"C-\w*[\u2026~]\w+")
# A row of the live list or the sessions list: a cell there is shortened to its column, the whole value under the list.
TABLE_ROW = re.compile(r"^[\u25cf\u00d7*x ]?\s*(?:\d\d:\d\d )?C-[\w.:\-\u2026~]+ ")
# Whole words that end in an ellipsis, as a state: "loading…".
WHOLE = ("loading\u2026", "\u2026 sending")


def picture_rows(svg: str) -> list[str]:
    """The picture's text, a string per terminal row."""
    rows: dict[float, list[tuple[int, str]]] = {}
    for found in TEXT.finditer(svg):
        column = round(float(found["x"]) / CELL_WIDTH)
        text = html.unescape(found["text"]).replace("\xa0", " ").replace("\n", "")  # each row ends in a newline
        rows.setdefault(float(found["y"]), []).append((column, text))
    lines = []
    for y in sorted(rows):
        line = ""
        for column, text in sorted(rows[y]):
            line = line.ljust(column) + text
        lines.append(line)
    return lines


def panes(row: str) -> list[str]:
    """The row's text between borders, each panel's part apart."""
    return [part.strip() for part in re.split(r"[\u2502\u2503\u2551|]", row) if part.strip()]


def cut_messages(svg: str, ellipsis: str) -> list[str]:
    cut = []
    for row in picture_rows(svg):
        for part in panes(row):
            if ellipsis not in part or TABLE_ROW.match(part):
                continue
            rest = SHORT_ID.sub("", part)
            for whole in WHOLE:
                rest = rest.replace(whole, "")
            if ellipsis in rest:
                cut.append(part)
    return cut


def every_picture() -> list[Path]:
    return sorted([*SNAPSHOTS.glob("*/*.svg"), *SCREENSHOTS.glob("*.svg")])


def test_the_rows_of_a_picture_read_as_the_terminal_showed_them() -> None:
    """The reader the next test relies on, against a picture whose words are known."""
    (console,) = SNAPSHOTS.glob("test_snapshots/*console-80x24*.svg")
    rows = picture_rows(console.read_text(encoding="utf-8"))
    assert len(rows) == 24
    assert rows[0].startswith(" \u25cb not on a call")
    assert "Monitor a call" in rows[1]


@pytest.mark.parametrize("picture", every_picture(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_no_picture_shows_a_message_cut_short(picture: Path) -> None:
    """An ellipsis is allowed only where the whole text is one look away: a cell of the live list or the sessions
    list, or an id shortened in the middle (both shown whole under the list). A message (a notice, a log line, a
    title, a form error, a question) is shown whole, wrapped at its words."""
    svg = picture.read_text(encoding="utf-8")
    ellipsis = "~" if "test_a_terminal_without_utf8" in picture.name else "\u2026"
    assert cut_messages(svg, ellipsis) == []


def test_a_message_cut_short_is_found() -> None:
    """The rule above catches the cuts the issue found at 80x24, and lets a live-list cell through."""
    row = "\u2502{}\u2502"
    pictured = "".join(
        f'<text class="r" x="0" y="{20 + 24.4 * number}" textLength="976">{html.escape(text)}</text>'
        for number, text in enumerate(
            [
                row.format("0 calls \u00b7 not loaded: Session expired o\u2026"),
                row.format("STALE, 1 refreshes missed: 1\u2026"),
                row.format("  C-20356 128 Pri\u2026 0932 support talk  3m"),
                row.format("14:25 C-1\u2026123 13  SPY     \u2713 ok"),
            ]
        )
    )
    assert cut_messages(pictured, "\u2026") == [
        "0 calls \u00b7 not loaded: Session expired o\u2026",
        "STALE, 1 refreshes missed: 1\u2026",
    ]
