"""The `[profiles.NAME.live_calls]` table: where a profile's list of live calls comes from, and how to read it.

DeepCall publishes no field table for its live list (`queue/list`), so nothing here is hard-wired. The
defaults are assumptions, named after the fields of DeepCall's Push Report webhook (`callId`, `masterAgent`,
`cNumber`, `campId`) and its usual `{"status": "success", "data": [...]}` answer; an administrator runs
`queuetui calls --raw` to see what the server really answers and writes the mapping here. Every pointer is
checked when the profile loads, so a typo is reported with its key and file instead of as an empty list.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from queuetui.api.models import CREDENTIAL_FIELDS, api_path_problem
from queuetui.core.json_pointer import JsonPointer


def _pointer(text: str) -> str:
    JsonPointer.parse(text)  # raises ValueError naming the problem
    return text


class LiveCallFields(BaseModel):
    """JSON Pointers inside one item of the list. An empty pointer means "not in this feed"."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    call_id: str = "/callId"  # assumed (webhook name)
    agent: str = "/masterAgent"  # assumed (webhook name); a number there, read as text
    agent_name: str = ""
    customer: str = "/cNumber"  # assumed (webhook name)
    queue: str = "/campId"  # assumed (webhook name)
    state: str = ""  # words such as ringing, talking, on hold, ended
    started_at: str = ""  # epoch seconds (or milliseconds) or ISO 8601

    @field_validator("*")
    @classmethod
    def _is_pointer(cls, value: str) -> str:
        return _pointer(value)

    @field_validator("call_id")
    @classmethod
    def _call_id_is_mapped(cls, value: str) -> str:
        if not value:
            raise ValueError("is required: a call without an id cannot be acted on")
        return value


class LiveCallsConfig(BaseModel):
    model_config = ConfigDict(extra="allow", validate_assignment=True)

    source: Literal["deepcall", "command", "none"] = "none"
    path: str = "queue/list"  # POSTed under base_url, credentials in the body as for bargingCall
    body: dict[str, JsonValue] = Field(default_factory=dict)  # extra JSON fields sent with the credentials
    items: str = "/data"  # where the array of calls sits in the answer
    refresh_s: float = Field(default=3.0, ge=0.5, le=3600)
    command: list[str] = Field(default_factory=list)  # for source = "command": argv, run without a shell
    fields: LiveCallFields = Field(default_factory=LiveCallFields)

    @field_validator("path")
    @classmethod
    def _api_path(cls, value: str) -> str:
        problem = api_path_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("items")
    @classmethod
    def _items_pointer(cls, value: str) -> str:
        return _pointer(value)

    @field_validator("body")
    @classmethod
    def _no_credentials(cls, value: dict[str, JsonValue]) -> dict[str, JsonValue]:
        clashing = sorted(CREDENTIAL_FIELDS.intersection(value))
        if clashing:
            raise ValueError(f"must not hold {', '.join(clashing)}: credentials come from signing in, never the file")
        return value

    @model_validator(mode="after")
    def _command_given(self) -> LiveCallsConfig:
        if self.source == "command" and not (self.command and self.command[0].strip()):
            raise ValueError('command is required when source = "command" (the program and its arguments)')
        return self


def simulator_live_calls() -> LiveCallsConfig:
    """The mapping for everything the simulator serves (the demo): the assumed defaults plus the agent's
    name, the state and the start time."""
    return LiveCallsConfig(
        source="deepcall",
        fields=LiveCallFields(agent_name="/agentName", state="/state", started_at="/startTime"),
    )
