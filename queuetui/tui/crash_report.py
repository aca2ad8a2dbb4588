"""The crash report the console shows instead of Textual's, which prints every frame's local variables: a frame of
the sign-in form or the client holds a secret in one. This one shows no locals and masks the secrets the app knows
in what remains."""

from __future__ import annotations

from collections.abc import Iterable

import rich
from rich.console import Console
from rich.segment import Segment, Segments
from rich.traceback import Traceback

from queuetui.api.text import mask_secret


def masked_traceback(console: Console, secrets: Iterable[str]) -> Segments:
    """The exception being handled, rendered by `console` without locals, each of `secrets` masked."""
    known = [secret for secret in secrets if secret]
    segments = []
    for segment in console.render(Traceback(show_locals=False, width=None, suppress=[rich])):
        text = segment.text
        for secret in known:
            text = text.replace(secret, mask_secret(secret))
        segments.append(Segment(text, segment.style, segment.control))
    return Segments(segments)
