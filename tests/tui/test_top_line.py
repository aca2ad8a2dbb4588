"""The top line at every width from 60 to 120 columns: what is live stays whole, and the environment badge
stays with it whenever the two can share the line (it is the only sign of production without colour)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from queuetui.api.modes import SnoopType
from queuetui.core.environment import Environment
from queuetui.core.live import Monitoring
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
