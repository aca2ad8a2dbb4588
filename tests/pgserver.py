"""A real PostgreSQL server for a test module: initdb and pg_ctl on a temporary directory, listening on loopback
at a free port. initdb refuses root, so as root the server runs as the `postgres` system user (Debian's package
makes it). `PgServer.skip_reason()` says why none can run here, for a test to skip with."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="queuetui-pg-"))
        self.data = self.folder / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    @staticmethod
    def skip_reason() -> str | None:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed (pip install -e '.[dev]')"
        if _tool("initdb") is None or _tool("pg_ctl") is None:
            return "PostgreSQL is not installed (apt-get install postgresql)"
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root without a postgres user for initdb"
        return None

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> PgServer:
        self._run(str(_tool("initdb")), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self.start()

    def start(self) -> PgServer:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self._run(
            str(_tool("pg_ctl")), "-D", str(self.data), "-o", options, "-w", "-l", str(self.folder / "log"), "start"
        )
        return self

    def stop(self) -> None:
        self._run(str(_tool("pg_ctl")), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/postgres"

    def sql(self, statements: Sequence[str]) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as db:
            for statement in statements:
                db.execute(statement.encode())

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
