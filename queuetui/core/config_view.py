"""The config as text for `queuetui config show`, with every secret masked."""

from __future__ import annotations

import tomli_w

from queuetui.api.text import mask_secret
from queuetui.core.config import Settings


def render_masked(settings: Settings) -> str:
    data = settings.model_dump(mode="json")
    for profile in data.get("profiles", {}).values():
        for key in ("ssid", "token"):
            if profile.get(key):
                profile[key] = mask_secret(profile[key])
    return tomli_w.dumps(data)
