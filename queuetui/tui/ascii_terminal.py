"""Plain ASCII for terminals whose locale is not UTF-8 (a jump host with LANG unset is common): there tmux and
many terminals show every symbol as `_` or `?`, and a top line of `_ ON C-10023 _ SPY` no longer says who hears
you. Everything the app writes is turned into ASCII on its way to the terminal, one character for one cell, so
that what Textual laid out in cells still lines up: the console's own glyphs get twins that read without colour,
borders and bars become `+-|#`, accented letters lose their accents, and a wide character becomes `??`.

Whether to do it is decided once, from the environment, before the terminal is opened: `QUEUETUI_ASCII=1` or
`0` says so outright; otherwise the locale does (LC_ALL, then LC_CTYPE, then LANG, as the C library reads them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.driver import Driver

# The console's own glyphs, by meaning. Each twin is one character, as the glyph is one cell.
_TWINS = {
    "\u25cf": "*",  # ● spy, live, a selected choice
    "\u25cb": "o",  # ○ not on a call
    "\u25c6": "+",  # ◆ whisper
    "\u25b2": "!",  # ▲ barge: the one that is heard
    "\u25bc": "v",  # ▼ a list that opens (the sign-in screen's profiles)
    "\u260e": "@",  # ☎ the phone
    "\u2713": "v",  # ✓ done
    "\u2717": "x",  # ✗ refused
    "\u00d7": "x",  # × ended
    "\u21b7": ">",  # ↷ left for another call
    "\u25a0": "#",  # ■ ended
    "\u2022": "*",  # • a masked character
    "\u2026": "~",  # … cut short
    "\u00b7": "|",  # · between facts on one line
    "\u2192": ">",
    "\u2190": "<",
    "\u2191": "^",
    "\u2193": "v",
    "\u21e7": "^",  # ⇧ shift, in the key caster
    "\u23ce": "J",  # ⏎ enter
    "\u232b": "<",  # ⌫ backspace
    "\u2423": "_",  # ␣ space
    "\u00a0": " ",
}
# Keys as words where their glyph's twin would read as another key (`^` is Ctrl, `J` a letter).
_KEY_WORDS = {
    "\u23ce": "enter",
    "\u2191": "up",
    "\u2193": "down",
    "\u2190": "left",
    "\u2192": "right",
    "\u232b": "bksp",
}
_SPINNER = "|/-\\"
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}
_PLAIN_LOCALES = {"", "C", "POSIX"}


def wants_ascii(environ: Mapping[str, str]) -> bool:
    setting = environ.get("QUEUETUI_ASCII", "").strip().lower()
    if setting in _YES:
        return True
    if setting in _NO:
        return False
    if environ.get("LC_ALL"):
        return not _is_utf8(environ["LC_ALL"])
    ctype = environ.get("LC_CTYPE", "")
    # Python itself sets LC_CTYPE=C.UTF-8 when it starts in the C locale (PEP 538): that speaks for Python's own
    # text, not for the terminal, which is still in the C locale the user's shell had.
    if ctype == "C.UTF-8" and environ.get("LANG", "") in _PLAIN_LOCALES:
        return True
    if ctype:
        return not _is_utf8(ctype)
    return not _is_utf8(environ.get("LANG", ""))


def _is_utf8(locale_name: str) -> bool:
    encoding = locale_name.partition(".")[2].partition("@")[0]
    return encoding.replace("-", "").lower() == "utf8"


class _Twins(dict[int, str]):
    """A `str.translate` table that works out each character's twin the first time it is met."""

    def __missing__(self, code: int) -> str:
        twin = _twin(chr(code))
        self[code] = twin
        return twin


def _twin(char: str) -> str:
    if char in _TWINS:
        return _TWINS[char]
    code = ord(char)
    name = unicodedata.name(char, "")
    if 0x2800 <= code <= 0x28FF:  # braille: the spinner's frames
        return _SPINNER[code % len(_SPINNER)]
    if 0x2500 <= code <= 0x257F:  # box drawing
        across, down = "HORIZONTAL" in name, "VERTICAL" in name
        if across and not down:
            return "=" if "DOUBLE" in name else "-"  # a double border marks the panel that has the focus
        return "|" if down and not across else "+"
    if 0x2580 <= code <= 0x259F:  # block elements: bars, the scrollbar, tall borders
        if "UPPER" in name:
            return "-"
        if "LEFT" in name or "RIGHT" in name:
            return "|"
        # A tall border's thin bottom edge is a line; the rest are a scrollbar's thumb. Never `_`: it is what a
        # terminal shows for a symbol it cannot draw.
        return "-" if "ONE EIGHTH" in name else "#"
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return ""  # combining marks and invisible formatting take no cell
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if len(plain) == 1:
        return plain
    return "??" if unicodedata.east_asian_width(char) in ("W", "F") else "?"


_TABLE = _Twins()


def to_ascii(text: str) -> str:
    return text if text.isascii() else text.translate(_TABLE)


def key_in_words(display: str) -> str:
    """A key as Textual shows it ("\u23ce", "^\u2191"), with each arrow or Enter glyph spelt out ("enter", "^up")."""
    return "".join(_KEY_WORDS.get(char, char) for char in display)


def ascii_driver(driver: type[Driver]) -> type[Driver]:
    """`driver`, writing only ASCII."""

    class AsciiDriver(driver):  # type: ignore[valid-type, misc]
        def write(self, data: str) -> None:
            super().write(to_ascii(data))

    return AsciiDriver
