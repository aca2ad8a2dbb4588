"""The offline install kit: the wheelhouse script's folder installs queuetui with no index at all, and the
installed command finds its built-in themes (the wheel carries every one, byte for byte)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILTIN_FILES = sorted((REPO / "themes").glob("*.toml"))


def offline_env() -> dict[str, str]:
    """pip with no config files and no extra wheel folders: only the wheelhouse may supply packages."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


@pytest.mark.slow
def test_wheelhouse_installs_offline_and_runs(tmp_path: Path):
    version = "{}.{}".format(*sys.version_info[:2])
    wheelhouse = tmp_path / "wheelhouse"
    subprocess.run(
        [str(REPO / "scripts" / "build-wheelhouse.sh"), version, str(wheelhouse)],
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
        timeout=600,
    )
    assert (wheelhouse / "SHA256SUMS").is_file()
    (wheel,) = wheelhouse.glob("queuetui-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            Path(name).name: archive.read(name) for name in archive.namelist() if name.startswith("queuetui/themes/")
        }
    assert shipped == {path.name: path.read_bytes() for path in BUILTIN_FILES}

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            str(wheelhouse),
            "queuetui",
        ],
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    # Run from outside the checkout so nothing can be imported from the source tree by accident.
    run_env = {**offline_env(), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    version_run = subprocess.run(
        [str(venv / "bin" / "queuetui"), "--version"], cwd=tmp_path, env=run_env, capture_output=True, text=True
    )
    assert version_run.returncode == 0, version_run.stderr
    assert version_run.stdout.startswith("queuetui ")

    themes_run = subprocess.run(
        [str(venv / "bin" / "queuetui"), "themes"], cwd=tmp_path, env=run_env, capture_output=True, text=True
    )
    assert themes_run.returncode == 0, themes_run.stderr
    assert themes_run.stderr == ""
    listed = {line.lstrip("* ").split()[0] for line in themes_run.stdout.splitlines() if " builtin " in line}
    assert listed == {path.stem for path in BUILTIN_FILES}
