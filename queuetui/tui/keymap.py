"""The user's `[keymap]`: binding ids mapped to keys, checked against the bindings the console really has.

An unknown id, or two bindings that would answer the same key on the same screen, is reported once with the
file and the key, and that entry is not used; the rest of the keymap still applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Scope:
    """One screen's bindings together with the app's: a key may mean one thing per scope."""

    name: str
    bindings: Sequence[BindingType]


@dataclass(frozen=True)
class CheckedKeymap:
    keymap: dict[str, str]
    problems: list[str]


def normalise(keys: str) -> list[str]:
    return [key.strip().lower() for key in keys.split(",") if key.strip()]


def _ids(scope: Scope) -> dict[str, Binding]:
    return {b.id: b for b in scope.bindings if isinstance(b, Binding) and b.id}


def check_keymap(keymap: Mapping[str, str], scopes: Sequence[Scope], where: str) -> CheckedKeymap:
    known: dict[str, Binding] = {}
    for scope in scopes:
        known.update(_ids(scope))
    problems: list[str] = []
    usable = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            problems.append(f"{where}: keymap.{binding_id}: no binding has this id (see F1 for the ids)")
        elif not isinstance(keys, str) or not normalise(keys):
            problems.append(f'{where}: keymap.{binding_id}: give keys as text, e.g. "f2,ctrl+o"')
        else:
            usable[binding_id] = ",".join(normalise(keys))
    for scope in scopes:
        owner: dict[str, str] = {}
        for binding_id, binding in _ids(scope).items():
            for key in normalise(usable.get(binding_id, binding.key)):
                other = owner.setdefault(key, binding_id)
                if other != binding_id and (binding_id in usable or other in usable):
                    remapped, kept = (binding_id, other) if binding_id in usable else (other, binding_id)
                    problems.append(
                        f"{where}: keymap.{remapped}: {key!r} is already {kept} on the {scope.name}; not used"
                    )
                    usable.pop(remapped, None)
    return CheckedKeymap(usable, problems)


def active_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    return keymap.get(binding.id or "", binding.key)
