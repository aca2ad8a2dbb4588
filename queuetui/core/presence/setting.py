"""Which presence store a console uses: `QUEUETUI_PRESENCE`, else the profile's `presence`, else the file's
top-level `presence`; empty means none. `sqlite:///path/to/file.db` or `postgresql://…`."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

ENV = "QUEUETUI_PRESENCE"
SCHEMES = ("sqlite", "postgresql", "postgres")


def checked_url(url: str) -> str:
    """The URL when it names a store presence can use; raises ValueError saying what is wrong."""
    if not url:
        return url
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise ValueError("must start sqlite:/// (a file on this host) or postgresql:// (a server)")
    if scheme == "sqlite" and not sqlite_path(url).startswith("/"):
        raise ValueError("a SQLite store needs an absolute path: sqlite:///var/lib/queuetui/presence.db")
    return url


def sqlite_path(url: str) -> str:
    """The file of a `sqlite:///path` URL (one slash or more before the path: both mean the absolute path)."""
    path = urlsplit(url).path
    return "/" + path.lstrip("/") if path else ""


def chosen_url(top_level: str, profile: str, environ: dict[str, str] | None = None) -> str:
    environ = dict(os.environ) if environ is None else environ
    return (environ.get(ENV, "").strip() or profile or top_level).strip()


def shown_url(url: str) -> str:
    """The URL without a password, for a screen or a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:••••@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
