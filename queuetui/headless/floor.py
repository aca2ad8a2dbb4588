"""`queuetui floor who`: who on the floor is on which call now, from the presence store the config names.

Exit codes: 0 done (an empty floor too); 2 usage or config problem, or presence not configured; 5 the store
cannot be reached.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

from queuetui.api.text import printable
from queuetui.core.config import paths
from queuetui.core.config.settings import ConfigError, load_config
from queuetui.core.presence.entry import Presence, age_words
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.setting import ENV, chosen_url, shown_url
from queuetui.core.presence.store import StoreUnavailable
from queuetui.headless.columns import print_columns
from queuetui.headless.exits import EXIT_NETWORK, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    import argparse

_COLUMNS = ("CALL", "MODE", "WHO", "OS USER", "HOST", "FOR")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    named = getattr(args, "config", None)
    path = paths.config_file(named)
    try:
        settings = load_config(path, named=bool(paths.chosen_config_file(named))).settings
    except ConfigError as error:
        print(f"error: config: {error}", file=err)
        return EXIT_USAGE
    wanted = getattr(args, "profile", None) or os.environ.get("QUEUETUI_PROFILE") or settings.default_profile
    profile = settings.profiles.get(wanted) if wanted else None
    url = chosen_url(settings.presence, profile.presence if profile else "")
    if not url:
        print(f'error: presence is off: set presence = "sqlite:///…" in {path}, or {ENV}', file=err)
        return EXIT_USAGE
    try:
        store = open_store(url)
        try:
            rows = store.read()
        finally:
            store.close()
    except StoreUnavailable as error:
        print(f"error: {error}", file=err)
        return EXIT_NETWORK
    if args.json:
        print(json.dumps([{**row.as_json(), "since": _iso(row.since)} for row in rows]), file=out)
    else:
        _print_table(rows, shown_url(url), out)
    return EXIT_OK


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")


def _print_table(rows: list[Presence], where: str, out: TextIO) -> None:
    now = time.time()
    lines: list[tuple[str, ...]] = [_COLUMNS]
    lines += [
        tuple(
            printable(cell, 40) or "-"
            for cell in (row.call_id, row.mode.upper(), row.who, row.os_user, row.host, age_words(now - row.since))
        )
        for row in sorted(rows, key=lambda row: (row.call_id, row.since))
    ]
    print_columns(lines, out)
    count = len(rows)
    print(f"{count} console{'' if count == 1 else 's'} on a call, from {printable(where, 200)}", file=out)
