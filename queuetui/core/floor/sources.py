"""Where a profile's live calls come from: DeepCall itself (`source = "deepcall"`: a JSON endpoint under the base
URL), or a program the site already has (`source = "command"`). Both read their answer through the same field
mapping into the same `MappedCalls`, and both fail with a `CallFailed` whose message is safe to show: a source
never raises anything else for a bad answer, a dead server or a broken program.

    source = session.floor_source()       # None when the profile has no live list
    mapped = source.fetch()               # blocking: call it off the UI thread (CallPoller does)
    raw = source.fetch_answer().text      # the answer as received, for `queuetui calls --raw`
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from queuetui.api.client import MAX_LIST_BODY_BYTES, DeepCallClient
from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.decode import decode
from queuetui.api.errors import CallFailed
from queuetui.api.text import printable, without_secrets
from queuetui.core.floor.calls import FieldMap, Known, MappedCalls, items_at, map_calls
from queuetui.core.floor.config import FeedConfig, LiveCallsConfig
from queuetui.core.floor.json_pointer import JsonPointer

# The command is the site's own program: it gets no credential of ours.
_WITHHELD_VARIABLES = ("QUEUETUI_SSID", "QUEUETUI_USER_ID", "QUEUETUI_TOKEN")
KEEPER = str(Path(__file__).with_name("keeper.py"))
_KEEPER_GRACE_S = 2.0  # for the keeper to end what the program started, once told to stop
_STDERR_KEPT = 4096
_READ_SIZE = 65536


@dataclass(frozen=True)
class RawAnswer:
    """One answer of a source: `text` as received (our own credentials masked), `document` parsed."""

    text: str
    document: object


class CommandFailed(CallFailed):
    """The command could not be run, failed, took too long, or printed something that is not a live list."""


class AnswerSource(ABC):
    """Where a feed's answers come from (the live list, the floor's figures, the agents). One fetch at a time
    per caller; safe to use from any one thread."""

    kind: str  # "deepcall" or "command": what `queuetui calls --json` reports as "source"

    @property
    @abstractmethod
    def description(self) -> str:
        """Where the answers come from, for messages (no secret in it)."""

    @abstractmethod
    def fetch_answer(self) -> RawAnswer:
        """The answer as received, parsed; raises CallFailed."""


class CallSource(AnswerSource):
    """A source of the live list: its answers read through the profile's field mapping (CallPoller serialises
    its fetches)."""

    def __init__(self, fields: FieldMap) -> None:
        self.fields = fields
        self._known: Known = {}  # the last answer's items (see `map_calls`)

    @abstractmethod
    def items(self, document: object) -> list[object]:
        """The array of calls in a parsed answer; raises ProtocolError or CommandFailed."""

    def fetch(self) -> MappedCalls:
        """The live calls now; raises CallFailed (a DeepCallError for a DeepCall error object, auth included)."""
        return map_calls(self.items(self.fetch_answer().document), self.fields, self._known)


class DeepCallAnswers(AnswerSource):
    """POSTs `{base_url}/{path}` with the credentials in the body exactly as bargingCall sends them, plus the
    feed's `body` extras."""

    kind = "deepcall"

    def __init__(self, client: DeepCallClient, credentials: SessionAuth | TokenAuth, config: FeedConfig) -> None:
        self.client = client
        self.credentials = credentials
        self.path = config.path
        self.body = dict(config.body)
        self.items_pointer = JsonPointer.parse(config.items)

    @property
    def description(self) -> str:
        return self.client.url_for(self.path)

    def fetch_answer(self) -> RawAnswer:
        answer = self.client.post_json(self.path, self.body, self.credentials)
        return RawAnswer(without_secrets(answer.text, self.credentials.secrets()), answer.data)


class DeepCallSource(DeepCallAnswers, CallSource):
    """The live list from DeepCall: the calls are the array at the `items` pointer."""

    def __init__(self, client: DeepCallClient, credentials: SessionAuth | TokenAuth, config: LiveCallsConfig) -> None:
        DeepCallAnswers.__init__(self, client, credentials, config)
        CallSource.__init__(self, FieldMap.from_config(config.fields))

    def items(self, document: object) -> list[object]:
        return items_at(document, self.items_pointer, self.client.host)


