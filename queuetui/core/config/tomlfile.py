"""Reading a TOML file with one clear line when it cannot be read (config and theme files alike)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from queuetui.api.text import printable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read_toml(path: Path, max_bytes: int | None = None) -> tuple[str, dict[str, Any]]:
    """The file's text and its table, or ValueError naming the file and what is wrong with it."""
    shown = printable(str(path), 300)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise ValueError(f"{shown}: larger than {max_bytes // 1024} KiB")
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except UnicodeDecodeError:
        raise ValueError(f"{shown}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{shown}: not valid TOML: {error}") from None
    except OSError as error:
        raise ValueError(f"{shown}: cannot be read ({error.strerror})") from None
