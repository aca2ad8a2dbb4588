"""`[keymap]` in config.toml: a remap works in the running app and shows in F1; an unknown id, a clash, a key no
terminal sends by that name and a typing key on a binding that acts before the fields are reported once, with
the file and the id, and leave the other bindings as they were. Keys are compared as Textual names them."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from queuetui.tui.keymap import BadKey, parse_key, parse_keys
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
        line = next(line for line in text.splitlines() if "Mode spy" in line)
        assert "f7" in line and "f2" not in line
        log = "\n".join(h.log_lines)
        assert f"{path}: keymap.console.whispr: no binding has this id" in log
        assert "keymap.console.barge: 'f5' is already console.hung_up on the console; not used" in log

    drive(h, steps, size=(110, 40))
    problems = [t for t in h.toasts.of("warning") if "keymap" in t]
    assert len(problems) == 1, h.toasts.text
    assert problems[0].startswith("2 keymap problems, all in the log; first: "), problems[0]


def test_the_key_bar_names_every_key_of_a_remapped_binding_in_its_place(make_app, write_config):
    write_config('[keymap]\n"console.spy" = "f7,ctrl+x"\n')
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.app.session is not None)
        # The focused list's own key (Sort) first, then the console's, the remapped one in its place.
        assert screen_text(pilot.app).splitlines()[-1].startswith("o Sort f7 ^x Spy f3 ^t Whisper f4 ^r Barge")

    drive(h, steps)


def test_a_long_keymap_on_a_narrow_terminal_keeps_quit_and_help_on_the_key_bar(make_app, write_config):
    keymap = {"console.spy": "f7,ctrl+x", "console.barge": "delete", "console.hung_up": "insert"}
    write_config("[keymap]\n" + "".join(f'"{binding}" = "{key}"\n' for binding, key in keymap.items()))
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.app.session is not None)
        bar = screen_text(pilot.app).splitlines()[-1]
        assert bar.startswith("o Sort f7 Spy f3 Whisper del Barge"), bar  # the first keys only, in their places
        assert bar.rstrip().endswith("^q Quit f1 Help"), bar  # the screen's last entry gave way, not these
        assert "Hung up" not in bar

    drive(h, steps, size=(50, 24))


def test_a_binding_keeps_its_own_default_keys_beside_new_ones(make_app, write_config):
    # Enter is app.sign_in's default and floor.copy's too, F1 both app.help's and help.close's: bindings that
    # share a default key on purpose. Written again beside a new key, it is no clash.
    write_config('[keymap]\n"floor.copy" = "enter,f12"\n"app.help" = "f1,f10"\n"console.filter" = "slash,f11"\n')
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.app.session is not None)
        await press_for_screen(pilot, "f10", HelpScreen)
        await pilot.press("escape")
        await pilot.press("f11")
        assert h.app.focused is h.console.query_one("#filter")

    drive(h, steps)
    assert not [t for t in h.toasts.text.splitlines() if "keymap" in t]


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
        assert screen_text(pilot.app).splitlines()[-1].strip() == "y esc Cancel n Barge"  # its own key bar
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


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("?", "question_mark"),
        ("question_mark", "question_mark"),
        ("/", "slash"),
        ("L", "L"),  # Shift+L: a key of its own, not l
        ("Ctrl+O", "ctrl+o"),
        ("^o", "ctrl+o"),  # as F1 shows it
        ("F2", "f2"),
        ("esc", "escape"),  # as the footer shows it
        ("pgup", "pageup"),
        ("ctrl+m", "enter"),  # the same byte from the terminal
        ("ctrl+i", "tab"),
        (" shift+tab ", "shift+tab"),
        ("shift+ctrl+up", "ctrl+shift+up"),  # modifiers in the order key events give them
        ("Shift+Alt+Ctrl+X", "alt+ctrl+shift+x"),
    ],
)
def test_keys_are_read_as_key_events_name_them(written, key):
    assert parse_key(written) == key


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("ctrl+", "no key after ctrl+"),
        ("ctrl+ o", "no key is called ' o'"),
        ("space bar", "no key is called 'space bar'"),
        ("crtl+o", "'crtl' is not a modifier"),
        ("ctrl+ctrl+o", "a modifier is given twice"),
        (" , ", "no key given"),
    ],
)
def test_a_key_no_terminal_sends_is_refused_with_what_is_wrong(written, problem):
    with pytest.raises(BadKey, match=problem):
        parse_keys(written)


BAD_KEYMAP = """
[keymap]
"confirm.barge" = "?"
"console.barge" = "1"
"console.shift" = "ctrl+"
"console.spy" = "^k"
"""


def test_bad_entries_are_reported_and_not_used(make_app, write_config):
    path = write_config(BAD_KEYMAP)
    h = make_app(demo=True)

    async def steps(pilot):
        await wait_until(pilot, lambda: h.app.session is not None)
        h.console.set_focus(h.console.query_one("#call-id", Input))
        await pilot.press(*"C-1", "ctrl+t")  # a 1 typed into the Call field is a 1, not barge
        assert (h.console.query_one("#call-id", Input).value, mode_of(pilot)) == ("C-1", "whisper")
        await pilot.press("ctrl+k")  # spy, written as F1 shows Ctrl
        assert mode_of(pilot) == "spy"
        question = await barge_dialog(pilot)
        await pilot.press("question_mark")  # not barge: the remap clashed
        await pilot.pause()  # the key, and anything it set off, has been handled
        assert pilot.app.screen is question
        log = "\n".join(h.log_lines)
        for problem in (
            "keymap.confirm.barge: '?' is already app.help_alt on the barge confirmation; not used",
            "keymap.console.barge: '1' types text, and this key acts before the form's fields see it",
            "keymap.console.shift: 'ctrl+': no key after ctrl+; not used",
        ):
            assert f"{path}: {problem}" in log, log

    drive(h, steps)
    assert [r.parsed["snoopType"] for r in h.app.demo_sim.received] == []
    assert h.toasts.of("warning")[0].startswith("3 keymap problems, all in the log; first: ")
