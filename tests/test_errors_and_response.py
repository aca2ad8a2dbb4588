"""The error catalogue and the response parser: every answer becomes success text or a typed failure."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queuetui.api.errors import (
    CATALOGUE,
    CallFailed,
    Category,
    DeepCallError,
    HttpStatusError,
    ProtocolError,
    describe,
)
from queuetui.api.response import Success, interpret
from queuetui.api.text import printable

HOST = "api.example.test"
SEED_SUCCESS = b"sucessfully BARGINGCall"


def error_body(message: str = "Data already in processing", **fields: object) -> bytes:
    return json.dumps({"status": "error", "message": message, **fields}).encode()


def fails(status: int, body: bytes) -> CallFailed:
    with pytest.raises(CallFailed) as caught:
        interpret(HOST, status, body)
    return caught.value


# --- catalogue ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "category", "title_word"),
    [
        (1501, Category.RETRYABLE, "still being processed"),
        (1502, Category.INPUT, "Invalid value"),
        (1000, Category.INPUT, "Invalid parameters"),
        (1002, Category.AUTH, "User ID"),
        (1005, Category.INPUT, "contact number"),
        (1009, Category.SERVER, "went wrong"),
        (1012, Category.INPUT, "No data"),
        (1014, Category.AUTH, "invalid credentials"),
        (1015, Category.PERMISSION, "Permission denied"),
        (1020, Category.AUTH, "invalid credentials"),
        (1032, Category.SERVER, "Internal server error"),
        (1039, Category.PERMISSION, "suspended"),
        (1043, Category.INPUT, "not logged in"),
        (1011, Category.AUTH, "Invalid credentials"),
        (1013, Category.AUTH, "Invalid user id"),
        (1044, Category.AUTH, "Session not found"),
        (1047, Category.INPUT, "Invalid request data"),
    ],
)
def test_known_codes_have_a_category_and_a_title(code, category, title_word):
    info = describe(code)
    assert info.code == code
    assert info.category is category
    assert title_word in info.title


def test_catalogue_covers_every_documented_code_with_an_action():
    documented = {1000, 1001, 1002, 1003, 1005, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1020, 1032, 1039, 1043, 1044}
    documented |= {1047, 1501, 1502}
    assert set(CATALOGUE) == documented
    assert all(info.title and info.action for info in CATALOGUE.values())


@pytest.mark.parametrize("code", [4242, 1503, 0, -1])
def test_unknown_code_keeps_its_number(code):
    info = describe(code)
    assert str(code) in info.title
    assert info.category is Category.SERVER


def test_missing_code_is_a_plain_server_error():
    assert describe(None).title == "DeepCall error"


def test_api_error_message_has_title_server_text_and_code():
    error = DeepCallError(1015, "Supervisor rights missing", 200)
    assert error.message == "Permission denied: Supervisor rights missing (code 1015)"
    assert error.info.category is Category.PERMISSION


def test_api_error_message_does_not_repeat_the_title():
    assert DeepCallError(1015, "Permission denied", 200).message == "Permission denied (code 1015)"


@pytest.mark.parametrize(
    ("code", "server_message", "field"),
    [
        (1012, "No data found", "callId"),
        (1005, "Invalid contact number", "snooperNumber"),
        (1003, "agentId does not exist", "targetEntityVal"),
        (1502, "Invalid filter value: snoopType must be spy, whisper or barge", "snoopType"),
        (1502, "Invalid filter value: targetEntityType must be agent", "targetEntityType"),
        (1502, "Invalid filter value: targetEntityVal does not match", "targetEntityVal"),
        (1502, "bad snooper number", "snooperNumber"),
        (1502, "Invalid filter value: snooperNumber must be 10 digits", "snooperNumber"),
        (1502, "Invalid snoop type", "snoopType"),
        (1502, "Invalid filter value", None),
        (1014, "Invalid or expired token", None),
    ],
)
def test_api_error_points_at_the_field_when_it_can_be_known(code, server_message, field):
    assert DeepCallError(code, server_message, 200).field == field


@pytest.mark.parametrize(("status", "category"), [(401, Category.AUTH), (403, Category.AUTH), (500, Category.SERVER)])
def test_http_status_category(status, category):
    assert HttpStatusError(HOST, status, "").category is category


# --- interpret: success -------------------------------------------------------------------------------


def test_seed_success_text_is_success():
    assert interpret(HOST, 200, SEED_SUCCESS) == Success(200, "sucessfully BARGINGCall")


def test_seed_success_as_a_json_string_is_success():
    # The seed shows the body quoted; whichever way a server sends it, it is not an error object.
    assert interpret(HOST, 200, b'"sucessfully BARGINGCall"').text == '"sucessfully BARGINGCall"'


def test_json_success_object_is_success():
    assert interpret(HOST, 200, b'{"status":"success","data":{"ok":true}}').status == 200


def test_success_text_is_cleaned_of_escape_sequences():
    success = interpret(HOST, 200, b"\x1b[2J\x1b]0;owned\x07sucessfully\r\nBARGINGCall\x1b[0m")
    assert success.text == "sucessfully BARGINGCall"


# --- interpret: DeepCall error objects ----------------------------------------------------------------


@pytest.mark.parametrize("key", ["code", "errCode", "errorCode"])
@pytest.mark.parametrize("value", [1501, "1501", " 1501 "])
@pytest.mark.parametrize("status", [200, 400, 409, 500, 503])
def test_error_object_in_any_shape_and_status(key, value, status):
    error = fails(status, error_body(**{key: value}))
    assert isinstance(error, DeepCallError)
    assert error.code == 1501
    assert error.http_status == status
    assert error.info.category is Category.RETRYABLE
    assert error.server_message == "Data already in processing"


def test_error_object_without_status_key_is_still_an_error():
    error = fails(200, b'{"errCode": 1014, "message": "Invalid or expired token"}')
    assert isinstance(error, DeepCallError)
    assert error.code == 1014


def test_error_status_is_case_insensitive():
    error = fails(200, b'{"status": "ERROR", "message": "x", "code": 1012}')
    assert isinstance(error, DeepCallError)
    assert error.code == 1012


@pytest.mark.parametrize("odd_code", ["abc", "\u0661\u0665\u0660\u0661", True, None, 15.01, [1501]])
def test_error_object_with_unusable_code_has_none(odd_code):
    error = fails(200, error_body("Something failed", code=odd_code))
    assert isinstance(error, DeepCallError)
    assert error.code is None
    assert error.message == "DeepCall error: Something failed"


def test_server_message_escape_sequences_are_stripped():
    hostile = "\x1b[2J\x1b[1;1HPermission \x1b[31mdenied\x1b[0m\x1b]0;title\x07 now\u202e"
    error = fails(200, error_body(hostile, code=1015))
    assert isinstance(error, DeepCallError)
    assert "\x1b" not in error.message
    assert "\u202e" not in error.message
    assert error.server_message == "Permission denied now\ufffd"


def test_server_message_is_capped():
    error = fails(200, error_body("x" * 5000, code=1009))
    assert isinstance(error, DeepCallError)
    assert len(error.server_message) == 300
    assert error.server_message.endswith("\u2026")


# --- interpret: everything else -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "kind", "fragment"),
    [
        (200, b"<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>", ProtocolError, "HTML page"),
        (200, b"  \n<html>proxy</html>", ProtocolError, "HTML page"),
        (200, b"", ProtocolError, "empty body"),
        (200, b" \r\n\t", ProtocolError, "empty body"),
        (200, b"\xff\xfe\x00garbage\x80", ProtocolError, "not UTF-8"),
        (204, b"", ProtocolError, "empty body"),
        (301, b"", ProtocolError, "redirect (HTTP 301)"),
        (302, b"<html>moved</html>", ProtocolError, "redirect (HTTP 302)"),
        (307, b"", ProtocolError, "redirect (HTTP 307)"),
        (502, b"<html><head><title>502 Bad Gateway</title></head></html>", HttpStatusError, "HTTP 502: an HTML page"),
        (500, b"Internal Server Error", HttpStatusError, "HTTP 500: Internal Server Error"),
        (500, b"", HttpStatusError, "answered HTTP 500"),
        (503, b"\xff\xfeoops", HttpStatusError, "HTTP 503: \ufffd\ufffdoops"),
        (401, b"Unauthorized", HttpStatusError, "HTTP 401"),
        (500, b'{"status": "success"}', HttpStatusError, "HTTP 500"),
        (500, b'{"code": 1014, "status": "ok"}', HttpStatusError, "HTTP 500"),
        (500, b"[1, 2, 3]", HttpStatusError, "HTTP 500"),
        (500, b'{"status": "error", "code": 15', HttpStatusError, "HTTP 500"),
    ],
)
def test_answers_that_are_not_deepcall_answers(status, body, kind, fragment):
    error = fails(status, body)
    assert type(error) is kind
    assert fragment in error.message
    assert HOST in error.message


def test_http_error_body_with_escape_sequences_is_cleaned_and_capped():
    error = fails(500, b"\x1b[31m" + b"E" * 1000)
    assert "\x1b" not in error.message
    assert error.message.endswith("\u2026")
    assert len(error.message) < 200


def test_deeply_nested_json_does_not_crash_the_parser():
    error = fails(500, b"{" + b'"a":{' * 100_000)
    assert isinstance(error, HttpStatusError)


# --- printable ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
        ("bell\x07", "bell\ufffd"),
        ("tab\tand\nnewline", "tab and newline"),
        ("bidi\u202eevil", "bidi\ufffdevil"),
        ("  many    spaces  ", "many spaces"),
    ],
)
def test_printable_neutralises_terminal_control(raw, shown):
    assert printable(raw) == shown


# --- fuzz ---------------------------------------------------------------------------------------------


@given(status=st.integers(min_value=100, max_value=599), body=st.binary(max_size=512))
def test_any_answer_is_success_or_a_typed_failure(status, body):
    try:
        result = interpret(HOST, status, body)
    except CallFailed as error:
        assert "\x1b" not in error.message
    else:
        assert 200 <= status < 300
        assert "\x1b" not in result.text


@given(
    status=st.sampled_from([200, 400, 500]),
    key=st.sampled_from(["code", "errCode", "errorCode"]),
    code=st.integers(min_value=0, max_value=99_999),
    as_text=st.booleans(),
    message=st.text(max_size=200),
)
def test_any_error_object_keeps_its_code(status, key, code, as_text, message):
    error = fails(status, error_body(message, **{key: str(code) if as_text else code}))
    assert isinstance(error, DeepCallError)
    assert error.code == code
    assert "\x1b" not in error.message


def test_a_server_message_that_repeats_the_title_is_not_doubled():
    error = DeepCallError(1012, "No data found: no live call with that callId", 200)
    assert str(error) == "No data found: no live call with that callId (code 1012)"