class CommandAnswers(AnswerSource):
    """Runs the argv (no shell) in its own process group, with a timeout, and reads JSON from its standard
    output. At most `max_bytes` of output are read; more is refused. The program inherits our environment minus
    queuetui's credential variables."""

    kind = "command"

    def __init__(self, argv: Sequence[str], timeout_s: float, max_bytes: int = MAX_LIST_BODY_BYTES) -> None:
        if not argv or not argv[0]:
            raise ValueError("a command source needs a program to run")
        self.argv = list(argv)
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes

    @property
    def description(self) -> str:
        return f"command {self._name}"

    @property
    def _name(self) -> str:
        return printable(self.argv[0], 120)

    def fetch_answer(self) -> RawAnswer:
        output = self._run()
        try:
            text = output.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandFailed(f"{self._name} printed bytes that are not UTF-8 text") from None
        if not text.strip():
            raise CommandFailed(f"{self._name} printed nothing (expected JSON: an array of calls)")
        try:
            document = decode(text)
        except json.JSONDecodeError as error:
            raise CommandFailed(
                f"{self._name} printed something that is not JSON ({error.msg}, line {error.lineno} "
                f"column {error.colno})"
            ) from None
        except (ValueError, RecursionError):
            raise CommandFailed(
                f"{self._name} printed JSON that cannot be read (nested too deep or too long)"
            ) from None
        return RawAnswer(text, document)

    def _run(self) -> bytes:
        environment = {name: value for name, value in os.environ.items() if name not in _WITHHELD_VARIABLES}
        problem = _not_runnable(self.argv[0])
        if problem:  # said here: the keeper could only say it through the program's error output
            raise CommandFailed(f"{self._name} cannot be run ({problem})")
        try:
            # Through the keeper (see keeper.py), so that nothing the program starts outlives the fetch or the
            # console, not even a child that left the program's group.
            process = subprocess.Popen(  # noqa: S603 - the profile's own argv, never through a shell
                [sys.executable, "-I", "-S", KEEPER, str(os.getpid()), *self.argv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment,
                # Its own group, so the terminal's Ctrl+C is ours to handle.
                start_new_session=True,
            )
        except OSError as error:
            raise CommandFailed(f"{self._name} cannot be run ({error.strerror or type(error).__name__})") from None
        deadline = time.monotonic() + self.timeout_s
        try:
            output, errors = self._collect(process, deadline)
            try:
                status = process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise self._timed_out() from None
        finally:
            _end(process)
        if status != 0:
            raise CommandFailed(f"{self._name} {_exit_text(status)}{_last_line(errors)}")
        return output

    def _collect(self, process: subprocess.Popen[bytes], deadline: float) -> tuple[bytes, bytes]:
        """Everything the program prints until it closes both outputs; CommandFailed on a timeout or when its
        output passes `max_bytes` (only the tail of its error output is kept)."""
        assert process.stdout is not None and process.stderr is not None  # noqa: S101 - both are PIPE
        output, errors = bytearray(), bytearray()
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ, output)
            selector.register(process.stderr, selectors.EVENT_READ, errors)
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timed_out()
                for key, _ in selector.select(remaining):
                    chunk = os.read(key.fd, _READ_SIZE)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    buffer: bytearray = key.data
                    buffer.extend(chunk)
                    if buffer is output and len(output) > self.max_bytes:
                        limit = f"{self.max_bytes / (1024 * 1024):g} MiB"
                        raise CommandFailed(f"{self._name} printed more than {limit}; refused")
                    if buffer is errors and len(errors) > 2 * _STDERR_KEPT:
                        del errors[:-_STDERR_KEPT]
        return bytes(output), bytes(errors)

    def _timed_out(self) -> CommandFailed:
        return CommandFailed(f"{self._name} did not finish within {self.timeout_s:g} s; stopped")


class CommandSource(CommandAnswers, CallSource):
    """The live list from the site's own program: an array of calls, or an object `{"calls": [...]}`."""

    def __init__(
        self, argv: Sequence[str], fields: FieldMap, timeout_s: float, max_bytes: int = MAX_LIST_BODY_BYTES
    ) -> None:
        CommandAnswers.__init__(self, argv, timeout_s, max_bytes)
        CallSource.__init__(self, fields)

    @classmethod
    def from_config(cls, config: LiveCallsConfig, timeout_s: float) -> CommandSource:
        return cls(config.command, FieldMap.from_config(config.fields), timeout_s)

    def items(self, document: object) -> list[object]:
        if isinstance(document, list):
            return document
        if isinstance(document, dict) and isinstance(document.get("calls"), list):
            calls: list[object] = document["calls"]
            return calls
        raise CommandFailed(f'{self._name} printed JSON that is neither an array of calls nor {{"calls": [...]}}')


def answers_from(
    config: FeedConfig, client: DeepCallClient | None, credentials: SessionAuth | TokenAuth | None, timeout_s: float
) -> AnswerSource | None:
    """Where a feed's answers come from: None for `source = "none"`, and for a DeepCall feed without a client
    (a command's live list, read without signing in)."""
    if config.source == "command":
        return CommandAnswers(config.command, timeout_s)
    if config.source == "deepcall" and client is not None and credentials is not None:
        return DeepCallAnswers(client, credentials, config)
    return None


def _end(process: subprocess.Popen[bytes]) -> None:
    """Unless the keeper was reaped after a normal finish, tell it to stop (it ends everything below it), and
    reap it; a keeper that does not end within a grace period has its whole group killed. Not reaped yet, the
    keeper (even a zombie) keeps the group's id ours."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=_KEEPER_GRACE_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _exit_text(status: int) -> str:
    if status < 0:
        return f"was stopped by signal {-status}"
    return f"exited with status {status}"


def _last_line(errors: bytes) -> str:
    lines = [line for line in errors.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return f": {printable(lines[-1], 200)}" if lines else ""


def _not_runnable(program: str) -> str:
    """Why `program` cannot be run ("" when it is found and may be run)."""
    if shutil.which(program) is not None:
        return ""
    if os.sep not in program:
        return "not found on PATH"
    if not os.path.exists(program):
        return "No such file or directory"
    return "Is a directory" if os.path.isdir(program) else "Permission denied"
