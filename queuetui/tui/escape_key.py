"""An Esc typed in a burst is an Esc.

A terminal sends Esc as the ESC byte, and Alt+key (on most terminals) as ESC followed by the key. Textual's input
parser waits a moment after an ESC to tell them apart: when the next key is already there, as in `Escape / C-10050
Enter` typed in one burst or sent over a slow link, it reads Alt+`/` (and drops the Alt of keys that have none),
so the palette, the barge question or the filter never sees the Esc and the keys behind it act there instead.

The console binds no Alt+key, so this parser reads an ESC followed by anything that cannot continue a key code as
the Esc key, then that key. What may follow an ESC in a key code is `[` (CSI), `O` (SS3), `]`, `P`, `_` (replies
and strings) and ESC itself: an Esc followed at once by one of these is still read as Textual reads it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.message import Message

from queuetui.tui.textual_private import XTermParser, cut_escape_wait, read_keys_with

ESC = "\x1b"
_CONTINUES_A_CODE = frozenset("[O]P_" + ESC)


class BurstParser(XTermParser):
    """Textual's parser, except that an ESC followed by a key that starts no key code is the Esc key."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._after_escape = False  # the last character fed was an ESC: what comes next decides what it was

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input
            yield from super().feed(data)
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

    def _escape_now(self) -> Iterable[Message]:
        """End the wait after the ESC as its timeout would: Textual then reports the Esc key."""
        if cut_escape_wait(self):  # it was still waiting (a tick may have ended the wait already)
            yield from self.tick()


def use_burst_parser() -> None:
    """Make Textual's terminal driver read keys with `BurstParser` (before the app runs)."""
    read_keys_with(BurstParser)
