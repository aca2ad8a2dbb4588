"""Legible at 80x24 over SSH: one test for each thing a supervisor could misread on a small, plain terminal.

The log, the sessions list, the footer, the form's errors and pastes, barge's danger signal, toggles without
colour, success and retry wording, the theme picker, larger terminals, error advice, timeouts and the base URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from helpers import FIXED_NOW, outcome_records
from textual import events
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Static

from queuetui.api.fields import CALL_ID_MAX
from queuetui.core.service import RateGuard, RetryPolicy
from queuetui.sim import SimServer
from queuetui.sim.scenario import SUCCESS_TEXT
from queuetui.tui.screens.console import ConsoleScreen
from queuetui.tui.screens.login import LoginScreen
from queuetui.tui.widgets import log_panel
from queuetui.tui.widgets.key_bar import KeyBar
from queuetui.tui.widgets.live_calls import LiveCallsTable
from queuetui.tui.widgets.log_panel import LogPanel
from queuetui.tui.widgets.toggles import MarkedCheckbox
from tui.conftest import (
    Harness,
    barge_dialog,
    drive,
    fill,
    fill_form,
    mode_of,
    press_for_screen,
    screen_text,
    send_call,
    settle,
    signed_in,
    wait_until,
)

FIXED_URL = "https://deepcall.example/api/v2"


def seed_success(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=SUCCESS_TEXT.encode())


def deepcall_error(code: int, message: str) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "error", "message": message, "code": code})

    return answer


async def quiet(pilot: Pilot[None]) -> None:
    """Dismiss the toasts, so the screen shows what lies under them."""
    pilot.app.clear_notifications()
    await pilot.pause()


def crop(text: str, region: Region) -> list[str]:
    """The part of the screen's text inside `region`, one string per row."""
    rows = text.splitlines()
    return [row[region.x : region.right] for row in rows[region.y : region.bottom]]


# ----- the log -------------------------------------------------------------------------------------------


async def resized(pilot: Pilot[None], width: int, height: int) -> None:
    await pilot.resize_terminal(width, height)
    await wait_until(pilot, lambda: tuple(pilot.app.size) == (width, height))
    await pilot.pause()


def log_fits(log: LogPanel) -> tuple[bool, bool]:
    """(every rendered line fits the visible width, the newest line is in view)."""
    width = log.scrollable_content_region.width
    fits = all(strip.cell_length <= width for strip in log.rows) and log.virtual_size.width <= width
    return fits, log.scroll_offset.y == log.max_scroll_y


