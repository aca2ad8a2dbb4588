"""Reading a TOML table into typed values, by hand: every problem is collected with the key path it is at, so
one look at the message is enough to fix the file, and the caller can name each key's line.

The config and theme files load on the way to the first usable frame, and `queuetui barge` reads the config
on every run: plain checks cost neither a model library's import nor its schema build, and these files are
small enough that they read as clearly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

Location = tuple[str, ...]
T = TypeVar("T")
NOTED = object()  # what a read got instead of a value once it noted the value's problem
# The words (and numbers) pydantic took for true and false, as files written for it may hold them.
_LOOSE_FLAGS = {
    **dict.fromkeys(("true", "t", "yes", "y", "on", "1"), True),
    **dict.fromkeys(("false", "f", "no", "n", "off", "0"), False),
}


class Required:
    """The default of a key that has none: leaving it out is a problem."""


REQUIRED = Required()


class TableProblems(ValueError):
    """Every problem found, in file order, each with the key path it is at."""

    def __init__(self, problems: Sequence[tuple[Location, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{'.'.join(at) or '(top level)'}: {message}" for at, message in self.problems))


class TableReader:
    """One table of a file. Each read takes a key and its default, and returns the value or, after noting the
    problem, the default; `extra` then gives the keys that were not read. A value written loosely but plainly
    meant (`"yes"` or `1` for true, `"5"` for 5) is read, and noted in `notes` so the file can be put right:
    files that loaded before these checks were plain Python still load."""

    def __init__(
        self,
        data: object,
        at: Location = (),
        problems: list[tuple[Location, str]] | None = None,
        notes: list[tuple[Location, str]] | None = None,
    ) -> None:
        self.at = at
        self.problems: list[tuple[Location, str]] = [] if problems is None else problems
        self.notes: list[tuple[Location, str]] = [] if notes is None else notes
        if not isinstance(data, Mapping):
            self.problems.append((at, "must be a table"))
            data = {}
        self.data: Mapping[object, object] = data
        self._read: set[str] = set()

    def has(self, key: str) -> bool:
        return key in self.data

    def problem(self, key: str, message: str) -> None:
        self.problems.append(((*self.at, key), message))

    def note(self, key: str, message: str) -> None:
        self.notes.append(((*self.at, key), message))

    def raise_problems(self) -> None:
        if self.problems:
            raise TableProblems(self.problems)

    def _value(self, key: str, default: T | Required, kind: type | tuple[type, ...], wanted: str) -> object:
        """The raw value when present and of `kind`; `default` when absent (a REQUIRED default makes that a
        problem); else, after noting the problem, NOTED."""
        self._read.add(key)
        if key not in self.data:
            if isinstance(default, Required):
                self.problem(key, "is required")
            return default
        value = self.data[key]
        # bool is an int to Python, never a number in a config file.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
            self.problem(key, f"must be {wanted}")
            return NOTED
        return value

    def checked(self, key: str, value: T, check: Callable[[T], T] | None, default: T | Required) -> T:
        """`value` as `check` returns it; when it raises ValueError, the problem is noted and `default` given."""
        if check is None:
            return value
        try:
            return check(value)
        except ValueError as error:
            self.problem(key, str(error))
            return _placeholder(default, value)

    def text(self, key: str, default: str | Required, check: Callable[[str], str] | None = None) -> str:
        value = self._value(key, default, str, "text")
        if not isinstance(value, str) or key not in self.data:
            return _placeholder(default, "")
        return self.checked(key, value, check, default)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        loose = _LOOSE_FLAGS.get(str(value).strip().lower()) if isinstance(value, (str, int)) else None
        if not isinstance(value, bool) and loose is not None:
            self._read.add(key)
            self.note(key, f"{value!r} read as {str(loose).lower()}: write true or false")
            return loose
        value = self._value(key, default, bool, "true or false")
        return value if isinstance(value, bool) else default

    def number(
        self, key: str, default: float, *, above: float | None = None, at_least: float | None = None, at_most: float
    ) -> float:
        loose = self._loose_number(key, float)
        value = loose if loose is not None else self._value(key, default, (int, float), "a number")
        if not isinstance(value, (int, float)):
            return default
        if above is not None and not value > above:
            self.problem(key, f"must be greater than {above:g}")
        elif at_least is not None and not value >= at_least:
            self.problem(key, f"must be at least {at_least:g}")
        elif not value <= at_most:
            self.problem(key, f"must be at most {at_most:g}")
        else:
            return float(value)
        return default

    def whole_number(self, key: str, default: int, *, at_least: int) -> int:
        raw = self.data.get(key)
        if isinstance(raw, float) and raw.is_integer():
            # 5e6 is a float to TOML and a whole number to whoever wrote it: read as one, not worth a note.
            self._read.add(key)
            value: object = int(raw)
        else:
            loose = self._loose_number(key, int)
            value = int(loose) if loose is not None else self._value(key, default, int, "a whole number")
        if not isinstance(value, int):
            return default
        if value < at_least:
            self.problem(key, f"must be at least {at_least}")
            return default
        return value

    def _loose_number(self, key: str, kind: type[int] | type[float]) -> float | None:
        """A number written as text ("5"), read and noted; None for anything else."""
        value = self.data.get(key)
        if not isinstance(value, str):
            return None
        try:
            number = kind(value.strip())
        except ValueError:
            return None
        self._read.add(key)
        self.note(key, f"{value!r} read as the number {number}: write it without quotes")
        return number

    def choice(self, key: str, default: str, choices: Sequence[str]) -> str:
        value = self.text(key, default)
        if value not in choices:
            self.problem(key, f"must be one of {', '.join(choices)}")
            return default
        return value

    def texts(self, key: str, default: Sequence[str]) -> list[str]:
        value = self._value(key, default, list, "a list of text")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            if isinstance(value, list):
                self.problem(key, "must be a list of text")
            return list(default)
        return list(value)

    def table(self, key: str) -> TableReader:
        """The nested table at `key` (empty when absent), reporting into the same list of problems."""
        self._read.add(key)
        return TableReader(self.data.get(key, {}), (*self.at, key), self.problems, self.notes)

    def texts_by_name(self, key: str) -> dict[str, str]:
        """A table of text values, such as the keymap."""
        values = self.table(key)
        return {str(name): values.text(str(name), "") for name in values.data}

    def extra(self) -> dict[str, object]:
        """The keys no read asked for, as they were: kept and reported, never dropped."""
        return {str(key): value for key, value in self.data.items() if key not in self._read}

    def forbid_extra(self, why: Callable[[str], str] = lambda key: "unknown key") -> None:
        for key in self.extra():
            self.problem(key, why(key))


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _placeholder(default: T | Required, fallback: T) -> T:
    # After a problem the value is never used (the read ends in TableProblems), but it keeps a type.
    return fallback if isinstance(default, Required) else default
