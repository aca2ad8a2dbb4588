"""The live call model: JSON Pointers, reading items through a field mapping, and the per-keystroke filter."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queuetui.api.errors import ProtocolError
from queuetui.api.fields import CALL_ID_MAX
from queuetui.api.text import has_unsafe_chars
from queuetui.core.floor.calls import (
    MAX_TEXT,
    CallState,
    FieldMap,
    LiveCall,
    filter_calls,
    items_at,
    map_calls,
    text_cells,
)
from queuetui.core.floor.config import LiveCallFields
from queuetui.core.floor.json_pointer import JsonPointer

DEFAULT = FieldMap.from_config(LiveCallFields())
FULL = FieldMap.from_config(LiveCallFields(agent_name="/agentName", state="/state", started_at="/startTime"))


# --- JSON Pointers (RFC 6901) -------------------------------------------------------------------------

DOCUMENT = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "m~n": 8, " ": 7, 'k"l': 6, "deep": {"list": [{"x": 5}]}}


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("", DOCUMENT),
        ("/foo", ["bar", "baz"]),
        ("/foo/0", "bar"),
        ("/foo/1", "baz"),
        ("/", 0),
        ("/a~1b", 1),
        ("/m~0n", 8),
        ("/ ", 7),
        ('/k"l', 6),
        ("/deep/list/0/x", 5),
    ],
)
def test_pointers_resolve_as_rfc_6901_says(pointer, value):
    assert JsonPointer.parse(pointer).get(DOCUMENT) == value


@pytest.mark.parametrize("pointer", ["/missing", "/foo/2", "/foo/-", "/foo/01", "/foo/x", "/foo/0/deeper", "/a~1b/c"])
def test_pointers_to_nothing_give_none(pointer):
    assert JsonPointer.parse(pointer).get(DOCUMENT) is None


@pytest.mark.parametrize(
    ("text", "fragment"), [("callId", "start with /"), ("/a~2", "~ must be followed"), ("/~", "~")]
)
def test_bad_pointers_say_why(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        JsonPointer.parse(text)


def test_a_pointer_without_its_slash_suggests_one():
    with pytest.raises(ValueError, match="'/callId'"):
        JsonPointer.parse("callId")


def test_a_huge_index_is_not_a_crash():
    assert JsonPointer.parse("/" + "9" * 5000).get([1, 2]) is None


# --- reading items ------------------------------------------------------------------------------------

WEBHOOK_ITEM = {"callId": "C-1", "masterAgent": 13, "cNumber": "+919876501023", "campId": "billing"}


def test_the_default_mapping_reads_the_webhook_names():
    assert DEFAULT.read(WEBHOOK_ITEM) == LiveCall("C-1", agent="13", customer="••••1023", queue="billing")


@pytest.mark.parametrize(("raw", "shown"), [(13, "13"), (13.0, "13"), ("13", "13"), (" 13 ", "13"), ("A-7", "A-7")])
def test_agent_ids_become_text(raw, shown):
    assert DEFAULT.read({**WEBHOOK_ITEM, "masterAgent": raw}).agent == shown


@pytest.mark.parametrize("raw", [True, None, 13.5, {"id": 13}, [13], ""])
def test_unusable_agent_ids_are_unknown(raw):
    assert DEFAULT.read({**WEBHOOK_ITEM, "masterAgent": raw}).agent is None


def test_numeric_call_ids_are_kept_as_text():
    assert DEFAULT.read({"callId": 991234}).call_id == "991234"


@pytest.mark.parametrize(
    ("number", "shown"),
    [("+91 98765 01023", "••••1023"), (919876501023, "••••1023"), ("1023", "••••1023"), ("42", "••••42")],
)
def test_the_customer_is_masked_down_to_the_last_four_digits(number, shown):
    call = DEFAULT.read({**WEBHOOK_ITEM, "cNumber": number})
    assert call.customer == shown
    assert "98765" not in call.search_key


@pytest.mark.parametrize("number", ["anonymous", "", None, True])
def test_a_withheld_number_is_unknown(number):
    assert DEFAULT.read({**WEBHOOK_ITEM, "cNumber": number}).customer is None


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Ringing", CallState.RINGING),
        ("ANSWERED", CallState.TALKING),
        ("in-progress", CallState.TALKING),
        ("on_hold", CallState.ON_HOLD),
        ("On Hold", CallState.ON_HOLD),
        ("completed", CallState.ENDED),
        ("talking", CallState.TALKING),
        ("parked", None),
        (3, None),  # the webhook's numeric callStatus: its meanings are not published
    ],
)
def test_states_are_read_from_common_words(word, state):
    assert FULL.read({"callId": "C-1", "state": word}).state is state


EPOCH = 1_700_000_000.0


@pytest.mark.parametrize(
    "raw",
    [EPOCH, int(EPOCH), str(int(EPOCH)), EPOCH * 1000, "2023-11-14T22:13:20Z", "2023-11-14T22:13:20+00:00",
     "2023-11-15T03:43:20+05:30"],
)  # fmt: skip
def test_start_times_as_epoch_seconds_milliseconds_or_iso_8601(raw):
    assert FULL.read({"callId": "C-1", "startTime": raw}).started_at == pytest.approx(EPOCH)


def test_an_iso_time_without_a_zone_is_local_time():
    naive = datetime.fromtimestamp(EPOCH).replace(microsecond=0).isoformat()
    assert FULL.read({"callId": "C-1", "startTime": naive}).started_at == pytest.approx(EPOCH)


@pytest.mark.parametrize("raw", ["yesterday", "", -5, 0, float("nan"), "inf", 10**400, True, "9" * 50])
def test_unusable_start_times_are_unknown(raw):
    assert FULL.read({"callId": "C-1", "startTime": raw}).started_at is None


def test_duration_counts_from_the_start_and_never_goes_negative():
    call = LiveCall("C-1", started_at=EPOCH)
    assert call.duration_s(EPOCH + 252.9) == 252
    assert call.duration_s(EPOCH - 30) == 0  # the server's clock runs ahead of ours
    assert LiveCall("C-1").duration_s(EPOCH) is None
    assert call.as_ended(EPOCH + 60).duration_s(EPOCH + 999) == 60


def test_text_from_the_feed_is_made_safe_and_short():
    call = FULL.read({"callId": "C-1", "agentName": "\x1b[2J\x1b]0;pwned\x07Asha\u202e", "campId": "q" * 500})
    assert call.agent_name == "Asha\ufffd"
    assert call.queue is not None and len(call.queue) <= 64


def test_a_long_call_id_is_kept_whole_and_one_that_names_no_call_is_skipped():
    long_id = "20260107101500-" + "7" * 60
    assert FULL.read({"callId": long_id}).call_id == long_id
    for unusable in ("C-\x1b[2J1", "C-\u202e1", "C-\t1", "C-  1", "x" * (CALL_ID_MAX + 1), "   ", 1.5, True, ["C-1"]):
        assert FULL.read({"callId": unusable}) is None
    assert FULL.read({"callId": 10023}).call_id == "10023"


def test_a_repeated_call_id_is_named_once_per_answer():
    items = [{"callId": "C-1", "masterAgent": 13}, {"callId": "C-2"}, {"callId": "C-1", "masterAgent": 21}] * 2
    mapped = map_calls(items, FULL)
    assert [(call.call_id, call.agent) for call in mapped.calls] == [("C-1", "13"), ("C-2", None)]
    assert mapped.repeated == ("C-1", "C-2")
    assert mapped.skipped == 4


@pytest.mark.parametrize(("text", "cells"), [("Asha", 4), ("\u674e\u660e", 4), ("\U0001f600 Bo", 5), ("e\u0301", 1)])
def test_text_is_measured_in_terminal_cells(text, cells):
    assert text_cells(text) == cells


def test_items_without_a_call_id_or_repeated_are_skipped_and_counted():
    items = [WEBHOOK_ITEM, {"masterAgent": 7}, "C-2", None, 42, {**WEBHOOK_ITEM, "campId": "again"}, {"callId": "C-3"}]
    mapped = map_calls(items, DEFAULT)
    assert [call.call_id for call in mapped.calls] == ["C-1", "C-3"]
    assert mapped.calls[0].queue == "billing"  # the first of a repeated id wins
    assert mapped.skipped == 5


def test_unmapped_fields_are_unknown():
    bare = FieldMap.from_config(LiveCallFields(agent="", customer="", queue=""))
    assert bare.read(WEBHOOK_ITEM) == LiveCall("C-1")


def test_items_at_finds_the_array_or_says_what_is_there():
    answer = {"status": "success", "data": [WEBHOOK_ITEM]}
    assert items_at(answer, JsonPointer.parse("/data"), "host") == [WEBHOOK_ITEM]
    assert items_at([1], JsonPointer.parse(""), "host") == [1]
    with pytest.raises(ProtocolError, match=r"host: the answer has no array of calls at /calls \(nothing there\)"):
        items_at(answer, JsonPointer.parse("/calls"), "host")
    with pytest.raises(ProtocolError, match=r"at the top \(an object there\).*--raw"):
        items_at(answer, JsonPointer.parse(""), "host")


# --- filtering ----------------------------------------------------------------------------------------

FLOOR = (
    LiveCall("C-10023", agent="13", agent_name="Asha", customer="••••1023", queue="billing"),
    LiveCall("C-10017", agent="7", agent_name="Ben", customer="••••4417", queue="support"),
    LiveCall("C-10031", agent="21", agent_name="Chen", customer="••••9031", queue="sales"),
    LiveCall("X-1", state=CallState.RINGING),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["C-10023", "C-10017", "C-10031", "X-1"]),
        ("   ", ["C-10023", "C-10017", "C-10031", "X-1"]),
        ("c-10023", ["C-10023"]),
        ("C-100", ["C-10023", "C-10017", "C-10031"]),
        ("asha", ["C-10023"]),  # agent name, any case
        ("21", ["C-10031"]),  # agent id
        ("4417", ["C-10017"]),  # customer digits
        ("SUPPORT", ["C-10017"]),  # queue
        ("sales chen", ["C-10031"]),  # every word must match
        ("sales asha", []),
        ("\u2022", []),  # the mask is not searchable
        ("ringing", []),  # the state is not part of the key
    ],
)
def test_filter_matches_call_agent_customer_digits_and_queue(text, expected):
    assert [call.call_id for call in filter_calls(FLOOR, text)] == expected


def test_a_word_never_matches_across_two_fields():
    # "13asha" would match if the agent id and name were joined without a separator.
    assert filter_calls(FLOOR, "13asha") == []
    assert filter_calls(FLOOR, "23\n13") == filter_calls(FLOOR, "23 13")


def test_the_filter_keeps_the_floor_order_and_returns_a_new_list():
    shown = filter_calls(FLOOR, "")
    assert shown == list(FLOOR)
    shown.clear()
    assert len(filter_calls(FLOOR, "")) == 4


def test_times_of_day_round_trip_through_utc():
    # started_at is epoch seconds whatever zone the feed wrote it in.
    utc = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc).timestamp()
    assert FULL.read({"callId": "C", "startTime": "2023-11-14T22:13:20.000Z"}).started_at == pytest.approx(utc)


# --- whatever a feed sends ----------------------------------------------------------------------------

HOSTILE = "\x1b\x07\x9b\u202e\u200b\ud800١\r\n"
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(),
        st.text(alphabet=st.one_of(st.characters(codec=None), st.sampled_from(HOSTILE)), max_size=20),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(["callId", "masterAgent", "agentName", "cNumber", "campId", "state", "startTime"])
items = st.lists(st.one_of(json_values, st.dictionaries(field_names, json_values, max_size=7)), max_size=6)


@pytest.mark.slow
@given(items)
@settings(max_examples=300, deadline=None, database=None)
def test_any_items_map_to_calls_safe_to_show(feed):
    mapped = map_calls(feed, FULL)
    assert len(mapped.calls) + mapped.skipped == len(feed)
    for call in mapped.calls:
        for text in (call.call_id, call.agent, call.agent_name, call.customer, call.queue):
            if text is not None:
                assert not has_unsafe_chars(text), repr(text)
                assert len(text) <= (CALL_ID_MAX if text is call.call_id else MAX_TEXT)
        duration = call.duration_s(EPOCH)
        assert duration is None or duration >= 0
        assert filter_calls([call], call.call_id[:3]) == [call]


def test_an_unchanged_item_is_not_read_again_and_the_calls_are_the_same():
    first = [
        {"callId": "C-1", "masterAgent": "7", "state": "talking"},
        {"callId": "C-2", "masterAgent": "9", "state": "ringing"},
        {"callId": "C-1", "masterAgent": "8"},  # repeated: the first is the one shown
    ]
    known: dict = {}
    before = map_calls(first, FULL, known)
    assert before == map_calls(first, FULL)
    second = [
        {"callId": "C-2", "masterAgent": "9", "state": "talking"},
        {"callId": "C-1", "masterAgent": "7", "state": "talking"},
    ]
    after = map_calls(second, FULL, known)
    assert after == map_calls(second, FULL)
    assert after.calls[1] is before.calls[0]  # C-1 unchanged: the same call, not read again
    assert after.calls[0].state is not before.calls[1].state  # C-2 changed: read again
    map_calls([{"callId": "C-3"}], FULL, known)
    assert list(known) == ["C-3"]  # the calls gone from the list are forgotten
