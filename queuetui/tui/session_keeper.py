"""Which session the console shows, adopted in one place whichever way it was opened: the demo start-up brought,
the login screen's demo button, or a sign-in (through `SignIn`, which owns the sign-in screen). Adopting closes the
session before, hands the new one to the console (`attach`) and tells the config what to remember; signing out
closes it and shows the sign-in screen. The embedded demo's simulator is kept too, to stop it at exit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.app import App

from queuetui.tui.config_keeper import ConfigKeeper
from queuetui.tui.key_gate import KeyGate
from queuetui.tui.options import Launch
from queuetui.tui.sign_in import SignIn
from queuetui.tui.startup import demo_intro

if TYPE_CHECKING:
    from queuetui.core.demo import Demo
    from queuetui.core.session import Session
    from queuetui.sim import SimServer
    from queuetui.tui.voice import Voice


@dataclass(eq=False, kw_only=True)
class SessionKeeper:
    app: App[None]
    launch: Launch
    config: ConfigKeeper
    attach: Callable[[Session | None], None]  # the console shows this session, or none
    voice: Voice
    key_gate: KeyGate
    session: Session | None = field(default=None, init=False)
    demo_sim: SimServer | None = field(default=None, init=False)
    sign_in: SignIn = field(init=False)

    def __post_init__(self) -> None:
        report = self.voice.report
        self.sign_in = SignIn(self.app, self.launch, self.config, self.key_gate, report, self.adopt, self._demo)

    def _demo(self) -> SimServer | None:
        return self.demo_sim

    def adopt_demo(self, demo: Demo) -> None:
        """Sign in to the embedded simulator's session; its intro goes to the log the first time."""
        if self.demo_sim is None:
            self.demo_sim = demo.sim
            for line in demo_intro(demo.sim):
                self.voice.log("info", line)
        self.adopt(demo.session, remember=False, checked=False)

    def open_demo(self) -> None:
        """From the login screen: start the embedded simulator (once) and sign in to it."""
        from queuetui.core.demo import open_demo
        from queuetui.core.session import SessionRefused
        from queuetui.tui.boot import seams_of

        config = self.config
        try:
            demo = open_demo(
                config.profile,
                config.audit_path,
                seams_of(self.launch),
                sim=self.demo_sim,
                colleague=self.launch.demo_colleague,
            )
        except SessionRefused as refused:
            self.sign_in.refused(refused.label, refused.message)
            return
        self.adopt_demo(demo)

    def adopt(self, session: Session, remember: bool, checked: bool) -> None:
        """Show `session` in the console; `checked` when the server has accepted its credentials already."""
        if self.session is not None:
            self.session.close()
        self.session = session
        if self.sign_in.on_top() is not None:
            self.app.pop_screen()
        if checked:
            session.credentials_accepted()
        self.config.share_presence(session)
        self.attach(session)
        self.voice.report(
            "info",
            f"Signed in to {session.host} ({session.environment.value}) as {session.credentials.identity}: "
            + (
                "the live list accepted the credentials"
                if checked
                else "credentials kept; the first action checks them"
            ),
        )
        self.config.signed_in(session, remember)

    def sign_out(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None
        self.config.signed_out()
        self.attach(None)
        self.voice.report("info", "Signed out")
        self.sign_in.show("Signed out")

    def close(self) -> None:
        """At exit: the session, and the demo's simulator."""
        if self.session is not None:
            self.session.close()
        if self.demo_sim is not None:
            self.demo_sim.stop()
