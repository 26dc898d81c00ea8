"""One table of citebrief.toml, read with errors that say how to fix the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError


def read_table(path: Path | None, name: str) -> dict[str, Any]:
    """The ``[name]`` table of the TOML file at ``path`` (empty without a file or without that table)."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `{name}` must be a table ([{name}]), not a {type(table).__name__}")
    return table
