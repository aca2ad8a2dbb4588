"""The hash chain that makes the audit trail tamper-evident: how a record is sealed into one line, and read back.

A sealed line is the record's JSON with two fields added at the end:

    {...,"prev":"<sha256 of the previous line>","sha256":"<sha256 of this line up to and with prev>"}

`prev` links each record to the exact bytes of the line before it (its newline excluded), so removing,
inserting or reordering records breaks a link. `sha256` seals the record itself, so an edited record is
caught at its own line, the newest one included, which no later link protects. The first record of a trail
links to GENESIS. Both fields sit at a fixed place at the end of the line, so checking a line needs two
hashes and no JSON parsing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import NamedTuple

GENESIS = "0" * 64
CHAIN_FIELDS = frozenset({"prev", "sha256"})

_HEX = 64
_PREV_KEY = b'"prev":"'
_SEAL_KEY = b'","sha256":"'
_END = b'"}'
# Everything from the `"prev"` key to the end of the line: the part of a sealed line with a fixed length.
_TAIL = len(_PREV_KEY) + _HEX + len(_SEAL_KEY) + _HEX + len(_END)
_TAIL_SHAPE = re.compile(
    re.escape(_PREV_KEY) + rb"([0-9a-f]{64})" + re.escape(_SEAL_KEY) + rb"([0-9a-f]{64})" + re.escape(_END)
)
# Where the sealed body stops: after `"prev":"<hash>"`, before `,"sha256"`.
_BODY_END = len(_PREV_KEY) + _HEX + 1 - _TAIL


def line_hash(line: bytes) -> str:
    """The hash the next record's `prev` carries: of the line's exact bytes, without its newline."""
    return hashlib.sha256(line).hexdigest()


def seal(record: Mapping[str, object], prev: str) -> bytes:
    """The record as one sealed line (no newline). Raises ValueError when the record uses a chain field."""
    clash = CHAIN_FIELDS.intersection(record)
    if clash:
        raise ValueError(f"audit records may not carry {sorted(clash)}: those fields are the chain's")
    body = json.dumps({**record, "prev": prev}, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(body).hexdigest().encode()
    return body[:-1] + _SEAL_KEY[1:] + digest + _END


class Seal(NamedTuple):
    prev: str
    intact: bool  # the line's content still matches its own sha256


def read_seal(line: bytes) -> Seal | None:
    """The chain fields of a sealed line, or None when the line does not end like one (an old unchained
    record, a line cut short, or one whose chain fields were edited)."""
    if len(line) < _TAIL + 1 or line[-_TAIL - 1] not in b",{":
        return None
    shape = _TAIL_SHAPE.fullmatch(line, len(line) - _TAIL)
    if shape is None:
        return None
    body = line[:_BODY_END] + b"}"
    return Seal(shape.group(1).decode(), hashlib.sha256(body).hexdigest() == shape.group(2).decode())


def without_chain(record: dict[str, object]) -> dict[str, object]:
    """What the application recorded: the record without its chain fields."""
    return {key: value for key, value in record.items() if key not in CHAIN_FIELDS}
