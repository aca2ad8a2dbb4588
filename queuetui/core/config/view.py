"""The config as text for `queuetui config show`: every setting in effect, defaults included, secrets masked."""

from __future__ import annotations

from typing import cast

import tomli_w

from queuetui.api.text import mask_secret
from queuetui.core.config.settings import Settings, in_effect
from queuetui.core.presence.setting import shown_url


def render_masked(settings: Settings) -> str:
    data = cast(dict[str, object], in_effect(settings))
    data["presence"] = shown_url(settings.presence)  # a server's URL may carry its password
    for profile in cast(dict[str, dict[str, object]], data["profiles"]).values():
        profile["presence"] = shown_url(str(profile["presence"]))
        for key in ("ssid", "token"):
            if profile[key]:
                profile[key] = mask_secret(str(profile[key]))
    return tomli_w.dumps(data)
