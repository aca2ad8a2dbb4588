"""An Esc typed in a burst is an Esc, and an Esc typed alone is one at once.

A terminal sends Esc as the ESC byte, and Alt+key (on most terminals) as ESC followed by the key. Textual's input
parser waits a moment after an ESC to tell them apart: when the next key is already there, as in `Escape / C-10050
Enter` typed in one burst or sent over a slow link, it reads Alt+`/` (and drops the Alt of keys that have none),
so the palette, the barge question or the filter never sees the Esc and the keys behind it act there instead.

The console binds no Alt+key, so this parser reads an ESC followed by anything that cannot continue a key code as
the Esc key, then that key. What may follow an ESC in a key code is `[` (CSI), `O` (SS3), `]`, `P`, `_` (replies
and strings) and ESC itself: an Esc followed at once by one of these is still read as Textual reads it.

An ESC alone, with nothing after it, Textual reads as the Esc key only once its wait is over and its input thread
next looks at the clock, which it does a tenth of a second apart: a dialog closed that much later. A terminal writes
a key code (an arrow, F1) in one piece, and one piece reaches the console in one read; so a read that holds the ESC
alone is a pressed Esc, unless the rest of a code split on its way is right behind it. Such an ESC is the Esc key as
soon as `LONE_ESCAPE_WAIT_S` has passed with nothing more to read; when more is there, Textual's wait decides.
"""

from __future__ import annotations

import functools
import select
import sys
from collections.abc import Iterable

from textual.message import Message

from queuetui.tui.textual_private import XTermParser, cut_escape_wait, read_keys_with

ESC = "\x1b"
_CONTINUES_A_CODE = frozenset("[O]P_" + ESC)
# How long a lone ESC waits for the rest of a key code split on its way, which comes with the read after it.
LONE_ESCAPE_WAIT_S = 0.02


class BurstParser(XTermParser):
    """Textual's parser, except that an ESC followed by a key that starts no key code is the Esc key, and so is an
    ESC read alone when nothing follows it on `input_fd` (the terminal's input) within `LONE_ESCAPE_WAIT_S`."""

    def __init__(self, debug: bool = False, input_fd: int | None = None) -> None:
        super().__init__(debug)
        self._input_fd = input_fd
        self._after_escape = False  # the last character fed was an ESC: what comes next decides what it was

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input
            yield from super().feed(data)
            return
        if data == ESC and self._nothing_follows():
            yield from super().feed(data)
            yield from self._escape_now()
            self._after_escape = False
            return
        start = 0
        for index, character in enumerate(data):
            if self._after_escape and character not in _CONTINUES_A_CODE:
                if index > start:
                    yield from super().feed(data[start:index])
                start = index
                yield from self._escape_now()
            self._after_escape = character == ESC
        yield from super().feed(data[start:])

    def _nothing_follows(self) -> bool:
        """Nothing more arrives on the terminal's input within `LONE_ESCAPE_WAIT_S` (False when it is not known)."""
        if self._input_fd is None:
            return False
        readable, _, _ = select.select([self._input_fd], [], [], LONE_ESCAPE_WAIT_S)
        return not readable

    def _escape_now(self) -> Iterable[Message]:
        """End the wait after the ESC as its timeout would: Textual then reports the Esc key."""
        if cut_escape_wait(self):  # it was still waiting (a tick may have ended the wait already)
            yield from self.tick()


def use_burst_parser() -> None:
    """Make Textual's terminal driver read keys with `BurstParser` (before the app runs), watching the input the
    driver reads (its standard input)."""
    stdin = sys.__stdin__
    read_keys_with(functools.partial(BurstParser, input_fd=stdin.fileno() if stdin is not None else None))
