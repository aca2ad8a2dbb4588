"""Plain ASCII for terminals without UTF-8: when it is chosen, and that every character keeps its cells."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from queuetui.tui.ascii_terminal import key_in_words, to_ascii, wants_ascii


@pytest.mark.parametrize(
    ("environ", "ascii"),
    [
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "C.utf8"}, False),
        ({"LANG": "de_DE.UTF-8@euro"}, False),
        ({}, True),  # nothing set: the C locale
        ({"LANG": "C"}, True),
        ({"LANG": "POSIX"}, True),
        ({"LANG": "en_US.ISO-8859-1"}, True),
        ({"LANG": "en_US"}, True),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, True),  # LC_ALL wins over everything
        ({"LANG": "C", "LC_ALL": "en_US.UTF-8"}, False),
        ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C"}, True),  # LC_CTYPE wins over LANG
        ({"LC_CTYPE": "en_GB.UTF-8"}, False),
        ({"LC_CTYPE": "C.UTF-8"}, True),  # what Python sets by itself when it starts in the C locale
        ({"LC_CTYPE": "C.UTF-8", "LANG": "C"}, True),
        ({"LC_CTYPE": "C.UTF-8", "LANG": "en_US.UTF-8"}, False),
        ({"LANG": "C", "QUEUETUI_ASCII": "0"}, False),  # said outright
        ({"LANG": "en_US.UTF-8", "QUEUETUI_ASCII": "1"}, True),
        ({"LANG": "en_US.UTF-8", "QUEUETUI_ASCII": "yes"}, True),
        ({"LANG": "C", "QUEUETUI_ASCII": "maybe"}, True),  # not a yes or a no: the locale decides
    ],
)
def test_ascii_is_chosen_by_the_setting_then_the_locale(environ, ascii):
    assert wants_ascii(environ) is ascii


def test_the_consoles_glyphs_have_twins_that_read_without_colour():
    assert to_ascii("\u25cf ON C-10023 \u00b7 SPY \u00b7 nobody hears you") == "* ON C-10023 | SPY | nobody hears you"
    assert to_ascii("\u25b2 ON C-1 \u00b7 BARGE") == "! ON C-1 | BARGE"
    assert to_ascii("\u25c6 WHISPER") == "+ WHISPER"
    assert to_ascii("(\u2022) SPY ( ) whisper") == "(*) SPY ( ) whisper"
    assert to_ascii("ssid \u2022\u2022\u2022\u20221a2b") == "ssid ****1a2b"
    assert to_ascii("\u2713 ok \u2717 refused") == "v ok x refused"
    assert to_ascii("default \u25bc") == "default v"  # a drop-down's arrow, not a `?`


def test_borders_and_bars_become_ascii():
    assert to_ascii("\u256d\u2500 Log \u2500\u256e") == "+- Log -+"
    assert to_ascii("\u2502x\u2503") == "|x|"
    assert to_ascii("\u250f\u2501\u2513") == "+-+"
    assert to_ascii("\u258a\u2594\u2581\u2588\u258e\u2582\u2585") == "|--#|##"


def test_a_double_border_marks_the_focus_in_ascii_too():
    assert to_ascii("\u2554\u2550 Live calls \u2550\u2557") == "+= Live calls =+"
    assert to_ascii("\u2551x\u2551") == "|x|"


def test_keys_are_spelt_out_where_a_twin_would_read_as_another_key():
    assert [key_in_words(shown) for shown in ("\u23ce", "^\u2191", "\u2193", "f2", "^q")] == [
        "enter",
        "^up",
        "down",
        "f2",
        "^q",
    ]


def test_text_from_anywhere_keeps_its_cells():
    samples = [
        "Jos\u00e9 M\u00fcller",
        "\u674e\u56db",
        "agent \U0001f600 13",
        "e\u0301",
        "\u00bd",
        "\u2800\u28ff",
        "tab\u00a0x",
    ]
    for text in samples:
        plain = to_ascii(text)
        assert plain.isascii()
        assert len(plain) == cell_len(text), (text, plain)
    assert to_ascii("Jos\u00e9") == "Jose"
    assert to_ascii("\u674e") == "??"  # a wide character is two cells: two marks keep the columns in line


def test_ascii_text_passes_unchanged():
    text = "\x1b[1;31mC-10023\x1b[0m plain"
    assert to_ascii(text) is text
