"""The console's own options, read without argparse. Nearly every start is `queuetui` or `queuetui --demo`;
importing argparse and building every command's parser would cost those starts 30 to 50 ms before the first frame.
Anything this reader does not know for certain (a command, --help, an abbreviation, a missing value) it leaves
to the full parser, which reads the console's options the same way and words every error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ConsoleArgs:
    demo: bool = False
    locked: bool = False  # a served console: the demo, locked to its own simulator (only `serve` passes it)
    tour: bool = False
    show_keys: bool = False
    slow_link: bool = False
    profile: str | None = None
    config: str | None = None


FLAGS = ("--demo", "--locked", "--tour", "--show-keys", "--slow-link")
OPTIONS = ("--profile", "--config")


def read_console_args(argv: Sequence[str]) -> ConsoleArgs | None:
    """The options when `argv` holds only the console's options, each spelled out in full; else None."""
    flags: set[str] = set()
    options: dict[str, str] = {}
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if not equals and token in FLAGS:
            flags.add(token)
        elif name in OPTIONS:
            if not equals:
                value = next(tokens, "")
            # An empty value or one like an option: the full parser decides, and explains.
            if not value or value.startswith("-"):
                return None
            options[name] = value
        else:
            return None
    return ConsoleArgs(
        demo="--demo" in flags,
        locked="--locked" in flags,
        tour="--tour" in flags,
        show_keys="--show-keys" in flags,
        slow_link="--slow-link" in flags,
        profile=options.get("--profile"),
        config=options.get("--config"),
    )


def command_of(argv: Sequence[str]) -> str | None:
    """The word after the console's options, spelled out in full, where a command is named; None when an option
    comes first that this reader does not know for certain (the full parser reads it)."""
    tokens = iter(argv)
    for token in tokens:
        name, equals, _ = token.partition("=")
        if not equals and token in FLAGS:
            continue
        if name in OPTIONS:
            if not equals:
                next(tokens, "")
            continue
        return None if token.startswith("-") else token
    return None
