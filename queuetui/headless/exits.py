"""Exit codes shared by every headless command, so a script can treat `barge`, `calls` and `audit` alike."""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_INTACT = 1  # audit verify: the trail was changed, cut short or damaged
EXIT_USAGE = 2  # usage or validation error, or refused before sending: nothing was sent
EXIT_AUTH = 3  # the server refused the credentials: sign in again
EXIT_API = 4  # another DeepCall API error (its code is printed)
EXIT_NETWORK = 5  # network or protocol error
EXIT_AUDIT = 6  # the audit trail cannot be written: nothing was sent
EXIT_ALARM = 7  # calls --fail-on-alarm: the floor is past an alarm level
EXIT_SIGNAL_BASE = 128  # stopped by signal N: 128 + N, as a shell reports it (130 for Ctrl+C)
