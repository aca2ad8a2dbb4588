"""What the console says of the floor: a refresh that failed goes to the log whole, as an action's failure does,
and a refusal of the credentials also as a notice (the caller sends the supervisor back to sign in); presence
going away or coming back is said once, not at every view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from queuetui.api.errors import Category

if TYPE_CHECKING:
    from queuetui.core.floor.poller import FloorSnapshot
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.voice import Voice


def report_floor_failure(snapshot: FloorSnapshot, session: Session, voice: Voice) -> bool:
    """True when the live list's server refused the credentials."""
    error = snapshot.error
    if error is None:
        return False
    from queuetui.api.errors import category_of
    from queuetui.api.text import without_secrets

    text = f"Live list: {without_secrets(error.message, session.credentials.secrets())}"
    if category_of(error) is not Category.AUTH:
        voice.log("error", f"{text} ({snapshot.failures} in a row)")
        return False
    voice.report("error", text)
    return True


def report_presence(before: PresenceView | None, after: PresenceView, voice: Voice) -> None:
    if after.problem and (before is None or not before.problem):
        voice.log("warning", f"Presence unavailable (actions still go out): {after.problem}")
    elif before is not None and not before.available and after.available:
        voice.log("info", "Presence is back")
