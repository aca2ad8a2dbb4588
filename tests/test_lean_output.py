"""What the console sends the terminal, cut down to the cells that change, leaves the terminal showing the same cells
in the same styles as Textual's own writes would have.

A small terminal model reads both: it places each character at the cursor with the attributes and colours in
force, as ECMA-48 defines the codes (independently of the module's own reading of them), a wide character taking
two cells and a half of one written over blanking the other, as xterm does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style

from queuetui.tui.lean_output import Screen

Cell = tuple[str, frozenset[str], str, str]
COLUMNS = 80
Grid = dict[tuple[int, int], Cell]

_OFF = {"22": ("1", "2"), "23": ("3",), "24": ("4", "21"), "25": ("5",), "27": ("7",), "28": ("8",), "29": ("9",)}


class Terminal:
    def __init__(self) -> None:
        self.cells: Grid = {}
        self.row = self.column = 0
        self.flags: set[str] = set()
        self.fg = self.bg = "default"

    def feed(self, data: str) -> Terminal:
        index = 0
        while index < len(data):
            char = data[index]
            if char == "\x1b":
                end = index + 2
                while not ("@" <= data[end] <= "~"):
                    end += 1
                self._sequence(data[index + 2 : end], data[end])
                index = end + 1
                continue
            if char == "\n":
                self.row += 1
            elif char == "\r":
                self.column = 0
            else:
                self._put(char)
            index += 1
        return self

    def _put(self, char: str) -> None:
        cell = (char, frozenset(self.flags), self.fg, self.bg)
        width = cell_len(char)
        row, start, end = self.row, self.column, self.column + width
        # A wide character written over by half: its other half turns blank, as in xterm.
        if self.cells.get((row, start), ("a",))[0] == "":
            self.cells[(row, start - 1)] = (" ", *self.cells[(row, start - 1)][1:])
        if cell_len(self.cells.get((row, end - 1), ("a",))[0]) == 2:
            self.cells[(row, end)] = (" ", *self.cells[(row, end)][1:])
        for column in range(start, end):
            self.cells[(row, column)] = cell if column == start else ("", *cell[1:])
        self.column = end

    def _sequence(self, body: str, final: str) -> None:
        if final == "H":
            row, column = body.split(";")
            self.row, self.column = int(row) - 1, int(column) - 1
        elif final in "XK":  # erase characters, or to the end of the line: blanks in the background colour alone
            end = self.column + int(body or 1) if final == "X" else COLUMNS
            for column in range(self.column, min(end, COLUMNS)):
                self.cells[(self.row, column)] = (" ", frozenset(), "default", self.bg)
        elif final == "C":
            self.column = min(COLUMNS - 1, self.column + int(body or 1))
        elif final == "J":
            self.cells.clear()
        elif final == "m":
            codes = body.split(";") if body else ["0"]
            index = 0
            while index < len(codes):
                code = codes[index]
                if code in ("38", "48"):
                    length = 3 if codes[index + 1] == "5" else 5
                    colour = ";".join(codes[index : index + length])
                    self.fg, self.bg = (colour, self.bg) if code == "38" else (self.fg, colour)
                    index += length
                    continue
                if code == "0":
                    self.flags, self.fg, self.bg = set(), "default", "default"
                elif code in _OFF:
                    self.flags -= set(_OFF[code])
                elif code == "39":
                    self.fg = "default"
                elif code == "49":
                    self.bg = "default"
                elif 30 <= int(code) <= 37 or 90 <= int(code) <= 97:
                    self.fg = code
                elif 40 <= int(code) <= 47 or 100 <= int(code) <= 107:
                    self.bg = code
                else:
                    self.flags.add(code)
                index += 1


# What a blank cell shows of its style: its background; reverse video, underlines, strike and overline besides.
_SEEN_ON_A_BLANK = {"4", "7", "9", "21", "53"}


def seen(cells: Grid) -> Grid:
    """The cells as they look: a blank keeps only what of its style shows on it."""
    return {
        place: (" ", frozenset(), "default", bg)
        if char == " " and not flags & _SEEN_ON_A_BLANK
        else (char, flags, fg, bg)
        for place, (char, flags, fg, bg) in cells.items()
    }


COLOURS = st.sampled_from(["red", "bright_white", "grey50", "color(123)", "#102030", "default", None])
STYLES = st.builds(
    Style,
    color=COLOURS,
    bgcolor=COLOURS,
    bold=st.sampled_from([None, True]),
    dim=st.sampled_from([None, True]),
    italic=st.sampled_from([None, True]),
    underline=st.sampled_from([None, True]),
    reverse=st.sampled_from([None, True]),
    strike=st.sampled_from([None, True]),
)
TEXTS = st.one_of(st.text("ab ─│漢", min_size=1, max_size=4), st.sampled_from([" " * 6, " " * 13]))
SEGMENTS = st.lists(st.tuples(TEXTS, st.one_of(st.none(), STYLES)), max_size=6)
LINES = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 12), SEGMENTS), min_size=1, max_size=5)
SYSTEMS = st.sampled_from([ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR])


def as_textual_writes(lines: list[tuple[int, int, list[tuple[str, Style | None]]]], system: ColorSystem) -> str:
    """Lines as Textual's compositor writes them: a move, then each segment as style, text, reset; a line feed
    between lines and the cursor put back at the end."""
    out = []
    for row, column, segments in lines:
        out.append(f"\x1b[{row};{column}H")
        out.extend(text if style is None else style.render(text, color_system=system) for text, style in segments)
        out.append("\n")
    return "".join(out[:-1]) + "\x1b[3;4H"


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(LINES, min_size=1, max_size=4), SYSTEMS)
def test_the_same_cells_in_the_same_styles_after_each_write(writes, system):
    screen, theirs, ours = Screen(), Terminal(), Terminal()
    for lines in writes:
        data = as_textual_writes(lines, system)
        theirs.feed(data)
        ours.feed(screen.write(data, (80, 24)))
        assert seen(ours.cells) == seen(theirs.cells)
        assert (ours.row, ours.column) == (theirs.row, theirs.column)


@settings(max_examples=100, deadline=None, database=None)
@given(LINES, SYSTEMS)
def test_never_longer_than_textuals_and_ends_in_the_plain_style(lines, system):
    data = as_textual_writes(lines, system)
    out = Screen().write(data, (80, 24))
    assert len(out) <= len(data) + len("\x1b[0m")
    assert Terminal().feed(out + "\x1b[1;80Hx").cells[(0, 79)] == ("x", frozenset(), "default", "default")


def test_a_border_of_many_segments_sets_its_colour_once():
    border = Style(color="cyan", bgcolor="black")
    data = "\x1b[2;1H" + "".join(border.render(char, color_system=ColorSystem.STANDARD) for char in "╭──────╮")
    assert Screen().write(data, (80, 24)) == "\x1b[2;1H\x1b[36;40m╭──────╮\x1b[0m\x1b[2;9H"


def test_what_the_terminal_shows_already_is_not_sent_again():
    screen = Screen()
    line = "\x1b[5;1H" + Style(color="red").render("C-10023 13 Asha talk 4m", color_system=ColorSystem.STANDARD)
    screen.write(line, (80, 24))
    assert screen.write(line.replace("4m", "5m"), (80, 24)) == "\x1b[5;22H\x1b[31m5\x1b[0m\x1b[5;24H"


@pytest.mark.parametrize("change", ["size", "clear", "buffer"])
def test_a_clear_a_new_screen_or_a_new_size_sends_everything_again(change):
    screen = Screen()
    line = "\x1b[5;1Hhello"
    screen.write(line, (80, 24))
    if change == "size":
        assert "hello" in screen.write(line, (100, 30))
    else:
        screen.write("\x1b[2J" if change == "clear" else "\x1b[?1049h", (80, 24))
        assert "hello" in screen.write(line, (80, 24))


def test_the_bell_goes_out_every_time_and_paints_no_cell():
    screen = Screen()
    screen.write("\x1b[1;1Hab", (80, 24))
    assert screen.write("\x07", (80, 24)) == "\x07"
    assert screen.write("\x07", (80, 24)) == "\x07"  # a second alarm rings again
    assert screen.write("\x1b[1;1Hab", (80, 24)) == "\x1b[1;3H"  # the cells it did not paint are still known


def test_a_run_of_blanks_goes_out_as_an_erase_in_its_background():
    panel = Style(color="white", bgcolor="black")
    data = "\x1b[3;1H" + panel.render("ab" + " " * 20 + "cd", color_system=ColorSystem.STANDARD)
    out = Screen().write(data, (80, 24))
    assert out == "\x1b[3;1H\x1b[37;40mab\x1b[20X\x1b[20Ccd\x1b[0m\x1b[3;25H"
    # Reversed, the blanks show the foreground colour: an erase would not, so they are written.
    assert " " * 20 in Screen().write(data.replace("\x1b[37;40m", "\x1b[7;37;40m"), (80, 24))
