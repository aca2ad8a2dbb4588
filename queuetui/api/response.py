"""Turning one HTTP answer into success text (bargingCall), parsed JSON (the live call list) or a typed
failure. Pure: no I/O, so it can be fuzzed.

From the seed: success is HTTP 200, text/html, body `sucessfully BARGINGCall` (not JSON). From the notes:
errors are `{"status": "error", "message": ..., "code": ...}` with HTTP 200 or 4xx/5xx, and the code key
may be `code`, `errCode` or `errorCode`, a number or a numeric string. Unknown: whether the real server
ever answers success as JSON; a 2xx JSON object that is not an error is accepted as success. Our choice:
a 2xx that is empty, not UTF-8, an HTML page or JSON that does not parse is a protocol error, since the real
success text is none of those and a captive portal, a proxy page or a cut-off error object must never read
as "you are now listening". A JSON endpoint's answer must parse as JSON; an error object in it is the same
DeepCallError, so an expired session reads alike whichever endpoint found it.
"""

from __future__ import annotations

from dataclasses import dataclass

from queuetui.api.decode import decode
from queuetui.api.errors import DeepCallError, HttpStatusError, ProtocolError
from queuetui.api.text import printable

_CODE_KEYS = ("code", "errCode", "errorCode")
_MAX_CODE_DIGITS = 9


@dataclass(frozen=True)
class Success:
    status: int
    text: str


def _json(body: bytes) -> object:
    """The parsed body, or None when it is not JSON. Lenient about raw control characters in strings: an
    error object that carries them must still read as an error (its message is cleaned for display)."""
    try:
        return decode(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _as_error(data: object) -> dict[str, object] | None:
    """The DeepCall error object `data` is, or None."""
    if not isinstance(data, dict):
        return None
    status = data.get("status")
    if isinstance(status, str) and status.lower() == "error":
        return data
    if any(key in data for key in _CODE_KEYS) and status is None:
        return data
    return None


def _error_object(body: bytes) -> dict[str, object] | None:
    stripped = body.strip()
    if not stripped.startswith(b"{"):
        return None
    return _as_error(_json(stripped))


def _code(data: dict[str, object]) -> int | None:
    for key in _CODE_KEYS:
        value = data.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        # The length cap keeps int() below Python's digit limit, which raises on longer strings.
        text = value.strip() if isinstance(value, str) else ""
        if text.isascii() and text.isdigit() and len(text) <= _MAX_CODE_DIGITS:
            return int(text)
    return None


def _message(data: dict[str, object]) -> str:
    for key in ("message", "msg", "error"):
        value = data.get(key)
        if isinstance(value, str):
            return printable(value, 300)
    return ""


def _raise_for_error(host: str, status: int, error: dict[str, object] | None, body: bytes) -> None:
    """Raise for a DeepCall error object (any status), a redirect, or another non-2xx answer."""
    if error is not None:
        raise DeepCallError(_code(error), _message(error), status)
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        raise ProtocolError(f"{host} answered with a redirect (HTTP {status}); not followed")
    if _is_markup(body):
        detail = "an HTML page (a proxy or gateway error)"
    else:
        detail = printable(body.decode("utf-8", errors="replace"), 120)
    raise HttpStatusError(host, status, detail)


def _is_markup(body: bytes) -> bool:
    return body.lstrip()[:1] == b"<"


def _readable(host: str, body: bytes) -> str:
    """A 2xx body as text, or ProtocolError when it cannot be the DeepCall answer at all."""
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(f"{host} answered with bytes that are not UTF-8 text") from None
    if not decoded.strip():
        raise ProtocolError(f"{host} answered with an empty body")
    if _is_markup(body):
        raise ProtocolError(f"{host} answered with an HTML page instead of the DeepCall answer")
    return decoded


def interpret(host: str, status: int, body: bytes) -> Success:
    """Success for a 2xx that is not an error object; otherwise raise DeepCallError, HttpStatusError or
    ProtocolError with a message safe to show."""
    _raise_for_error(host, status, _error_object(body), body)
    decoded = _readable(host, body)
    if decoded.lstrip()[:1] in ("{", "[") and _json(body) is None:
        # A cut-off or broken error object must never read as "you are now listening".
        raise ProtocolError(f"{host} answered with malformed JSON")
    text = printable(decoded, 300)
    if not text:  # nothing but escape sequences: as empty as no body at all
        raise ProtocolError(f"{host} answered with no readable text")
    return Success(status, text)


@dataclass(frozen=True)
class JsonAnswer:
    """A 2xx JSON answer: `text` as received (for a raw dump), `data` parsed."""

    status: int
    text: str
    data: object


def interpret_json(host: str, status: int, body: bytes) -> JsonAnswer:
    """For endpoints that answer JSON (the live call list): the parsed answer, or the same failures as
    `interpret`, a DeepCall error object going through the same catalogue. The body is parsed once."""
    data = _json(body)
    _raise_for_error(host, status, _as_error(data), body)
    decoded = _readable(host, body)
    if data is None:
        raise ProtocolError(f"{host} answered with text that is not JSON")
    return JsonAnswer(status, decoded, data)
