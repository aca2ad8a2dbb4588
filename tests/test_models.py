"""The request and credential models: what is refused before anything is sent, and what goes on the wire."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from queuetui.api.credentials import SessionAuth, TokenAuth, parse_credentials
from queuetui.api.fields import CALL_ID_MAX, FIELD_LABELS, FieldErrors
from queuetui.api.models import parse_request
from queuetui.api.modes import SnoopType

SEED_FIELDS = {"callId", "snoopType", "targetEntityType", "targetEntityVal", "snooperNumber"}
VALID = {
    "callId": "C-10023",
    "snoopType": "spy",
    "targetEntityType": "agent",
    "targetEntityVal": "13",
    "snooperNumber": "7976522803",
}
SSID = "session-0123456789abcdef"
TOKEN = "token-fedcba9876543210"


def refusal(**changes: object) -> FieldErrors:
    """The FieldErrors for VALID with `changes` applied (a None value removes the field)."""
    fields = {**VALID, **changes}
    with pytest.raises(FieldErrors) as caught:
        parse_request({k: v for k, v in fields.items() if v is not None})
    return caught.value


def credential_refusal(**kwargs: str | None) -> FieldErrors:
    with pytest.raises(FieldErrors) as caught:
        parse_credentials(**kwargs)
    return caught.value


def assert_names_only(errors: FieldErrors, field: str, fragment: str) -> None:
    assert [p.field for p in errors.problems] == [field]
    assert errors.first_field == field
    assert str(errors).startswith(f"{FIELD_LABELS[field]}: ")
    assert fragment in str(errors)


# --- valid input --------------------------------------------------------------------------------------


def test_valid_request_keeps_values_and_trims():
    request = parse_request({k: f"  {v}\t" for k, v in VALID.items()})
    assert request.call_id == "C-10023"
    assert request.snoop_type is SnoopType.SPY
    assert request.target_entity_type == "agent"
    assert request.target_entity_val == "13"
    assert request.snooper_number == "7976522803"


@pytest.mark.parametrize(
    ("field", "given_value", "kept"),
    [
        ("snooperNumber", "+91 98765-43210", "+919876543210"),
        ("snooperNumber", "123456", "123456"),
        ("snooperNumber", "1" * 15, "1" * 15),
        ("targetEntityType", "Agent", "agent"),
        ("targetEntityVal", "sup.lead+2@team", "sup.lead+2@team"),
        ("callId", "a" * CALL_ID_MAX, "a" * CALL_ID_MAX),
        ("callId", "20260107101500-" + "7" * 50 + "-0042", "20260107101500-" + "7" * 50 + "-0042"),  # 70, off a list
        ("callId", "1700000000.42:x_y", "1700000000.42:x_y"),
        ("snoopType", "barge", "barge"),
        ("snoopType", "whisper", "whisper"),
    ],
)
def test_valid_edge_values(field, given_value, kept):
    body = parse_request({**VALID, field: given_value}).wire_body(parse_credentials(ssid=SSID))
    assert body[field] == kept


# --- invalid input, field by field --------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(SEED_FIELDS))
@pytest.mark.parametrize("empty", ["", "   ", "\t\n", None])
def test_every_field_is_required(field, empty):
    errors = refusal(**{field: empty})
    expected = "must be one of" if field == "snoopType" and empty is not None else "is required"
    assert_names_only(errors, field, expected)


@pytest.mark.parametrize(
    ("field", "too_long"),
    [("callId", "a" * (CALL_ID_MAX + 1)), ("targetEntityType", "a" * 33), ("targetEntityVal", "7" * 65)],
)
def test_too_long_is_refused(field, too_long):
    assert_names_only(refusal(**{field: too_long}), field, "too long")


def test_phone_with_too_many_digits_is_refused():
    assert_names_only(refusal(snooperNumber="1" * 16), "snooperNumber", "6 to 15 digits")


@pytest.mark.parametrize("field", ["callId", "targetEntityType", "targetEntityVal", "snooperNumber"])
@pytest.mark.parametrize(
    "dirty",
    ["C1\x1b[31m0", "C1\x1b]0;title\x071", "C1\x001", "C1\x7f1", "C1\u202e1", "C1\u200b1", "C1\x851", "C1\r1"],
)
def test_control_and_escape_characters_are_refused(field, dirty):
    assert_names_only(refusal(**{field: dirty}), field, "control or escape")


@pytest.mark.parametrize(
    "look_alike",
    [
        "\uff19\uff18\uff17\uff16\uff15\uff14\uff13\uff12\uff11\uff10",  # full-width digits
        "\u0669\u0668\u0667\u0666\u0665\u0664\u0663\u0662\u0661\u0660",  # Arabic-Indic digits
        "\u096f\u096e\u096d\u096c\u096b\u096a\u0969\u0968\u0967\u0966",  # Devanagari digits
        "98765\u00b2\u00b3210",  # superscripts
        "9876543210\ufe0f",  # variation selector hidden at the end
        "98765O4321",  # letter O for zero
    ],
)
def test_look_alike_digits_in_phone_are_refused(look_alike):
    errors = refusal(snooperNumber=look_alike)
    assert errors.first_field == "snooperNumber"
    assert str(errors).startswith("Snooper number: ")


@pytest.mark.parametrize("bad", ["12345", "+", "98-76 5", "++987654321", "(987) 654-3210", "9876 54 x1", "98765/4321"])
def test_malformed_phone_is_refused(bad):
    assert_names_only(refusal(snooperNumber=bad), "snooperNumber", "phone number")


SHELL_AND_SQL = ["C-1;rm -rf ~", "C-1 && id", "$(id)", "`id`", "C-1|cat", "../x", 'a"b', "a b"]
SHELL_AND_SQL += ["1' OR '1'='1", "1;DROP TABLE calls", "1/*x*/"]


@pytest.mark.parametrize("field", ["callId", "targetEntityVal"])
@pytest.mark.parametrize("injection", SHELL_AND_SQL)
def test_shell_and_sql_metacharacters_in_ids_are_refused(field, injection):
    assert_names_only(refusal(**{field: injection}), field, "may only contain")


@pytest.mark.parametrize("bad", ["listen", "spying", "bar ge", "", "spy;barge"])
def test_unknown_mode_is_refused(bad):
    assert_names_only(refusal(snoopType=bad), "snoopType", "spy, whisper, barge")


@pytest.mark.parametrize(("typed", "mode"), [("SPY ", SnoopType.SPY), ("Barge", SnoopType.BARGE)])
def test_mode_ignores_case_and_spaces(typed, mode):
    assert parse_request({**VALID, "snoopType": typed}).snoop_type is mode


@pytest.mark.parametrize("bad", ["1agent", "agent-x", "agent type", "ägent"])
def test_target_type_must_be_an_identifier(bad):
    assert_names_only(refusal(targetEntityType=bad), "targetEntityType", "must be a word such as agent")


@pytest.mark.parametrize("not_text", [13, 9876543210, 1.5, ["C-1"], {"id": "C-1"}])
def test_non_text_values_are_refused(not_text):
    errors = refusal(callId=not_text)
    assert errors.first_field == "callId"


def test_unknown_field_is_refused():
    errors = refusal(ssid=SSID)
    assert errors.first_field == "ssid"


def test_every_problem_is_reported_in_form_order():
    errors = refusal(callId="", snoopType="loud", snooperNumber="x")
    assert [p.field for p in errors.problems] == ["callId", "snoopType", "snooperNumber"]
    assert [p.label for p in errors.problems] == ["Call ID", "Mode", "Snooper number"]


def test_field_errors_survive_a_context_manager():
    # contextlib re-raises by assigning __traceback__; the exception must come out as itself.
    @contextlib.contextmanager
    def nothing() -> Iterator[None]:
        yield

    with pytest.raises(FieldErrors) as caught, nothing():
        parse_request({**VALID, "callId": ""})
    assert caught.value.first_field == "callId"


# --- credentials --------------------------------------------------------------------------------------


def test_session_credentials_are_trimmed():
    auth = parse_credentials(ssid=f"  {SSID}\n")
    assert isinstance(auth, SessionAuth)
    assert auth.wire() == {"ssid": SSID}


def test_token_credentials_are_trimmed():
    auth = parse_credentials(user_id=" supervisor.7 ", token=f" {TOKEN} ")
    assert isinstance(auth, TokenAuth)
    assert auth.wire() == {"userId": "supervisor.7", "token": TOKEN}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ssid": SSID, "token": TOKEN},
        {"ssid": SSID, "user_id": "supervisor"},
        {"ssid": SSID, "user_id": "supervisor", "token": TOKEN},
    ],
)
def test_both_credential_sets_are_refused(kwargs):
    errors = credential_refusal(**kwargs)
    assert_names_only(errors, "ssid", "not both")


@pytest.mark.parametrize("kwargs", [{}, {"ssid": ""}, {"ssid": "  "}, {"user_id": " ", "token": ""}])
def test_no_credentials_are_refused(kwargs):
    assert_names_only(credential_refusal(**kwargs), "ssid", "is required")


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"token": TOKEN}, "userId", "is required"),
        ({"user_id": "supervisor"}, "token", "is required"),
        ({"user_id": "sup;rm", "token": TOKEN}, "userId", "may only contain"),
        ({"user_id": "u" * 65, "token": TOKEN}, "userId", "too long"),
        ({"user_id": "sup\x1b[2J", "token": TOKEN}, "userId", "control or escape"),
        ({"user_id": "supervisor", "token": "tok en-123"}, "token", "printable ASCII"),
        ({"user_id": "supervisor", "token": "t" * 513}, "token", "too long"),
        ({"ssid": "abc\x1b[31mdef"}, "ssid", "control or escape"),
        ({"ssid": "sessi\u00f6n-id"}, "ssid", "printable ASCII"),
        ({"ssid": "s" * 513}, "ssid", "too long"),
    ],
)
def test_invalid_credentials_name_the_field(kwargs, field, fragment):
    assert_names_only(credential_refusal(**kwargs), field, fragment)


@pytest.mark.parametrize("secret", ["leaky secret value", "leaky\x1bsecret-value", "leaky-secret-" + "x" * 600])
def test_refused_secret_is_not_echoed(secret):
    errors = credential_refusal(ssid=secret)
    assert "leaky" not in str(errors)
    assert "leaky" not in repr(errors)


@pytest.mark.parametrize(
    ("auth", "secret"),
    [
        (parse_credentials(ssid=SSID), SSID),
        (parse_credentials(user_id="supervisor", token=TOKEN), TOKEN),
    ],
)
def test_credentials_never_show_the_secret(auth, secret):
    for shown in (repr(auth), str(auth), auth.identity, f"{auth!r:>80}", str(dataclasses.asdict(auth))):
        assert secret not in shown
    assert secret[-4:] in auth.identity  # the masked tail is what lets a user recognise the credential
    assert auth.secrets() == (secret,)


# --- the wire body ------------------------------------------------------------------------------------


def test_wire_body_with_session_uses_the_seed_names():
    body = parse_request(VALID).wire_body(parse_credentials(ssid=SSID))
    assert body == {"ssid": SSID, **VALID}


def test_wire_body_with_token_has_no_ssid():
    body = parse_request(VALID).wire_body(parse_credentials(user_id="supervisor", token=TOKEN))
    assert body == {"userId": "supervisor", "token": TOKEN, **VALID}


def test_with_mode_changes_only_the_mode():
    request = parse_request(VALID)
    barge = request.with_mode(SnoopType.BARGE)
    assert barge.snoop_type is SnoopType.BARGE
    assert dataclasses.replace(barge, snoop_type=SnoopType.SPY) == request
    assert request.snoop_type is SnoopType.SPY


def test_describe_masks_the_snooper_number():
    line = parse_request(VALID).describe()
    assert line.startswith("spy C-10023 agent:13 snooper ")
    assert "7976522803" not in line
    assert line.endswith("803")


def test_only_barge_is_heard_by_the_customer():
    assert [m for m in SnoopType if "customer" in m.heard_by] == [SnoopType.BARGE]
    assert "nobody" in SnoopType.SPY.heard_by
    assert "customer" not in SnoopType.WHISPER.heard_by


# --- properties ---------------------------------------------------------------------------------------

PADDING = st.text(alphabet=" \t", max_size=3)
VALID_VALUES = {
    "callId": st.from_regex(r"[A-Za-z0-9._:\-]{1,64}", fullmatch=True),
    "snoopType": st.sampled_from([m.value for m in SnoopType]),
    "targetEntityType": st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True),
    "targetEntityVal": st.from_regex(r"[A-Za-z0-9._:@+\-]{1,64}", fullmatch=True),
    "snooperNumber": st.from_regex(r"\+?[0-9]{6,15}", fullmatch=True),
}
UNSAFE_CHARS = st.one_of(
    st.characters(categories=["Cc", "Cf"]),
    st.sampled_from(["\x1b[31m", "\x1b[2J", "\x1b]0;x\x07", "\x9b1m"]),
)


@given(values=st.fixed_dictionaries(VALID_VALUES), pad=PADDING)
def test_any_valid_input_round_trips(values, pad):
    request = parse_request({k: f"{pad}{v}{pad}" for k, v in values.items()})
    body = request.wire_body(parse_credentials(ssid=SSID))
    assert set(body) == SEED_FIELDS | {"ssid"}
    assert {k: body[k] for k in SEED_FIELDS} == values
    assert parse_request({k: body[k] for k in SEED_FIELDS}) == request


@given(
    field=st.sampled_from(["callId", "targetEntityType", "targetEntityVal", "snooperNumber"]),
    values=st.fixed_dictionaries(VALID_VALUES),
    unsafe=UNSAFE_CHARS,
    data=st.data(),
)
def test_any_control_character_is_refused_naming_the_field(field, values, unsafe, data):
    clean = values[field]
    assume(len(clean) >= 2)
    # Inside the value, so trimming cannot remove it.
    cut = data.draw(st.integers(min_value=1, max_value=len(clean) - 1))
    with pytest.raises(FieldErrors) as caught:
        parse_request({**values, field: clean[:cut] + unsafe + clean[cut:]})
    assert caught.value.first_field == field
    assert str(caught.value).startswith(FIELD_LABELS[field] + ": ")


@given(secret=st.from_regex(r"[!-~]{16,80}", fullmatch=True))
def test_no_secret_appears_in_what_credentials_show(secret):
    constant_text = repr(parse_credentials(ssid="x" * 16)) + repr(parse_credentials(user_id="sup", token="x" * 16))
    # A secret that happens to be part of the field names or the mask proves nothing either way.
    assume(secret not in constant_text)
    for auth in (parse_credentials(ssid=secret), parse_credentials(user_id="sup", token=secret)):
        assert secret not in repr(auth)
        assert secret not in str(auth)
        assert secret not in auth.identity
