"""Who signs in: a session id, or a user id with a token. Plain classes, as the request is: a session (the demo's
too) opens with them on the way to the first usable frame; their secrets never show in a repr, a str or a log line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from queuetui.api.fields import FieldErrors, InputProblem, secret_text
from queuetui.api.fields import user_id as user_id_rule
from queuetui.api.text import mask_secret


class Secret:
    """A secret that shows itself only when asked by name: repr and str give a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SessionAuth:
    """Session-id authentication (`ssid` from the DeepCall panel login)."""

    kind: ClassVar[str] = "session"  # in the audit trail
    ssid: Secret

    def wire(self) -> dict[str, str]:
        return {"ssid": self.ssid.get_secret_value()}

    @property
    def identity(self) -> str:
        return f"ssid {mask_secret(self.ssid.get_secret_value())}"

    def secrets(self) -> tuple[str, ...]:
        return (self.ssid.get_secret_value(),)


@dataclass(frozen=True)
class TokenAuth:
    """User id and token authentication. The API wants `ssid` absent when these are sent."""

    kind: ClassVar[str] = "token"
    user_id: str
    token: Secret

    def wire(self) -> dict[str, str]:
        return {"userId": self.user_id, "token": self.token.get_secret_value()}

    @property
    def identity(self) -> str:
        return f"user {self.user_id} token {mask_secret(self.token.get_secret_value())}"

    def secrets(self) -> tuple[str, ...]:
        return (self.token.get_secret_value(),)


def parse_credentials(
    ssid: str | None = None, user_id: str | None = None, token: str | None = None
) -> SessionAuth | TokenAuth:
    """Exactly one credential set: an ssid, or a user id with a token. Both or neither is refused; every
    field at fault is named, none of their values is shown."""
    for wire, value in (("ssid", ssid), ("userId", user_id), ("token", token)):
        if value is not None and not isinstance(value, str):
            raise FieldErrors((InputProblem(wire, "must be text"),))
    has_session = bool(ssid and ssid.strip())
    has_token = bool((user_id and user_id.strip()) or (token and token.strip()))
    if has_session and has_token:
        raise FieldErrors((InputProblem("ssid", "give a Session ID or a User ID with a Token, not both"),))
    if not has_session and not has_token:
        raise FieldErrors((InputProblem("ssid", "is required (or a User ID with a Token)"),))
    problems: list[InputProblem] = []
    if has_session:
        ssid_value = _checked("ssid", secret_text, ssid, problems)
        _raise_any(problems)
        return SessionAuth(Secret(ssid_value))
    user_value = _checked("userId", user_id_rule, user_id, problems)
    token_value = _checked("token", secret_text, token, problems)
    _raise_any(problems)
    return TokenAuth(user_value, Secret(token_value))


def _checked(field: str, rule: Callable[[object], str], value: str | None, problems: list[InputProblem]) -> str:
    try:
        return rule(value or "")
    except ValueError as error:
        problems.append(InputProblem(field, str(error)))
        return ""


def _raise_any(problems: list[InputProblem]) -> None:
    if problems:
        raise FieldErrors(tuple(problems))
