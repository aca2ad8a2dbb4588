"""The config as text for `queuetui config show`, with every secret masked."""

from __future__ import annotations

from dataclasses import replace

import tomli_w

from queuetui.api.text import mask_secret
from queuetui.core.config import Settings, settings_data


def render_masked(settings: Settings) -> str:
    profiles = {
        name: replace(
            profile, ssid=profile.ssid and mask_secret(profile.ssid), token=profile.token and mask_secret(profile.token)
        )
        for name, profile in settings.profiles.items()
    }
    return tomli_w.dumps(settings_data(replace(settings, profiles=profiles)))
