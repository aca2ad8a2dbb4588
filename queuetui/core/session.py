"""The signed-in session every front end sits on: the console paints it, the headless commands print it.

Opening does every check once (base URL, proxy settings, CA bundle, audit trail writable) and refuses with one
`SessionRefused` naming what to fix; nothing is sent by opening. Acting goes validate -> admit -> perform, and a
success moves the monitoring state. The transport, clock and random source are parameters, so tests hand in a fake
transport or point at a real simulator without patching anything.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from queuetui.api.client import BadTrustStore, ClientSettings, DeepCallClient, UnsafeUrl, system_trust
from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.errors import CallFailed, Category, category_of
from queuetui.api.fields import FIELD_LABELS, FieldErrors, InputProblem
from queuetui.api.modes import SnoopType
from queuetui.api.text import printable
from queuetui.core import embedded
from queuetui.core.audit.access import AuditWriteError
from queuetui.core.audit.log import AuditLog
from queuetui.core.config.environment import Environment
from queuetui.core.config.settings import Profile
from queuetui.core.deepcall_words import list_shows
from queuetui.core.monitoring import Monitoring, MonitoringState
from queuetui.core.outcome import Outcome, RetryNotice
from queuetui.core.service import BargeService, RateGuard, RetryPolicy

if TYPE_CHECKING:
    from typing import TypeAlias

    import httpx

    from queuetui.api.models import BargeRequest
    from queuetui.core.audit.shift import PastAction
    from queuetui.core.audit.trail import ShiftSummary
    from queuetui.core.barge_check import Confirmed
    from queuetui.core.floor.poller import CallPoller, Clock, FloorSnapshot
    from queuetui.core.floor.sources import CallSource
    from queuetui.core.floor.stale_list import StaleList
    from queuetui.core.presence.entry import PresenceView
    from queuetui.core.presence.watch import PresenceWatch

    # What `Seams.transport` takes, named here so front ends need not import httpx.
    Transport: TypeAlias = httpx.BaseTransport


def load_http() -> None:
    """Load httpx, its transport and the system's certificates now. Opening a session to any host but this machine
    needs all three (about 55 ms) on the caller's thread, a console's UI thread; a front end calls this from a
    worker while its sign-in form waits."""
    import httpcore  # noqa: F401  (httpx loads its transport only as the first client is built)

    with contextlib.suppress(BadTrustStore):  # told by the session that needs it, as it opens
        system_trust()


def load_requests() -> None:
    """Load the request model: `prepare` needs it, opening a session does not. A console calls this from a worker
    before an Enter can come: while the sign-in form is filled in, and before it types the keys held through
    start-up."""
    import queuetui.api.models  # noqa: F401


def load_floor() -> None:
    """Load what `watch_floor` and `floor_source` use. A console watches the floor as it adopts a session, on its
    UI thread, where these imports would hold the frame that shows the session about 8 ms; a front end calls
    this from a worker before."""
    import queuetui.core.floor.poller  # noqa: F401  (it loads the call sources too)


def local_now() -> datetime:
    return datetime.now().astimezone()


def environment_of(profile: Profile) -> Environment:
    """What the screen and the audit trail call where `profile`'s requests go. DEMO is the embedded simulator's
    alone: a profile that says demo but points elsewhere counts as production, the kind never to be mistaken."""
    if embedded.is_embedded(profile.base_url):
        return Environment.DEMO
    return Environment.PRODUCTION if profile.environment is Environment.DEMO else profile.environment


AUDIT_LABEL = "Audit file"  # what a refusal names when the audit trail cannot be written


class SessionRefused(Exception):
    """The session cannot open; nothing was sent. `label` names the setting to fix (e.g. "Base URL")."""

    def __init__(self, label: str, message: str) -> None:
        super().__init__(f"{label}: {message}")
        self.label = label
        self.message = message


@dataclass(frozen=True)
class HungUp:
    """What "I hung up" ended, the live leg first; `audit_problem` says why a record of it could not be written."""

    ended: tuple[Monitoring, ...]
    audit_problem: str = ""


@dataclass(frozen=True)
class Seams:
    """What a test (or a benchmark) may replace; the defaults are the real things."""

    transport: Transport | None = None
    clock: Callable[[], datetime] = local_now
    retry: RetryPolicy | None = None
    rate: RateGuard | None = None
    rng: random.Random | None = None
    floor_clock: Clock | None = None  # the live list's clock (ages, durations); a fixed one keeps snapshots still


class Session:
    def __init__(
        self,
        name: str,
        profile: Profile,
        service: BargeService,
        clock: Callable[[], datetime],
        floor_clock: Clock | None = None,
    ) -> None:
        self.name = name
        self.profile = profile
        self.service = service
        self.clock = clock
        self.monitoring = MonitoringState()
        self.floor: CallPoller | None = None  # the live call list, once `watch_floor` builds it
        self._floor_clock = floor_clock
        self._problems: list[str] = []
        self._credentials_checked = False
        self.presence: PresenceWatch | None = None  # who else is on which call, once `watch_presence` starts it
        self._presence_url = ""
        self._display_name = ""
        self._presence_closes: Callable[[], None] | None = None

    # ----- presence: who else on the floor is on which call -----------------------------------------

    def share_presence(self, url: str, display_name: str = "", also_close: Callable[[], None] | None = None) -> None:
        """Publish this session's live state to the presence store at `url` ("": none) once watched; `also_close`
        runs as the session closes (the demo's colleague and its store)."""
        self._presence_url, self._display_name, self._presence_closes = url, display_name, also_close

    def watch_presence(self, on_update: Callable[[PresenceView], None]) -> bool:
        """Start publishing and watching presence, when a store is set; `on_update(view)` runs on the presence
        thread. False when presence is off."""
        if not self._presence_url:
            return False
        if self.presence is None:
            from queuetui.core.presence.watch import watch_live

            self.presence = watch_live(self.monitoring, self._presence_url, self._display_name, on_update)
        return True

    # ----- the floor: the live call list ------------------------------------------------------------

    def watch_floor(self, on_update: Callable[[FloorSnapshot, tuple[Monitoring, ...]], None]) -> bool:
        """Make the poller of the profile's live call source this session's floor; False when it has none.
        `on_update(snapshot, ended)` runs on the poller's thread; `ended` holds the legs (the live one, or ones
        left to the phone) that ended because their call left the list. The caller starts it (`floor.start()`)
        once it can take updates: a console after the frame that shows the session, which the first fetch would
        otherwise hold up. Until then a barge is still checked, against a list fetched for it."""
        from queuetui.core.floor.assess import FloorJudge
        from queuetui.core.floor.poller import CallPoller

        source = self.floor_source()
        if source is None:
            return False
        source = self.with_floor_feeds(source)

        def updated(snapshot: FloorSnapshot) -> None:
            ended: tuple[Monitoring, ...] = ()
            if snapshot.loaded and snapshot.error is None:
                for leg in self.monitoring.legs:
                    if not snapshot.is_live(leg.call_id):
                        ended += self.monitoring.end(leg.call_id)
            on_update(snapshot, ended)

        judge = FloorJudge(self.profile.alerts)
        self.floor = CallPoller(
            source, self.profile.live_calls.refresh_s, updated, clock=self._floor_clock, judge=judge
        )
        return True

    def alarm_to_syslog(self, fields: Mapping[str, object]) -> bool:
        """Copy a new alarm of the floor to syslog when the profile copies its audit trail there (blocking for a
        moment at most: off the UI thread). False when it does not."""
        audit = self.service.audit
        if audit is None or audit.syslog is None:
            return False
        audit.syslog.send_event("alarm", {"time": self.clock().isoformat(), "profile": self.name, **fields})
        return True

    def floor_source(self) -> CallSource | None:
        """The profile's live call source, or None for `source = "none"`. A DeepCall source shares this
        session's connection (same base URL checks, TLS, proxy and timeouts) but never its action rate guard;
        a command source has the profile's read timeout to answer."""
        from queuetui.core.floor.sources import CommandSource, DeepCallSource

        config = self.profile.live_calls
        if config.source == "deepcall":
            return DeepCallSource(self.service.client, self.credentials, config)
        if config.source == "command" and not embedded.is_locked():
            return CommandSource.from_config(config, self.profile.read_timeout)
        return None

    def with_floor_feeds(self, source: CallSource) -> CallSource:
        """`source` with the profile's `floor_stats` and `agents` feeds fetched beside each list (`FloorFeeds`),
        on this session's connection; a command feed not where commands are locked out (a served console)."""
        from queuetui.core.floor.feeds import with_feeds

        allowed = not embedded.is_locked()
        return with_feeds(source, self.profile, self.service.client, self.credentials, command_allowed=allowed)

    def stale_list(self, mode: SnoopType) -> StaleList | None:
        """What an action in `mode` picked from the live list now must say of the list (in its notice, and through
        `perform` in its audit record): its age while it is stale. None when it is fresh, when there is no list, and
        for a barge, which goes only once a fresh list still shows its call (see `perform`)."""
        if self.floor is None or mode is SnoopType.BARGE:
            return None
        return self.floor.snapshot.stale_list(self.floor.now())

    def refused_by_list(self) -> CallFailed | None:
        """Fetch the live list once to check the credentials (blocking: off the UI thread): the server's refusal
        when it refuses them, else None, also when the profile's list does not come from DeepCall (a site's own
        program checks no credential of ours) or fails another way (the console shows that). DeepCall has no
        other way to check credentials without acting on a call."""
        from queuetui.core.floor.sources import DeepCallSource

        source = self.floor_source()
        if not isinstance(source, DeepCallSource):
            return None
        try:
            source.fetch()
        except CallFailed as error:
            return error if category_of(error) is Category.AUTH else None
        return None

    @classmethod
    def open(
        cls,
        name: str,
        profile: Profile,
        credentials: SessionAuth | TokenAuth,
        audit_path: Path | None,
        *,
        seams: Seams | None = None,
    ) -> Session:
        """Raises SessionRefused when the URL, proxy, CA bundle or audit trail cannot be used, or when this process
        is a console locked to its own simulator and the URL is another."""
        seams = seams or Seams()
        locked_out = embedded.refusal(profile.base_url)
        if locked_out:
            raise SessionRefused("Base URL", locked_out)
        settings = ClientSettings(
            base_url=profile.base_url,
            connect_timeout=profile.connect_timeout,
            read_timeout=profile.read_timeout,
            ca_bundle=profile.ca_bundle or None,
            allow_insecure_http=profile.allow_insecure_http,
        )
        try:
            client = DeepCallClient(settings, transport=seams.transport)
        except UnsafeUrl as problem:
            raise SessionRefused(problem.label, str(problem)) from None
        problems: list[str] = []
        audit = None
        if audit_path:
            syslog = None
            if profile.syslog:  # the sink loads the logging package: only for a profile that copies to syslog
                from queuetui.core.audit.syslog import SyslogSink

                # A syslog outage is told once (appended from whichever thread found it), never stops an action.
                syslog = SyslogSink(profile.syslog_socket, on_problem=problems.append)
            audit = AuditLog(audit_path, max_bytes=profile.audit_max_bytes, syslog=syslog)
        if audit is not None:
            try:
                # Monitoring without a record is what the audit trail exists to prevent: refuse to start.
                audit.ensure_writable()
            except AuditWriteError as problem:
                client.close()
                raise SessionRefused(AUDIT_LABEL, f"cannot write {printable(str(problem), 400)}") from None
        service = BargeService(
            client,
            credentials,
            profile=name,
            environment=environment_of(profile).value,
            audit=audit,
            retry=seams.retry,
            rate=seams.rate,
            allowed_modes=frozenset(profile.allowed_modes),
            rng=seams.rng,
            clock=seams.clock,
        )
        session = cls(name, profile, service, seams.clock, seams.floor_clock)
        session._problems = problems
        return session

    # ----- what the front ends read -----------------------------------------------------------------

    @property
    def credentials(self) -> SessionAuth | TokenAuth:
        return self.service.credentials

    @property
    def host(self) -> str:
        return self.service.host

    @property
    def is_demo(self) -> bool:
        """The requests go to this process's own demo simulator: what DEMO on screen promises, and nothing else."""
        return embedded.is_embedded(self.profile.base_url)

    @property
    def environment(self) -> Environment:
        return environment_of(self.profile)

    @property
    def in_flight(self) -> frozenset[str]:
        return self.service.in_flight

    @property
    def credentials_checked(self) -> bool:
        """Whether the server has accepted this session's credentials at least once (its live list as it opened,
        or an action): what the top line's tick says."""
        return self._credentials_checked

    def credentials_accepted(self) -> bool:
        """The server has accepted the credentials; True the first time it is told so, for a front end that says
        it once."""
        first = not self._credentials_checked
        self._credentials_checked = True
        return first

    # ----- acting -----------------------------------------------------------------------------------

    def prepare(self, fields: Mapping[str, object]) -> BargeRequest:
        """A request from wire-named fields, or FieldErrors naming every problem (a disallowed mode included)."""
        # Loaded here, not with the session: see `load_requests`.
        from queuetui.api.models import parse_request

        problems: list[InputProblem] = []
        request = None
        try:
            request = parse_request(dict(fields))
        except FieldErrors as errors:
            problems += errors.problems
        mode = self._known_mode(fields.get("snoopType"))
        if mode is not None and mode not in self.service.allowed_modes:
            problems.append(InputProblem("snoopType", self.mode_refusal(mode)))
        if problems or request is None:
            order = list(FIELD_LABELS)  # in form order, as the form shows them
            raise FieldErrors(tuple(sorted(problems, key=lambda p: order.index(p.field) if p.field in order else 99)))
        return request

    def mode_refusal(self, mode: SnoopType) -> str:
        """Why the profile refuses `mode`, with the modes it allows. Not by the session's name: the demo's session
        is called "demo" but keeps the modes of the profile it was started with."""
        return self.service.mode_refusal(mode)

    @staticmethod
    def _known_mode(value: object) -> SnoopType | None:
        try:
            return SnoopType(str(value).strip().lower())
        except ValueError:
            return None

    def admit(self, request: BargeRequest) -> Outcome | None:
        """Reserve the call, or the refusal (recorded). Call on the thread that read the request."""
        if self.floor is not None:
            call = self.floor.snapshot.find(request.call_id)
            if call is not None and call.ended:
                refused = self.service.admit(request)
                if refused is not None:
                    return refused
                return self.service.release(request, f"Call {request.call_id} has ended; nothing sent")
        refused = self.service.admit(request)
        if refused is None:
            self.monitoring.asked(request.call_id)
        return refused

    def needs_confirmation(self, request: BargeRequest) -> bool:
        """Whether `request` needs the supervisor's yes to a question first: an audible barge, in a profile that
        asks (and allows barge at all: a refused mode is refused without asking)."""
        return (
            request.snoop_type is SnoopType.BARGE
            and self.profile.confirm_barge
            and SnoopType.BARGE in self.service.allowed_modes
        )

    def perform(
        self,
        request: BargeRequest,
        on_retry: Callable[[RetryNotice], None] | None = None,
        cancel: threading.Event | None = None,
        confirmed: Confirmed | None = None,
        stale: StaleList | None = None,
        *,
        follow: bool = False,
    ) -> Outcome:
        """Send an admitted request (blocking: run it off the UI thread). A barge that `needs_confirmation` goes only
        with the supervisor's `confirmed` yes, and any barge only once the live list, re-checked within the profile's
        `barge_check_s` of that yes, still shows its call with its agent (see `barge_check`). A success moves
        the monitoring state, unless an action on another call, admitted after this one, has already moved it (see
        `MonitoringState`). `stale` is the stale list the request was picked from (see `stale_list`): its records say
        how old that list was; `follow`: a spy the console sent by itself on a followed agent's new call, which its
        records say (`"via": "follow"`)."""
        if request.snoop_type is SnoopType.BARGE:
            from queuetui.core.barge_check import Confirmed, recheck

            if confirmed is None and self.needs_confirmation(request):
                return self.service.release(request, f"Barge on {request.call_id} not sent: you did not confirm it")
            checked = recheck(
                self.floor,
                confirmed or Confirmed.of(request),
                request,
                max_age_s=self.profile.live_calls.refresh_s,
                deadline_s=self.profile.barge_check_s,
            )
            if checked.problem:
                return replace(self.service.release(request, checked.problem), ask_again=checked.ask_again)
        extra = {**(stale.record() if stale is not None else {}), **({"via": "follow"} if follow else {})}
        outcome = self.service.perform(request, on_retry, cancel, extra or None)
        if not outcome.ok:
            return self._with_listed_agent(outcome)
        change = self.monitoring.joined(
            request.call_id,
            request.target_entity_type,
            request.target_entity_val,
            request.snoop_type,
            request.snooper_number,
            self.clock(),
        )
        return replace(outcome, change=change)

    def _with_listed_agent(self, outcome: Outcome) -> Outcome:
        """A refusal of the target agent, told with the agent the live list shows on that call, when it differs."""
        request = outcome.request
        if outcome.field != "targetEntityVal" or not outcome.server_text or request is None or self.floor is None:
            return outcome
        call = self.floor.snapshot.find(request.call_id)
        if call is None or call.agent is None or call.agent == request.target_entity_val:
            return outcome
        return replace(outcome, message=list_shows(outcome.message, call.agent))

    def act(
        self,
        request: BargeRequest,
        on_retry: Callable[[RetryNotice], None] | None = None,
        cancel: threading.Event | None = None,
        confirmed: Confirmed | None = None,
    ) -> Outcome:
        refused = self.admit(request)
        return refused if refused is not None else self.perform(request, on_retry, cancel, confirmed)

    def shift(self) -> tuple[list[PastAction], ShiftSummary]:
        """Today's actions of this OS user, profile and identity, from the audit trail (reads the file: call
        it off the UI thread). None recorded when there is no audit trail.

        Reading the trail needs the request model: the first call loads it (see `load_requests`)."""
        from queuetui.core.audit.shift import past_actions
        from queuetui.core.audit.trail import shift_summary
        from queuetui.core.audit.who import os_user

        audit = self.service.audit
        if audit is None:
            return [], shift_summary([])
        return past_actions(audit.path, os_user(), self.name, self.credentials.identity, self.clock())

    def take_problems(self) -> list[str]:
        """Problems found since the last call that the user should hear of once (syslog unreachable)."""
        taken = []
        while self._problems:
            taken.append(self._problems.pop(0))
        return taken

    def interrupt(self, why: str) -> int:
        """The process is ending on a signal (`why`) without waiting for answers: record every request on its way
        as interrupted. Safe from any thread; returns how many were."""
        return self.service.interrupt(why)

    def hung_up(self, call_id: str | None = None) -> HungUp:
        """The supervisor hung up the leg on `call_id` (every leg that may be on the phone, when None): each one
        ended is recorded in the audit trail with its mode and how long it lasted."""
        at = self.clock()
        ended = self.monitoring.end(call_id)
        problems = [problem for leg in ended if (problem := self.service.record_hang_up(leg, at))]
        return HungUp(ended, problems[0] if problems else "")

    def close(self) -> None:
        if self.floor is not None:
            self.floor.stop()
        if self.presence is not None:
            # Long enough to withdraw the row from a store at hand; one out of reach is left to the row's expiry.
            self.presence.stop(timeout_s=0.5)
        if self._presence_closes is not None:
            self._presence_closes()
        self.service.close()
