"""What DeepCall's error codes mean and what the user should do, plus the typed failures of a call.

Codes from 1500 up are per section of the API; this catalogue is for the Queue section, which is the only
one this client calls. No exception text ever holds a credential: messages are built from the host, the
status, the code and the server's own (cleaned) message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Category(str, Enum):
    AUTH = "auth"
    RETRYABLE = "retryable"
    INPUT = "input"
    PERMISSION = "permission"
    SERVER = "server"


@dataclass(frozen=True)
class ErrorInfo:
    code: int | None  # None for a DeepCall error object that carried no code
    title: str
    action: str
    category: Category


_C = Category
_KNOWN: tuple[ErrorInfo, ...] = (
    ErrorInfo(1000, "Invalid parameters or authentication", "Check the form and your credentials.", _C.INPUT),
    ErrorInfo(1001, "Invalid data type", "Check the form's values.", _C.INPUT),
    ErrorInfo(1002, "User ID not provided", "Sign in again with a User ID and Token.", _C.AUTH),
    ErrorInfo(1003, "Agent does not exist", "Check the target agent id.", _C.INPUT),
    ErrorInfo(1005, "Invalid contact number", "Check the snooper number.", _C.INPUT),
    ErrorInfo(1009, "Something went wrong on the server", "Try again in a moment.", _C.SERVER),
    ErrorInfo(1010, "Server database connection error", "Try again later.", _C.SERVER),
    ErrorInfo(1011, "Invalid credentials", "Sign in again.", _C.AUTH),
    ErrorInfo(1012, "No data found", "Check the Call ID: the call may have ended.", _C.INPUT),
    ErrorInfo(1013, "Invalid user id", "Sign in again with a valid User ID.", _C.AUTH),
    ErrorInfo(1014, "Session expired or invalid credentials", "Sign in again.", _C.AUTH),
    ErrorInfo(1015, "Permission denied", "Ask an administrator for monitoring rights.", _C.PERMISSION),
    ErrorInfo(1020, "Session expired or invalid credentials", "Sign in again (token not found).", _C.AUTH),
    ErrorInfo(1032, "Internal server error", "Try again later.", _C.SERVER),
    ErrorInfo(1039, "User account suspended", "Contact your administrator.", _C.PERMISSION),
    ErrorInfo(1043, "Agent is not logged in", "Check the target agent.", _C.INPUT),
    # The session id names a session the server no longer keeps: a new one is needed.
    ErrorInfo(1044, "Session not found (SSID file does not exist)", "Sign in again.", _C.AUTH),
    ErrorInfo(1047, "Invalid request data", "The request body was empty or not JSON.", _C.INPUT),
    ErrorInfo(1501, "Call is still being processed", "Wait a moment; retrying.", _C.RETRYABLE),
    ErrorInfo(1502, "Invalid value", "Correct {field}.", _C.INPUT),
)
CATALOGUE: dict[int, ErrorInfo] = {info.code: info for info in _KNOWN if info.code is not None}

# Which form field a code points at, where the code alone tells.
CODE_FIELDS: dict[int, str] = {1003: "targetEntityVal", 1005: "snooperNumber", 1012: "callId", 1043: "targetEntityVal"}


def describe(code: int | None) -> ErrorInfo:
    if code is not None and code in CATALOGUE:
        return CATALOGUE[code]
    return ErrorInfo(code, f"DeepCall error {code}" if code is not None else "DeepCall error", "", Category.SERVER)


class CallFailed(Exception):
    """Base of every failure of one `bargingCall` attempt. `message` is safe to show and to log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeepCallError(CallFailed):
    """The server answered with a DeepCall error object."""

    def __init__(self, code: int | None, server_message: str, http_status: int) -> None:
        self.code = code
        self.server_message = server_message
        self.http_status = http_status
        self.info = describe(code)
        shown = self.info.title
        if server_message.lower().startswith(self.info.title.lower()):
            shown = server_message  # the server already said it: "No data found: no live call ..."
        elif server_message:
            shown += f": {server_message}"
        super().__init__(f"{shown} (code {code})" if code is not None else shown)

    def advice(self, field_name: str | None) -> str:
        """What to do about it, naming the field as the user knows it (the form's label, the command's flag),
        else "the value"."""
        return self.info.action.format(field=field_name or "the value")

    @property
    def field(self) -> str | None:
        """The form field the error is about, when it can be known."""
        if self.code in CODE_FIELDS:
            return CODE_FIELDS[self.code]
        if self.code == 1502:
            lowered = self.server_message.lower()
            for wire, words in (
                ("snoopType", ("snooptype", "snoop type", "mode")),  # not "snoop": it is in "snooper"
                ("targetEntityType", ("entitytype", "entity type", "target type")),
                ("targetEntityVal", ("entityval", "target value", "agent")),
                ("snooperNumber", ("snooper", "number", "phone")),
                ("callId", ("callid", "call id")),
            ):
                if any(word in lowered for word in words):
                    return wire
        return None


class HttpStatusError(CallFailed):
    """A non-2xx answer that is not a DeepCall error object (a proxy page, an empty 500)."""

    def __init__(self, host: str, status: int, detail: str) -> None:
        self.status = status
        self.category = Category.AUTH if status in (401, 403) else Category.SERVER
        super().__init__(f"{host} answered HTTP {status}{': ' + detail if detail else ''}")


class ProtocolError(CallFailed):
    """The answer could not be understood (garbage, oversize body, redirect)."""


class TransportError(CallFailed):
    """The request did not get an answer: timeout, refused, DNS, TLS."""

    def __init__(self, host: str, cause: str) -> None:
        self.host = host
        self.cause = cause
        super().__init__(f"{host}: {cause}")


class RequestTimeout(TransportError):
    pass


class ConnectFailed(TransportError):
    pass


class TlsFailed(TransportError):
    pass


def category_of(error: CallFailed) -> Category:
    """What kind of failure this is for the user: AUTH sends them back to sign in, whichever call found it."""
    if isinstance(error, DeepCallError):
        return error.info.category
    if isinstance(error, HttpStatusError):
        return error.category
    return Category.SERVER
