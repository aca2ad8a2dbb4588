"""`queuetui calls`: the live call list from the command line, read through the same sources as the console.

Exit codes, as for `barge`: 0 done; 2 usage or config problem, nothing fetched (a profile without a live call
source included); 3 authentication; 4 another DeepCall API error (code printed); 5 network, protocol or source
failure (a command that fails, times out or prints no JSON included). Failures go to stderr, with our own
credentials masked (in every field of the list too: a server may echo them); with `--json` a failure is also one
JSON object on stdout, `{"error": {...}, "source": ...}`. `--watch` refreshes every `refresh_s` until Ctrl+C
(exit 0): a failure is printed and watching goes on, waiting twice as long after each failure in a row (at most
a minute), except an authentication failure (exit 3), which no retry mends. With `--fail-on-alarm`, a floor past
an alarm level of the profile's `[alerts]` exits 7 (after printing), so a script can notice it.
Beside the calls: the floor's health (`stats`), the agents of the profile's `agents` feed and what is past a
level (`alerts`), in the JSON and under the table.
This module must not import Textual.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TextIO

from queuetui.api.errors import CallFailed, Category, DeepCallError, category_of
from queuetui.api.fields import FieldErrors
from queuetui.api.text import printable, terminal_safe, without_secrets
from queuetui.core.config import paths
from queuetui.core.config.settings import ConfigError, Overrides, Profile, load_config, select_profile
from queuetui.core.demo import open_demo
from queuetui.core.floor.alerts import Level
from queuetui.core.floor.assess import FloorJudge, FloorView
from queuetui.core.floor.calls import LiveCall, MappedCalls
from queuetui.core.floor.config import simulator_live_calls
from queuetui.core.floor.feeds import MappedFloor, with_feeds
from queuetui.core.floor.health import Agent
from queuetui.core.floor.health_line import health_line
from queuetui.core.floor.sources import CallSource, CommandSource
from queuetui.core.session import Session, SessionRefused
from queuetui.headless.columns import print_columns
from queuetui.headless.exits import EXIT_ALARM, EXIT_API, EXIT_AUTH, EXIT_NETWORK, EXIT_OK, EXIT_USAGE

_CREDENTIAL_FLAGS = {"ssid": "--ssid", "userId": "--user-id", "token": "--token"}
_COLUMNS = ("CALL", "AGENT", "NAME", "CUSTOMER", "QUEUE", "STATE", "DURATION")
MAX_BACKOFF_S = 60.0


class _Refused(Exception):
    """A usage or config problem: exit 2, nothing fetched."""


@dataclass
class _Opened:
    source: CallSource
    refresh_s: float
    secrets: tuple[str, ...]
    judge: FloorJudge


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    # Looked up per call, not bound at import: callers that swap sys.stdout (redirects, tests) must be heard.
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with _open(args, err) as opened:
            if not args.watch:
                return _once(opened, args, out, err)
            return _watch(opened, args, out, err)
    except _Refused as refused:
        print(f"error: {refused}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl+C while watching (or during a slow first fetch): a normal way out
        return EXIT_OK


@contextmanager
def _open(args: argparse.Namespace, err: TextIO) -> Iterator[_Opened]:
    """The source the command reads, and whatever it needs closed afterwards (a session, the simulator)."""
    if args.demo:
        try:
            demo = open_demo(Profile(live_calls=simulator_live_calls()), None)
        except SessionRefused as refused:
            raise _Refused(str(refused)) from None
        try:
            yield _session_source(demo.session)
        finally:
            demo.close()
        return
    name, profile, overrides = _profile(args, err)
    config = profile.live_calls
    if config.source == "none":
        raise _Refused(
            f'profile {name!r} has no live call source: set source = "deepcall" or "command" under '
            f"[profiles.{name}.live_calls] in {paths.config_file(getattr(args, 'config', None))}"
        )
    if config.source == "command":  # the site's own program: no DeepCall credentials needed
        # Yet it may print ours, read from somewhere of the site's: masked wherever it does.
        known = (profile.ssid, profile.token, overrides.ssid or "", overrides.token or "")
        secrets = tuple(secret for secret in known if secret)
        # Its feeds too, but a DeepCall feed only with a DeepCall list: without one nothing here signs in.
        source = with_feeds(CommandSource.from_config(config, profile.read_timeout), profile, None, None)
        yield _Opened(source, config.refresh_s, secrets, FloorJudge(profile.alerts))
        return
    try:
        credentials = overrides.credentials(profile)
        if overrides.base_url is not None:  # an empty --base-url is refused, never the profile's URL
            profile = replace(profile, base_url=overrides.base_url)
        session = Session.open(name, profile, credentials, None)
    except FieldErrors as errors:
        raise _Refused("; ".join(f"{p} ({_CREDENTIAL_FLAGS.get(p.field, p.field)})" for p in errors.problems)) from None
    except SessionRefused as refused:
        raise _Refused(str(refused)) from None
    try:
        yield _session_source(session)
    finally:
        session.close()


def _session_source(session: Session) -> _Opened:
    source = session.floor_source()
    if source is None:  # the caller checked the profile's source already
        raise _Refused("the profile has no live call source")
    profile = session.profile
    return _Opened(
        session.with_floor_feeds(source),
        profile.live_calls.refresh_s,
        session.credentials.secrets(),
        FloorJudge(profile.alerts),
    )


def _profile(args: argparse.Namespace, err: TextIO) -> tuple[str, Profile, Overrides]:
    overrides = Overrides.from_env(
        profile=getattr(args, "profile", None),
        base_url=args.base_url,
        ssid=args.ssid,
        user_id=args.user_id,
        token=args.token,
    )
    named = getattr(args, "config", None)
    try:
        loaded = load_config(paths.config_file(named), named=bool(paths.chosen_config_file(named)))
        name, profile = select_profile(loaded.settings, overrides.profile)
    except ConfigError as error:
        raise _Refused(f"config: {error}") from None
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=err)
    return name, profile, overrides


def _once(opened: _Opened, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        if args.raw:
            text = opened.source.fetch_answer().text
            print(terminal_safe(text), end="" if text.endswith("\n") else "\n", file=out, flush=True)
            return EXIT_OK
        mapped = _masked(opened.source.fetch(), opened.secrets)
    except CallFailed as error:
        return _failed(error, opened, out if args.json else None, err)
    fetched_at = time.time()
    readings = mapped.feeds if isinstance(mapped, MappedFloor) else None
    live = tuple(call for call in mapped.calls if not call.ended)
    view = opened.judge.judge(live, readings, fetched_at, time.monotonic())
    if args.json:
        document = {**_as_json(mapped, opened.source.kind, fetched_at), **_floor_json(view, opened.secrets, fetched_at)}
        print(json.dumps(document, ensure_ascii=False), file=out, flush=True)
    else:
        _print_table(mapped, opened.source.description, fetched_at, out, view)
    if mapped.skipped:
        print(f"warning: {mapped.skipped} item(s) of the answer were not calls (no call id, or a repeat)", file=err)
    for feed, problem in view.feed_errors:
        print(f"warning: {feed}: {without_secrets(problem.message, opened.secrets)}", file=err)
    if getattr(args, "fail_on_alarm", False) and any(b.level is Level.ALARM for b in view.breaches):
        return EXIT_ALARM
    return EXIT_OK


def _watch(opened: _Opened, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failures = 0
    while True:
        code = _once(opened, args, out, err)
        if code in (EXIT_AUTH, EXIT_ALARM):
            return code
        failures = 0 if code == EXIT_OK else failures + 1
        # Ctrl+C lands here most of the time: run() makes it exit 0.
        time.sleep(min(MAX_BACKOFF_S, opened.refresh_s * 2**failures) if failures else opened.refresh_s)


def _failed(error: CallFailed, opened: _Opened, out: TextIO | None, err: TextIO) -> int:
    message = error.message
    if isinstance(error, DeepCallError) and error.info.action:
        message += f". {error.advice(None)}"
    message = without_secrets(message, opened.secrets)
    print(f"error: {message}", file=err, flush=True)
    code = _exit_code(error)
    if out is not None:
        failure = {"message": message, "code": error.code if isinstance(error, DeepCallError) else None, "exit": code}
        print(json.dumps({"error": failure, "source": opened.source.kind}, ensure_ascii=False), file=out, flush=True)
    return code


def _exit_code(error: CallFailed) -> int:
    if category_of(error) is Category.AUTH:
        return EXIT_AUTH
    return EXIT_API if isinstance(error, DeepCallError) else EXIT_NETWORK


def _masked(mapped: MappedCalls, secrets: tuple[str, ...]) -> MappedCalls:
    """The calls with our credentials masked in every text a server could have echoed them into."""
    if not any(secrets):
        return mapped

    def mask(text: str | None) -> str | None:
        return without_secrets(text, secrets) if text else text

    calls = tuple(
        replace(call, call_id=mask(call.call_id) or call.call_id, agent=mask(call.agent),
                agent_name=mask(call.agent_name), queue=mask(call.queue))
        for call in mapped.calls
    )  # fmt: skip
    return replace(mapped, calls=calls)


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def _as_json(mapped: MappedCalls, source: str, fetched_at: float) -> dict[str, object]:
    return {
        "calls": [
            {
                "call_id": call.call_id,
                "agent": call.agent,
                "agent_name": call.agent_name,
                "customer": call.customer,
                "queue": call.queue,
                "state": call.state.value if call.state else None,
                "started_at": _iso(call.started_at),
                "duration_s": call.duration_s(fetched_at),
            }
            for call in mapped.calls
        ],
        "source": source,
        "fetched_at": _iso(fetched_at),
    }


def _agent_json(agent: Agent, secrets: tuple[str, ...], in_state_s: int | None) -> dict[str, object]:
    def mask(text: str | None) -> str | None:
        return without_secrets(text, secrets) if text and any(secrets) else text

    return {
        "agent": mask(agent.agent),
        "name": mask(agent.name),
        "state": agent.state.value if agent.state else None,
        "in_state_s": in_state_s,
        "call_id": mask(agent.call_id),
        "handled": agent.handled,
        "missed": agent.missed,
    }


def _floor_json(view: FloorView, secrets: tuple[str, ...], now: float) -> dict[str, object]:
    """`stats` (null figures are unknown, never 0), `agents` (null without an agents feed) and `alerts`."""
    agents = None
    if view.agents is not None:
        agents = [_agent_json(agent, secrets, view.in_state_s.get(agent.agent)) for agent in view.agents]
    return {
        "stats": view.health.as_json(),
        "agents": agents,
        "alerts": [breach.as_json() for breach in view.breaches],
    }


def _print_floor(view: FloorView, out: TextIO) -> None:
    print(health_line(view), file=out)
    for breach in view.breaches:
        print(f"{breach.level.glyph}{breach.words}", file=out)
    out.flush()


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _row(call: LiveCall, now: float) -> tuple[str, ...]:
    state = call.state.value if call.state else None
    cells = (call.call_id, call.agent, call.agent_name, call.customer, call.queue, state)
    return (*(cell or "-" for cell in cells), _duration(call.duration_s(now)))


def _print_table(mapped: MappedCalls, description: str, fetched_at: float, out: TextIO, view: FloorView) -> None:
    print_columns([_COLUMNS, *(_row(call, fetched_at) for call in mapped.calls)], out)
    _print_floor(view, out)
    shown_time = datetime.fromtimestamp(fetched_at).strftime("%H:%M:%S")
    count = len(mapped.calls)
    summary = f"{count} live call{'' if count == 1 else 's'} from {printable(description, 200)} at {shown_time}"
    print(summary, file=out, flush=True)
