"""A copy of each audit record for the local syslog, as RFC 5424 with structured data, so that jump hosts
forward records with the infrastructure they already run.

The file stays the record of truth. Nothing here may block or fail an action: the socket never waits more
than a moment, errors are caught, and an outage is reported once (through `on_problem`, and in `problem`
while it lasts) rather than on every record.

Each message carries the record twice: as structured data, one parameter per field, for searching; and as
the message body, the exact line the file holds, so a collector can check the chain itself. Two parameters
are the witness's own: `file`, whether the file took the record, and `head`, the trail's head after it (what
`queuetui audit verify` prints as `head` while it is the newest record). A copy is sent when the file refused
the record too: then the body is the record unsealed, and it has no head.
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import os
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timezone

from queuetui.api.text import printable
from queuetui.core.audit.chain import line_hash

# 32473 is the enterprise number RFC 5612 sets aside for examples: queuetui has no number of its own.
SD_ID = "queuetui@32473"
APP_NAME = "queuetui"
MSG_ID = "audit"
# How long one send may wait for a syslog daemon whose queue is full; a datagram socket never waits longer,
# and not at all once an outage has been reported.
SEND_TIMEOUT_S = 0.05
_BOM = "\ufeff"  # RFC 5424: a UTF-8 message body starts with a byte order mark
_VALUE_LIMIT = 1000  # the body keeps every field whole; the structured copy is for searching


class SyslogSink:
    def __init__(self, socket_path: str = "/dev/log", *, on_problem: Callable[[str], None] | None = None) -> None:
        self.socket_path = socket_path
        self.on_problem = on_problem
        self.problem = ""  # why the last copy did not reach syslog; "" once one does
        self._hostname = _header_field(socket.gethostname(), 255)
        self._lock = threading.Lock()
        self._handler = _QuickSysLogHandler(socket_path)

    def send(self, line: bytes, not_written: str = "") -> None:
        """Send one audit line: sealed as the file holds it, or, with why in `not_written`, the record the file
        did not take. Never raises."""
        record = json.loads(line)
        witness = {"file": "written", "head": line_hash(line)}
        if not_written:
            witness = {"file": f"not written: {not_written}"}
        level = logging.INFO if record.get("outcome") == "ok" and not not_written else logging.WARNING
        self._emit(level, rfc5424_message({**record, **witness}, line, hostname=self._hostname, procid=os.getpid()))

    def send_event(self, msg_id: str, fields: Mapping[str, object]) -> None:
        """Send one event that is not an audit record (an alarm on the floor) as a warning: its fields as
        structured data and, as JSON, its body. Never raises."""
        line = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()
        message = rfc5424_message(fields, line, hostname=self._hostname, procid=os.getpid(), msg_id=msg_id)
        self._emit(logging.WARNING, message)

    def _emit(self, level: int, message: str) -> None:
        entry = logging.LogRecord(__name__, level, __file__, 0, message, None, None)
        with self._lock:
            # During an outage, try without waiting at all: each action then costs nothing more.
            self._handler.set_wait(0.0 if self.problem else SEND_TIMEOUT_S)
            self._handler.failure = None
            self._handler.handle(entry)
            failure = self._handler.failure
            if failure is None:
                self.problem = ""
                return
            first = not self.problem
            self.problem = f"syslog {self.socket_path}: {_describe(failure)}; records still go to the audit file"
            problem = self.problem
        if first and self.on_problem is not None:
            self.on_problem(problem)

    def close(self) -> None:
        self._handler.close()


def rfc5424_message(
    record: Mapping[str, object], line: bytes, *, hostname: str, procid: int, msg_id: str = MSG_ID
) -> str:
    """Everything after the PRI field (which the handler adds): VERSION TIMESTAMP HOSTNAME APP-NAME PROCID
    MSGID STRUCTURED-DATA MSG."""
    params = " ".join(f'{_param_name(key)}="{_param_value(value)}"' for key, value in record.items())
    header = f"1 {_timestamp(record.get('time'))} {hostname} {APP_NAME} {procid} {msg_id}"
    return f"{header} [{SD_ID} {params}] {_BOM}{line.decode('utf-8', 'replace')}"


class _QuickSysLogHandler(logging.handlers.SysLogHandler):
    """The standard handler on a Unix datagram socket that gives up quickly, and keeps its error for the
    sink instead of printing a traceback on the user's terminal."""

    def __init__(self, socket_path: str) -> None:
        self.failure: BaseException | None = None
        self.wait_s = SEND_TIMEOUT_S
        # authpriv: who listened to which call is for administrators' eyes, next to sshd and sudo.
        super().__init__(socket_path, facility=self.LOG_AUTHPRIV, socktype=socket.SOCK_DGRAM)
        self.append_nul = False  # RFC 5424 frames end with the datagram, not with a NUL

    def _connect_unixsocket(self, address: str) -> None:
        # The handler reconnects and sends again after a failed send, on a fresh socket that would block
        # while the daemon's queue is full: every socket it makes gets the timeout, the reconnected one too.
        super()._connect_unixsocket(address)  # type: ignore[misc]
        self.socket.settimeout(self.wait_s)  # type: ignore[attr-defined]

    def set_wait(self, seconds: float) -> None:
        self.wait_s = seconds
        with contextlib.suppress(OSError):  # a socket closed by a failed connect has nothing to set
            self.socket.settimeout(seconds)  # type: ignore[attr-defined]

    def handleError(self, record: logging.LogRecord) -> None:
        self.failure = sys.exc_info()[1]


def _timestamp(value: object) -> str:
    """The record's own time when it has a zone, else now: RFC 3339 with at most 6 decimal places."""
    moment = None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        moment = datetime.now(timezone.utc)
    return moment.isoformat(timespec="milliseconds")


def _header_field(value: str, limit: int) -> str:
    cleaned = "".join(ch if "!" <= ch <= "~" else "_" for ch in value)[:limit]
    return cleaned or "-"


def _param_name(key: str) -> str:
    return "".join(ch if "!" <= ch <= "~" and ch not in '="]' else "_" for ch in key)[:32] or "_"


def _param_value(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = printable(text, _VALUE_LIMIT)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError | BlockingIOError):
        return "not accepting records (its queue is full)"
    if isinstance(error, FileNotFoundError):
        return "no such socket"
    if isinstance(error, ConnectionRefusedError):
        return "nothing is listening"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__
