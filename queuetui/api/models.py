"""The request model for `queue/bargingCall`, validated the way a supervisor can act on.

Field names on the wire are the seed's (`callId`, `snoopType`, ...). Every text field is trimmed, must not
be empty, is length-capped and may not hold control or escape characters (the rules are in `fields`).
pydantic loads with this module, which the session imports with the first request it prepares (or the
first read of the audit trail), not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from queuetui.api import fields
from queuetui.api.fields import FieldErrors, InputProblem
from queuetui.api.modes import SnoopType
from queuetui.api.text import mask_phone

if TYPE_CHECKING:
    from queuetui.api.credentials import SessionAuth, TokenAuth


def _mode(value: object) -> object:
    # " SPY " is a typing slip, not a different mode.
    return value.strip().lower() if isinstance(value, str) else value


CallId = Annotated[str, BeforeValidator(fields.call_id)]
TargetType = Annotated[str, BeforeValidator(fields.target_type)]
TargetValue = Annotated[str, BeforeValidator(fields.target_value)]
PhoneNumber = Annotated[str, BeforeValidator(fields.phone_number)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, hide_input_in_errors=True)


class BargeRequest(_Model):
    """One `bargingCall` without its credentials; `wire_body` adds them."""

    call_id: CallId = Field(alias="callId")
    snoop_type: Annotated[SnoopType, BeforeValidator(_mode)] = Field(alias="snoopType")
    target_entity_type: TargetType = Field(alias="targetEntityType")
    target_entity_val: TargetValue = Field(alias="targetEntityVal")
    snooper_number: PhoneNumber = Field(alias="snooperNumber")

    def wire_body(self, credentials: SessionAuth | TokenAuth) -> dict[str, str]:
        body = credentials.wire()
        body.update(self.model_dump(by_alias=True, mode="json"))
        return body

    def describe(self) -> str:
        """One line for logs and audit: no secret, snooper masked."""
        return (
            f"{self.snoop_type.value} {self.call_id} {self.target_entity_type}:{self.target_entity_val} "
            f"snooper {mask_phone(self.snooper_number)}"
        )

    def with_mode(self, mode: SnoopType) -> BargeRequest:
        return self.model_copy(update={"snoop_type": mode})


def _problems(error: ValidationError, model: type[BaseModel]) -> FieldErrors:
    aliases = {name: (info.alias or name) for name, info in model.model_fields.items()}
    found: list[InputProblem] = []
    for item in error.errors(include_input=False, include_url=False):
        loc = [str(part) for part in item["loc"] if isinstance(part, str)]
        field = loc[-1] if loc else "input"
        field = aliases.get(field, field)
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "enum":
            message = "must be one of spy, whisper, barge"
        found.append(InputProblem(field, message))
    return FieldErrors(tuple(found))


def parse_request(raw: dict[str, object]) -> BargeRequest:
    """Build a request from wire-named fields; raise FieldErrors naming each field that is wrong."""
    try:
        return BargeRequest.model_validate(raw)
    except ValidationError as error:
        raise _problems(error, BargeRequest) from None
