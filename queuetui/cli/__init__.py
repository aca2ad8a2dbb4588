"""Command-line entry: the TUI by default, `--demo`, and the headless `barge`, `calls`, `audit`, `sim`, `serve`,
`config`, `themes` and `floor` commands.

Imports are deferred to the command that needs them, so `queuetui barge` never loads Textual, and the console
never loads argparse unless its command line needs the full parser.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from queuetui.cli.console_args import ConsoleArgs, command_of, read_console_args

if TYPE_CHECKING:
    import argparse


def _run_sim(args: argparse.Namespace) -> int:
    from queuetui.sim import DEMO_SSID, DEMO_TOKEN, DEMO_USER_ID, SimServer
    from queuetui.sim.server import Faults

    if args.host not in ("127.0.0.1", "localhost"):
        print("error: the simulator only listens on loopback (127.0.0.1)", file=sys.stderr)
        return 2
    server = SimServer(args.host, args.port)
    server.faults = Faults(
        latency_s=args.latency,
        latency_jitter_s=args.jitter,
        error_status=args.error_status,
        html_502=args.html_502,
        drop=args.drop,
        oversize_bytes=args.oversize,
        fail_next=args.fail_next,
        error_message=args.error_message,
    )
    print(f"DeepCall simulator at {server.url}")
    print(f"  session auth: ssid={DEMO_SSID}")
    print(f"  token auth:   userId={DEMO_USER_ID} token={DEMO_TOKEN}")
    print("  live calls:   " + ", ".join(f"{c.call_id} (agent {c.agent})" for c in server.scenario.calls.values()))
    print("Press Ctrl-C to stop.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    given = [flag for flag in ("profile", "config") if getattr(args, flag, None)]
    if given:
        print(
            f"error: --{given[0]}: serve runs the demo only. Its page has no sign-in, so no profile, config "
            "file or credentials may sit behind it.",
            file=sys.stderr,
        )
        return 2
    from queuetui.web.serve import run_serve

    return run_serve(args.host, args.port, args.max_sessions, args.allow_host)


def _run_config(args: argparse.Namespace) -> int:
    from queuetui.core.config import paths
    from queuetui.core.config.settings import ConfigError, load_config
    from queuetui.core.config.view import render_masked

    path = paths.config_file(args.config)
    if args.action == "path":
        print(path)
        return 0
    try:
        loaded = load_config(path)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"# {path}{'' if path.exists() else ' (not created yet: defaults shown)'}")
    print(render_masked(loaded.settings), end="")
    return 0


def _run_themes() -> int:
    from queuetui.core.config import paths
    from queuetui.tui.themes import load_themes

    loaded = load_themes()
    width = max((len(name) for name in loaded.entries), default=0)
    for name, entry in sorted(loaded.entries.items()):
        source = "builtin" if entry.builtin else str(entry.path)
        marker = "*" if name == loaded.default else " "
        print(f"{marker} {name:<{width}}  {source:<8}  {entry.description}")
    print(f"* default; your themes: {paths.user_themes_dir()}")
    for problem in loaded.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if loaded.problems:
        print(f"warning: {len(loaded.problems)} theme file(s) skipped; the others work", file=sys.stderr)
    return 0


def keep_flow_control_keys(stream: TextIO) -> Callable[[], None] | None:
    """Turn off the terminal's XON/XOFF flow control on `stream` until the returned undo is called. Until the app
    has the terminal (about half a second), the terminal would take Ctrl+Q and Ctrl+S for itself: a Ctrl+Q typed
    as the app starts would never arrive, and the app would not quit. None when `stream` is not a terminal."""
    try:
        import termios
    except ImportError:  # not a POSIX system
        return None
    try:
        fd = stream.fileno()
        saved = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):  # no descriptor (io.UnsupportedOperation), closed, or no tty
        return None
    changed = list(saved)
    changed[0] &= ~termios.IXON
    termios.tcsetattr(fd, termios.TCSANOW, changed)
    return functools.partial(termios.tcsetattr, fd, termios.TCSANOW, saved)


def _run_tui(args: ConsoleArgs) -> int:
    undo = keep_flow_control_keys(sys.stdin)
    if undo is not None:
        # Textual puts back, on exit, the settings it found: these, without flow control. The user's come last.
        atexit.register(undo)
    # Start-up makes hundreds of thousands of objects that live as long as the app (modules, styles, widgets)
    # and almost no garbage, yet each collection on the way scans them all: about 50 ms of the start. The app
    # turns collection back on as start-up ends.
    gc.disable()
    if args.tour and not (args.demo or args.locked):
        print("error: --tour runs on the demo: add --demo", file=sys.stderr)
        return 2
    if args.locked:
        if args.profile or args.config:
            print("error: a locked console is the demo alone: no --profile or --config", file=sys.stderr)
            return 2
        from queuetui.cli.served import start_locked

        start_locked()
    try:
        from queuetui.tui.launch import run_console

        return run_console(**dataclasses.asdict(args))
    except KeyboardInterrupt:
        # Ctrl+C before the console has the terminal (it reads Ctrl+C as a key after that): leave quietly, with
        # the status a shell gives an interrupted command, not a traceback that reads as a crash.
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    console = read_console_args(argv)
    if console is not None:
        return _run_tui(console)
    from queuetui.cli.parser import build_parser, console_args_of

    args = build_parser(command_of(argv)).parse_args(argv)
    if args.command is None:
        return _run_tui(console_args_of(args))
    try:
        return _run_command(args)
    except BrokenPipeError:
        # The reader went away (`| head`): nothing is left to say, and nobody to say it to.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush stays quiet
        return 0


def _run_command(args: argparse.Namespace) -> int:
    if args.command == "barge":
        from queuetui.headless.barge import run

        return run(args)
    if args.command == "calls":
        from queuetui.headless.calls import run as run_calls

        return run_calls(args)
    if args.command == "serve":
        return _run_serve(args)
    if args.command == "audit":
        from queuetui.headless.audit import run as run_audit

        return run_audit(args)
    if args.command == "sim":
        return _run_sim(args)
    if args.command == "config":
        return _run_config(args)
    if args.command == "themes":
        return _run_themes()
    if args.command == "floor":
        from queuetui.headless.floor import run as run_floor

        return run_floor(args)
    raise ValueError(f"no such command: {args.command}")
