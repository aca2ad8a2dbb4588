"""The console's output, its styles rewritten compactly, paints the same cells in the same styles as Textual's.

A small terminal model reads both: it places each character at the cursor with the attributes and colours in
force, as ECMA-48 defines the codes (independently of the rewriter's own reading of them)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.style import Style

from queuetui.tui.lean_output import compact

Cell = tuple[str, frozenset[str], str, str]

_OFF = {"22": ("1", "2"), "23": ("3",), "24": ("4", "21"), "25": ("5",), "27": ("7",), "28": ("8",), "29": ("9",)}


def painted(data: str) -> dict[tuple[int, int], Cell]:
    """Cell -> (character, attributes, foreground, background) after the terminal has read `data`."""
    cells: dict[tuple[int, int], Cell] = {}
    row = column = 0
    flags: set[str] = set()
    fg = bg = "default"
    index = 0
    while index < len(data):
        char = data[index]
        if char == "\x1b":
            end = index + 2
            while not ("@" <= data[end] <= "~"):
                end += 1
            body, final = data[index + 2 : end], data[end]
            index = end + 1
            if final == "H":
                r, c = body.split(";")
                row, column = int(r) - 1, int(c) - 1
            elif final == "m":
                codes = body.split(";") if body else ["0"]
                i = 0
                while i < len(codes):
                    code = codes[i]
                    if code in ("38", "48"):
                        length = 3 if codes[i + 1] == "5" else 5
                        colour = ";".join(codes[i : i + length])
                        fg, bg = (colour, bg) if code == "38" else (fg, colour)
                        i += length
                        continue
                    if code == "0":
                        flags, fg, bg = set(), "default", "default"
                    elif code in _OFF:
                        flags -= set(_OFF[code])
                    elif code == "39":
                        fg = "default"
                    elif code == "49":
                        bg = "default"
                    elif 30 <= int(code) <= 37 or 90 <= int(code) <= 97:
                        fg = code
                    elif 40 <= int(code) <= 47 or 100 <= int(code) <= 107:
                        bg = code
                    else:
                        flags.add(code)
                    i += 1
            continue
        if char == "\n":
            row += 1
        elif char == "\r":
            column = 0
        else:
            cells[(row, column)] = (char, frozenset(flags), fg, bg)
            column += 1
        index += 1
    return cells


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
SEGMENTS = st.lists(st.tuples(st.text("ab ─│", min_size=1, max_size=4), st.one_of(st.none(), STYLES)), max_size=8)
LINES = st.lists(st.tuples(st.integers(1, 24), st.integers(1, 40), SEGMENTS), min_size=1, max_size=6)
SYSTEMS = st.sampled_from([ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR])


def as_textual_writes(lines: list[tuple[int, int, list[tuple[str, Style | None]]]], system: ColorSystem) -> str:
    """Lines as Textual's compositor writes them: a move, then each segment as style, text, reset."""
    out = []
    for row, column, segments in lines:
        out.append(f"\x1b[{row};{column}H")
        out.extend(text if style is None else style.render(text, color_system=system) for text, style in segments)
        out.append("\n")
    return "".join(out[:-1])


@settings(max_examples=300, deadline=None, database=None)
@given(LINES, SYSTEMS)
def test_the_same_cells_in_the_same_styles(lines, system):
    data = as_textual_writes(lines, system)
    assert painted(compact(data)) == painted(data)


@settings(max_examples=100, deadline=None, database=None)
@given(LINES, SYSTEMS)
def test_never_longer_and_ends_in_the_plain_style(lines, system):
    data = as_textual_writes(lines, system)
    out = compact(data)
    assert len(out) <= len(data)
    assert painted(out + "\x1b[1;80Hx")[(0, 79)] == ("x", frozenset(), "default", "default")


def test_a_border_of_many_segments_sets_its_colour_once():
    border = Style(color="cyan", bgcolor="black")
    data = "\x1b[2;1H" + "".join(border.render(char, color_system=ColorSystem.STANDARD) for char in "╭──────╮")
    assert compact(data) == "\x1b[2;1H\x1b[36;40m╭──────╮\x1b[0m"


@pytest.mark.parametrize("other", ["\x1b[2J", "\x1b[K", "\x1b[?25h", "\x1b]22;default\x07"])
def test_the_plain_style_is_back_before_anything_but_text_and_moves(other):
    red = Style(bgcolor="red").render("x", color_system=ColorSystem.STANDARD)
    out = compact(red + other + red)
    assert out.index("\x1b[0m") < out.index(other)
