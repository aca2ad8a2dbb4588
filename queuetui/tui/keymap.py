"""The user's `[keymap]`: binding ids mapped to keys, checked against the bindings the console really has.

Each key is read as Textual names it (`?` is `question_mark`, `Ctrl+O` is `ctrl+o`, `ctrl+m` is `enter`), so two
spellings of one key are one key. An unknown id, a key no keyboard sends, two bindings that would answer the same
key on the same screen, or a key that types text given to a binding that acts before the form's fields see it:
each is reported once with the file and the key, and that entry is not used; the rest of the keymap still applies.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import KEY_ALIASES, KEY_DISPLAY_ALIASES, Keys

# Textual's own naming of the key a character is typed with: the keymap must spell keys as key events do.
from queuetui.tui.textual_private import character_to_key

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
# Keys that type a character (letters, digits, punctuation, space) by the names key events give them.
_TYPING = frozenset(character_to_key(c) for c in string.printable if not c.isspace()) | {"space"}
# Every other key a terminal sends (f1, escape, pageup, ...): the part after any modifier in Textual's list.
_NAMED = frozenset(key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<"))
# Keys one terminal byte stands for two names of: Ctrl+M is Enter, Ctrl+I is Tab.
_SAME_AS = {alias: key for key, aliases in KEY_ALIASES.items() for alias in aliases}
# The names the footer shows (esc, pgup, del) name the keys too: they are what a supervisor reads.
_SHOWN_AS = {shown: key for key, shown in KEY_DISPLAY_ALIASES.items() if shown.isalpha()}


class BadKey(ValueError):
    """A key in the keymap that no terminal sends by that name."""


@dataclass(frozen=True)
class Scope:
    """One screen's bindings together with the app's: a key may mean one thing per scope. `has_fields`: text
    fields may have the focus while these bindings are active."""

    name: str
    bindings: Sequence[BindingType]
    has_fields: bool = False


@dataclass(frozen=True)
class CheckedKeymap:
    keymap: dict[str, str]
    problems: list[str]


def parse_key(written: str) -> str:
    """One key as the user wrote it, as Textual names it: `?` → question_mark, `Ctrl+O` and `^o` → ctrl+o, `esc` →
    escape, `L` stays `L`."""
    text = written.strip()
    if len(text) == 2 and text.startswith("^"):  # as F1 help shows Ctrl
        text = f"ctrl+{text[1]}"
    if len(text) == 1:
        key = character_to_key(text)
        return _SAME_AS.get(key, key)
    *modifiers, key = text.split("+")
    modifiers = [modifier.strip().lower() for modifier in modifiers]
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            raise BadKey(f"{written!r}: {modifier!r} is not a modifier (use {', '.join(MODIFIERS)})")
    if len(set(modifiers)) < len(modifiers):
        raise BadKey(f"{written!r}: a modifier is given twice")
    if not key:
        raise BadKey(f"{written!r}: no key after {'+'.join(modifiers)}+")
    if len(key) == 1:
        key = character_to_key(key.lower() if modifiers else key)
    elif key.lower() in _NAMED or key.lower() in _TYPING:
        key = key.lower()
    elif key.lower() in _SHOWN_AS:
        key = _SHOWN_AS[key.lower()]
    else:
        raise BadKey(f"{written!r}: no key is called {key!r} (e.g. f2, ctrl+o, escape, space, question_mark)")
    # Key events name their modifiers in alphabetical order (ctrl+shift+up): `shift+ctrl+x` would never match.
    name = "+".join([*sorted(modifiers), key])
    return _SAME_AS.get(name, name)


def parse_keys(written: str) -> dict[str, str]:
    """A comma-separated list of keys, each as `parse_key` reads it, with how it was written."""
    keys = {parse_key(key): key.strip() for key in written.split(",") if key.strip()}
    if not keys:
        raise BadKey('no key given, e.g. "f2,ctrl+o"')
    return keys


def types_text(key: str) -> bool:
    return key in _TYPING


def _ids(scope: Scope) -> dict[str, Binding]:
    return {b.id: b for b in scope.bindings if isinstance(b, Binding) and b.id}


def check_keymap(keymap: Mapping[str, str], scopes: Sequence[Scope], where: str) -> CheckedKeymap:
    known: dict[str, Binding] = {}
    for scope in scopes:
        known.update(_ids(scope))
    defaults = {binding_id: parse_keys(binding.key) for binding_id, binding in known.items()}
    problems: list[str] = []
    usable: dict[str, dict[str, str]] = {}  # binding id: its keys, each as written
    for binding_id, written in keymap.items():
        if binding_id not in known:
            problems.append(f"{where}: keymap.{binding_id}: no binding has this id (see F1 for the ids)")
            continue
        try:
            usable[binding_id] = parse_keys(written)
        except BadKey as bad:
            problems.append(f"{where}: keymap.{binding_id}: {bad}; not used")

    def added(binding_id: str, key: str) -> bool:
        """Whether the keymap gives `binding_id` a key its defaults do not have. Some bindings share a default
        key on purpose (Enter signs in on one screen and sends on another): writing it again adds no clash."""
        return binding_id in usable and key not in defaults[binding_id]

    for binding_id, keys in list(usable.items()):
        binding = known[binding_id]
        in_fields = binding.priority and any(binding_id in _ids(scope) for scope in scopes if scope.has_fields)
        typing = next((key for key in keys if types_text(key) and added(binding_id, key)), None)
        if in_fields and typing is not None:
            # A priority binding acts before the focused field sees the key: the character could never be typed.
            problems.append(
                f"{where}: keymap.{binding_id}: {keys[typing]!r} types text, and this key acts before the form's "
                "fields see it; use an F-key or ctrl+ a letter; not used"
            )
            del usable[binding_id]
    for scope in scopes:
        owner: dict[str, str] = {}
        for binding_id in _ids(scope):
            for key in usable.get(binding_id) or defaults[binding_id]:
                other = owner.setdefault(key, binding_id)
                if other == binding_id:
                    continue
                remapped, kept = (binding_id, other) if added(binding_id, key) else (other, binding_id)
                if added(remapped, key):
                    problems.append(
                        f"{where}: keymap.{remapped}: {usable[remapped][key]!r} is already {kept} on the "
                        f"{scope.name}; not used"
                    )
                    usable.pop(remapped)
    return CheckedKeymap({binding_id: ",".join(keys) for binding_id, keys in usable.items()}, problems)


def active_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    return keymap.get(binding.id or "", binding.key)
