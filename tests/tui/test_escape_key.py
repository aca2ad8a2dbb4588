"""An Esc typed in a burst is an Esc: the parser the console reads the terminal with, fed the bytes a terminal sends
for bursts of keys, all at once or split across reads."""

from __future__ import annotations

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
