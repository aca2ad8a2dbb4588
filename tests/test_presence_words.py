"""What presence says on the top line: the longest words that fit beside the live call, never dropped; several
others counted; a store out of reach said; nothing while presence is off or the supervisor is on no call."""

from __future__ import annotations

from datetime import datetime, timezone

from queuetui.api.modes import SnoopType
from queuetui.core.config.environment import Environment
from queuetui.core.monitoring import Monitoring
from queuetui.core.presence.entry import Identity, PresenceView
from queuetui.tui.widgets.status_header import HeaderFacts, top_line

NOW = 10_000.0
ASHA = Identity("a", "asha", "", "jump1").on("C-10023", "spy", NOW - 150)
BEN = Identity("b", "ben", "Ben K", "jump2").on("C-10023", "barge", NOW - 9)
CHEN = Identity("c", "chen", "", "jump2").on("C-10017", "whisper", NOW - 4000)


def test_the_words_longest_first() -> None:
    view = PresenceView(True, (ASHA,))
    assert view.top_line_words("C-10023", NOW) == (
        "also on this call: asha (SPY, 2 min)",
        "also: asha (SPY, 2 min)",
        "+1: asha SPY",
        "+1",
    )
    several = PresenceView(True, (ASHA, BEN, CHEN))
    assert several.top_line_words("C-10023", NOW)[0] == "also on this call: asha (SPY, 2 min), Ben K (BARGE, 9 s)"
    assert several.top_line_words("C-10023", NOW)[2:] == ("+2: others, 1 BARGE", "+2 BARGE")
    assert several.top_line_words("C-10017", NOW)[1] == "also: chen (WHISPER, 1 h)"
    assert several.calls_with_others() == {"C-10023", "C-10017"}
    assert [row.who for row in several.barging("C-10023")] == ["Ben K"]


def test_nothing_to_say_off_a_call_or_with_presence_off_and_the_problem_when_out_of_reach() -> None:
    assert PresenceView(True, (ASHA,)).top_line_words(None, NOW) == ("", "", "", "")
    assert PresenceView().top_line_words("C-10023", NOW) == ("", "", "", "")
    down = PresenceView(True, (ASHA,), problem="presence file /x: unable to open database file")
    assert down.top_line_words("C-10023", NOW)[0] == "presence unavailable"
    assert down.others_on("C-10023") == () and down.calls_with_others() == frozenset()


def test_the_top_line_keeps_them_beside_the_call_at_80_columns() -> None:
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    live = Monitoring("C-10023", "agent", "13", SnoopType.SPY, at, at, "9876543210")
    words = PresenceView(True, (ASHA, BEN)).top_line_words("C-10023", NOW)
    facts = HeaderFacts(Environment.PRODUCTION, "desk@host", "ssid ••••1a2b", "98•••210", live=live, others=words)
    wide, narrow = top_line(facts, 120).plain, top_line(facts, 80).plain
    assert "also on this call: asha (SPY, 2 min), Ben K (BARGE, 9 s)" in wide
    assert "+2: others, 1 BARGE" in narrow and "C-10023" in narrow and len(narrow) <= 80
    assert "PRODUCTION" in narrow
    barging = HeaderFacts(
        Environment.PRODUCTION,
        "desk@host",
        "ssid ••••1a2b",
        "98•••210",
        live=Monitoring("C-10023", "agent", "13", SnoopType.BARGE, at, at, "9876543210"),
        elapsed="00:01",
        others=PresenceView(True, (BEN,)).top_line_words("C-10023", NOW),
    )
    line = top_line(barging, 80).plain
    assert "+1 BARGE" in line and "PRODUCTION" in line, "the badge stays beside a barge's long words"
