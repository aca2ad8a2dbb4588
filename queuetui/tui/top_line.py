"""What the top line says of a signed-in session: where and who, the snooper number masked, the call the supervisor
is on and for how long, the legs left to the phone, who else is on that call, and whom the supervisor follows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from queuetui.api.text import mask_phone
from queuetui.tui.outcome_words import elapsed
from queuetui.tui.widgets.live_calls import duration
from queuetui.tui.widgets.status_header import HeaderFacts

if TYPE_CHECKING:
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.session import Session


def _masked(typed: str) -> str:
    digits = typed.replace(" ", "").replace("-", "")
    return mask_phone(digits) if digits else ""


def top_line_facts(
    session: Session,
    presence: PresenceView | None,
    now: datetime,
    snooper: str,
    following: tuple[str, ...],
    *,
    coarse: bool,
) -> HeaderFacts:
    """`snooper` as typed in the form; `following` in words, longest first; `coarse`: the live time in minutes, for a
    slow link."""
    live = session.monitoring.current
    since = (now - live.mode_since).total_seconds() if live else 0.0
    return HeaderFacts(
        session.environment,
        f"{session.name}@{session.host}",
        session.credentials.identity,
        _masked(snooper),
        live=live,
        elapsed=duration(int(since)) if coarse else elapsed(since),
        phone=live.phone_words(now, session.is_demo) if live else "",
        checked=session.credentials_checked,
        left=session.monitoring.left,
        others=presence.top_line_words(live.call_id if live else None, now.timestamp())
        if presence is not None
        else ("",),
        following=following,
    )
