"""Which kind of DeepCall a profile points at; shown on screen so production is never mistaken for a demo."""

from __future__ import annotations

from enum import Enum


class Environment(str, Enum):
    PRODUCTION = "production"
    STAGING = "staging"
    DEMO = "demo"
