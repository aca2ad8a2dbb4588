"""The environment a served console starts with.

textual-serve hands its own environment to every app it starts, and it has no sign-in: whoever opens the page
drives the app. So nothing that could reach a real DeepCall goes along: no `QUEUETUI_*` setting (credentials,
profile, config file) and no proxy (a demo stays on this machine). And each console gets config and state
folders of its own, empty: the trainer's profiles (remembered secrets among them) and audit trail are out of
reach, and no tab sees another's sessions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

PROXY_VARIABLES = frozenset({"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"})


def is_withheld(name: str) -> bool:
    upper = name.upper()
    return upper.startswith("QUEUETUI_") or upper in PROXY_VARIABLES


def served_environment(environ: Mapping[str, str], files: Path) -> dict[str, str]:
    """`environ` without what is withheld, with queuetui's config and state under `files` (the console's own)."""
    kept = {name: value for name, value in environ.items() if not is_withheld(name)}
    return {**kept, "XDG_CONFIG_HOME": str(files / "config"), "XDG_STATE_HOME": str(files / "state")}


def withheld_names(environ: Mapping[str, str]) -> list[str]:
    """The names (never the values) that a served console will not see, to tell the person starting serve."""
    return sorted(name for name in environ if is_withheld(name))
