"""`queuetui barge`: one monitoring action from the command line, through the same service as the TUI.

Exit codes: 0 done; 2 usage or validation error, or refused before sending (nothing sent); 3 authentication
(sign in again); 4 other DeepCall API error (code printed); 5 network or protocol error; 6 the audit trail
cannot be written (nothing sent); 128+N stopped by signal N (130 Ctrl+C, 143 SIGTERM, 129 SIGHUP), an action
under way recorded as interrupted.
This module must not import Textual: it runs on hosts where start-up time and dependencies matter.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import replace
from typing import TextIO

from queuetui.api.errors import Category
from queuetui.api.fields import FieldErrors
from queuetui.api.models import BargeRequest
from queuetui.api.text import printable
from queuetui.core.config import paths
from queuetui.core.config.preferences import save_snooper
from queuetui.core.config.settings import ConfigError, Overrides, load_config, select_profile
from queuetui.core.outcome import Interrupted, stop_name
from queuetui.core.service import Outcome, OutcomeKind
from queuetui.core.session import AUDIT_LABEL, Session, SessionRefused
from queuetui.core.stops import STOP_SIGNALS, on_stop_signals
from queuetui.headless.exits import (
    EXIT_API,
    EXIT_AUDIT,
    EXIT_AUTH,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    EXIT_USAGE,
)

_FLAGS = {
    "callId": "call-id",
    "snoopType": "mode",
    "targetEntityType": "target-type",
    "targetEntityVal": "target",
    "snooperNumber": "snooper",
    "ssid": "ssid",
    "userId": "user-id",
    "token": "token",
}
# The settings a refused session names (`SessionRefused.label`) that a flag of this command gives.
_SETTING_FLAGS = {"Base URL": "base-url", AUDIT_LABEL: "audit-file"}


def _exit_code(outcome: Outcome) -> int:
    if outcome.kind is OutcomeKind.OK:
        return EXIT_OK
    if outcome.kind is OutcomeKind.UNRECORDED:
        return EXIT_AUDIT
    if outcome.kind in (OutcomeKind.INVALID, OutcomeKind.REFUSED):
        return EXIT_USAGE
    if outcome.category is Category.AUTH:
        return EXIT_AUTH
    if outcome.kind is OutcomeKind.API_ERROR:
        return EXIT_API
    return EXIT_NETWORK


def _report(outcome: Outcome, as_json: bool, out: TextIO, err: TextIO) -> int:
    code = _exit_code(outcome)
    if as_json:
        request = outcome.request
        print(
            json.dumps(
                {
                    "ok": outcome.ok,
                    "outcome": outcome.kind.value,
                    "exit_code": code,
                    "message": outcome.message,
                    "code": outcome.code,
                    "field": outcome.field,
                    "call_id": request.call_id if request else None,
                    "mode": request.snoop_type.value if request else None,
                    "latency_ms": round(outcome.latency_ms, 1),
                    "attempts": outcome.attempts,
                    "server_text": outcome.server_text,
                    "audit_problem": outcome.audit_problem,
                }
            ),
            file=out,
        )
    elif outcome.ok:
        print(f"ok: {outcome.message} [{outcome.server_text}] {outcome.latency_ms:.0f} ms", file=out)
    else:
        # The server named a field: say which flag gave it (input refused here already names its flags).
        flag = _FLAGS.get(outcome.field or "") if outcome.kind is OutcomeKind.API_ERROR else None
        print(f"error: {outcome.message}" + (f" (--{flag})" if flag else ""), file=err)
        if outcome.server_text:
            print(f"DeepCall said: {outcome.server_text}", file=err)
    if outcome.audit_problem and not as_json:
        problem = printable(outcome.audit_problem)
        print(f"warning: answer NOT recorded in the audit trail (its attempt is): {problem}", file=err)
    return code


def _refuse(
    message: str, field: str | None, as_json: bool, out: TextIO, err: TextIO, request: BargeRequest | None = None
) -> int:
    refused = Outcome(OutcomeKind.INVALID, message, request=request, field=field, category=Category.INPUT)
    return _report(refused, as_json, out, err)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    # Looked up per call, not bound at import: callers that swap sys.stdout (redirects, tests) must be heard.
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with on_stop_signals(_interrupt, (*STOP_SIGNALS, "SIGINT")):
            return _run(args, out, err)
    except (KeyboardInterrupt, Interrupted) as stop:
        # The service has recorded an action under way as interrupted; a traceback would read as a crash.
        print(f"stopped by {stop_name(stop)}: an action under way is recorded as interrupted", file=err)
        return EXIT_SIGNAL_BASE + (stop.signum if isinstance(stop, Interrupted) else signal.SIGINT)


def _interrupt(signum: int) -> None:
    # SIGTERM and SIGHUP (a closed SSH session) interrupt as Ctrl+C does, so the action's outcome is recorded
    # before the process ends, instead of the process vanishing between its request and its record. Ctrl+C comes
    # through here too, so that one landing in the import system is not lost either (see `on_stop_signals`).
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    overrides = Overrides.from_env(
        profile=args.profile, base_url=args.base_url, ssid=args.ssid, user_id=args.user_id, token=args.token
    )
    named = getattr(args, "config", None)
    try:
        loaded = load_config(paths.config_file(named), named=bool(paths.chosen_config_file(named)))
        name, profile = select_profile(loaded.settings, overrides.profile)
    except ConfigError as error:
        return _refuse(f"config: {error}", None, args.json, out, err)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=err)

    raw = {
        "callId": args.call_id,
        "snoopType": args.mode,
        "targetEntityType": args.target_type if args.target_type is not None else profile.target_type,
        "targetEntityVal": args.target,
        "snooperNumber": args.snooper if args.snooper is not None else profile.snooper_number,
    }
    try:
        credentials = overrides.credentials(profile)
        if overrides.base_url is not None:  # an empty --base-url is refused, never the profile's URL
            profile = replace(profile, base_url=overrides.base_url)
        session = Session.open(name, profile, credentials, args.audit_file or paths.audit_file())
    except FieldErrors as errors:
        return _refuse(_with_flags(errors), errors.first_field, args.json, out, err)
    except SessionRefused as refused:
        flag = _SETTING_FLAGS.get(refused.label)
        message = str(refused) + (f" (--{flag})" if flag else "")
        if refused.label == AUDIT_LABEL:
            return _report(Outcome(OutcomeKind.UNRECORDED, f"Not sent: {message}"), args.json, out, err)
        return _refuse(message, None, args.json, out, err)
    try:
        request = session.prepare(raw)
        asks = session.needs_confirmation(request)
        if asks and not args.yes:
            return _refuse(
                "Mode: barge makes you heard by the agent and the customer; add --yes to confirm",
                "snoopType",
                args.json,
                out,
                err,
                request,
            )
        confirmed = None
        if asks:
            from queuetui.core.barge_check import Confirmed

            # `--yes` is the answer to the question the console would ask, given as the command starts.
            confirmed = Confirmed.of(request)
        outcome = session.act(request, confirmed=confirmed)
        for problem in session.take_problems():
            print(f"warning: {problem}", file=err)
    except FieldErrors as errors:
        return _refuse(_with_flags(errors), errors.first_field, args.json, out, err)
    finally:
        session.close()
    if outcome.ok:
        try:
            save_snooper(
                loaded.path, loaded.settings, name, session.profile, request.snooper_number, demo=session.is_demo
            )
        except (ConfigError, OSError) as problem:
            print(f"warning: the snooper number was not remembered: {printable(str(problem))}", file=err)
    return _report(outcome, args.json, out, err)


def _with_flags(errors: FieldErrors) -> str:
    return "; ".join(f"{p} (--{_FLAGS[p.field]})" for p in errors.problems)
