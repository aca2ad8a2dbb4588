"""What the serve tests share."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    """Where a serve process under test writes its output."""
    folder = tmp_path / "serve"
    folder.mkdir()
    return folder
