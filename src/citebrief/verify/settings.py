"""The ``[verify]`` table of citebrief.toml: which support checker runs when no flag names one.

    [verify]
    checker = "llm"     # rules (default), rules-v1, lexical, cosine, llm

A command-line ``--checker`` wins over the file; the file wins over the default.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..errors import ConfigError, UsageError

DEFAULT_CHECKER = "rules"
KEYS = ("checker",)


def chosen_checker(flag: str | None, toml_path: Path | None) -> str:
    """The checker name: ``flag``, else ``checker`` in [verify] of ``toml_path``, else the default."""
    from ..plugins import Kind, load
    from . import CHECKERS, MODEL_CHECKERS, checker_choices

    if flag:
        name, where = flag, "--checker"
    else:
        table = _table(toml_path)
        name, where = table.get("checker", DEFAULT_CHECKER), f"{toml_path} [verify]"
    if name not in CHECKERS and name not in MODEL_CHECKERS and load(Kind.CHECKERS, name) is None:
        error = UsageError if flag else ConfigError  # a bad flag is a usage error (exit 2)
        raise error(f"unknown support checker {name!r} (from {where}); choose one of: {checker_choices()}")
    return name


def _table(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    table = data.get("verify", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `verify` must be a table ([verify]), not a {type(table).__name__}")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [verify]: {', '.join(unknown)}; known: {', '.join(KEYS)}")
    if not isinstance(table.get("checker", ""), str):
        raise ConfigError(f"{path}: [verify] checker must be a string such as \"rules\" or \"llm\"")
    return table
