"""Fewer bytes for the same picture: what the console writes is rewritten to set each style once per run of cells
that share it, on its way to the terminal.

Textual writes every segment of a line as `style, text, reset`: a border of twenty cells drawn in five segments
sets and resets its colour five times, and a line of the console carried several times more escape codes than
text. Over an SSH link those bytes are what a supervisor waits for. Here the terminal's style is followed as the
data goes by: a style asked for while it is already in force is dropped, and a reset is written only when the
next text wants the plain style (or before anything that is not text or a cursor move, where the terminal may
use the style in force to paint). Each write ends with the terminal back in the plain style, as Textual left it.
The cells painted, and their styles, are exactly those of Textual's data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.driver import Driver

# A select-graphic-rendition (style) sequence; a cursor move to a row and column; any other escape sequence.
_TOKENS = re.compile(
    r"\x1b\[([0-9;]*)m|\n?(\x1b\[\d+;\d+H)|(\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.))"
)
_PLAIN = ""


def compact(data: str) -> str:
    """`data` with its style sequences cut down to one for each change of style between runs of text."""
    if "\x1b[" not in data:
        return data
    out: list[str] = []
    wanted = _PLAIN  # the style the next text is to be drawn in, as SGR parameters
    shown = _PLAIN  # the style the terminal has in force
    position = 0
    for match in _TOKENS.finditer(data):
        text = data[position : match.start()]
        position = match.end()
        if text:
            if wanted != shown:
                out.append(_switch(shown, wanted))
                shown = wanted
            out.append(text)
        parameters, move, other = match.groups()
        if parameters is not None:
            if parameters in ("", "0"):
                wanted = _PLAIN
            elif parameters.startswith("0;"):
                wanted = parameters[2:]
            else:
                wanted = f"{wanted};{parameters}" if wanted else parameters
        elif move is not None:
            # A line feed just before a move to a row and column moves the cursor nowhere the move does not.
            out.append(move)
        else:
            if shown != _PLAIN:  # a clear or a scroll may paint with the style in force
                out.append("\x1b[0m")
                shown = _PLAIN
            out.append(other)
    text = data[position:]
    if text:
        if wanted != shown:
            out.append(_switch(shown, wanted))
            shown = wanted
        out.append(text)
    if shown != _PLAIN:
        out.append("\x1b[0m")
    return "".join(out)


# Codes that turn one attribute off, by the code that turns it on; bold and dim share theirs.
_OFF = {"1": "22", "2": "22", "3": "23", "4": "24", "5": "25", "7": "27", "8": "28", "9": "29", "21": "24", "53": "55"}
_COLOUR_SLOTS = {"3": "fg", "9": "fg", "4": "bg", "10": "bg"}
_DEFAULT_COLOUR = {"fg": "39", "bg": "49", "underline": "59"}


def _attributes(parameters: str) -> dict[str, str]:
    """The style `parameters` set from the plain style, by what they set: a colour slot, or an attribute's code."""
    codes = parameters.split(";")
    found: dict[str, str] = {}
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48", "58"):  # an extended colour: 5;n or 2;r;g;b
            length = 3 if codes[index + 1 : index + 2] == ["5"] else 5
            slot = {"38": "fg", "48": "bg", "58": "underline"}[code]
            found[slot] = ";".join(codes[index : index + length])
            index += length
            continue
        if code in ("39", "49", "59"):
            found.pop({"39": "fg", "49": "bg", "59": "underline"}[code], None)
        elif len(code) >= 2 and code[:-1] in _COLOUR_SLOTS:
            found[_COLOUR_SLOTS[code[:-1]]] = code
        elif code not in ("", "0"):
            found[code] = code
        index += 1
    return found


def _switch(shown: str, wanted: str) -> str:
    """The shortest sequence that takes the terminal from the style `shown` to `wanted`."""
    if not wanted:
        return "\x1b[0m"
    if not shown:
        return f"\x1b[{wanted}m"
    before, after = _attributes(shown), _attributes(wanted)
    codes: list[str] = []
    for key in before:
        if key in after:
            continue
        if key in _DEFAULT_COLOUR:
            codes.append(_DEFAULT_COLOUR[key])
        elif key in _OFF:
            codes.append(_OFF[key])
        else:
            return f"\x1b[0;{wanted}m"  # no code turns it off alone
    if "22" in codes:  # it turned bold and dim both off: the one that stays goes back on
        codes.extend(key for key in ("1", "2") if key in after and key in before)
    codes.extend(value for key, value in after.items() if before.get(key) != value and value not in codes)
    stepwise = f"\x1b[{';'.join(dict.fromkeys(codes))}m"
    whole = f"\x1b[0;{wanted}m"
    return stepwise if len(stepwise) < len(whole) else whole


def lean_driver(driver: type[Driver]) -> type[Driver]:
    """`driver`, writing its styles compactly."""

    class LeanDriver(driver):  # type: ignore[valid-type, misc]
        def write(self, data: str) -> None:
            super().write(compact(data))

    return LeanDriver
