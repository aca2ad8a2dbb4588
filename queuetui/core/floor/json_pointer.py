"""JSON Pointers (RFC 6901): how a profile says where the live calls and their fields sit in an answer.

`""` is the whole document; otherwise each `/token` steps into an object by key or into an array by index,
with `~1` standing for `/` and `~0` for `~` inside a token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BAD_ESCAPE = re.compile(r"~(?![01])")
_INDEX = re.compile(r"0|[1-9][0-9]{0,8}", re.ASCII)  # longer than any list we would read


@dataclass(frozen=True)
class JsonPointer:
    text: str
    tokens: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> JsonPointer:
        """The pointer, or ValueError saying what is wrong with it (in words a config file's author can use)."""
        if text == "":
            return cls(text, ())
        if not text.startswith("/"):
            raise ValueError(
                f"{text!r} is not a JSON Pointer (RFC 6901): it must be empty or start with / (e.g. '/{text}')"
            )
        if _BAD_ESCAPE.search(text):
            raise ValueError(f"{text!r} is not a JSON Pointer (RFC 6901): ~ must be followed by 0 or 1")
        tokens = tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))
        return cls(text, tokens)

    def get(self, document: object) -> object:
        """The value the pointer names, or None when there is none (a missing key, an index out of range, a
        step into a scalar): for the live list a missing field and a null one mean the same, "not known"."""
        value = document
        for token in self.tokens:
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and _INDEX.fullmatch(token) and int(token) < len(value):
                value = value[int(token)]
            else:
                return None
        return value

    def __str__(self) -> str:
        return self.text