def test_the_log_wraps_to_its_width_rewraps_on_resize_and_stays_at_the_newest_line(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    seen: list[tuple[int, bool, bool, bool]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        for call_id, agent in (("C-10023", "13"), ("C-10017", "7"), ("C-10031", "21")):
            await send_call(pilot, call_id, agent)
        await quiet(pilot)
        log = h.console.query_one(LogPanel)
        newest_words = h.log_lines[-1].split()[-3:]
        for width, height in ((80, 24), (120, 36), (80, 24)):
            await resized(pilot, width, height)
            fits, at_end = log_fits(log)
            shown = " ".join(crop(screen_text(h.app), log.content_region)).split()
            seen.append((log.scrollable_content_region.width, fits, at_end, shown[-3:] == newest_words))

    drive(h, steps)
    narrow, wide, narrow_again = seen
    assert narrow[0] < wide[0] and narrow_again[0] == narrow[0]
    assert [look[1:] for look in seen] == [(True, True, True)] * 3


def test_the_log_keeps_its_newest_lines_and_drops_the_rows_of_the_oldest_with_them(
    make_app: Callable[..., Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The panel's limit, lowered for the test: the same code drops the oldest line at 200 as at 5,000, and
    # writing 5,000 lines took most of this test's 4 s.
    monkeypatch.setattr(log_panel, "MAX_LINES", 200)
    h = make_app(demo=True)
    kept: list[str] = []
    rows: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        log = h.console.query_one(LogPanel)
        log.clear()
        for number in range(210):  # each wraps to three rows in the panel at 80 columns
            log.add("info", f"line {number} " + "x" * 60, FIXED_NOW)
        await pilot.pause()
        kept.extend(log.lines_text)
        rows.extend(strip.text.rstrip() for strip in log.rows)

    drive(h, steps)
    assert len(kept) == 200
    assert kept[0].endswith("line 10 " + "x" * 60) and kept[-1].startswith("10:41:02")
    assert len(rows) == 3 * 200
    assert rows[0].endswith(" line 10") and rows[-3].endswith(" line 209")


# ----- the sessions list ---------------------------------------------------------------------------------

ROW = re.compile(r"^\d\d:\d\d (?P<call>\S+) +(?P<agent>\S+) +(?P<mode>SPY|WHISPER|BARGE) +(?P<result>\S+(?: \S+)?) *$")
RESULTS = ("\u2713 ok", "\u25cf LIVE", "\u21b7 left", "\u25a0 end")


async def many_rows(pilot: Pilot[None], h: Harness) -> list[str]:
    """Ten actions (more than the list shows at 80x24), then two with values longer than their columns and one
    more: the sessions list as the screen shows it (toasts dismissed), inside its border."""
    await signed_in(pilot)
    await fill_form(pilot, "C-10023", "13")
    for _ in range(10):
        await pilot.press("enter")
        await settle(pilot)
    await send_call(pilot, "C-1234567890123", "13")  # no such call: 1012
    await send_call(pilot, "C-10023", "1234567")  # not its agent: 1502
    await send_call(pilot, "C-10017", "7")
    await quiet(pilot)
    assert h.sessions.show_vertical_scrollbar
    inside = h.sessions.region.shrink(h.sessions.styles.gutter)
    return crop(screen_text(h.app), inside)


def test_sessions_list_columns_never_run_together_long_ids_are_shortened_in_the_middle_and_the_result_stays_whole(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    """One long list read twice: its cells, and its result column beside the scrollbar."""
    h = make_app(base_url=sim.url, rate=RateGuard(max_actions=1000, window_s=60.0))
    rows: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        rows.extend(await many_rows(pilot, h))

    drive(h, steps)
    header, *body = (row[:-1] for row in rows)  # the last column is the scrollbar's
    assert header.split() == ["Time", "Call", "Ag", "Mode", "Result"]
    parsed = [ROW.match(row.rstrip()) for row in body]
    assert all(parsed), "\n".join(rows)
    cells = [(m["call"], m["agent"], m["mode"]) for m in parsed if m]
    assert cells[-3:] == [("C-1\u2026123", "13", "SPY"), ("C-10023", "12\u2026", "SPY"), ("C-10017", "7", "SPY")]
    results = [m["result"] for m in parsed if m]
    assert results[-3:] == ["\u2717 1012", "\u2717 1502", "\u25cf LIVE"]
    assert set(results[:-3]) <= set(RESULTS)


def test_sessions_rows_are_marked_as_well_as_coloured_by_outcome(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    cells: list[tuple[str, str]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "14")  # 1502
        await send_call(pilot, "C-10017", "7")
        await send_call(pilot, "C-10023", "13")
        for row in range(h.sessions.row_count):
            cell = h.sessions.get_row_at(row)[-1]
            cells.append((cell.plain, str(cell.style)))

    drive(h, steps)
    marks = [plain[0] for plain, _ in cells]
    assert marks == ["\u2717", "\u21b7", "\u25cf"]  # failed, left for another call, live
    assert len({style for _, style in cells}) == 3  # and each looks different in colour terminals too


# ----- the footer ----------------------------------------------------------------------------------------

MODES_AND_MORE = ("f2 ^o Spy", "f3 ^t Whisper", "f4 ^r Barge", "^q Quit", "f1 Help")


@pytest.mark.parametrize(
    ("width", "must_show"),
    [
        (80, MODES_AND_MORE),
        (60, ("f2 Spy", "f4 Barge", "^q Quit", "f1 Help")),  # too narrow for the Ctrl twins: first keys only
    ],
)
def test_the_footer_keeps_quit_help_and_the_modes_whatever_has_the_focus(
    make_app: Callable[..., Harness], sim: SimServer, width: int, must_show: tuple[str, ...]
) -> None:
    h = make_app(base_url=sim.url)
    footers: dict[str, str] = {}

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")  # a row in the sessions list, so its keys would apply
        for focus in ("#call-id", "#mode", "#send", "#sessions", "#log"):
            h.console.query_one(focus).focus()
            await quiet(pilot)
            footers[focus] = screen_text(h.app).splitlines()[-1]

    drive(h, steps, size=(width, 24))
    missing = {focus: [words for words in must_show if words not in footer] for focus, footer in footers.items()}
    assert len(footers) == 5
    assert not any(missing.values()), footers


def test_a_click_on_a_key_in_the_footer_presses_it(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    modes: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        bar = h.console.query_one(KeyBar)
        footer = screen_text(h.app).splitlines()[-1]
        for words in ("f3 ^t Whisper", "f2 ^o Spy"):
            await pilot.click(KeyBar, offset=(footer.index(words) + 1, 0))
            await pilot.pause()
            modes.append(mode_of(pilot))
        assert bar.key_at(len(footer.rstrip()) + 1) is None  # past the last key: nothing is pressed

    drive(h, steps)
    assert modes == ["whisper", "spy"]


@pytest.mark.parametrize("focus", ["#calls", "#filter"])
def test_the_footer_keeps_quit_help_and_the_modes_beside_the_live_calls(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path], focus: str
) -> None:
    write_config(floor_profile(sim))
    h = make_app(profile="floor")
    footers: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        h.console.query_one(focus).focus()
        await quiet(pilot)
        footers.append(screen_text(h.app).splitlines()[-1])

    drive(h, steps)
    assert [words for words in MODES_AND_MORE if words not in footers[0]] == [], footers[0]


def floor_profile(sim: SimServer) -> str:
    """A profile whose console shows the simulator's live calls beside a narrower form."""
    return f'[profiles.floor]\nbase_url = "{sim.url}"\n\n[profiles.floor.live_calls]\nsource = "deepcall"\n'


# ----- the form: errors and pastes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "floor",
    [
        False,
        True,
    ],
    ids=["form-alone", "beside-live-calls"],
)
def test_the_form_error_area_shows_the_first_error_and_how_many_more(
    make_app: Callable[..., Harness], sim: SimServer, write_config: Callable[[str], Path], floor: bool
) -> None:
    if floor:
        write_config(floor_profile(sim))
    h = make_app(profile="floor") if floor else make_app(base_url=sim.url)
    shown: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        assert h.console.query_one("#top").has_class("-floor") is floor
        await fill_form(pilot, "C 10023!", "", snooper="12ab")
        await pilot.press("enter")
        await pilot.pause()
        await quiet(pilot)
        error = h.console.query_one("#form-error", Static)
        shown.append(str(error.render()))
        shown.append(" ".join(crop(screen_text(h.app), error.region)))
        invalid = [s for s in ("#call-id", "#target-value", "#snooper") if h.console.query_one(s).has_class("-invalid")]
        shown.append(",".join(invalid))

    drive(h, steps)
    assert sim.request_count == 0  # the live list is fetched from its own endpoint, not counted here
    text, on_screen, invalid = shown
    assert re.search(r"\(and 2 more", text), text
    assert "and 2 more" in on_screen, f"cut off at the form's edge: {on_screen!r}"
    assert invalid == "#call-id,#target-value,#snooper"


async def paste(pilot: Pilot[None], text: str) -> None:
    """A paste as the terminal delivers it: to the app, which hands it to the focused widget."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def test_a_paste_longer_than_the_field_is_refused_with_a_message_and_nothing_is_sent(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    values: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await fill_form(pilot, "", "13")
        call_field = h.field("#call-id")
        await paste(pilot, "C-" + "1" * (CALL_ID_MAX - 1))  # one more than the field takes
        values.append(call_field.value)
        await pilot.press("enter")  # a paste cut to fit would be sent here
        await pilot.pause()
        values.append(call_field.value)

    drive(h, steps)
    assert values == ["", ""]
    assert sim.request_count == 0
    assert h.toasts.of("warning") == [
        f"Paste refused: the paste is {CALL_ID_MAX + 1} characters; this field takes {CALL_ID_MAX}; nothing was changed"
    ]


def test_a_call_id_typed_longer_than_the_field_takes_is_kept_whole_and_refused_by_name(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    # Typed, not pasted: the keys past the field's limit used to be dropped without a word, and Enter sent the rest.
    h = make_app(base_url=sim.url)
    errors: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await fill_form(pilot, "", "13")
        h.field("#call-id").value = "C" * CALL_ID_MAX
        await pilot.press("C", "enter")  # one key past what the field takes
        await pilot.pause()
        assert h.field("#call-id").value == "C" * (CALL_ID_MAX + 1)
        errors.append(str(h.console.query_one("#form-error", Static).render()))

    drive(h, steps)
    assert sim.request_count == 0
    assert errors == [f"\u2717 Call ID: is too long ({CALL_ID_MAX + 1} characters, at most {CALL_ID_MAX})"]


def test_a_field_problem_is_shown_in_full_in_the_form_at_80x24(make_app: Callable[..., Harness]) -> None:
    h = make_app(demo=True)
    shown: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await wait_until(pilot, lambda: h.app.session is not None)
        await fill_form(pilot, "C-10023", "13", snooper="98x76y54z32")
        await pilot.press("enter")
        await pilot.pause()
        shown.append(screen_text(h.app))

    drive(h, steps, size=(80, 24))
    between = re.compile("[\u2502\u2551][\u2502\u2551]")  # two panels' sides, light or (the focus) double
    form = [between.split(line)[1] for line in shown[0].splitlines() if between.search(line)]
    assert "\u2717 Snooper number: must be a phone number: an optional +, then 6 to 15 digits 0-9" in " ".join(
        part.strip(" \u2502\u2551") for part in form
    ), shown[0]


# Textual calls `_on_paste` of every class in a widget's MRO until `prevent_default()`: FormInput's handler
# neither prevents the default nor leaves the paste to it alone.


def test_a_paste_that_fits_goes_in_once(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    values: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await fill_form(pilot, "", "13")
        await paste(pilot, "C-10023")
        values.append(h.field("#call-id").value)

    drive(h, steps)
    assert values == ["C-10023"]


def test_a_paste_of_several_lines_is_refused_and_changes_nothing(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    values: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await fill_form(pilot, "", "13")
        await paste(pilot, "C-10023\nC-10017")
        values.append(h.field("#call-id").value)

    drive(h, steps)
    assert h.toasts.of("warning") == ["Paste refused: the paste holds 2 lines; paste one value; nothing was changed"]
    assert values == [""]


# ----- barge's danger signal, toggles without colour -----------------------------------------------------


def test_barge_stands_out_without_colour_in_a_production_profile(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)  # the built-in profile is production: its header is already red
    screens: dict[str, str] = {}

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        assert h.console.query_one("#log").has_class("-env-production")
        await fill_form(pilot, "C-10023", "13")
        for key in ("f2", "f3", "f4"):
            await pilot.press(key)
            await quiet(pilot)
            screens[key] = screen_text(h.app)
        dialog_screen = await barge_dialog(pilot)
        assert dialog_screen is h.app.screen
        screens["dialog"] = screen_text(h.app)
        await pilot.press("y")
        await settle(pilot)
        await quiet(pilot)
        screens["live barge"] = screen_text(h.app)

    drive(h, steps)
    spy, whisper, barge = (screens[key].splitlines() for key in ("f2", "f3", "f4"))
    form_top = 1  # the form's border, right under the top line
    # Double, light, as the panel with the focus (round without it); barge's stays heavy with the focus too.
    assert spy[form_top].startswith("\u2554\u2550 Monitor a call")
    assert whisper[form_top].startswith("\u2554\u2550 Monitor a call")
    assert barge[form_top].startswith("\u250f\u2501 Monitor a call")  # heavy
    assert "(\u2022) BARGE" in screens["f4"] and "Agent AND customer hear you" in screens["f4"]
    assert "Send BARGE" in screens["f4"] and "Send BARGE" not in screens["f3"]
    assert "\u250f" in screens["dialog"] and "AND THE CUSTOMER" in screens["dialog"]
    assert screens["live barge"].splitlines()[0].startswith(" \u25b2 ON C-10023 \u00b7 BARGE")


def line_with(text: str, words: str) -> str:
    return next(line for line in text.splitlines() if words in line)


def mark_before(line: str, label: str) -> str:
    """The character inside the toggle drawn just left of `label` (its brackets are half blocks)."""
    return line[: line.index(label)].rstrip()[-2]


def test_checkbox_marks_read_without_colour(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    lines: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        lines.append(line_with(screen_text(h.app), "Remember on this machine"))
        await pilot.click("#remember")
        await pilot.pause()
        lines.append(line_with(screen_text(h.app), "Remember on this machine"))
        lines.append(str(h.app.screen.query_one("#remember", MarkedCheckbox).value))

    drive(h, steps)
    unchecked, checked, value = lines
    assert value == "True"
    assert (mark_before(unchecked, "Remember"), mark_before(checked, "Remember")) == (" ", "X")


def test_radio_marks_read_without_colour_and_move_with_the_choice(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    lines: list[str] = []
    shown: list[bool] = []

    async def steps(pilot: Pilot[None]) -> None:
        lines.append(line_with(screen_text(h.app), "User ID + Token"))
        await pilot.click("#auth-token")
        await pilot.pause()
        lines.append(line_with(screen_text(h.app), "User ID + Token"))
        shown.extend(h.app.screen.query_one(row).display for row in ("#ssid-row", "#user-row", "#token-row"))

    drive(h, steps)
    marks = [(mark_before(line, "Session ID"), mark_before(line, "User ID + Token")) for line in lines]
    assert marks == [("\u25cf", " "), (" ", "\u25cf")]
    assert shown == [False, True, True]


def test_show_secret_reveals_the_secret(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    hidden: list[bool] = []

    async def steps(pilot: Pilot[None]) -> None:
        secret = h.field("#ssid")
        hidden.append(secret.password)
        await pilot.click("#reveal")
        await pilot.pause()
        hidden.append(secret.password)

    drive(h, steps)
    assert hidden == [True, False]


# ----- words: success, retries -------------------------------------------------------------------------


def test_a_success_is_told_in_words_not_the_servers_raw_text(make_app: Callable[..., Harness], sim: SimServer) -> None:
    h = make_app(base_url=sim.url)
    log: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        log.extend(h.log_lines)

    drive(h, steps)
    [words] = [t for t in h.toasts.of("information") if "C-10023" in t]
    assert SUCCESS_TEXT not in words and "BARGINGCall" not in words
    assert words.startswith("SPY on C-10023 (agent 13): DeepCall is ringing")
    assert "Answer to start, hang up to stop; nobody hears you." in words
    assert any(SUCCESS_TEXT in line for line in log)  # the raw text stays where a technician looks


def test_the_servers_raw_success_text_is_kept_in_the_audit(
    make_app: Callable[..., Harness], sim: SimServer, audit_path: Path
) -> None:
    h = make_app(base_url=sim.url)

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")

    drive(h, steps)
    [record] = outcome_records(audit_path)
    assert SUCCESS_TEXT in json.dumps(record, ensure_ascii=False)


def test_1501_retries_show_a_notice_for_each_counting_retry_1_then_2_of_2(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    log: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10050", "9")  # answers 1501 twice, then connects
        await send_call(pilot, "C-10023", "13")
        log.extend(h.log_lines)

    drive(h, steps)
    retries = [line.split("(1501): ")[1].split(" in ")[0] for line in log if "(1501): " in line]
    assert retries == ["retry 1 of 2", "retry 2 of 2"]
    assert [warning.split("(1501): ")[1].split(" in ")[0] for warning in h.toasts.of("warning")] == retries
    answers = [line for line in log if line.endswith(f"it said: {SUCCESS_TEXT}")]
    assert [re.findall(r"\((\d+ tr(?:y|ies))\)", line) for line in answers] == [["3 tries"], ["1 try"]]


def test_a_call_that_stays_busy_gives_up_after_1_try_when_retries_are_off(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url, retry=RetryPolicy(max_attempts=1))

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10066", "30")

    drive(h, steps)
    assert h.toasts.of("warning") == []
    [error] = h.toasts.of("error")
    assert "Gave up after 1 try:" in error


# ----- the theme picker, larger terminals ----------------------------------------------------------------


def test_the_theme_picker_lists_queuetuis_themes_first_and_marks_the_current(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    listed: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await press_for_screen(pilot, "ctrl+p", CommandPalette)
        await pilot.press(*"Switch theme")
        await wait_until(pilot, lambda: "Choose a colour theme" in screen_text(h.app))
        await pilot.press("enter")
        themes = len(h.app.available_themes)
        await wait_until(
            pilot,
            lambda: (
                isinstance(h.app.screen, CommandPalette) and h.app.screen.query_one(CommandList).option_count == themes
            ),
        )
        options = h.app.screen.query_one(CommandList).options
        listed.extend(str(option.prompt) for option in options)
        listed.append(h.app.theme)

    drive(h, steps)
    *names, current = listed
    ours = [name for name in names if "queuetui-" in name]
    assert len(ours) >= 3
    assert names[: len(ours)] == ours, names
    assert [name for name in names if "current" in name] == [f"\u25cf {current} (current)"]


@pytest.mark.parametrize("size", [(120, 36), (200, 50)], ids=["120x36", "200x50"])
def test_larger_terminals_give_the_form_and_the_sessions_list_more_room(
    make_app: Callable[..., Harness], sim: SimServer, size: tuple[int, int]
) -> None:
    regions: dict[tuple[int, int], tuple[Region, Region]] = {}

    for terminal in ((80, 24), size):
        h = make_app(base_url=sim.url)

        async def steps(pilot: Pilot[None], terminal: tuple[int, int] = terminal, h: Harness = h) -> None:
            await signed_in(pilot)
            regions[terminal] = (h.console.query_one("#form").region, h.sessions.region)

        drive(h, steps, size=terminal)
    (small_form, small_sessions), (big_form, big_sessions) = regions[(80, 24)], regions[size]
    assert big_form.width > small_form.width
    assert big_sessions.width > small_sessions.width
    assert big_sessions.height > small_sessions.height


# A live-list row, inside the panel's light side or (with the focus) its double one.
LIST_ROW = re.compile("^[\u2502\u2551][ \u25cf\u00d7*][ +!]C-\\d")


def test_the_live_list_and_the_log_grow_with_a_taller_terminal(make_app: Callable[..., Harness]) -> None:
    """The demo's floor has more calls than 80x24 shows: at 80x60 the list shows more of them, the log more lines."""
    seen: dict[tuple[int, int], tuple[int, int]] = {}
    for terminal in ((80, 24), (80, 60)):
        h = make_app(demo=True)

        async def steps(pilot: Pilot[None], terminal: tuple[int, int] = terminal, h: Harness = h) -> None:
            table = h.console.query_one(LiveCallsTable)

            def rows() -> list[str]:
                return [line for line in screen_text(h.app).splitlines() if LIST_ROW.match(line)]

            # The floor loaded and its rows drawn (at least the 7 that fit at 80x24), before they are counted.
            await wait_until(pilot, lambda: len(table.shown) >= 20 and len(rows()) >= 7)
            seen[terminal] = (len(rows()), h.console.query_one(LogPanel).size.height)

        drive(h, steps, size=terminal)
    (small_rows, small_log), (tall_rows, tall_log) = seen[(80, 24)], seen[(80, 60)]
    assert small_rows == 7
    assert tall_rows >= 20
    assert tall_log > small_log


# ----- advice: the field to correct, timeouts ------------------------------------------------------------


def test_the_advice_names_the_field_to_correct_and_it_is_highlighted(
    make_app: Callable[..., Harness], sim: SimServer
) -> None:
    h = make_app(base_url=sim.url)
    highlighted: list[list[str]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "14")  # the wrong agent: the server names the field
        highlighted.append([f"#{w.id}" for w in h.console.query(Input) if w.has_class("-invalid")])

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert error.endswith("check the target agent")
    assert highlighted == [["#target-value"]]


def test_without_a_field_to_highlight_the_advice_does_not_mention_one(make_app: Callable[..., Harness]) -> None:
    h = make_app(base_url=FIXED_URL, transport=httpx.MockTransport(deepcall_error(1502, "Invalid filter value")))
    highlighted: list[list[str]] = []

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")
        highlighted.append([f"#{w.id}" for w in h.console.query(Input) if w.has_class("-invalid")])

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert "(code 1502)" in error and error.endswith("Correct the value.")
    assert highlighted == [[]]


def timing_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


@pytest.mark.parametrize(
    ("mode", "warned"), [("spy", False), ("whisper", True), ("barge", True)], ids=["spy", "whisper", "barge"]
)
def test_a_timeout_names_the_limit_and_warns_that_whisper_or_barge_may_have_connected(
    make_app: Callable[..., Harness], write_config: Callable[[str], Path], mode: str, warned: bool
) -> None:
    write_config(f'[profiles.slow]\nbase_url = "{FIXED_URL}"\nread_timeout = 7\n')
    h = make_app(profile="slow", transport=httpx.MockTransport(timing_out))

    async def steps(pilot: Pilot[None]) -> None:
        await signed_in(pilot)
        if mode == "barge":
            await barge_dialog(pilot)
            await press_for_screen(pilot, "y", ConsoleScreen)
            await settle(pilot)
        else:
            await send_call(pilot, "C-10023", "13", mode=mode)

    drive(h, steps)
    [error] = h.toasts.of("error")
    assert "after 7 s" in error
    warning = f"The {mode} may have connected anyway: check your phone before sending again"
    assert (warning in error) is warned
    assert ("may have connected" in error) is warned


# ----- the base URL --------------------------------------------------------------------------------------


class Recorder:
    """A fake DeepCall that notes where each request was POSTed and answers with the seed's success."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return seed_success(request)


@pytest.mark.parametrize(
    "given",
    [
        "https://v4-api.deepcall.com",
        "https://v4-api.deepcall.com/",
        "https://v4-api.deepcall.com/api/v2/queue/bargingCall",
        "https://v4-api.deepcall.com/api/v2/",
    ],
    ids=["bare-host", "bare-host-slash", "endpoint", "api-base"],
)
def test_a_base_url_given_as_the_host_or_the_endpoint_posts_to_the_endpoint(
    make_app: Callable[..., Harness], given: str
) -> None:
    recorder = Recorder()
    h = make_app(base_url=given, transport=httpx.MockTransport(recorder))

    async def steps(pilot: Pilot[None]) -> None:
        assert h.field("#base-url").value == given
        await signed_in(pilot)
        await send_call(pilot, "C-10023", "13")

    drive(h, steps)
    assert recorder.urls == ["https://v4-api.deepcall.com/api/v2/queue/bargingCall"]


@pytest.mark.parametrize(
    "given", ["https://v4-api.deepcall.com/v2", "https://v4-api.deepcall.com/api/v2/queue/other"], ids=["v2", "other"]
)
def test_a_base_url_with_another_path_is_refused_and_nothing_is_posted(
    make_app: Callable[..., Harness], given: str
) -> None:
    recorder = Recorder()
    h = make_app(base_url=given, transport=httpx.MockTransport(recorder))
    state: list[object] = []

    async def steps(pilot: Pilot[None]) -> None:
        await fill(pilot, "#ssid", "some-ssid-1234")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(h.toasts.of("error")))
        screen = h.app.screen
        assert isinstance(screen, LoginScreen)
        state.append(str(screen.query_one("#login-error", Static).render()))
        state.append(h.app.focused is screen.query_one("#base-url"))

    drive(h, steps)
    assert recorder.urls == []
    error, base_url_focused = state
    assert "Base URL: must end in /api/v2, e.g. https://v4-api.deepcall.com/api/v2" in str(error)
    assert base_url_focused is True
