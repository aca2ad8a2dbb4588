"""The whole command line's parser: the console's options and the commands'. Built only when the command line is
more than the console's own options (see `console_args`): importing argparse and building it would cost the
console's start before its first frame. A command line that names its command gets that command's parser
alone."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path

from queuetui import __version__
from queuetui.cli.console_args import ConsoleArgs


def _add_barge_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--call-id", required=True, help="the live call to monitor (callId)")
    parser.add_argument(
        "--mode", required=True, help="spy (listen), whisper (agent hears you) or barge (both hear you)"
    )
    parser.add_argument("--target", required=True, help="target entity value, e.g. the agent id (targetEntityVal)")
    parser.add_argument("--target-type", default=None, help="target entity type (default: the profile's, else agent)")
    parser.add_argument(
        "--snooper", default=None, help="your phone number, rung to connect you (default: the profile's)"
    )
    parser.add_argument("--yes", action="store_true", help="confirm an audible barge (required for --mode barge)")
    # SUPPRESS: a subcommand's default would otherwise wipe `queuetui --profile X barge ...`.
    parser.add_argument(
        "--profile", default=argparse.SUPPRESS, help="profile from the config file (env QUEUETUI_PROFILE)"
    )
    parser.add_argument("--base-url", default=None, help="DeepCall base URL, e.g. https://v4-api.deepcall.com/api/v2")
    parser.add_argument("--ssid", default=None, help="session id (prefer env QUEUETUI_SSID: flags show in ps)")
    parser.add_argument("--user-id", default=None, help="user id for token auth (env QUEUETUI_USER_ID)")
    parser.add_argument("--token", default=None, help="token (prefer env QUEUETUI_TOKEN: flags show in ps)")
    parser.add_argument("--audit-file", default=None, type=Path, help="audit trail path (default: XDG state dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON result object")


def _add_calls_arguments(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: the subcommand's default would otherwise wipe `queuetui --demo calls` and the like.
    parser.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="list the embedded simulator's calls"
    )
    parser.add_argument(
        "--profile", default=argparse.SUPPRESS, help="profile from the config file (env QUEUETUI_PROFILE)"
    )
    parser.add_argument("--config", default=argparse.SUPPRESS, help="config file path (env QUEUETUI_CONFIG)")
    parser.add_argument("--base-url", default=None, help="DeepCall base URL, e.g. https://v4-api.deepcall.com/api/v2")
    parser.add_argument("--ssid", default=None, help="session id (prefer env QUEUETUI_SSID: flags show in ps)")
    parser.add_argument("--user-id", default=None, help="user id for token auth (env QUEUETUI_USER_ID)")
    parser.add_argument("--token", default=None, help="token (prefer env QUEUETUI_TOKEN: flags show in ps)")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object (one per refresh with --watch)")
    shape.add_argument(
        "--raw", action="store_true", help="print the answer as received (secrets masked), to write a mapping"
    )
    parser.add_argument("--watch", action="store_true", help="refresh every refresh_s until Ctrl+C")
    parser.add_argument(
        "--fail-on-alarm", action="store_true", help="exit 7 when the floor is past an alarm level of [alerts]"
    )


def _add_audit_filters(parser: argparse.ArgumentParser, default: object) -> None:
    from queuetui.api.modes import SnoopType
    from queuetui.core.outcome import OutcomeKind

    parser.add_argument(
        "--since", default=default, metavar="WHEN", help="from this moment (local): 2025-03-01, 08:00, today, 8h, 2d"
    )
    parser.add_argument("--until", default=default, metavar="WHEN", help="before this moment (the same forms)")
    parser.add_argument("--call", dest="call_id", default=default, metavar="ID", help="only this call id")
    parser.add_argument("--mode", default=default, choices=[mode.value for mode in SnoopType], help="only this mode")
    parser.add_argument(
        "--outcome", default=default, choices=[kind.value for kind in OutcomeKind], help="only this outcome"
    )
    parser.add_argument("--profile", dest="profile_filter", default=default, metavar="P", help="only this profile")
    _add_audit_file(parser, default)


def _add_audit_file(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--audit-file",
        default=default,
        type=Path,
        help="the trail's current file, its rotated files read too (default: XDG state dir)",
    )


def _add_audit_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser(
        "audit",
        help="list, export or verify the audit trail (exit codes: 0 ok, 1 not intact, 2 usage)",
        description="List the audit trail's records as a table (or a JSON array with --json), export them as "
        "CSV, or verify its hash chain. Rotated files are read too. Exit codes: 0 done (verify: intact); "
        "1 verify found a record changed, removed, inserted, reordered or cut short; 2 usage, or no trail there.",
    )
    _add_audit_filters(audit, None)
    audit.add_argument("--json", action="store_true", help="print a JSON array of record objects")
    # SUPPRESS below: a subcommand's default would otherwise wipe what was given before it.
    actions = audit.add_subparsers(dest="audit_action", metavar="ACTION")
    export = actions.add_parser("export", help="write the records as CSV, with a header row, to standard output")
    export.add_argument("--csv", action="store_true", required=True, help="CSV (the one format there is)")
    _add_audit_filters(export, argparse.SUPPRESS)
    verify = actions.add_parser("verify", help="check the hash chain: exit 0 when intact, else 1 naming every finding")
    _add_audit_file(verify, argparse.SUPPRESS)
    verify.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object")
    verify.add_argument(
        "--against",
        type=Path,
        metavar="FILE",
        help="a syslog export of the trail's copies: name every record it has that the trail lacks (a cut tail)",
    )


def _add_barge_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    barge = commands.add_parser(
        "barge",
        help="monitor one call without the console (exit codes: 0 ok, 2 input, 3 auth, 4 API, 5 network)",
        description="Send one bargingCall through the same service as the console. Exit codes: 0 done; "
        "2 usage or validation error, nothing sent; 3 authentication; 4 DeepCall API error; "
        "5 network or protocol error.",
    )
    _add_barge_arguments(barge)


def _add_calls_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calls = commands.add_parser(
        "calls",
        help="list the live calls (exit codes as barge)",
        description="Print the live calls from the profile's live call source ([profiles.NAME.live_calls]). "
        "Exit codes: 0 done; 2 usage or config problem, nothing fetched; 3 authentication; 4 DeepCall API "
        "error; 5 network, protocol or source failure; 7 past an alarm level (with --fail-on-alarm).",
    )
    _add_calls_arguments(calls)


def _add_sim_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = commands.add_parser("sim", help="run the DeepCall simulator on this machine")
    sim.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    sim.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    sim.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="delay every answer")
    sim.add_argument(
        "--jitter", type=float, default=0.0, metavar="SECONDS", help="add a random delay up to this long to each"
    )
    sim.add_argument(
        "--error-status",
        type=int,
        default=0,
        metavar="CODE",
        help="send DeepCall errors with this HTTP status instead of 200",
    )
    sim.add_argument("--html-502", action="store_true", help="answer every request with a proxy's HTML 502 page")
    sim.add_argument("--drop", action="store_true", help="close every connection without answering")
    sim.add_argument("--oversize", type=int, default=0, metavar="BYTES", help="answer with a body this large")
    sim.add_argument("--fail-next", type=int, default=0, metavar="N", help="answer the next N requests with 1501")
    sim.add_argument(
        "--error-message", default="", metavar="TEXT", help="answer every request with error 1009 carrying TEXT"
    )


def _add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="the demo console in a browser, one per tab (for a training room)",
        description="Serve the demo console to web browsers: every tab gets its own console on its own "
        "simulator. The demo only: no sign-in protects the page, so profiles and config are refused.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0: LAN)")
    serve.add_argument("--port", type=_port, default=8000, help="port, 1-65535 (default 8000; 0 picks a free one)")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this name (the room's DNS name for this machine); repeatable",
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive_int,
        # Measured on 2 cores: echo stays under 100 ms up to 13 consoles all typing; 8 leaves room for the
        # trainer's own work and for a room opening its tabs at once (each start takes about a core-second).
        default=8,
        metavar="N",
        help="consoles running at once; the next tab is told to wait (default 8)",
    )
    # Accepted here only to be refused with the reason: nothing that signs in to DeepCall goes behind serve.
    serve.add_argument("--profile", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    serve.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_config_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = commands.add_parser("config", help="show where the config file is, or what it holds")
    config.add_argument(
        "action", choices=["path", "show"], help="path: print the file's path; show: its contents, secrets masked"
    )


def _add_themes_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser(
        "themes",
        help="list the colour themes: built-in and your own",
        description="List every theme the console can use. Your own go in the folder printed at the end; "
        "a file there with a built-in's name replaces it.",
    )


def _add_floor_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    floor = commands.add_parser(
        "floor",
        help="who else on the floor is on which call now (presence)",
        description="List who is on which call now, from the presence store named by QUEUETUI_PRESENCE, the "
        "profile's presence or the config file's. Exit codes: 0 done; 2 usage, config, or presence off; "
        "5 the store cannot be reached.",
    )
    actions = floor.add_subparsers(dest="floor_action", metavar="ACTION", required=True)
    who = actions.add_parser("who", help="list each console on a call: call, mode, who, host, for how long")
    who.add_argument("--json", action="store_true", help="print a JSON array of objects")
    # SUPPRESS: a subcommand's default would otherwise wipe `queuetui --profile X floor who`.
    who.add_argument("--profile", default=argparse.SUPPRESS, help="profile from the config file (env QUEUETUI_PROFILE)")
    who.add_argument("--config", default=argparse.SUPPRESS, help="config file path (env QUEUETUI_CONFIG)")


# Every command by name, in the order the help lists them.
COMMANDS: dict[str, Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = {
    "barge": _add_barge_command,
    "audit": _add_audit_command,
    "calls": _add_calls_command,
    "sim": _add_sim_command,
    "serve": _add_serve_command,
    "config": _add_config_command,
    "themes": _add_themes_command,
    "floor": _add_floor_command,
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the whole command line; with one `command`'s parser only when `command` names one (see
    `console_args.command_of`), since building every command's would be most of a one-shot command's parsing."""
    parser = argparse.ArgumentParser(
        prog="queuetui",
        description="Listen to (spy), coach (whisper) or join (barge) a live call through DeepCall's Queue API.",
        epilog="Run without a command to open the console. Try it safely with: queuetui --demo",
    )
    parser.add_argument("--version", action="version", version=f"queuetui {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the console on the embedded simulator")
    # What `serve` starts each tab's console with: not for people, so not in the help.
    parser.add_argument("--locked", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tour", action="store_true", help="with --demo: a guided tour, step by step")
    parser.add_argument("--show-keys", action="store_true", help="show the last keys pressed (for a room)")
    parser.add_argument(
        "--slow-link", action="store_true", help="write few bytes, for a slow SSH link (config: slow_link = true)"
    )
    parser.add_argument("--profile", default=None, help="profile from the config file (env QUEUETUI_PROFILE)")
    parser.add_argument("--config", default=None, help="config file path (env QUEUETUI_CONFIG)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [command] if command in COMMANDS else COMMANDS:
        COMMANDS[name](commands)
    return parser


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 1-65535 (or 0 for a free one), not {value}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def console_args_of(args: argparse.Namespace) -> ConsoleArgs:
    """The console's options as the full parser read them (no command given)."""
    return ConsoleArgs(**{field.name: getattr(args, field.name) for field in dataclasses.fields(ConsoleArgs)})
