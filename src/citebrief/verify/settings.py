"""The ``[verify]`` table of citebrief.toml: which support checker runs when no flag names one.

    [verify]
    checker = "llm"     # rules (default), rules-v1, lexical, cosine, llm

A command-line ``--checker`` wins over the file; the file wins over the default.
"""

from __future__ import annotations

from pathlib import Path

from ..config_file import read_table
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
    table = read_table(path, "verify")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [verify]: {', '.join(unknown)}; known: {', '.join(KEYS)}")
    if not isinstance(table.get("checker", ""), str):
        raise ConfigError(f"{path}: [verify] checker must be a string such as \"rules\" or \"llm\"")
    return table
