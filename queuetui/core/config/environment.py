"""Which kind of DeepCall a profile points at; shown on screen so production is never mistaken for a demo."""

from __future__ import annotations

from enum import Enum


class Environment(str, Enum):
    PRODUCTION = "production"
    STAGING = "staging"
    TRAINING = "training"  # a simulator a trainer runs for a room (`queuetui sim`): real requests, not the demo
    # The simulator embedded in this process, and nothing else: decided by where a session's requests go, so no
    # config file may claim it (see `embedded`).
    DEMO = "demo"


# The embedded simulator's session is named after it, in the audit trail too: no profile of a config file may take the
# name, or its records would read as the demo's.
DEMO_PROFILE = Environment.DEMO.value
