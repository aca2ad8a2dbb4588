"""What the console does with the floor's thresholds: the health line kept up to date, a new alarm said once in the
log (and to syslog when the profile copies there), the terminal's bell rung for it (once, again only while it is not
acknowledged, as the profile's `[alerts]` say), and `a` acknowledging every alarm now on."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queuetui.core.floor.alerts import AlarmBell, AlertsConfig
    from queuetui.core.floor.assess import FloorView
    from queuetui.tui.widgets.health_line import HealthLine


class FloorAlarms:
    def __init__(
        self,
        health: Callable[[], HealthLine],
        log_line: Callable[[str, str], None],
        ring: Callable[[], None],
        to_syslog: Callable[[dict[str, object]], object],
    ) -> None:
        self._health = health
        self._log_line = log_line
        self._ring = ring
        self._to_syslog = to_syslog
        self._config: AlertsConfig | None = None
        self._bell: AlarmBell | None = None
        self.view: FloorView | None = None

    def attach(self, config: AlertsConfig | None) -> None:
        """A new session's thresholds (None: signed out); what the last one rang is forgotten."""
        self._config, self._bell, self.view = config, None, None
        health = self._health()
        health.show(None, 0)
        health.display = config is not None

    def show(self, view: FloorView | None) -> None:
        """A refresh's view of the floor (None: not judged yet)."""
        if view is None or self._config is None:
            return
        self.view = view
        if self._bell is None:
            from queuetui.core.floor.alerts import AlarmBell

            self._bell = AlarmBell(self._config.bell_repeat_s)
        ringing = self._bell.ring(view.breaches, time.monotonic())
        for breach, new in ringing:
            if new:
                self._log_line("warning", f"{breach.level.glyph}{breach.words} (a: acknowledge)")
                self._to_syslog({**breach.as_json(), "words": breach.words})
        if ringing and self._config.bell:
            self._ring()
        self._show_line()

    def acknowledge(self) -> int:
        """Acknowledge every alarm now on: the bell does not ring again for them. How many were new to it."""
        if self._bell is None:
            return 0
        count = self._bell.acknowledge()
        self._show_line()
        return count

    @property
    def unacknowledged(self) -> int:
        return self._bell.unacknowledged if self._bell is not None else 0

    def _show_line(self) -> None:
        view = self.view
        if view is None:
            return
        alarms = sum(1 for breach in view.breaches if breach.level.words == "ALARM")
        self._health().show(view, alarms - self.unacknowledged)
