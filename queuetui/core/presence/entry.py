"""What one console says its supervisor is on, and the floor's rows as a console sees them."""

from __future__ import annotations

from dataclasses import dataclass, field

from queuetui.api.text import printable

BARGE = "barge"


@dataclass(frozen=True)
class Identity:
    """Who a console speaks for: the kernel's name for its user, a display name from config, the host it runs
    on, and an id of its own so two consoles of one user are two rows."""

    console_id: str
    os_user: str
    display_name: str
    host: str

    def on(self, call_id: str, mode: str, since: float) -> Presence:
        return Presence(self.console_id, call_id, mode, since, self.os_user, self.display_name, self.host)


@dataclass(frozen=True)
class Presence:
    """One console's row: on `call_id` in `mode` since `since` (epoch seconds). `heartbeat` is when the store
    last heard from it; it is left out of comparisons so a view changes only when what it says changes."""

    console_id: str
    call_id: str
    mode: str
    since: float
    os_user: str
    display_name: str = ""
    host: str = ""
    heartbeat: float = field(default=0.0, compare=False)

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> Presence:
        """A row as both stores read it: the fields in order, the heartbeat last (epoch seconds)."""
        console_id, call_id, mode, since, os_user, display_name, host, heartbeat = row
        return cls(
            str(console_id),
            str(call_id),
            str(mode),
            float(str(since)),
            str(os_user),
            str(display_name),
            str(host),
            float(str(heartbeat)),
        )

    def claimed(self) -> tuple[str, str, str, float, str, str, str]:
        """What a console writes of its row, in the stores' column order (the store adds the heartbeat)."""
        return (self.console_id, self.call_id, self.mode, self.since, self.os_user, self.display_name, self.host)

    @property
    def who(self) -> str:
        """The name to show: the display name when there is one, else the OS user; text from a shared store is
        made safe for a terminal and kept short."""
        return printable(self.display_name or self.os_user, 24)

    def as_json(self) -> dict[str, object]:
        return {
            "call_id": self.call_id,
            "mode": self.mode,
            "os_user": self.os_user,
            "display_name": self.display_name,
            "host": self.host,
            "since": self.since,
        }


def age_words(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min"
    return f"{seconds // 3600:.0f} h"


def others_words(others: tuple[Presence, ...], now: float) -> str:
    """`asha (SPY, 2 min), ben (BARGE, 10 s)`: who else, in which mode, for how long."""
    return ", ".join(
        f"{other.who} ({printable(other.mode, 10).upper()}, {age_words(now - other.since)})" for other in others
    )


def also_on_words(others: tuple[Presence, ...], now: float) -> tuple[str, str, str, str]:
    """What the top line says of the others on the supervisor's call, longest first: "also on this call: asha
    (SPY, 2 min)", "also: asha (SPY, 2 min)", "+1: asha SPY" (for several, "+3: others, 1 BARGE") and, short
    enough to leave room for the environment badge beside a barge's long words, "+1" ("+1 BARGE")."""
    if not others:
        return "", "", "", ""
    if len(others) == 1:
        short = f"{others[0].who} {printable(others[0].mode, 10).upper()}"
    else:  # a name each would crowd out the call itself on a narrow line: how many, and whether any barges
        barging = sum(1 for other in others if other.mode == BARGE)
        short = "others" + (f", {barging} BARGE" if barging else "")
    words = others_words(others, now)
    count = f"+{len(others)}" + (" BARGE" if any(other.mode == BARGE for other in others) else "")
    return f"also on this call: {words}", f"also: {words}", f"+{len(others)}: {short}", count


UNAVAILABLE_WORDS = ("presence unavailable", "presence unavailable", "presence ?", "presence ?")


@dataclass(frozen=True)
class PresenceView:
    """The floor's rows other than this console's, as of the last read; immutable, so any thread may read it.

    `configured` is False when no store is set (presence off, nothing to show). `problem` is set while the
    store cannot be reached: the rows are then the last ones read, and may be out of date."""

    configured: bool = False
    rows: tuple[Presence, ...] = ()
    problem: str = ""
    loaded: bool = False

    @property
    def available(self) -> bool:
        return self.configured and not self.problem

    def others_on(self, call_id: str) -> tuple[Presence, ...]:
        if not self.available:
            return ()
        return tuple(row for row in self.rows if row.call_id == call_id)

    def barging(self, call_id: str) -> tuple[Presence, ...]:
        return tuple(row for row in self.others_on(call_id) if row.mode == BARGE)

    def calls_with_others(self) -> frozenset[str]:
        return frozenset(row.call_id for row in self.rows) if self.available else frozenset()

    def top_line_words(self, call_id: str | None, now: float) -> tuple[str, str, str, str]:
        """The top line's presence words, longest first: who else is on the supervisor's call (`call_id`), or that
        presence cannot be had now; nothing while presence is off or the supervisor is on no call."""
        if not self.configured:
            return "", "", "", ""
        if self.problem:
            return UNAVAILABLE_WORDS
        return also_on_words(self.others_on(call_id), now) if call_id is not None else ("", "", "", "")
