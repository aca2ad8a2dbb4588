"""The config as text for `queuetui config show`: every setting in effect, defaults included, secrets masked."""

from __future__ import annotations

from typing import cast

import tomli_w

from queuetui.api.text import mask_secret
from queuetui.core.config.settings import Settings, in_effect


def render_masked(settings: Settings) -> str:
    data = cast(dict[str, object], in_effect(settings))
    for profile in cast(dict[str, dict[str, object]], data["profiles"]).values():
        for key in ("ssid", "token"):
            if profile[key]:
                profile[key] = mask_secret(str(profile[key]))
    return tomli_w.dumps(data)
