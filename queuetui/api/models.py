"""The request for `queue/bargingCall`, validated the way a supervisor can act on.

Field names on the wire are the seed's (`callId`, `snoopType`, ...). Every text field is trimmed, must not
be empty, is length-capped and may not hold control or escape characters: the rules are `fields`' own, which
the sign-in's credentials share. A plain frozen dataclass checked by those rules, not a model library's:
`queuetui barge` builds one request per process, and a library's import and schema build would be most of its
start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from queuetui.api import fields
from queuetui.api.fields import CREDENTIAL_FIELDS, FIELD_LABELS, FieldErrors, InputProblem
from queuetui.api.modes import SnoopType
from queuetui.api.text import mask_phone

if TYPE_CHECKING:
    from queuetui.api.credentials import SessionAuth, TokenAuth


def _mode(value: object) -> SnoopType:
    # " SPY " is a typing slip, not a different mode.
    try:
        return SnoopType(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError("must be one of spy, whisper, barge") from None


_T = TypeVar("_T")
# The request's own fields: the form's, less the sign-in's.
_FIELD_NAMES = FIELD_LABELS.keys() - CREDENTIAL_FIELDS


@dataclass(frozen=True)
class BargeRequest:
    """One `bargingCall` without its credentials; `wire_body` adds them. Built by `parse_request`."""

    call_id: str
    snoop_type: SnoopType
    target_entity_type: str
    target_entity_val: str
    snooper_number: str

    def wire_fields(self) -> dict[str, str]:
        """The request's fields by their wire names, as sent."""
        return {
            "callId": self.call_id,
            "snoopType": self.snoop_type.value,
            "targetEntityType": self.target_entity_type,
            "targetEntityVal": self.target_entity_val,
            "snooperNumber": self.snooper_number,
        }

    def wire_body(self, credentials: SessionAuth | TokenAuth) -> dict[str, str]:
        body = credentials.wire()
        body.update(self.wire_fields())
        return body

    def describe(self) -> str:
        """One line for logs and audit: no secret, snooper masked."""
        return (
            f"{self.snoop_type.value} {self.call_id} {self.target_entity_type}:{self.target_entity_val} "
            f"snooper {mask_phone(self.snooper_number)}"
        )

    def with_mode(self, mode: SnoopType) -> BargeRequest:
        return replace(self, snoop_type=mode)


def _checked(
    raw: Mapping[str, object], name: str, rule: Callable[[object], _T], found: list[InputProblem]
) -> _T | None:
    if name not in raw:
        found.append(InputProblem(name, "is required"))
        return None
    try:
        return rule(raw[name])
    except ValueError as problem:
        found.append(InputProblem(name, str(problem)))
        return None


def parse_request(raw: Mapping[str, object]) -> BargeRequest:
    """Build a request from wire-named fields; raise FieldErrors naming each field that is wrong, in form order,
    then each one the request does not have."""
    found: list[InputProblem] = []
    call_id = _checked(raw, "callId", fields.call_id, found)
    mode = _checked(raw, "snoopType", _mode, found)
    target_type = _checked(raw, "targetEntityType", fields.target_type, found)
    target = _checked(raw, "targetEntityVal", fields.target_value, found)
    snooper = _checked(raw, "snooperNumber", fields.phone_number, found)
    found += [InputProblem(str(name), "is not a field of this request") for name in raw if name not in _FIELD_NAMES]
    if found or call_id is None or mode is None or target_type is None or target is None or snooper is None:
        raise FieldErrors(tuple(found))
    return BargeRequest(call_id, mode, target_type, target, snooper)
