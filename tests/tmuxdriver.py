"""Drives a program in a real terminal: tmux with its own server socket, send-keys to type and
capture-pane to read the screen. Shared by the end-to-end tests and the benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Mapping


class TmuxError(RuntimeError):
    pass


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class TmuxSession:
    def __init__(
        self,
        command: list[str],
        *,
        width: int = 80,
        height: int = 24,
        env: Mapping[str, str] | None = None,
        term: str = "xterm-256color",
        client_locale: str | None = None,
    ) -> None:
        self.socket = f"queuetui-{os.getpid()}-{time.monotonic_ns()}"
        self.command = command
        self.width = width
        self.height = height
        self.env = dict(env or {})
        self.term = term
        # tmux decides from its own client's locale whether the terminal takes UTF-8; in a C locale it shows
        # every other character as `_`, as on a jump host whose shell has no UTF-8 locale.
        self.tmux_env: dict[str, str] | None = None
        if client_locale is not None:
            self.tmux_env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_CTYPE", "LANG")}
            self.tmux_env["LANG"] = client_locale

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
            env=self.tmux_env,
        )
        if check and result.returncode != 0:
            raise TmuxError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result

    def start(self) -> TmuxSession:
        env_args = [f"{key}={value}" for key, value in self.env.items()]
        self._tmux(
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "env",
            f"TERM={self.term}",
            *env_args,
            *self.command,
        )
        # Keep the pane after the program exits, so a crash leaves its last screen to read.
        self._tmux("set-option", "-t", "main", "remain-on-exit", "on", check=False)
        return self

    def capture(self, escapes: bool = False) -> str:
        """The screen's text; with `escapes`, including the SGR sequences that style it."""
        return self._tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "main").stdout

    def send(self, *keys: str) -> None:
        """tmux key names: 'Enter', 'Tab', 'C-s', 'F2'."""
        self._tmux("send-keys", "-t", "main", *keys)

    def send_at(self, moment: float, *keys: str) -> None:
        """Keys typed at a chosen moment (a `time.monotonic()`), as a race test times them around an event."""
        while time.monotonic() < moment:
            time.sleep(0.002)
        self.send(*keys)

    def send_once_read(self, reaction_s: float, *keys: str) -> None:
        """Keys typed as a supervisor types them after reading the screen: a reaction time after it was shown."""
        time.sleep(reaction_s)
        self.send(*keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "main", "-l", text)

    def wait_for(self, text: str, timeout: float = 10.0, interval: float = 0.02) -> float:
        """Seconds until `text` is on the screen; TmuxError with the screen when it never shows."""
        started = time.monotonic()
        while True:
            if text in self.capture():
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TmuxError(f"{text!r} not on screen after {timeout} s; screen:\n{self.capture()}")
            time.sleep(interval)

    def _pane(self, variable: str, check: bool = True) -> str:
        """One of tmux's facts about the pane (`pane_tty`, `pane_pid`, `pane_dead`...)."""
        return self._tmux("display-message", "-p", "-t", "main", f"#{{{variable}}}", check=check).stdout.strip()

    def pane_tty(self) -> str:
        """The path of the terminal the program runs on (/dev/pts/N), to read its settings."""
        return self._pane("pane_tty")

    def pane_pid(self) -> int:
        """The process id of the program the pane runs."""
        return int(self._pane("pane_pid"))

    def is_dead(self) -> bool:
        return self._pane("pane_dead", check=False) == "1"

    def kill(self) -> None:
        self._tmux("kill-server", check=False)

    def __enter__(self) -> TmuxSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
