"""The console's command line is read without argparse, for speed; it must mean exactly what the full parser
would make of it, and leave everything else (commands, help, abbreviations, mistakes) to that parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from queuetui import cli
from queuetui.cli.console_args import ConsoleArgs, command_of, read_console_args
from queuetui.cli.parser import build_parser, console_args_of

READ_HERE = [
    [],
    ["--demo"],
    ["--demo", "--tour"],
    ["--tour", "--demo", "--show-keys"],
    ["--demo", "--demo"],
    ["--slow-link", "--demo"],
    ["--profile", "prod"],
    ["--profile=prod", "--demo"],
    ["--profile", "barge"],  # a profile named like a command is still a profile
    ["--profile", "a", "--profile", "b"],
    ["--config", "/etc/queuetui.toml", "--show-keys"],
    ["--config=with=equals.toml"],
]

LEFT_TO_THE_PARSER = [
    ["barge", "--call-id", "C-1"],
    ["--profile", "prod", "calls"],
    ["audit"],
    ["-h"],
    ["--help"],
    ["--version"],
    ["--dem"],  # argparse takes an unambiguous abbreviation; only the full parser knows which
    ["--profile"],
    ["--profile", "--demo"],
    ["--profile="],
    ["--demo=yes"],
    ["--", "--demo"],
    ["--demo", "extra"],
]


def full_parser_reading(argv: list[str]) -> ConsoleArgs:
    args = build_parser().parse_args(argv)
    assert args.command is None
    return console_args_of(args)


@pytest.mark.parametrize("argv", READ_HERE, ids=" ".join)
def test_the_console_options_read_as_the_full_parser_reads_them(argv):
    read = read_console_args(argv)
    assert read is not None
    assert read == full_parser_reading(argv)


@pytest.mark.parametrize("argv", LEFT_TO_THE_PARSER, ids=" ".join)
def test_anything_else_is_left_to_the_full_parser(argv):
    assert read_console_args(argv) is None


def test_a_spelled_out_option_reaches_the_console():
    assert read_console_args(["--demo", "--profile", "floor", "--tour"]) == ConsoleArgs(
        demo=True, tour=True, profile="floor"
    )


def test_an_abbreviation_still_opens_the_console_through_the_full_parser(monkeypatch):
    seen: list[dict[str, object]] = []

    def run_console(**options: object) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr("queuetui.tui.launch.run_console", run_console)
    assert cli.main(["--dem", "--show"]) == 0
    assert seen == [
        {
            "demo": True,
            "locked": False,
            "profile": None,
            "config": None,
            "tour": False,
            "show_keys": True,
            "slow_link": False,
        }
    ]


PROBE = """
import sys
import queuetui.tui.launch
queuetui.tui.launch.run_console = lambda **options: 0
from queuetui import cli
cli.main({argv!r})
print("argparse" in sys.modules)
"""


def argparse_loaded(argv: list[str]) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_the_console_starts_without_loading_argparse():
    assert not argparse_loaded(["--demo", "--profile", "floor"])


def test_the_probe_sees_argparse_when_the_full_parser_runs():
    # Without this, a probe that never saw argparse would pass the test above.
    assert argparse_loaded(["--dem"])


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["barge", "--call-id", "C-1"], "barge"),
        (["--profile", "calls", "barge"], "barge"),  # a profile may be named like a command
        (["--config=c.toml", "--demo", "audit", "verify"], "audit"),
        (["--prof", "floor", "barge"], None),  # an abbreviation: the full parser reads it
        (["-h"], None),
        (["--profile"], None),
        ([], None),
    ],
)
def test_the_command_is_the_word_after_the_consoles_options(argv, command):
    assert command_of(argv) == command


def test_a_command_parsed_alone_reads_as_with_every_command():
    argv = ["--profile", "floor", "barge", "--call-id", "C-1", "--mode", "spy", "--target", "13", "--yes"]
    assert build_parser(command_of(argv)).parse_args(argv) == build_parser().parse_args(argv)
