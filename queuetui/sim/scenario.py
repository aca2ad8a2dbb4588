"""The simulated call centre: demo credentials, live calls and the rules a request is judged by.

From the seed: the fields, the three snoop types, the success text. From the notes: the error object and the
codes. Assumed (the API does not publish it): which code each mistake gets, that the target must be the
call's agent, that a call can stay "in processing" (1501) for a few requests, and the shape of the live list
(`queue/list`), which follows the client's documented default mapping.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from queuetui.api.modes import SnoopType
from queuetui.sim.floor import Floor

# Demo credentials are public by design: they open nothing but this simulator.
DEMO_SSID = "demo-ssid-5f0c9e1a2b"
DEMO_USER_ID = "demo"
DEMO_TOKEN = "demo-token-7d41c3e9"
# Credentials accepted but without monitoring rights, to show "permission denied".
RESTRICTED_SSID = "demo-ssid-restricted"

SUCCESS_TEXT = "sucessfully BARGINGCall"  # the server's own spelling, from the seed


@dataclass(frozen=True)
class LiveCall:
    """A scripted call: live for as long as the simulator runs, whatever the floor's traffic does."""

    call_id: str
    agent: str
    queue: str
    customer: str
    # How many requests answer 1501 ("still processing") before the call accepts a supervisor;
    # -1 means it never does.
    processing_for: int = 0
    agent_name: str = ""
    state: str = "talking"
    running_s: int = 0  # how long the call had been going when the simulator started


DEFAULT_CALLS: tuple[LiveCall, ...] = (
    LiveCall("C-10023", "13", "billing", "+919800011023", agent_name="Asha", running_s=252),
    LiveCall("C-10017", "7", "support", "+919800011017", agent_name="Ben", running_s=63),
    LiveCall("C-10031", "21", "sales", "+919800011031", agent_name="Chen", running_s=5, state="ringing"),
    LiveCall("C-10042", "4", "support", "+919800011042", agent_name="Dina", running_s=418, state="on hold"),
    LiveCall("C-10050", "9", "billing", "+919800011050", processing_for=2, agent_name="Emil", running_s=131),
    LiveCall("C-10066", "30", "sales", "+919800011066", processing_for=-1, agent_name="Farah", running_s=77),
)


def _scripted_agents(opened: float) -> tuple[tuple[str, str, str, float, None, int, int], ...]:
    """Agents off the traffic's rota: one whose break has gone on long, one signed out."""
    return (
        ("17", "Gita", "break", opened - 1500, None, 11, 0),
        ("22", "Hari", "offline", opened - 5400, None, 4, 2),
    )


@dataclass(frozen=True)
class Verdict:
    """Either success (code None) or a DeepCall error code with its message."""

    code: int | None
    message: str = SUCCESS_TEXT

    @property
    def ok(self) -> bool:
        return self.code is None


_DIGITS = re.compile(r"\+?[0-9]{6,15}", re.ASCII)
_REQUIRED = ("callId", "snoopType", "targetEntityType", "targetEntityVal", "snooperNumber")


