"""The top line at every width from 60 to 120 columns: what is live stays whole, and the environment badge
stays with it whenever the two can share the line (it is the only sign of production without colour)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from queuetui.api.modes import SnoopType
from queuetui.core.config.environment import Environment
from queuetui.core.monitoring import Monitoring
from queuetui.tui.widgets.status_header import HeaderFacts, top_line

WHEN = datetime(2026, 1, 5, 10, 41, 2, tzinfo=timezone.utc)


def facts(mode: SnoopType, environment: Environment) -> HeaderFacts:
    live = Monitoring("C-10023", "agent", "13", mode, WHEN, WHEN, "9876543210")
    return HeaderFacts(
        environment, "desk@v4-api.deepcall.com", "ssid ••••1a2b", "98•••••210", live, "00:42", "\u260e ringing"
    )


@pytest.mark.parametrize("mode", list(SnoopType), ids=lambda mode: mode.value)
@pytest.mark.parametrize("environment", [Environment.DEMO, Environment.PRODUCTION], ids=lambda env: env.value)
def test_the_live_call_stays_whole_and_keeps_the_badge_beside_it(mode, environment):
    badge = f" {environment.value.upper()} "
    for width in range(60, 121):
        line = top_line(facts(mode, environment), width).plain
        assert len(line) <= width, (width, line)
        for words in ("C-10023", mode.value.upper(), mode.heard_by, "00:42"):
            assert words in line, (width, line)
        if width >= {Environment.DEMO: 60, Environment.PRODUCTION: 64}[environment]:
            assert badge in line, (width, line)


def test_at_60_columns_a_barge_in_the_demo_reads_whole_with_its_badge():
    assert top_line(facts(SnoopType.BARGE, Environment.DEMO), 60).plain == (
        " \u25b2 C-10023 BARGE agent AND customer hear you 00:42   DEMO "
    )


def test_a_leg_left_to_the_phone_is_said_in_words_beside_the_badge_at_every_width_from_78_columns():
    # A barge on C-10023 left for a spy on C-10050: the customer of C-10023 may still hear the supervisor. Its
    # mode in capitals says so where the words that explain it would push the badge off the line.
    left = Monitoring("C-10023", "agent", "13", SnoopType.BARGE, WHEN, WHEN, "9876543210")
    spy = Monitoring("C-10050", "agent", "7", SnoopType.SPY, WHEN, WHEN, "9876543210")
    on_spy = HeaderFacts(
        Environment.PRODUCTION, "desk@v4-api.deepcall.com", "ssid ••••1a2b", "98•••••210", spy, "00:42", left=(left,)
    )
    for width in range(78, 201):
        line = top_line(on_spy, width).plain
        assert len(line) <= width, (width, line)
        for words in ("C-10050", "SPY", "nobody hears you", "00:42", "C-10023 BARGE", " PRODUCTION "):
            assert words in line, (width, line)
    assert "+1 leg still on your phone: C-10023 BARGE \u2014 agent AND customer hear you" in top_line(on_spy, 200).plain
    assert "+1: C-10023 BARGE, customer hears you   PRODUCTION " in top_line(on_spy, 91).plain
    assert "+1: C-10023 BARGE   PRODUCTION " in top_line(on_spy, 80).plain


def test_a_leg_left_to_the_phone_shows_with_nothing_live():
    left = Monitoring("C-10023", "agent", "13", SnoopType.WHISPER, WHEN, WHEN, "9876543210")
    alone = HeaderFacts(Environment.DEMO, "demo@sim", "ssid ••••1a2b", "", None, "", left=(left,))
    assert (
        top_line(alone, 80).plain == " \u25cb not on a call   +1 leg: C-10023 WHISPER, agent hears you   DEMO  demo@sim"
    )
    assert top_line(alone, 120).plain.startswith(
        " \u25cb not on a call   +1 leg still on your phone: C-10023 WHISPER \u2014 the agent hears you   DEMO "
    )


def test_a_live_call_id_too_long_for_the_line_is_shortened_in_the_middle_never_cropped():
    # Ids that share their first 63 characters differ at the tail: the tail must stay, and what is live with it.
    long_id = "Q" + "5" * 62 + "1-0042"
    live = Monitoring(long_id, "agent", "13", SnoopType.SPY, WHEN, WHEN, "9876543210")
    left = Monitoring("Q" + "5" * 62 + "2-0042", "agent", "13", SnoopType.BARGE, WHEN, WHEN, "9876543210")
    alone = HeaderFacts(Environment.PRODUCTION, "desk@host", "ssid", "98", live, "00:42")
    with_leg = replace(alone, left=(left,))
    for on_it, widths, words in ((alone, range(60, 121), ("1-0042",)), (with_leg, range(78, 121), ("BARGE",))):
        for width in widths:
            line = top_line(on_it, width).plain
            assert len(line) <= width, (width, line)
            for word in (" Q55", "042 ", "SPY", "nobody hears you", "00:42", *words):
                assert word in line, (width, line)
    assert "1-0042 SPY" in top_line(with_leg, 90).plain and "2-0042 BARGE" in top_line(with_leg, 90).plain
    assert long_id in top_line(replace(alone, host=""), 200).plain


def test_whom_the_supervisor_follows_shrinks_before_the_badge_goes():
    # Following an agent whose next call the console spies on by itself, on a spy: alone, and with a leg left to
    # the phone, where the words about the follow shrink so that the badge stays (from 66 and 91 columns).
    alone = replace(
        facts(SnoopType.SPY, Environment.DEMO), phone="", following=("following agent 21 (spies)", "follow 21 (spies)")
    )
    with_a_leg = replace(alone, left=(Monitoring("C-10017", "agent", "7", SnoopType.SPY, WHEN, WHEN, "9876543210"),))
    for shown, narrowest in ((alone, 66), (with_a_leg, 91)):
        for width in range(narrowest, 121):
            line = top_line(shown, width).plain
            assert len(line) <= width, (width, line)
            for words in ("C-10023", "SPY", "21 (spies)", " DEMO ", *(("C-10017",) if shown.left else ())):
                assert words in line, (width, line)
    assert "following agent 21 (spies)" in top_line(alone, 80).plain
    assert "follow 21 (spies)" in top_line(with_a_leg, 91).plain


LEGS = (
    Monitoring("C-20381", "agent", "7", SnoopType.SPY, WHEN, WHEN, "9876543210"),
    Monitoring("C-10017", "agent", "8", SnoopType.BARGE, WHEN, WHEN, "9876543210"),
    Monitoring("C-10031", "agent", "9", SnoopType.WHISPER, WHEN, WHEN, "9876543210"),
    Monitoring("C-10023", "agent", "13", SnoopType.SPY, WHEN, WHEN, "9876543210"),
)


def legs_accounted_for(line: str, legs: tuple[Monitoring, ...]) -> bool:
    """Every leg named by its call and mode, or those not named counted truly."""
    named = sum(f"{leg.call_id} {leg.mode.value.upper()}" in line for leg in legs)
    if named == len(legs):
        return True
    return f"+{len(legs)}" in line and (named == 0 or f"+{len(legs) - named} more" in line)


@pytest.mark.parametrize("legs", range(1, 5))
@pytest.mark.parametrize("live", [*SnoopType, None], ids=lambda mode: mode.value if mode else "nothing-live")
@pytest.mark.parametrize("environment", [Environment.DEMO, Environment.PRODUCTION], ids=lambda env: env.value)
def test_every_leg_is_accounted_for_and_the_demo_badge_stays_at_every_width(legs, live, environment):
    on = Monitoring("C-20379", "agent", "21", live, WHEN, WHEN, "9876543210") if live else None
    shown = HeaderFacts(environment, "demo@sim", "ssid ••••1a2b", "98•••210", on, "00:04", left=LEGS[:legs])
    for width in range(60, 121):
        line = top_line(shown, width).plain
        assert len(line) <= width, (width, line)  # drawn whole: nothing is cropped mid-word
        assert legs_accounted_for(line, LEGS[:legs]), (width, line)
        if on is not None:
            assert "C-20379" in line and on.mode.value.upper() in line, (width, line)
        assert (" DEMO " in line) is (environment is Environment.DEMO), (width, line)
