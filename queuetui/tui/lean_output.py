"""Fewer bytes for the same picture: what the console writes reaches the terminal as the cells that differ from what
the terminal already shows, each style set once per run of cells that share it.

Textual redraws whole regions (a screen under a dialog that closes, a panel whose title changed, every widget when
the focus moves) and writes every segment of a line as `style, text, reset`. Over an SSH link those bytes are what
a supervisor waits for. Here the terminal's screen is kept, cell by cell, as Textual's writes paint it; each write
is turned into the cells it changes, in runs, with the shortest style sequences between them. What the terminal
ends up showing, cells and styles, is exactly what Textual's data would have left.

Anything but text, cursor moves and styles (a clear, a scroll, a switch of screen buffer) and a change of the
terminal's size make the kept screen unknown: the next writes go out in full until they have painted it again.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size

if TYPE_CHECKING:
    from textual.driver import Driver

# A style (select graphic rendition); a move to a row and column; any other escape sequence, or the bell; a line
# feed or a carriage return.
_TOKENS = re.compile(
    r"\x1b\[([0-9;]*)m|\x1b\[(\d+);(\d+)H|(\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)|\x07)|([\r\n])"
)
# Private modes that switch nothing on screen: the cursor's visibility, mouse and focus reports, pasting, wrapping;
# and the bell, which paints no cell.
_HARMLESS = re.compile(
    r"\x1b\[\?[\d;]*[hl]|\x1b\[\?[\d;]*\$p|\x1b\[>\d*u|\x1b\[<u|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x07"
)
_SCREEN_BUFFER = {"47", "1047", "1049"}
_PLAIN = ""
_WIDE_TAIL = ""  # the cell a wide character's right half covers
# Unchanged cells between two changed ones are written again rather than skipped with a move when they are this few.
_GAP = 4

Cell = tuple[str, str]  # character, style (as SGR parameters)


class Screen:
    """The cells the terminal shows, as this module's output has painted them."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], Cell] = {}  # row, column (from 0) -> cell; a missing one is unknown
        self.size: tuple[int, int] | None = None

    def forget(self) -> None:
        self.cells.clear()

    def write(self, data: str, size: tuple[int, int] | None = None) -> str:
        """What to send the terminal for `data`, which Textual meant for it; `size`: the terminal's (columns,
        rows), when known."""
        if size != self.size:
            self.size = size
            self.forget()
        painted: dict[tuple[int, int], Cell] = {}  # what `data` paints, in order of rows and columns
        out: list[str] = []  # what goes out before the cells: sequences other than text, in order
        row = column = 0
        style = _PLAIN
        moved = False
        position = 0
        for match in _TOKENS.finditer(data):
            text = data[position : match.start()]
            position = match.end()
            if text:
                column = _paint(painted, row, column, text, style)
            parameters, to_row, to_column, other, control = match.groups()
            if parameters is not None:
                style = _add_style(style, parameters)
            elif to_row is not None:
                row, column, moved = int(to_row) - 1, int(to_column) - 1, True
            elif control is not None:
                if control == "\n":
                    row += 1
                else:
                    column = 0
            else:
                if painted:  # the cells before it go out before it
                    out.append(self._changes(painted))
                    painted = {}
                if not _HARMLESS.fullmatch(other) or _switches_buffer(other):
                    self.forget()
                out.append(other)
        text = data[position:]
        if text:
            column = _paint(painted, row, column, text, style)
        if painted:
            out.append(self._changes(painted))
        if moved:
            out.append(f"\x1b[{row + 1};{column + 1}H")  # the cursor ends where Textual left it (a field's caret)
        return "".join(out)

    def _changes(self, painted: dict[tuple[int, int], Cell]) -> str:
        """The sequences that paint the cells of `painted` that differ from the screen, and the screen updated."""
        changed: dict[int, list[int]] = {}
        for (row, column), cell in painted.items():
            known = self.cells.get((row, column))
            if known != cell and (known is None or _look(known) != _look(cell)):
                changed.setdefault(row, []).append(column)
        out: list[str] = []
        shown = _PLAIN
        for row in sorted(changed):
            columns = sorted(changed[row])
            runs: list[list[int]] = []
            for column in columns:
                if runs and column - runs[-1][1] <= _GAP and _known_between(painted, row, runs[-1][1], column):
                    runs[-1][1] = column
                else:
                    runs.append([column, column])
            for first, last in runs:
                start, end = self._whole_characters(painted, row, first, last)
                out.append(f"\x1b[{row + 1};{start + 1}H")
                column = start
                while column <= end:
                    char, style = painted[(row, column)]
                    blank = self._blank(painted, row, column, end)
                    if blank is not None:
                        blank_end, erase = blank
                        if _background(shown) != _background(style) or not _blank_safe(shown):
                            out.append(_switch(shown, style))
                            shown = style
                        out.append(erase)
                        column = blank_end + 1
                        continue
                    if char != _WIDE_TAIL:
                        if style != shown:
                            out.append(_switch(shown, style))
                            shown = style
                        out.append(char)
                    column += 1
        if shown != _PLAIN:
            out.append("\x1b[0m")
        for (row, column), cell in painted.items():
            # Half of a wide character written over, and the other half not: the terminal blanks that half in its
            # own way, so it is unknown.
            if _is_tail(self.cells.get((row, column))) and (row, column - 1) not in painted:
                self.cells.pop((row, column - 1), None)
            if not _is_tail(cell) and _is_tail(self.cells.get((row, column + 1))) and (row, column + 1) not in painted:
                del self.cells[(row, column + 1)]
            self.cells[(row, column)] = cell
        return "".join(out)

    def _blank(self, painted: dict[tuple[int, int], Cell], row: int, start: int, end: int) -> tuple[int, str] | None:
        """The last column of the blank cells from `start` (up to `end`) and the erase that paints them as they are to
        be, when it takes fewer bytes than writing them; else None. An erase blanks cells in the current background
        colour (xterm, tmux and xterm.js all do), so only cells whose style shows nothing on a blank but its
        background qualify, and none beside half of a wide character, which a terminal may blank with it."""
        char, style = painted[(row, start)]
        if char != " " or not _blank_safe(style) or _is_tail(self.cells.get((row, start))):
            return None
        background = _background(style)
        stop = start
        while stop < end:
            following = painted[(row, stop + 1)]
            if following[0] != " " or not _blank_safe(following[1]) or _background(following[1]) != background:
                break
            stop += 1
        if _is_tail(self.cells.get((row, stop + 1))):
            return None
        to_line_end = self.size is not None and stop == self.size[0] - 1
        erase = _erase(stop - start + 1, ends_run=stop == end, to_line_end=to_line_end)
        return (stop, erase) if len(erase) < stop - start + 1 else None

    def _whole_characters(
        self, painted: dict[tuple[int, int], Cell], row: int, start: int, end: int
    ) -> tuple[int, int]:
        """The run from `start` to `end`, widened to whole wide characters, as they are to be and as they are."""

        tail = _is_tail
        while start > 0 and (tail(painted.get((row, start))) or tail(self.cells.get((row, start)))):
            if (row, start - 1) not in painted:
                break
            start -= 1
        while tail(painted.get((row, end + 1))):
            end += 1
        return start, end


