"""The `[profiles.NAME.live_calls]` table: defaults, validation when the profile loads (naming key and file),
unknown keys reported and kept, and saving without freezing the defaults into the file."""

from __future__ import annotations

import dataclasses

import pytest

from queuetui.core.config.settings import ConfigError, Profile, load_config, to_toml
from queuetui.core.floor.config import LiveCallFields, LiveCallsConfig

ISSUE_EXAMPLE = """
[profiles.floor]
base_url = "https://v4-api.deepcall.com/api/v2"

[profiles.floor.live_calls]
source = "deepcall"
path = "queue/list"
body = { }
items = "/data"
refresh_s = 3
command = ["/opt/floor/live-calls", "--json"]

[profiles.floor.live_calls.fields]
call_id = "/callId"
agent = "/masterAgent"
customer = "/cNumber"
queue = "/campId"
"""


def test_a_real_profile_has_no_live_list_until_it_says_so():
    config = Profile().live_calls
    assert config.source == "none"
    assert (config.path, config.items, config.refresh_s, config.body, config.command) == (
        "queue/list",
        "/data",
        3,
        {},
        [],
    )
    fields = config.fields
    assert (fields.call_id, fields.agent, fields.customer, fields.queue) == (
        "/callId",
        "/masterAgent",
        "/cNumber",
        "/campId",
    )
    assert (fields.agent_name, fields.state, fields.started_at) == ("", "", "")


def test_the_issue_example_loads(write_config):
    loaded = load_config(write_config(ISSUE_EXAMPLE))
    assert loaded.warnings == []
    config = loaded.settings.profiles["floor"].live_calls
    assert config.source == "deepcall"
    assert config.command == ["/opt/floor/live-calls", "--json"]


def test_nested_pointers_and_extra_body_fields_load(write_config):
    text = """
[profiles.floor.live_calls]
source = "deepcall"
path = "v2.1/liveCalls"
body = { filter = [{ campId = "billing" }], page = 1 }
items = "/result/live~1calls"
[profiles.floor.live_calls.fields]
agent = "/agent/id"
agent_name = "/agent/name"
started_at = "/times/0"
"""
    config = load_config(write_config(text)).settings.profiles["floor"].live_calls
    assert config.body == {"filter": [{"campId": "billing"}], "page": 1}
    assert config.fields.agent == "/agent/id"


@pytest.mark.parametrize(
    ("table", "line", "key", "fragment"),
    [
        ('[profiles.floor.live_calls.fields]\nagent = "masterAgent"', 3, "live_calls.fields.agent", "'/masterAgent'"),
        ('[profiles.floor.live_calls.fields]\nqueue = "/a~2b"', 3, "live_calls.fields.queue", "~ must be followed"),
        ('[profiles.floor.live_calls.fields]\ncall_id = ""', 3, "live_calls.fields.call_id", "is required"),
        ('[profiles.floor.live_calls]\nitems = "data"', 3, "live_calls.items", "JSON Pointer"),
        ('[profiles.floor.live_calls]\npath = "/queue/list"', 3, "live_calls.path", "must look like queue/list"),
        ('[profiles.floor.live_calls]\npath = "../admin"', 3, "live_calls.path", "must look like queue/list"),
        ('[profiles.floor.live_calls]\npath = "queue/list?x=1"', 3, "live_calls.path", "must look like"),
        ('[profiles.floor.live_calls]\nsource = "webhook"', 3, "live_calls.source", "deepcall"),
        ("[profiles.floor.live_calls]\nrefresh_s = 0", 3, "live_calls.refresh_s", "at least 0.5"),
        ('[profiles.floor.live_calls]\nbody = { ssid = "abc" }', 3, "live_calls.body", "must not hold ssid"),
        ("[profiles.floor.live_calls]\nbody = { when = 1979-05-27 }", None, "live_calls.body.when", "JSON value"),
        ('[profiles.floor.live_calls]\nsource = "command"', None, "profiles.floor.live_calls", "command is required"),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_key_and_the_file(write_config, table, line, key, fragment):
    path = write_config("\n" + table + "\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert key in message
    assert fragment in message
    if line is not None:
        assert f"line {line}," in message


def test_unknown_keys_in_the_table_are_reported_and_kept(write_config):
    text = (
        '[profiles.floor.live_calls]\nsource = "deepcall"\npoll = 9\n[profiles.floor.live_calls.fields]\nagnet = "/x"\n'
    )
    loaded = load_config(write_config(text))
    assert [w.split(": ", 1)[1] for w in loaded.warnings] == [
        "unknown key 'profiles.floor.live_calls.poll' (kept, not used)",
        "unknown key 'profiles.floor.live_calls.fields.agnet' (kept, not used)",
    ]
    saved = to_toml(loaded.settings)
    assert "poll = 9" in saved
    assert 'agnet = "/x"' in saved


def test_saving_writes_only_what_the_file_set(write_config, tmp_path):
    loaded = load_config(write_config('[profiles.floor.live_calls]\nsource = "deepcall"\n[profiles.plain]\n'))
    saved = to_toml(loaded.settings)
    assert '[profiles.floor.live_calls]\nsource = "deepcall"\n' in saved
    assert "masterAgent" not in saved  # an assumed default stays a default, not a frozen copy
    assert "[profiles.plain.live_calls]" not in saved
    again = tmp_path / "again.toml"
    again.write_text(saved)
    assert load_config(again).settings.profiles["floor"].live_calls == loaded.settings.profiles["floor"].live_calls


def test_saving_keeps_what_the_file_set_even_where_it_equals_the_default(write_config):
    # An administrator who pinned today's assumed mapping keeps it: a later default must not change their list.
    text = (
        '[profiles.floor.live_calls]\nsource = "none"\nrefresh_s = 3.0\n'
        '[profiles.floor.live_calls.fields]\ncall_id = "/callId"\n'
    )
    saved = to_toml(load_config(write_config(text)).settings)
    assert '[profiles.floor.live_calls]\nsource = "none"\nrefresh_s = 3.0\n' in saved
    assert '[profiles.floor.live_calls.fields]\ncall_id = "/callId"\n' in saved
    assert "masterAgent" not in saved


def test_a_mapping_built_in_code_is_checked_too_and_cannot_be_changed_after():
    with pytest.raises(ValueError, match="JSON Pointer"):
        LiveCallsConfig(items="data")
    with pytest.raises(ValueError, match="JSON Pointer"):
        LiveCallFields(state="state")
    with pytest.raises(dataclasses.FrozenInstanceError):
        LiveCallsConfig().items = "/other"  # type: ignore[misc]
