"""Property tests over everything that parses outside input: the answer interpreter and the request and
credential models. Whatever arrives, the only results are a success, a typed CallFailed, or FieldErrors;
and whatever they say is safe to print on a terminal."""

from __future__ import annotations

import json
import string

import pytest
from helpers import unsafe_chars
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from queuetui.api.credentials import SessionAuth, TokenAuth, parse_credentials
from queuetui.api.errors import DeepCallError, HttpStatusError, ProtocolError
from queuetui.api.fields import FIELD_LABELS, FieldErrors
from queuetui.api.models import BargeRequest, parse_request
from queuetui.api.response import Success, interpret
from queuetui.api.text import mask_secret

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=2_000,  # each run draws new inputs (no database), so runs add up; more would not fit CI's time
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOST = "fuzz.invalid:443"
WIRE_FIELDS = ("callId", "snoopType", "targetEntityType", "targetEntityVal", "snooperNumber")


def assert_safe(text: str) -> None:
    assert not unsafe_chars(text), repr(text)
    text.encode("utf-8")  # no lone surrogate: it could not be written to the audit or a terminal


# Text that a hostile or broken server might put anywhere: escape introducers, BEL, C1, bidi and zero-width
# characters, a lone surrogate, look-alike digits, line breaks.
HOSTILE_CHARS = "\x1b\x07\x9b\x9c\x9d\u202e\u200b\ud800١１[];\\\r\n"
nasty_text = st.text(alphabet=st.one_of(st.characters(codec=None), st.sampled_from(HOSTILE_CHARS)), max_size=12)
digit_strings = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=12),
    st.integers(min_value=4000, max_value=6000).map(lambda n: "9" * n),  # past Python's int() digit limit
    st.text(alphabet="0123456789١٢３ ", min_size=1, max_size=8),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    nasty_text,
    digit_strings,
)
# Two levels of nesting, spelt out: st.recursive's leaf limit throws away a third of the draws.
json_nested = st.one_of(st.lists(json_scalars, max_size=3), st.dictionaries(nasty_text, json_scalars, max_size=3))
json_values = st.one_of(
    json_scalars,
    st.lists(st.one_of(json_scalars, json_nested), max_size=3),
    st.dictionaries(nasty_text, st.one_of(json_scalars, json_nested), max_size=3),
)
error_keys = st.sampled_from(["status", "code", "errCode", "errorCode", "message", "msg", "error"])
status_values = st.one_of(st.sampled_from(["error", "ERROR", "Error", "success", "ok", ""]), json_values)
error_fields = st.dictionaries(st.one_of(error_keys, nasty_text), json_values, max_size=4)
error_like = st.one_of(
    error_fields, st.builds(lambda fields, status: {**fields, "status": status}, error_fields, status_values)
)


@st.composite
def encoded(draw: st.DrawFn, value: object) -> bytes:
    """JSON text as a server might send it: escaped or raw, padded, sometimes cut off."""
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = draw(st.sampled_from([b"", b" ", b"\r\n", b"\xef\xbb\xbf"])) + data + b"\n"
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def check_answer(status: int, body: bytes) -> None:
    try:
        result = interpret(HOST, status, body)
    except DeepCallError as error:
        assert error.code is None or isinstance(error.code, int)
        assert_safe(error.message)
        assert_safe(error.server_message)
    except (HttpStatusError, ProtocolError) as error:
        assert_safe(error.message)
        assert not 200 <= status < 300 or isinstance(error, ProtocolError)
    else:
        assert isinstance(result, Success)
        assert 200 <= result.status < 300
        assert result.text
        assert_safe(result.text)


statuses = st.integers(min_value=100, max_value=599)


@FUZZ
@given(status=statuses, body=st.binary(max_size=2048))
# Answers that once broke interpret(), kept so that every run tries them:
@example(status=200, body=b"\x1b@")  # nothing but an escape sequence read as success with empty text
@example(status=200, body=b'{"status":"error","code":"' + b"9" * 5000 + b'"}')  # int() digit limit
@example(status=500, body=b'{"status":"error","message":"\\ud800"}')  # a lone surrogate in the message
@example(status=200, body=b'{"status":"error","code":10')  # a cut-off error object read as success
def test_interpret_arbitrary_bytes(status, body):
    check_answer(status, body)


