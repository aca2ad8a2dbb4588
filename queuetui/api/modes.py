"""The three snoop types, in a module of their own: the console and the config need them before the request
model."""

from __future__ import annotations

from enum import Enum


class SnoopType(str, Enum):
    """How the supervisor joins the call (the seed's three values)."""

    SPY = "spy"
    WHISPER = "whisper"
    BARGE = "barge"

    @property
    def heard_by(self) -> str:
        return {
            SnoopType.SPY: "nobody hears you",
            SnoopType.WHISPER: "the agent hears you",
            SnoopType.BARGE: "agent AND customer hear you",
        }[self]
