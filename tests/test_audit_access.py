"""No record, no request: `queuetui barge` against the simulator when the audit file cannot take the attempt
(a full disk, an append-only file at rotation, a read-only folder, a folder named like the next rotated file)
or is not the supervisor's alone (a link, a file others may read, another user's file). Each case: nothing
reaches the simulator, the message names the file and the fix, and barge exits 6. And the user a record names
is the kernel's, whatever LOGNAME says.

Some cases need root (to mount a small tmpfs, to set `chattr +a`, to give a file away, or to run the command as
a throwaway user): without it they are skipped, saying why."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import site
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import attempt_records, outcome_records, valid_request
from run_cli import barge_args, run_queuetui

import queuetui
from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.credentials import parse_credentials
from queuetui.core.audit.access import AuditWriteError
from queuetui.core.audit.files import rotated_name
from queuetui.core.audit.log import AuditLog
from queuetui.core.service import BargeService, OutcomeKind
from queuetui.sim import DEMO_SSID, SimServer

EXIT_AUDIT = 6
ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="needs root: to mount, chattr, chown or switch user")


@pytest.fixture
def barge(sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[str]]:
    monkeypatch.setenv("QUEUETUI_SSID", DEMO_SSID)

    def run(audit: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return run_queuetui(*barge_args(sim.url, "--audit-file", str(audit), *extra), in_process=True)

    return run


def assert_nothing_sent(done: subprocess.CompletedProcess[str], sim: SimServer, *fragments: str) -> None:
    assert done.returncode == EXIT_AUDIT, done.stderr
    assert sim.request_count == 0
    assert "Not sent:" in done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def full_trail(path: Path, max_bytes: int) -> None:
    """A trail whose current file has reached `max_bytes`: the next record rotates it."""
    log = AuditLog(path, max_bytes=0)
    while not path.exists() or path.stat().st_size < max_bytes:
        log.append({"call_id": "C-1", "outcome": "ok"})


@pytest.fixture
def rotating_profile(write_config: Callable[[str], Path], sim: SimServer) -> int:
    """The default profile rotates at a few hundred bytes; returns that size."""
    write_config(f'[profiles.default]\nbase_url = "{sim.url}"\naudit_max_bytes = 400\n')
    return 400


# ----- fail closed ---------------------------------------------------------------------------------------------


@needs_root
def test_a_full_disk_sends_nothing_and_leaves_no_torn_line(barge, sim, tmp_path: Path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        audit = disk / "audit.jsonl"
        log = AuditLog(audit)
        with contextlib.suppress(AuditWriteError):
            while True:  # small records fill the disk, to less than one of them
                log.append({"n": 1})
        before = audit.read_bytes()
        assert before.endswith(b"\n")
        done = barge(audit)
        assert_nothing_sent(done, sim, str(audit), "No space left on device")
        assert audit.read_bytes() == before  # the part of the attempt the disk took was taken back
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@needs_root
def test_an_append_only_file_due_for_rotation_sends_nothing(barge, sim, audit_path: Path, rotating_profile: int):
    full_trail(audit_path, rotating_profile)
    if subprocess.run(["chattr", "+a", str(audit_path)], capture_output=True).returncode != 0:
        pytest.skip("this file system does not keep the append-only flag")
    try:
        done = barge(audit_path)
    finally:
        subprocess.run(["chattr", "-a", str(audit_path)], check=True)
    assert_nothing_sent(done, sim, "it is marked append-only, so it cannot be rotated", f"chattr -a -i {audit_path}")


def test_a_folder_named_like_the_next_rotated_file_sends_nothing(barge, sim, audit_path: Path, rotating_profile: int):
    full_trail(audit_path, rotating_profile)
    rotated_name(audit_path, 1).mkdir()
    done = barge(audit_path)
    assert_nothing_sent(done, sim, "the next rotated file's name, audit.000001.jsonl, is taken", "move that away")


def test_a_rotation_blocked_mid_session_stops_the_next_request(sim, audit_path: Path):
    # Checked at sign-in and again at each record: a folder put in the way later is found at the rotation.
    log = AuditLog(audit_path, max_bytes=1500)
    service = BargeService(
        DeepCallClient(ClientSettings(base_url=sim.url)), parse_credentials(ssid=DEMO_SSID), audit=log
    )
    try:
        log.ensure_writable()
        rotated_name(audit_path, 1).mkdir()
        outcomes = [service.send(valid_request()) for _ in range(4)]
    finally:
        service.close()
    kinds = [outcome.kind for outcome in outcomes]
    sent = kinds.index(OutcomeKind.UNRECORDED)
    assert sent >= 1 and set(kinds[sent:]) == {OutcomeKind.UNRECORDED}  # from the first refusal on, none left
    assert sim.request_count == sent == len(attempt_records(audit_path))
    assert "audit.000001.jsonl, is taken" in outcomes[-1].message
    # A request that went out before the way was blocked keeps its attempt; its outcome may not have fitted.
    unrecorded_answers = [outcome for outcome in outcomes[:sent] if outcome.audit_problem]
    assert len(outcome_records(audit_path)) == sent - len(unrecorded_answers)


# ----- the file is the supervisor's alone ---------------------------------------------------------------------


def test_a_symbolic_link_is_refused_and_its_target_left_alone(barge, sim, tmp_path: Path):
    elsewhere = tmp_path / "notes.txt"
    elsewhere.write_text("someone else's notes\n")
    link = tmp_path / "audit.jsonl"
    link.symlink_to(elsewhere)
    done = barge(link)
    assert_nothing_sent(done, sim, f"{link}: it is a symbolic link, which is never followed", "give the real file")
    assert elsewhere.read_text() == "someone else's notes\n"


def test_a_file_others_may_read_is_refused_with_the_fix(barge, sim, audit_path: Path):
    audit_path.write_text("")
    audit_path.chmod(0o644)
    done = barge(audit_path)
    assert_nothing_sent(done, sim, "others may open it (mode 0644)", f"chmod 600 {audit_path}")
    audit_path.chmod(0o600)
    assert barge(audit_path).returncode == 0  # the fix it names is enough


@needs_root
def test_another_users_file_is_refused(barge, sim, audit_path: Path):
    audit_path.write_text("")
    audit_path.chmod(0o600)
    os.chown(audit_path, 65534, 65534)
    done = barge(audit_path)
    assert_nothing_sent(done, sim, "it belongs to user 65534, not to you", "use a file of your own (--audit-file)")


def test_folders_are_made_private_whatever_the_umask(barge, sim, tmp_path: Path):
    audit = tmp_path / "state" / "queuetui" / "audit.jsonl"
    old = os.umask(0)
    try:
        done = barge(audit)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(audit.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(audit.parent.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(audit.stat().st_mode) == 0o600


# ----- another user: a read-only folder, and who the record names ------------------------------------------------


@pytest.fixture(scope="module")
def stranger() -> Iterator[pwd.struct_passwd]:
    """A throwaway user, removed after these tests."""
    if not ROOT or shutil.which("useradd") is None or shutil.which("setpriv") is None:
        pytest.skip("needs root, useradd and setpriv to act as another user")
    name = f"qtui{os.getpid() % 100000}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", name], check=False)


def _python_for(user: pwd.struct_passwd) -> tuple[str, dict[str, str]]:
    """An interpreter `user` may run, and what it needs on its path to import queuetui and its dependencies."""
    candidates = [sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"]
    for python in candidates:
        if _as(user, ["test", "-x", python]).returncode == 0:
            packages = [str(Path(queuetui.__file__).parent.parent), *site.getsitepackages()]
            return python, {"PYTHONPATH": os.pathsep.join(packages)}
    pytest.skip(f"no interpreter of this Python's version that {user.pw_name} may run")


def _as(
    user: pwd.struct_passwd, command: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    switch = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    return subprocess.run([*switch, *command], capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.fixture
def their_folder(stranger: pwd.struct_passwd) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="qtui-"))
    os.chown(folder, stranger.pw_uid, stranger.pw_gid)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_as(user: pwd.struct_passwd, folder: Path, sim: SimServer, **env: str) -> subprocess.CompletedProcess[str]:
    python, path = _python_for(user)
    home = {"HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config"), "XDG_STATE_HOME": str(folder / "state")}
    environment = {"PATH": os.environ.get("PATH", ""), **path, **home, "QUEUETUI_SSID": DEMO_SSID, **env}
    audit = str(folder / "audit.jsonl")
    return _as(user, [python, "-m", "queuetui", *barge_args(sim.url, "--audit-file", audit)], environment)


def test_logname_root_as_another_user_records_the_real_user(stranger, their_folder: Path, sim: SimServer):
    done = run_as(stranger, their_folder, sim, LOGNAME="root", USER="root")
    assert done.returncode == 0, done.stderr
    for record in (json.loads(line) for line in (their_folder / "audit.jsonl").read_text().splitlines()):
        assert record["os_user"] == stranger.pw_name
        assert record["env_user"] == "LOGNAME=root"


def test_a_read_only_folder_sends_nothing(stranger, their_folder: Path, sim: SimServer):
    audit = their_folder / "audit.jsonl"
    assert run_as(stranger, their_folder, sim).returncode == 0  # the file exists, and is theirs
    sim.reset()
    their_folder.chmod(0o500)
    done = run_as(stranger, their_folder, sim)
    assert done.returncode == EXIT_AUDIT, done.stderr
    assert sim.request_count == 0
    assert f"{audit}: its folder is not writable, so it cannot be rotated" in done.stderr


def test_the_environment_never_names_the_user(barge, sim, audit_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LOGNAME", "asha.supervisor")
    assert barge(audit_path).returncode == 0
    real = pwd.getpwuid(os.geteuid()).pw_name
    for record in attempt_records(audit_path) + outcome_records(audit_path):
        assert (record["os_user"], record["env_user"]) == (real, "LOGNAME=asha.supervisor")
