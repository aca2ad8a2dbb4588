"""The last keys pressed, in a corner, for a room watching a presenter. Letters typed in a row read as a word;
keys typed into a secret field show as bullets, never as themselves."""

from __future__ import annotations

from collections import deque

from textual.widgets import Static

_NAMES = {
    "enter": "\u23ce",
    "tab": "Tab",
    "shift+tab": "BTab",
    "escape": "Esc",
    "space": "\u2423",
    "backspace": "\u232b",
    "up": "\u2191",
    "down": "\u2193",
    "left": "\u2190",
    "right": "\u2192",
}
SHOWN = 8


def key_label(key: str) -> str:
    return _NAMES.get(key) or key.replace("ctrl+", "^").replace("shift+", "\u21e7")


class KeyCaster(Static):
    # A line of its own above the footer, right-aligned: nothing under it is hidden while it shows.
    DEFAULT_CSS = """
    KeyCaster {
        width: 100%;
        height: 1;
        padding: 0 1;
        text-align: right;
        color: $text;
        text-style: bold;
        display: none;
    }
    KeyCaster.-on {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.tokens: deque[tuple[str, bool]] = deque(maxlen=SHOWN)  # (text, letters typed in a row)

    def add(self, key: str, character: str | None, secret: bool) -> None:
        typed = character is not None and len(character) == 1 and character.isprintable()
        if typed:
            shown = "\u2022" if secret else str(character)
            if self.tokens and self.tokens[-1][1]:
                self.tokens[-1] = (self.tokens[-1][0] + shown, True)
            else:
                self.tokens.append((shown, True))
        else:
            self.tokens.append((key_label(key), False))
        self.update(" ".join(text[-16:] for text, _ in self.tokens))
