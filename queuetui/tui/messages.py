"""Messages: results from the send workers back to the console, and what screens ask of the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from queuetui.api.credentials import SessionAuth, TokenAuth
    from queuetui.api.models import BargeRequest
    from queuetui.core.audit.shift import PastAction
    from queuetui.core.config.settings import Profile
    from queuetui.core.floor.poller import FloorSnapshot
    from queuetui.core.monitoring import Monitoring
    from queuetui.core.outcome import Outcome, RetryNotice
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.session import Session
    from queuetui.tui.tour import Happened


class SendFinished(Message):
    def __init__(self, request: BargeRequest, outcome: Outcome) -> None:
        super().__init__()
        self.request = request
        self.outcome = outcome


class RetryScheduled(Message):
    def __init__(self, notice: RetryNotice) -> None:
        super().__init__()
        self.notice = notice


class SignInRequested(Message):
    """The sign-in form is complete and checked locally; the app opens a session with it."""

    def __init__(self, name: str, profile: Profile, credentials: SessionAuth | TokenAuth, remember: bool) -> None:
        super().__init__()
        self.name = name
        self.profile = profile
        self.credentials = credentials
        self.remember = remember


class DemoRequested(Message):
    """Sign in to the built-in simulator."""


class LoginRequired(Message):
    """The server refused the credentials (or nobody is signed in): bring the sign-in screen back."""

    def __init__(self, notice: str, refused: bool = False) -> None:
        super().__init__()
        self.notice = notice
        self.refused = refused


class SnooperUsed(Message):
    """A snooper number worked: the app may remember it in the profile."""

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number


class ShiftLoaded(Message):
    """Today's earlier actions of the signed-in supervisor, read back from the audit trail."""

    def __init__(self, session: Session, actions: list[PastAction]) -> None:
        super().__init__()
        self.session = session
        self.actions = actions


class FloorUpdated(Message):
    """A refresh of the live call list; `ended` holds the legs that ended because their call left the list."""

    def __init__(self, snapshot: FloorSnapshot, ended: tuple[Monitoring, ...]) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.ended = ended


class PresenceUpdated(Message):
    """What the floor's other consoles say they are on changed, or the presence store came or went."""

    def __init__(self, view: PresenceView) -> None:
        super().__init__()
        self.view = view


class TourEvent(Message):
    """Something the tour watches for happened off the UI thread (the shift summary opened)."""

    def __init__(self, happened: Happened) -> None:
        super().__init__()
        self.happened = happened
