"""The rules for what a supervisor types, in plain Python: the sign-in's credentials and the request's fields
share them, and the credentials are checked on the way to the first usable frame.

The character sets for ids are our choice (the API does not publish one): conservative enough that shell or
SQL metacharacters and look-alike Unicode digits are refused before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from queuetui.api.text import has_unsafe_chars, printable

FIELD_LABELS: dict[str, str] = {
    "callId": "Call ID",
    "snoopType": "Mode",
    "targetEntityType": "Target kind",
    "targetEntityVal": "Target",
    "snooperNumber": "Snooper number",
    "ssid": "Session ID",
    "userId": "User ID",
    "token": "Token",
}

# The body fields that carry credentials: added from the sign-in only, never from a profile's extras.
CREDENTIAL_FIELDS = frozenset({"ssid", "userId", "token"})


class InputProblem(ValueError):
    """Input refused before sending. `field` is the wire name, `label` what the user sees on the form."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.label = FIELD_LABELS.get(field) or printable(field, 40)
        self.message = message
        super().__init__(f"{self.label}: {message}")


# Not frozen: Python itself assigns `__traceback__` on exceptions (contextlib does), which a frozen
# dataclass turns into FrozenInstanceError. eq=False keeps exceptions hashable by identity.
@dataclass(eq=False)
class FieldErrors(Exception):
    """Every problem found in one form, in form order; str() gives a one-line summary."""

    problems: tuple[InputProblem, ...]

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)

    @property
    def first_field(self) -> str:
        return self.problems[0].field


_API_PATH = re.compile(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*(/[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*)*", re.ASCII)
_ID_CHARS = re.compile(r"[A-Za-z0-9._:\-]+", re.ASCII)
_TARGET_CHARS = re.compile(r"[A-Za-z0-9._:@+\-]+", re.ASCII)
_TYPE_CHARS = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
_SECRET_CHARS = re.compile(r"[!-~]+", re.ASCII)  # printable ASCII, no spaces
_PHONE = re.compile(r"\+?[0-9]{6,15}", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[ \-]")


def api_path_problem(path: str) -> str:
    """Why `path` cannot be an endpoint under the base URL (e.g. "queue/list"), or "" when it can: names of
    letters, digits, `_ -` and inner dots, joined by `/`; no leading slash, no `..`, no query."""
    if len(path) > 200:
        return "is too long (at most 200 characters)"
    if not _API_PATH.fullmatch(path):
        return "must look like queue/list: names of letters, digits, _ - and dots joined by /"
    return ""


def _present(value: object) -> str:
    """The value trimmed; ValueError unless it is text that is there and holds no control character."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    value = value.strip()
    if not value:
        raise ValueError("is required")
    if has_unsafe_chars(value):
        raise ValueError("must not contain control or escape characters")
    return value


def text_rule(
    max_len: int, pattern: re.Pattern[str], allowed: str, lower: bool = False, wanted: str = ""
) -> Callable[[object], str]:
    """A check of one field: `wanted` says what a value that does not match `pattern` should be, when "may only
    contain `allowed`" would not say it."""

    def check(value: object) -> str:
        text = _present(value)
        text = text.lower() if lower else text
        if len(text) > max_len:
            raise ValueError(f"is too long ({len(text)} characters, at most {max_len})")
        if not pattern.fullmatch(text):
            raise ValueError(wanted or f"may only contain {allowed}")
        return text

    return check


# DeepCall publishes no limit. Floors' own ids can be composite (a timestamp, a trunk, a UUID or two), and an id the
# live list shows must be one a supervisor can act on whole: a cut id names another call, or none. The bound keeps
# a pasted document out of a request, a log line and the audit record; the live list refuses longer ids too.
CALL_ID_MAX = 256
call_id = text_rule(CALL_ID_MAX, _ID_CHARS, "letters, digits and . _ : -")
target_type = text_rule(32, _TYPE_CHARS, "letters, digits and _", lower=True, wanted="must be a word such as agent")
target_value = text_rule(64, _TARGET_CHARS, "letters, digits and . _ : @ + -")
user_id = target_value


def phone_number(value: object) -> str:
    compact = _PHONE_SEPARATORS.sub("", _present(value))
    if not _PHONE.fullmatch(compact):
        raise ValueError("must be a phone number: an optional +, then 6 to 15 digits 0-9")
    return compact


def secret_text(value: object) -> str:
    raw = _present(value)
    if len(raw) > 512:
        raise ValueError(f"is too long ({len(raw)} characters, at most 512)")
    if not _SECRET_CHARS.fullmatch(raw):
        raise ValueError("may only contain printable ASCII characters without spaces")
    return raw
