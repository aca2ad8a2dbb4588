"""`[keymap]` in config.toml: a remap works in the running app and shows in F1; an unknown id and a clash are
reported once, with the file and the id, and leave the other bindings as they were."""

from __future__ import annotations

from textual.widgets import Static

from queuetui.tui.screens.confirm_barge import ConfirmBargeScreen
from queuetui.tui.screens.help import HelpScreen
from tui.conftest import barge_dialog, drive, mode_of, press_for_screen, screen_text, wait_until

KEYMAP = """
[keymap]
"console.spy" = "f7"
"console.whispr" = "f8"
"console.barge" = "f5"
"""


def test_a_remapped_key_works_and_f1_shows_it(make_app, write_config):
    path = write_config(KEYMAP)
    h = make_app(demo=True)

    async def steps(pilot):
        await pilot.press("f3")
        assert mode_of(pilot) == "whisper"
        await pilot.press("f7")  # the remapped spy key
        assert mode_of(pilot) == "spy"
        await pilot.press("f2")  # no longer spy: the keymap replaced it
        await pilot.press("f3")
        assert mode_of(pilot) == "whisper"
        await pilot.press("f2")
        assert mode_of(pilot) == "whisper"
        await press_for_screen(pilot, "f1", HelpScreen)
        text = screen_text(pilot.app)
        line = next(line for line in text.splitlines() if "console.spy" in line)
        assert "f7" in line and "f2" not in line
        log = "\n".join(h.log_lines)
        assert f"{path}: keymap.console.whispr: no binding has this id" in log
        assert "keymap.console.barge: 'f5' is already console.hung_up on the console; not used" in log

    drive(h, steps, size=(110, 40))
    problems = [t for t in h.toasts.of("warning") if "keymap" in t]
    assert len(problems) == 1, h.toasts.text
    assert problems[0].startswith("2 keymap problems, all in the log; first: "), problems[0]


def test_a_clash_leaves_the_original_binding_working(make_app, write_config):
    write_config(KEYMAP)
    h = make_app(demo=True)

    async def steps(pilot):
        await pilot.press("f4")  # barge keeps its own key: its remap to f5 clashed and was not used
        assert mode_of(pilot) == "barge"
        await pilot.press("f7", "f5")  # f7 is spy now; f5 is still "I hung up", not barge
        await wait_until(pilot, lambda: any("Not on a call" in t for t in h.toasts.of("information")))
        assert mode_of(pilot) == "spy"

    drive(h, steps)


def test_the_barge_question_names_the_answer_keys_in_force(make_app, write_config):
    # Swapped: the box must not go on saying "n cancel" while n barges.
    write_config('[keymap]\n"confirm.barge" = "n"\n"confirm.cancel" = "y,escape"\n')
    h = make_app(demo=True)

    async def steps(pilot):
        question = await barge_dialog(pilot)
        keys = str(question.query_one("#confirm-keys", Static).content)
        assert keys == "n  barge    y / esc  cancel"
        await pilot.press("y")  # cancel now
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ConfirmBargeScreen))
        assert mode_of(pilot) == "spy"

    drive(h, steps)
    assert [r.parsed["snoopType"] for r in h.app.demo_sim.received] == []


def test_no_keymap_no_report(make_app):
    h = make_app(demo=True)

    async def steps(pilot):
        await pilot.press("f4")
        assert mode_of(pilot) == "barge"

    drive(h, steps)
    assert not [t for t in h.toasts.text.splitlines() if "keymap" in t]