@dataclass
class Scenario:
    calls: dict[str, LiveCall] = field(default_factory=lambda: {c.call_id: c for c in DEFAULT_CALLS})
    # The credentials this call centre accepts; tests give unique ones to hunt for leaks.
    ssid: str = DEMO_SSID
    user_id: str = DEMO_USER_ID
    token: str = DEMO_TOKEN
    # Calls that start, ring, get answered and end around the scripted ones.
    floor: Floor = field(default_factory=Floor)
    _polls: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def judge(self, body: object) -> Verdict:
        if not isinstance(body, dict):
            return Verdict(1047, "Invalid request data: body must be a JSON object")
        auth = self._check_auth(body)
        if auth is not None:
            return auth
        for name in _REQUIRED:
            value = body.get(name)
            if not isinstance(value, str) or not value.strip():
                return Verdict(1000, f"Invalid parameter: {name} is required")
        if body["snoopType"] not in {mode.value for mode in SnoopType}:
            return Verdict(1502, "Invalid filter value: snoopType must be spy, whisper or barge")
        if body["targetEntityType"] != "agent":
            return Verdict(1502, "Invalid filter value: targetEntityType must be agent")
        if not _DIGITS.fullmatch(str(body["snooperNumber"])):
            return Verdict(1005, "Invalid contact number")
        call_id = str(body["callId"])
        call = self.calls.get(call_id)
        if call is None:
            return self._judge_floor_call(call_id, body["targetEntityVal"])
        if call.agent != body["targetEntityVal"]:
            return _wrong_agent(call_id)
        return self._processing(call)

    def _judge_floor_call(self, call_id: str, target: object) -> Verdict:
        call = self.floor.find(call_id)
        if call is not None:
            return Verdict(None) if call.agent == target else _wrong_agent(call_id)
        if self.floor.has_ended(call_id):
            # Assumed: the real server's answer for a call that has ended is not published; "no data found"
            # (1012) is the closest code it has.
            return Verdict(1012, f"No data found: call {call_id} has ended")
        return Verdict(1012, "No data found: no live call with that callId")

    def live_list(self, body: object) -> Verdict | list[dict[str, object]]:
        """`queue/list`: every call on the floor, scripted ones first, in the default shape the client assumes
        (the Push Report webhook's field names; `masterAgent` a number, as there). Same authentication as
        bargingCall; any other field of the body is ignored."""
        if not isinstance(body, dict):
            return Verdict(1047, "Invalid request data: body must be a JSON object")
        auth = self._check_auth(body)
        if auth is not None:
            return auth
        opened = self.floor.started_at
        items = [
            _item(c.call_id, c.agent, c.agent_name, c.customer, c.queue, c.state, opened - c.running_s)
            for c in self.calls.values()
        ]
        items += [
            _item(c.call_id, c.agent, c.agent_name, c.customer, c.queue, state, c.started_at)
            for c, state in self.floor.live()
        ]
        return items

    def floor_stats(self, body: object) -> Verdict | dict[str, object]:
        """`liveQueue/count`: the floor's figures in the default shape the client assumes (its fields are not
        published): callers waiting, the longest wait in seconds, the service level in percent."""
        refused = self._refused(body)
        if refused is not None:
            return refused
        waiting, longest, level = self.floor.queue_now()
        return {"waiting": waiting, "longestWait": longest, "serviceLevel": None if level is None else round(level, 1)}

    def agents_live(self, body: object) -> Verdict | list[dict[str, object]]:
        """`Agent/live`: every agent with state, since when, the call they are on and today's counts, in the
        default shape the client assumes (its fields are not published; agent ids as text, as the one published
        body has them). The scripted calls' agents come first, then two who are not on the traffic's rota."""
        refused = self._refused(body)
        if refused is not None:
            return refused
        opened = self.floor.started_at
        items = [
            _agent(c.agent, c.agent_name, "on a call", opened - c.running_s, c.call_id, 9, 1)
            for c in self.calls.values()
        ]
        items += [_agent(*agent) for agent in _scripted_agents(opened)]
        items += [
            _agent(a.agent, a.name, a.state, a.since, a.call_id, a.handled, a.missed) for a in self.floor.agents_now()
        ]
        return items

    def _refused(self, body: object) -> Verdict | None:
        if not isinstance(body, dict):
            return Verdict(1047, "Invalid request data: body must be a JSON object")
        return self._check_auth(body)

    def _check_auth(self, body: dict[str, object]) -> Verdict | None:
        has_ssid = "ssid" in body
        has_token = "userId" in body or "token" in body
        if has_ssid and has_token:
            return Verdict(1000, "Authentication invalid: send ssid, or userId and token, not both")
        if has_ssid:
            if body["ssid"] == RESTRICTED_SSID:
                return Verdict(1015, "Permission denied")
            if body["ssid"] != self.ssid:
                return Verdict(1014, "Invalid or expired session")
            return None
        if has_token:
            if not body.get("userId"):
                return Verdict(1002, "userId not provided")
            if not body.get("token"):
                return Verdict(1020, "Token not found")
            if body["userId"] != self.user_id or body["token"] != self.token:
                return Verdict(1014, "Invalid or expired token")
            return None
        return Verdict(1000, "Authentication invalid: ssid or userId and token required")

    def _processing(self, call: LiveCall) -> Verdict:
        if call.processing_for == 0:
            return Verdict(None)
        with self._lock:
            seen = self._polls.get(call.call_id, 0)
            self._polls[call.call_id] = seen + 1
        if call.processing_for < 0 or seen < call.processing_for:
            return Verdict(1501, "Data already in processing")
        return Verdict(None)

    def reset(self) -> None:
        with self._lock:
            self._polls.clear()
        self.floor.restart()


def _wrong_agent(call_id: str) -> Verdict:
    return Verdict(1502, f"Invalid filter value: targetEntityVal does not match the agent on {call_id}")


def _item(
    call_id: str, agent: str, name: str, customer: str, queue: str, state: str, started_at: float
) -> dict[str, object]:
    return {
        "callId": call_id,
        "masterAgent": int(agent) if agent.isascii() and agent.isdigit() else agent,
        "agentName": name,
        "cNumber": customer,
        "campId": queue,
        "state": state,
        "startTime": int(started_at),
    }


def _agent(
    agent: str, name: str, state: str, since: float, call_id: str | None, handled: int, missed: int
) -> dict[str, object]:
    return {
        "agentId": agent,
        "agentName": name,
        "status": state,
        "statusSince": int(since),
        "callId": call_id,
        "handled": handled,
        "missed": missed,
    }