@FUZZ
@given(status=statuses, data=st.data())
def test_interpret_json_like_bodies(status, data):
    value = data.draw(st.one_of(error_like, json_values))
    body = data.draw(encoded(value))
    check_answer(status, body)
    if is_whole_error_object(body, value):
        # A whole, well-formed DeepCall error object is always read as one, whatever the HTTP status.
        with pytest.raises(DeepCallError):
            interpret(HOST, status, body)


def is_whole_error_object(body: bytes, value: object) -> bool:
    try:
        parsed = json.loads(body.decode("utf-8"))
    except ValueError:  # not UTF-8, cut off, or a BOM in front
        return False
    status = value.get("status") if isinstance(value, dict) else None
    return parsed == value and isinstance(status, str) and status.lower() == "error"


def check_request(raw: dict[object, object]) -> None:
    try:
        request = parse_request(raw)  # type: ignore[arg-type]
    except FieldErrors as errors:
        assert errors.problems
        for problem in errors.problems:
            if problem.field in FIELD_LABELS:
                assert_safe(problem.message)
        return
    assert isinstance(request, BargeRequest)
    for value in (request.call_id, request.target_entity_type, request.target_entity_val, request.snooper_number):
        assert value.isascii()
        assert value.isprintable()
        assert value == value.strip()
        assert 0 < len(value) <= 64
    assert request.snooper_number.lstrip("+").isdigit()


field_values = st.one_of(
    json_values,
    st.binary(max_size=20),
    # Close to valid, so the accepting branch is exercised too.
    st.text(alphabet=string.ascii_letters + string.digits + "._:-+@ ", min_size=1, max_size=70),
    st.sampled_from(["spy", "whisper", "barge", "agent", "C-10023", "13", "+91 98765 43210"]),
)


request_dicts = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(WIRE_FIELDS), nasty_text), field_values, max_size=7),
    st.fixed_dictionaries({name: field_values for name in WIRE_FIELDS}),  # every field there, so more get far
)


@FUZZ
@given(raw=request_dicts)
def test_parse_request_arbitrary_dicts(raw):
    check_request(raw)


credential_values = st.one_of(st.none(), field_values, st.text(alphabet=string.printable, max_size=30))


def shifted(value: object) -> object:
    """Every visible ASCII character moved one place along ('a' -> 'b', '~' -> '!'), all else kept. Validation
    cannot tell the two apart, so any difference in what is shown means the secret itself was shown."""
    if not isinstance(value, str):
        return value
    return "".join(chr((ord(ch) - 32) % 94 + 33) if "!" <= ch <= "~" else ch for ch in value)


def shown(credentials: SessionAuth | TokenAuth) -> str:
    """What the credentials show of themselves, with the masked secret (at most its last four) set aside."""
    text = repr(credentials) + " " + credentials.identity
    for secret in credentials.secrets():
        text = text.replace(mask_secret(secret), "<masked>")
    return text


@FUZZ
@given(ssid=credential_values, user_id=credential_values, token=credential_values)
def test_parse_credentials_arbitrary_values(ssid, user_id, token):
    twin = {"ssid": shifted(ssid), "user_id": user_id, "token": shifted(token)}
    try:
        credentials = parse_credentials(ssid=ssid, user_id=user_id, token=token)
    except FieldErrors as errors:
        assert errors.problems
        assert_safe(str(errors))
        with pytest.raises(FieldErrors) as twin_errors:
            parse_credentials(**twin)
        assert str(twin_errors.value) == str(errors)  # the secrets' own characters are never in the message
        return
    for secret in credentials.secrets():
        assert secret.isascii()
        assert secret.isprintable()
        assert " " not in secret
    assert shown(parse_credentials(**twin)) == shown(credentials)
    assert isinstance(credentials, SessionAuth) == bool(isinstance(ssid, str) and ssid.strip())
