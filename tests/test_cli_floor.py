"""`queuetui floor who`: the floor's presence rows from the store the config (or QUEUETUI_PRESENCE) names, as a
table or JSON; presence off and an unreachable store are said, with their exit codes. The `presence` keys of
the config file: top level, a profile's override, a URL that names no store, a password never shown."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from run_cli import run_queuetui

from queuetui.core.config.settings import ConfigError, load_config
from queuetui.core.presence.entry import Identity
from queuetui.core.presence.sqlite_store import SqliteStore


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_floor_who_json_lists_each_console_on_a_call(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "floor.db"))
    store.publish(Identity("a", "asha", "Asha K", "jump1").on("C-10023", "spy", time.time() - 120))
    store.publish(Identity("b", "ben", "", "jump2").on("C-10017", "barge", time.time()))
    config = _config(tmp_path, f'presence = "sqlite://{tmp_path}/floor.db"\n')
    done = run_queuetui("floor", "who", "--json", "--config", str(config), in_process=True)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["call_id"], r["mode"], r["os_user"], r["display_name"], r["host"]) for r in rows] == [
        ("C-10023", "spy", "asha", "Asha K", "jump1"),
        ("C-10017", "barge", "ben", "", "jump2"),
    ]
    assert rows[0]["since"].endswith("+00:00")
    table = run_queuetui("floor", "who", "--config", str(config), in_process=True)
    assert table.stdout.splitlines()[1].split() == ["C-10017", "BARGE", "ben", "ben", "jump2", "0", "s"]
    assert "Asha K" in table.stdout and "2 min" in table.stdout
    assert "2 consoles on a call" in table.stdout


def test_the_profile_and_the_environment_override_the_top_level(tmp_path: Path) -> None:
    SqliteStore(str(tmp_path / "profile.db")).publish(Identity("a", "asha", "", "h").on("C-1", "spy", 1.0))
    config = _config(
        tmp_path,
        f'presence = "sqlite://{tmp_path}/top.db"\n[profiles.night]\npresence = "sqlite://{tmp_path}/profile.db"\n',
    )
    by_profile = run_queuetui("floor", "who", "--json", "--config", str(config), "--profile", "night")
    assert [r["call_id"] for r in json.loads(by_profile.stdout)] == ["C-1"]
    by_env = run_queuetui(
        "floor", "who", "--json", "--config", str(config), "--profile", "night",
        env={"QUEUETUI_PRESENCE": f"sqlite://{tmp_path}/top.db"},
    )  # fmt: skip
    assert json.loads(by_env.stdout) == []


def test_presence_off_and_a_store_out_of_reach(tmp_path: Path) -> None:
    off = run_queuetui("floor", "who", "--config", str(_config(tmp_path, "")), in_process=True)
    assert off.returncode == 2 and "presence is off" in off.stderr
    unreachable = _config(tmp_path, f'presence = "sqlite://{tmp_path}/no/such/dir/p.db"\n')
    gone = run_queuetui("floor", "who", "--config", str(unreachable), in_process=True)
    assert gone.returncode == 5 and "presence file" in gone.stderr


def test_the_config_keys(tmp_path: Path) -> None:
    settings = load_config(
        _config(tmp_path, 'presence = "sqlite:///var/lib/queuetui/p.db"\ndisplay_name = "Asha"\n')
    ).settings
    assert (settings.presence, settings.display_name) == ("sqlite:///var/lib/queuetui/p.db", "Asha")
    with pytest.raises(ConfigError, match=r"line 1, presence: must start sqlite:///"):
        load_config(_config(tmp_path, 'presence = "redis://x"\n'))
    with pytest.raises(ConfigError, match="absolute path"):
        load_config(_config(tmp_path, '[profiles.p]\npresence = "sqlite:"\n'))


def test_config_show_hides_a_servers_password(tmp_path: Path) -> None:
    config = _config(tmp_path, 'presence = "postgresql://sup:hunter2@db.example/floor"\n[profiles.p]\n')
    shown = run_queuetui("--config", str(config), "config", "show", in_process=True)
    assert "hunter2" not in shown.stdout
    assert "postgresql://sup:••••@db.example/floor" in shown.stdout
