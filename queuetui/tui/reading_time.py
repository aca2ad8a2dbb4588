"""How long a notice stays: long enough to read it once, at the pace of someone also watching the floor."""

from __future__ import annotations

# Words a second, slower than a reader at rest: a supervisor reads a notice between other things.
_WORDS_PER_SECOND = 3.0
# Seconds to find the notice before reading it.
_TO_FIND_IT = 2.0


def seconds_to_read(message: str, at_least: float) -> float:
    """Seconds a notice holding `message` stays on screen, never less than `at_least`."""
    return max(at_least, _TO_FIND_IT + len(message.split()) / _WORDS_PER_SECOND)
