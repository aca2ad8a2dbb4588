"""Small text helpers shared by every layer: masking secrets and neutralising terminal control sequences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_BULLET = "\u2022"

# C0/C1 controls, DEL, and the Unicode format characters (bidi overrides, zero-width joiners) that can
# reorder or hide text on a terminal. Escape sequences start with ESC (a C0 control), so they are covered.
# Lone surrogates (JSON's "\ud800" decodes to one) cannot be encoded, so writing them out would fail.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_NON_DIGITS = re.compile(r"[^0-9]")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ANSI_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def has_unsafe_chars(value: str) -> bool:
    """True when the text holds a control or format character (an escape sequence included)."""
    return any(unicodedata.category(ch) in _UNSAFE_CATEGORIES for ch in value)


def printable(value: str, limit: int = 500) -> str:
    """Text from outside (a server, a file) made safe to show: escape sequences dropped, other control
    characters shown as U+FFFD, long text cut with an ellipsis."""
    without_sequences = _ANSI_SEQUENCE.sub("", value)
    cleaned = "".join(
        " " if ch in "\t\r\n" else ("\ufffd" if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch)
        for ch in without_sequences
    )
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        return cleaned[: limit - 1] + "\u2026"
    return cleaned


def mask_secret(secret: str) -> str:
    """A secret shown as bullets and, when long enough that the tail reveals little, its last four characters."""
    if len(secret) >= 12:
        return _BULLET * 4 + secret[-4:]
    return _BULLET * 4


def terminal_safe(text: str) -> str:
    """Multi-line text from outside made safe to print as it is: line breaks and tabs kept, escape sequences
    dropped, every other control or format character shown as U+FFFD. For dumps a person reads whole."""
    without_sequences = _ANSI_SEQUENCE.sub("", text).replace("\r\n", "\n")
    if without_sequences.isascii():  # the usual JSON dump, megabytes long: no per-character lookups
        return _ASCII_CONTROLS.sub("\ufffd", without_sequences)
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in _UNSAFE_CATEGORIES else "\ufffd"
        for ch in without_sequences
    )


def without_secrets(text: str, secrets: Iterable[str]) -> str:
    """Text with every given secret masked: a server may echo what it was sent."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, mask_secret(secret))
    return text


def mask_customer(number: str) -> str:
    """A customer's number as the floor sees it: bullets and the last four digits, nothing else (neither the
    length nor the country code). Empty when the text holds no digit (a withheld number)."""
    digits = _NON_DIGITS.sub("", number)
    return _BULLET * 4 + digits[-4:] if digits else ""


def mask_phone(number: str) -> str:
    """A phone number with its middle hidden: enough to recognise one's own number, not to dial it."""
    digits = number.lstrip("+")
    prefix = "+" if number.startswith("+") else ""
    if len(digits) <= 5:
        return prefix + _BULLET * len(digits)
    return prefix + digits[:2] + _BULLET * (len(digits) - 5) + digits[-3:]
