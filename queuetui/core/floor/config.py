"""The `[profiles.NAME.live_calls]` table: where a profile's list of live calls comes from, and how to read it.

DeepCall publishes no field table for its live list (`queue/list`), so nothing here is hard-wired. The
defaults are assumptions, named after the fields of DeepCall's Push Report webhook (`callId`, `masterAgent`,
`cNumber`, `campId`) and its usual `{"status": "success", "data": [...]}` answer; an administrator runs
`queuetui calls --raw` to see what the server really answers and writes the mapping here. Every pointer is
checked when the profile loads, so a typo is reported with its key and file instead of as an empty list.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar, cast

from queuetui.api.fields import CREDENTIAL_FIELDS, api_path_problem
from queuetui.core.config.table_reader import TableReader
from queuetui.core.floor.json_pointer import JsonPointer

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
Source = Literal["deepcall", "command", "none"]
SOURCES: tuple[Source, ...] = ("deepcall", "command", "none")
BOOKKEEPING = ("unknown", "given")  # what a part of the config keeps about its file, beside its settings


def _pointer(text: str) -> str:
    JsonPointer.parse(text)  # raises ValueError naming the problem
    return text


def _api_path(path: str) -> str:
    problem = api_path_problem(path)
    if problem:
        raise ValueError(problem)
    return path


def _json_problem(value: object) -> str:
    """Why a TOML value cannot go into a JSON body (a date, say), or ""."""
    if value is None or isinstance(value, (str, bool, int)):
        return ""
    if isinstance(value, float):
        return "" if math.isfinite(value) else "must be a finite number to be a JSON value"
    if isinstance(value, list):
        return next((problem for item in value if (problem := _json_problem(item))), "")
    if isinstance(value, dict):
        return next((problem for item in value.values() if (problem := _json_problem(item))), "")
    return f"a {type(value).__name__} is not a JSON value (write it as text)"


PointerTableT = TypeVar("PointerTableT", bound="PointerTable")
FeedT = TypeVar("FeedT", bound="FeedConfig")


class PointerTable:
    """A `fields` table: JSON Pointers inside one item of a feed. An empty pointer means "not in this feed".
    Subclasses are frozen dataclasses of text pointers plus `unknown` and `given`; `REQUIRED` names the pointers
    that may not be empty."""

    REQUIRED: ClassVar[tuple[str, ...]] = ()
    WHY_REQUIRED: ClassVar[str] = ""
    unknown: dict[str, object]
    given: frozenset[str]

    def __post_init__(self) -> None:
        for pointer in _pointer_fields(type(self)):
            self._rule(pointer.name)(getattr(self, pointer.name))

    @classmethod
    def _rule(cls, name: str) -> Callable[[str], str]:
        if name not in cls.REQUIRED:
            return _pointer

        def required(text: str) -> str:
            if not text:
                raise ValueError(f"is required: {cls.WHY_REQUIRED}")
            return _pointer(text)

        return required

    @classmethod
    def read(cls: type[PointerTableT], table: TableReader) -> PointerTableT:
        before = len(table.problems)
        values = {
            pointer.name: table.text(pointer.name, cast(str, pointer.default), cls._rule(pointer.name))
            for pointer in _pointer_fields(cls)
        }
        if len(table.problems) > before:
            return cls()
        return cls(**values, unknown=table.extra(), given=frozenset(filter(table.has, values)))  # type: ignore[call-arg]

    def written(self) -> dict[str, object]:
        """What the file set, what differs from the defaults and the unknown keys: an assumed default stays a
        default, and a value written out stays written."""
        return {**_written(self, type(self)()), **self.unknown}  # type: ignore[arg-type]


@dataclass(frozen=True)
class LiveCallFields(PointerTable):
    """JSON Pointers inside one call of the list."""

    REQUIRED = ("call_id",)
    WHY_REQUIRED = "a call without an id cannot be acted on"

    call_id: str = "/callId"  # assumed (webhook name)
    agent: str = "/masterAgent"  # assumed (webhook name); a number there, read as text
    agent_name: str = ""
    customer: str = "/cNumber"  # assumed (webhook name)
    queue: str = "/campId"  # assumed (webhook name)
    state: str = ""  # words such as ringing, talking, on hold, ended
    started_at: str = ""  # epoch seconds (or milliseconds) or ISO 8601
    unknown: dict[str, object] = field(default_factory=dict)  # keys this version does not know: kept
    given: frozenset[str] = field(default=frozenset(), compare=False)  # the keys the file set: written back


def _pointer_fields(cls: type[PointerTable]) -> list[dataclasses.Field[str]]:
    return [f for f in dataclasses.fields(cast("type[DataclassInstance]", cls)) if f.name not in BOOKKEEPING]


@dataclass(frozen=True)
class FeedConfig:
    """Where one feed of the floor comes from: DeepCall (`path` POSTed under base_url with the credentials and
    `body`, the part wanted at `items`) or the site's own program (`command`). Each feed is a subclass that adds
    its `fields` table (and `unknown`, `given`)."""

    source: Source = "none"
    path: str = "queue/list"  # POSTed under base_url, credentials in the body as for bargingCall
    body: dict[str, JsonValue] = field(default_factory=dict)  # extra JSON fields sent with the credentials
    items: str = "/data"  # where the array of calls sits in the answer
    refresh_s: float = 3.0
    command: list[str] = field(default_factory=list)  # for source = "command": argv, run without a shell

    def __post_init__(self) -> None:
        _api_path(self.path)
        _pointer(self.items)

    @classmethod
    def _read_tables(cls, table: TableReader) -> dict[str, object]:
        """The nested tables of this feed (`fields`, and any other), read."""
        return {}

    @classmethod
    def read(cls: type[FeedT], table: TableReader) -> FeedT:
        before = len(table.problems)
        default = cls()
        source = cast(Source, table.choice("source", default.source, SOURCES))
        path = table.text("path", default.path, _api_path)
        items = table.text("items", default.items, _pointer)
        refresh_s = table.number("refresh_s", default.refresh_s, at_least=0.5, at_most=3600)
        command = table.texts("command", default.command)
        body = _read_body(table)
        tables = cls._read_tables(table)
        unknown = table.extra()
        if source == "command" and not (command and command[0].strip()):
            table.problems.append(
                (table.at, 'command is required when source = "command" (the program and its arguments)')
            )
        if len(table.problems) > before:
            return default
        given = frozenset(
            f.name
            for f in dataclasses.fields(cast("DataclassInstance", default))
            if f.name not in BOOKKEEPING and table.has(f.name)
        )
        return cls(source, path, body, items, refresh_s, command, **tables, unknown=unknown, given=given)  # type: ignore[call-arg]

    def written(self) -> dict[str, object]:
        """What the file set, what differs from the defaults and the unknown keys: an assumed default stays a
        default, and a value written out stays written."""
        default = type(self)()
        nested = {name: value for name, value in vars(self).items() if isinstance(value, PointerTable)}
        data: dict[str, object] = {
            **_written(cast("DataclassInstance", self), cast("DataclassInstance", default), skip=tuple(nested)),
            **getattr(self, "unknown", {}),
        }
        for name, table in nested.items():
            mapped = table.written()
            if mapped:
                data[name] = mapped
        return data

    def unknown_keys(self, at: str) -> list[str]:
        """The keys of this feed's tables this version does not know, each with its path from `at`."""
        found = [f"{at}.{key}" for key in getattr(self, "unknown", {})]
        for name, value in vars(self).items():
            if isinstance(value, PointerTable):
                found += [f"{at}.{name}.{key}" for key in value.unknown]
        return found


