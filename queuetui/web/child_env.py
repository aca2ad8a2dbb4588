"""The environment a served console starts with: an allow list, never a deny list.

textual-serve hands its own environment to every app it starts, and it has no sign-in: whoever opens the page
drives the app. The trainer's shell holds whatever the trainer works with (cloud keys, tokens, database URLs,
proxies with passwords), and no list of names to withhold can know them all. So a console gets only what it
needs to run and draw: the program path, the terminal and locale settings, the time zone, what textual-serve
sets for the terminal in the page, and folders of its own (empty) for home, config, state and cache: the
trainer's profiles (remembered secrets among them) and audit trail are out of reach, and no tab sees another's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# To run and draw: where programs are, the terminal, the time zone.
KEPT = frozenset({"PATH", "TERM", "TZ", "LANG", "LANGUAGE"})
# What textual-serve sets for the terminal in the page (see its AppService._build_environment).
TERMINAL = frozenset(
    {"TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "COLUMNS", "ROWS"}
)
BANNER_LINE = (
    "Consoles get no settings from this shell: only PATH, TERM, the locale and TZ, and empty folders of their own."
)


def is_kept(name: str) -> bool:
    return name in KEPT or name in TERMINAL or name.startswith("LC_")


def served_environment(environ: Mapping[str, str], files: Path) -> dict[str, str]:
    """What of `environ` a console may have, with its home, config, state and cache under `files` (its own)."""
    kept = {name: value for name, value in environ.items() if is_kept(name)}
    own = {
        "HOME": files,
        "XDG_CONFIG_HOME": files / "config",
        "XDG_STATE_HOME": files / "state",
        "XDG_CACHE_HOME": files / "cache",
        "XDG_DATA_HOME": files / "data",
    }
    return {**kept, **{name: str(folder) for name, folder in own.items()}}
