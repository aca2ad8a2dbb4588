"""What an action picked from a stale live list says of that list, in its notice and in its audit record (read
back by `queuetui audit`, which loads nothing of the poller for it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaleList:
    """A stale list an action was picked from, said in the action's notice and kept in its audit record. Its age
    counts from the last list that came, whatever happened since: a source that hangs has missed no refresh by
    count, yet its list is as old. `age_s` is None when no list ever came."""

    age_s: float | None

    @property
    def words(self) -> str:
        return "the list never answered" if self.age_s is None else f"list {self.age_s:.0f} s old"

    def caution(self, mode: str, call_id: str) -> str:
        return f"{mode.upper()} on {call_id} from a stale list ({self.words}): the call may have moved or ended"

    def record(self) -> dict[str, object]:
        """The audit record's field: whole seconds, as the notice says them; null when no list ever came."""
        return {"list_age_s": None if self.age_s is None else round(self.age_s)}
