"""An Esc typed in a burst is an Esc: the parser the console reads the terminal with, fed the bytes a terminal sends
for bursts of keys, all at once or split across reads."""

from __future__ import annotations

import os

import pytest

from queuetui.tui.escape_key import BurstParser


def keys(*chunks: str) -> list[str]:
    parser = BurstParser()
    read = []
    for chunk in chunks:
        read += [event.key for event in parser.feed(chunk) if hasattr(event, "key")]
    return read


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["\x1b/C-1\r"], ["escape", "slash", "C", "minus", "1", "enter"]),
        (["\x1bhung"], ["escape", "h", "u", "n", "g"]),
        (["\x1b\r"], ["escape", "enter"]),
        (["\x1b\x10"], ["escape", "ctrl+p"]),
        (["\x1b\x1bs"], ["escape", "escape", "s"]),
        (["\x1b", "/s"], ["escape", "slash", "s"]),  # the ESC at the end of one read, the key in the next
        (["sw\x1bb"], ["s", "w", "escape", "b"]),
    ],
    ids=["slash", "letters", "enter", "ctrl", "two-escapes", "split-read", "mid-burst"],
)
def test_an_escape_followed_at_once_by_a_key_is_the_escape_key_then_that_key(chunks, expected):
    assert keys(*chunks) == expected


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["\x1b[A"], ["up"]),
        (["\x1b", "[A"], ["up"]),  # a key code split across two reads
        (["\x1bOP"], ["f1"]),
        (["\x1b[15~s"], ["f5", "s"]),
        (["\x1b\x1b[B"], ["escape", "down"]),
    ],
    ids=["arrow", "split-arrow", "ss3-f1", "f5-then-key", "escape-then-arrow"],
)
def test_key_codes_read_as_before(chunks, expected):
    assert keys(*chunks) == expected


@pytest.fixture
def terminal_input():
    """A pipe standing in for the terminal's input: what the parser finds waiting there is what is written to it."""
    read_end, write_end = os.pipe()
    yield read_end, write_end
    os.close(read_end)
    os.close(write_end)


def fed(parser: BurstParser, data: str) -> list[str]:
    return [event.key for event in parser.feed(data) if hasattr(event, "key")]


def test_an_escape_read_alone_with_nothing_behind_it_is_the_escape_key_at_once(terminal_input):
    parser = BurstParser(input_fd=terminal_input[0])
    assert fed(parser, "\x1b") == ["escape"]  # no tick: the parser's wait is not waited out
    assert fed(parser, "[A") == ["left_square_bracket", "A"]  # typed later, they are keys of their own


@pytest.mark.parametrize(("rest", "key"), [("[A", "up"), ("[17~", "f6"), ("OP", "f1"), ("[1;5A", "ctrl+up")])
def test_a_key_code_whose_escape_came_alone_is_still_one_key_when_the_rest_is_behind_it(terminal_input, rest, key):
    read_end, write_end = terminal_input
    parser = BurstParser(input_fd=read_end)
    os.write(write_end, rest.encode())
    assert fed(parser, "\x1b") == []
    assert fed(parser, os.read(read_end, 64).decode()) == [key]


def test_without_the_terminals_input_an_escape_read_alone_waits_as_textual_does():
    parser = BurstParser()
    assert fed(parser, "\x1b") == []
    assert fed(parser, "[A") == ["up"]
