"""Request models for `queue/bargingCall`, validated the way a supervisor can act on.

Field names on the wire are the seed's (`callId`, `snoopType`, ...). Every text field is trimmed, must not
be empty, is length-capped and may not hold control or escape characters. The character sets for ids are
our choice (the API does not publish one): conservative enough that shell or SQL metacharacters and
look-alike Unicode digits are refused before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
)

from queuetui.api.modes import SnoopType as SnoopType
from queuetui.api.text import has_unsafe_chars, mask_phone, mask_secret, printable


class InputProblem(ValueError):
    """Input refused before sending. `field` is the wire name, `label` what the user sees on the form."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.label = FIELD_LABELS.get(field) or printable(field, 40)
        self.message = message
        super().__init__(f"{self.label}: {message}")


FIELD_LABELS: dict[str, str] = {
    "callId": "Call ID",
    "snoopType": "Mode",
    "targetEntityType": "Target type",
    "targetEntityVal": "Target",
    "snooperNumber": "Snooper number",
    "ssid": "Session ID",
    "userId": "User ID",
    "token": "Token",
}

# The body fields that carry credentials: added from the sign-in only, never from a profile's extras.
CREDENTIAL_FIELDS = frozenset({"ssid", "userId", "token"})
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


def _text(max_len: int, pattern: re.Pattern[str], allowed: str, lower: bool = False) -> BeforeValidator:
    def check(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("must be text")
        value = value.strip().lower() if lower else value.strip()
        if not value:
            raise ValueError("is required")
        if has_unsafe_chars(value):
            raise ValueError("must not contain control or escape characters")
        if len(value) > max_len:
            raise ValueError(f"is too long ({len(value)} characters, at most {max_len})")
        if not pattern.fullmatch(value):
            raise ValueError(f"may only contain {allowed}")
        return value

    return BeforeValidator(check)


def _mode(value: object) -> object:
    # " SPY " is a typing slip, not a different mode.
    return value.strip().lower() if isinstance(value, str) else value


def _phone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    value = value.strip()
    if not value:
        raise ValueError("is required")
    if has_unsafe_chars(value):
        raise ValueError("must not contain control or escape characters")
    compact = _PHONE_SEPARATORS.sub("", value)
    if not _PHONE.fullmatch(compact):
        raise ValueError("must be a phone number: an optional +, then 6 to 15 digits 0-9")
    return compact


CallId = Annotated[str, _text(64, _ID_CHARS, "letters, digits and . _ : -")]
TargetType = Annotated[
    str, _text(32, _TYPE_CHARS, "letters, digits and _, starting with a letter (e.g. agent)", lower=True)
]
TargetValue = Annotated[str, _text(64, _TARGET_CHARS, "letters, digits and . _ : @ + -")]
PhoneNumber = Annotated[str, BeforeValidator(_phone)]
UserId = Annotated[str, _text(64, _TARGET_CHARS, "letters, digits and . _ : @ + -")]


def _secret_check(value: SecretStr) -> SecretStr:
    raw = value.get_secret_value().strip()
    if not raw:
        raise ValueError("is required")
    if has_unsafe_chars(raw):
        raise ValueError("must not contain control or escape characters")
    if len(raw) > 512:
        raise ValueError(f"is too long ({len(raw)} characters, at most 512)")
    if not _SECRET_CHARS.fullmatch(raw):
        raise ValueError("may only contain printable ASCII characters without spaces")
    return SecretStr(raw)


Secret = Annotated[SecretStr, AfterValidator(_secret_check)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, hide_input_in_errors=True)


class SessionAuth(_Model):
    """Session-id authentication (`ssid` from the DeepCall panel login)."""

    kind: Literal["session"] = "session"
    ssid: Secret

    def wire(self) -> dict[str, str]:
        return {"ssid": self.ssid.get_secret_value()}

    @property
    def identity(self) -> str:
        return f"ssid {mask_secret(self.ssid.get_secret_value())}"

    def secrets(self) -> tuple[str, ...]:
        return (self.ssid.get_secret_value(),)


class TokenAuth(_Model):
    """User id and token authentication. The API wants `ssid` absent when these are sent."""

    kind: Literal["token"] = "token"
    user_id: UserId = Field(alias="userId")
    token: Secret

    def wire(self) -> dict[str, str]:
        return {"userId": self.user_id, "token": self.token.get_secret_value()}

    @property
    def identity(self) -> str:
        return f"user {self.user_id} token {mask_secret(self.token.get_secret_value())}"

    def secrets(self) -> tuple[str, ...]:
        return (self.token.get_secret_value(),)


Credentials = Annotated[SessionAuth | TokenAuth, Field(discriminator="kind")]


class BargeRequest(_Model):
    """One `bargingCall` without its credentials; `wire_body` adds them."""

    call_id: CallId = Field(alias="callId")
    snoop_type: Annotated[SnoopType, BeforeValidator(_mode)] = Field(alias="snoopType")
    target_entity_type: TargetType = Field(alias="targetEntityType")
    target_entity_val: TargetValue = Field(alias="targetEntityVal")
    snooper_number: PhoneNumber = Field(alias="snooperNumber")

    def wire_body(self, credentials: SessionAuth | TokenAuth) -> dict[str, str]:
        body = credentials.wire()
        body.update(self.model_dump(by_alias=True, mode="json"))
        return body

    def describe(self) -> str:
        """One line for logs and audit: no secret, snooper masked."""
        return (
            f"{self.snoop_type.value} {self.call_id} {self.target_entity_type}:{self.target_entity_val} "
            f"snooper {mask_phone(self.snooper_number)}"
        )

    def with_mode(self, mode: SnoopType) -> BargeRequest:
        return self.model_copy(update={"snoop_type": mode})


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


def _problems(error: ValidationError, model: type[BaseModel]) -> FieldErrors:
    aliases = {name: (info.alias or name) for name, info in model.model_fields.items()}
    found: list[InputProblem] = []
    for item in error.errors(include_input=False, include_url=False):
        loc = [str(part) for part in item["loc"] if isinstance(part, str)]
        field = loc[-1] if loc else "input"
        field = aliases.get(field, field)
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "enum":
            message = "must be one of spy, whisper, barge"
        found.append(InputProblem(field, message))
    return FieldErrors(tuple(found))


def parse_request(raw: dict[str, object]) -> BargeRequest:
    """Build a request from wire-named fields; raise FieldErrors naming each field that is wrong."""
    try:
        return BargeRequest.model_validate(raw)
    except ValidationError as error:
        raise _problems(error, BargeRequest) from None


def parse_credentials(
    ssid: str | None = None, user_id: str | None = None, token: str | None = None
) -> SessionAuth | TokenAuth:
    """Exactly one credential set: an ssid, or a user id with a token. Both or neither is refused."""
    for wire, value in (("ssid", ssid), ("userId", user_id), ("token", token)):
        if value is not None and not isinstance(value, str):
            raise FieldErrors((InputProblem(wire, "must be text"),))
    has_session = bool(ssid and ssid.strip())
    has_token = bool((user_id and user_id.strip()) or (token and token.strip()))
    if has_session and has_token:
        raise FieldErrors((InputProblem("ssid", "give a Session ID or a User ID with a Token, not both"),))
    if not has_session and not has_token:
        raise FieldErrors((InputProblem("ssid", "is required (or a User ID with a Token)"),))
    try:
        if has_session:
            return SessionAuth(ssid=SecretStr(ssid or ""))
        return TokenAuth.model_validate({"userId": user_id or "", "token": token or ""})
    except ValidationError as error:
        raise _problems(error, TokenAuth if has_token else SessionAuth) from None