@dataclass(frozen=True)
class LiveCallsConfig(FeedConfig):
    fields: LiveCallFields = field(default_factory=LiveCallFields)
    unknown: dict[str, object] = field(default_factory=dict)  # keys this version does not know: kept
    given: frozenset[str] = field(default=frozenset(), compare=False)  # the keys the file set: written back

    @classmethod
    def _read_tables(cls, table: TableReader) -> dict[str, object]:
        return {"fields": LiveCallFields.read(table.table("fields"))}


def _read_body(table: TableReader) -> dict[str, JsonValue]:
    body = table.table("body")
    for key, value in body.data.items():
        problem = _json_problem(value)
        if problem:
            body.problem(str(key), problem)
    clashing = sorted(CREDENTIAL_FIELDS.intersection(str(key) for key in body.data))
    if clashing:
        table.problem("body", f"must not hold {', '.join(clashing)}: credentials come from signing in, never the file")
    return cast(dict[str, JsonValue], {str(key): value for key, value in body.data.items()})


def _written(config: DataclassInstance, default: DataclassInstance, skip: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in (*skip, *BOOKKEEPING)
        and (f.name in getattr(config, "given", ()) or getattr(config, f.name) != getattr(default, f.name))
    }


def simulator_live_calls() -> LiveCallsConfig:
    """The mapping for everything the simulator serves (the demo): the assumed defaults plus the agent's
    name, the state and the start time."""
    return LiveCallsConfig(
        source="deepcall",
        fields=LiveCallFields(agent_name="/agentName", state="/state", started_at="/startTime"),
    )