def _erase(count: int, *, ends_run: bool, to_line_end: bool) -> str:
    """The sequence that blanks `count` cells from the cursor and leaves it after them, or where the run ends (the
    next run starts with a move of its own)."""
    if to_line_end:
        return "\x1b[K"
    return f"\x1b[{count}X" if ends_run else f"\x1b[{count}X\x1b[{count}C"


# Attributes a blank cell does not show: only its background, and reverse video, underlines, strike and overline
# would, are what an erase leaves out.
_UNSEEN_ON_A_BLANK = {"fg", "bg", "underline", "1", "2", "3", "5", "6", "8"}


@cache
def _blank_safe(style: str) -> bool:
    return _UNSEEN_ON_A_BLANK.issuperset(_attributes(style))


def _look(cell: Cell) -> Cell:
    """What a cell shows: a blank whose style shows nothing but its background looks as any other such blank."""
    char, style = cell
    return (" ", f"bg {_background(style)}") if char == " " and _blank_safe(style) else cell


@cache
def _background(style: str) -> str | None:
    return _attributes(style).get("bg")


def _known_between(painted: dict[tuple[int, int], Cell], row: int, start: int, end: int) -> bool:
    return all((row, column) in painted for column in range(start + 1, end))


def _paint(painted: dict[tuple[int, int], Cell], row: int, column: int, text: str, style: str) -> int:
    for char in text:
        width = get_character_cell_size(char)
        if width == 0:  # a combining mark joins the character before it
            previous = painted.get((row, column - 1))
            if previous is not None:
                painted[(row, column - 1)] = (previous[0] + char, previous[1])
            continue
        # Half of a wide character written over: the terminal blanks the other half.
        if _is_tail(painted.get((row, column))) and (row, column - 1) in painted:
            painted[(row, column - 1)] = (" ", painted[(row, column - 1)][1])
        end = column + width
        if _is_tail(painted.get((row, end))):
            painted[(row, end)] = (" ", painted[(row, end)][1])
        painted[(row, column)] = (char, style)
        if width == 2:
            painted[(row, column + 1)] = (_WIDE_TAIL, style)
        column = end
    return column


def _is_tail(cell: Cell | None) -> bool:
    return cell is not None and cell[0] == _WIDE_TAIL


def _switches_buffer(sequence: str) -> bool:
    return sequence.startswith("\x1b[?") and bool(_SCREEN_BUFFER & set(sequence[3:-1].split(";")))


def _add_style(style: str, parameters: str) -> str:
    if parameters in ("", "0"):
        return _PLAIN
    if parameters.startswith("0;"):
        return parameters[2:]
    return f"{style};{parameters}" if style else parameters


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


def _terminal_size() -> tuple[int, int] | None:
    for fd in (1, 2, 0):
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            continue
        return size.columns, size.lines
    return None


def lean_driver(driver: type[Driver]) -> type[Driver]:
    """`driver`, writing only the cells that change."""

    class LeanDriver(driver):  # type: ignore[valid-type, misc]
        _screen = Screen()

        def write(self, data: str) -> None:
            super().write(self._screen.write(data, _terminal_size()))

    return LeanDriver
