"""Moments as people type them for `--since` and `--until`: ISO dates and times, `today`, or an age like `8h`.

Times without a zone are local, as a supervisor reads a clock; a date alone means the start of that day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

_AGE = re.compile(r"(\d+)\s*([smhdw])(\s+ago)?")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
_FORMS = (
    "an ISO date or time (2025-03-01, 2025-03-01T08:00, 2025-03-01T08:00Z, 08:00), "
    "today, yesterday, now, or an age such as 30m, 8h, 2d, 1w"
)


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of `day`, with its zone."""
    return datetime.combine(day, time()).astimezone()


def parse_when(text: str, now: datetime) -> datetime:
    """The moment `text` names, with a zone; `now` is the local time to count from.
    Raises ValueError naming the accepted forms."""
    value = text.strip().lower()
    if value == "now":
        return now
    if value == "today":
        return start_of_day(now.date())
    if value == "yesterday":
        return start_of_day(now.date() - timedelta(days=1))
    age = _AGE.fullmatch(value)
    if age:
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))})
    try:
        if _CLOCK.fullmatch(value):
            clock = "0" + value if value.index(":") == 1 else value
            return datetime.combine(now.date(), time.fromisoformat(clock)).astimezone()
        if len(value) == 10:
            return start_of_day(date.fromisoformat(value))
        # Python 3.10 reads neither a lower-case "t" nor a "Z" for UTC.
        moment = datetime.fromisoformat(value.upper().removesuffix("Z") + ("+00:00" if value.endswith("z") else ""))
    except ValueError:
        raise ValueError(f"{text!r} is not a time: use {_FORMS}") from None
    return moment if moment.tzinfo is not None else moment.astimezone()
