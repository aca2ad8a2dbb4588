"""The live list's rows: a refresh never moves one, whatever order or churn the source brings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from queuetui.core.floor.calls import CallState, FieldMap, LiveCall, map_calls
from queuetui.core.floor.config import LiveCallFields
from queuetui.core.floor.layout import FloorLayout
from queuetui.core.floor.poller import FloorTracker

FIELDS = FieldMap.from_config(LiveCallFields(state="/state"))


def calls(*ids: str) -> list[LiveCall]:
    return [LiveCall(call_id, agent="13", state=CallState.TALKING) for call_id in ids]


def ids(layout: FloorLayout) -> list[str]:
    return [call.call_id for call in layout.rows]


def test_new_calls_join_at_the_end_whatever_the_sources_order():
    layout = FloorLayout()
    layout.apply(calls("A", "B", "C"), 100.0)
    layout.apply(calls("D", "C", "B", "A"), 101.0)
    assert ids(layout) == ["A", "B", "C", "D"]


def test_a_call_that_leaves_is_marked_ended_in_its_place_with_the_time_it_left():
    layout = FloorLayout()
    layout.apply(calls("A", "B", "C"), 100.0)
    layout.apply(calls("C", "A"), 103.0)
    assert ids(layout) == ["A", "B", "C"]
    ended = layout.rows[1]
    assert ended.ended and ended.ended_at == 103.0
    assert [call.ended for call in layout.rows] == [False, True, False]
    assert layout.ended == 1


def test_an_ended_row_stays_however_many_refreshes_go_by():
    layout = FloorLayout()
    layout.apply(calls("A", "B"), 100.0)
    for second in range(101, 120):
        layout.apply(calls("B"), float(second))
    assert ids(layout) == ["A", "B"]
    assert layout.rows[0].ended_at == 101.0  # when it left, not the last refresh


def test_a_call_listed_again_is_live_again_in_its_place():
    layout = FloorLayout()
    layout.apply(calls("A", "B"), 100.0)
    layout.apply(calls("B"), 101.0)
    layout.apply(calls("B", "A"), 102.0)
    assert ids(layout) == ["A", "B"]
    assert not layout.rows[0].ended


def test_a_call_first_seen_ended_is_not_added():
    layout = FloorLayout()
    layout.apply([*calls("A"), LiveCall("Z", state=CallState.ENDED)], 100.0)
    assert ids(layout) == ["A"]


def test_a_row_takes_the_calls_latest_facts():
    layout = FloorLayout()
    layout.apply(calls("A"), 100.0)
    layout.apply([LiveCall("A", agent="21", state=CallState.ON_HOLD)], 101.0)
    assert layout.rows[0].agent == "21"
    assert layout.find("A") is layout.rows[0]
    assert layout.find("nope") is None


def test_tidy_drops_the_ended_rows_but_the_one_kept():
    layout = FloorLayout()
    layout.apply(calls("A", "B", "C", "D"), 100.0)
    layout.apply(calls("B", "D"), 101.0)
    assert layout.tidy(keep="C") == 1
    assert ids(layout) == ["B", "C", "D"]
    assert layout.find("D") is layout.rows[2]
    assert layout.tidy() == 1
    assert ids(layout) == ["B", "D"]


def test_the_filter_keeps_the_rows_order():
    layout = FloorLayout()
    layout.apply([LiveCall("C-2", queue="sales"), LiveCall("C-1", queue="sales"), LiveCall("C-3")], 100.0)
    layout.apply([LiveCall("C-1", queue="sales"), LiveCall("C-3"), LiveCall("C-2", queue="sales")], 101.0)
    assert [call.call_id for call in layout.view("sales")] == ["C-2", "C-1"]


@given(st.lists(st.lists(st.sampled_from("ABCDEFGHIJ"), unique=True), min_size=1, max_size=12))
def test_no_refresh_moves_a_row_or_drops_one(refreshes):
    layout = FloorLayout()
    for second, listed in enumerate(refreshes):
        before = ids(layout)
        layout.apply(calls(*listed), float(second))
        after = ids(layout)
        assert after[: len(before)] == before  # every row where it was
        assert set(after[len(before) :]) <= set(listed)  # only calls just listed join, at the end
        live = {call.call_id for call in layout.rows if not call.ended}
        assert live == set(listed)


# Each refresh: the calls the answer lists (an id, and a state of its own), whether the supervisor tidies after it,
# and whether the layout is handed this refresh (a console that missed one lays the next out whole).
_ANSWERS = st.lists(
    st.tuples(
        st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), st.sampled_from(list(CallState))), unique_by=lambda c: c[0]),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=15,
)


@given(_ANSWERS)
def test_following_the_pollers_changes_lays_out_the_rows_a_whole_list_would(answers):
    tracker = FloorTracker(refresh_s=1.0, ended_linger_s=2.0)
    known: dict = {}
    following, whole = FloorLayout(), FloorLayout()
    for second, (listed, tidy, handed) in enumerate(answers):
        items = [{"callId": call_id, "state": state.value} for call_id, state in listed]
        snapshot = tracker.apply(map_calls(items, FIELDS, known), float(second), 1000.0 + second)
        if not handed:
            continue
        following.follow(snapshot)
        whole.apply(snapshot.calls, snapshot.fetched_at or 0.0)
        assert following.rows == whole.rows
        if tidy:
            assert following.tidy() == whole.tidy()


def test_a_list_that_changed_nothing_hands_the_layout_nothing():
    tracker = FloorTracker(refresh_s=1.0)
    known: dict = {}
    items = [{"callId": f"C-{n}", "state": "talking"} for n in range(100)]
    first = tracker.apply(map_calls(items, FIELDS, known), 1.0, 1001.0)
    assert len(first.changed) == 100
    items[7] = {"callId": "C-7", "state": "on hold"}
    second = tracker.apply(map_calls(items, FIELDS, known), 2.0, 1002.0)
    assert [call.call_id for call in second.changed] == ["C-7"]
    third = tracker.apply(map_calls(items, FIELDS, known), 3.0, 1003.0)
    assert third.changed == ()
