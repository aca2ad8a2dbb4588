"""The demo's one scripted colleague: another supervisor listening to the call the tour starts on, so a trainee
sees what presence looks like. The store is a file in a private temporary folder of this process: the demo
shares nothing with a real floor."""

from __future__ import annotations

import shutil
import tempfile

from queuetui.api.modes import SnoopType
from queuetui.core.presence.entry import Identity
from queuetui.core.presence.opening import open_store
from queuetui.core.presence.watch import PresenceWatch

COLLEAGUE = Identity("demo-colleague", "dana", "Dana", "training-room")
COLLEAGUE_CALL = "C-10023"
# How long the colleague has been listening when the demo opens.
LISTENING_FOR_S = 150.0


class DemoPresence:
    def __init__(self, now: float) -> None:
        self.folder = tempfile.mkdtemp(prefix="queuetui-demo-presence-")
        self.url = f"sqlite://{self.folder}/presence.db"
        url = self.url
        self.colleague = PresenceWatch(lambda: open_store(url), COLLEAGUE)
        self.colleague.claim(COLLEAGUE_CALL, SnoopType.SPY.value, now - LISTENING_FOR_S)
        self.colleague.start()

    def close(self) -> None:
        self.colleague.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
