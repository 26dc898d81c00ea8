"""Printing data on the terminal (never as markup, never with control characters), and reading
and checking what the command line names (files, numbers) with errors that say how to fix them.

Titles, outlets, URLs, file names, questions and error reasons come from sources and users. Rich
reads "[/x]" in a string as a closing tag (a MarkupError that ended `add`), and an ESC sequence in a
title ("\\x1b[2J" clears the screen, "\\x1b]0;…" renames the window) reaches the terminal raw through
print(). Every CLI print of data goes through ``plain`` (for print and stdout) or ``styled`` (for a
rich console: Text objects are never parsed for markup or emoji codes).
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, TextIO

from ..clean import strip_controls
from ..errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.text import Text

_LINE_BREAKS_RE = re.compile(r"[\r\n\t]+")


def plain(value: object, *, one_line: bool = False) -> str:
    """``value`` as text safe for a terminal: escape sequences and control characters removed.

    Whole ESC sequences go ("\\x1b[31mRED" → "RED", not "[31mRED"); with ``one_line``, line breaks
    and tabs become one space so a field cannot break a listing's columns.
    """
    text = str(value)
    if one_line:
        text = _LINE_BREAKS_RE.sub(" ", text)
    return strip_controls(text)


def echo(text: object, *, file: TextIO | None = None) -> None:
    """print() a line of data, made ``plain``."""
    print(plain(text), file=file or sys.stdout)


def styled(*parts: object | tuple[object, str]) -> "Text":
    """A rich Text from parts: a part is data, or (data, style) — data is made ``plain``."""
    from rich.text import Text

    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(plain(part[0]), style=part[1])
        else:
            text.append(plain(part))
    return text


def say(console: "Console", *parts: object | tuple[object, str], end: str = "\n") -> None:
    """Print ``styled(*parts)`` on a rich console (soft-wrapped: long URLs stay whole)."""
    console.print(styled(*parts), soft_wrap=True, end=end)


def open_text(path: "Path", what: str) -> TextIO:
    """Open a UTF-8 text file named on the command line, or a UsageError naming it and the fix."""
    try:
        return open(path, encoding="utf-8-sig")  # noqa: SIM115  the caller streams it
    except FileNotFoundError:
        raise UsageError(f"{what} {plain(path)} does not exist — check the path") from None
    except OSError as exc:
        raise UsageError(f"{what} {plain(path)} cannot be read ({exc.strerror or exc}); "
                         "give a readable text file") from None


def not_utf8(what: str, path: object) -> UsageError:
    """The error for a text input that is not UTF-8."""
    return UsageError(f"{what} {plain(path)} is not UTF-8 text — re-save it as UTF-8 "
                      "(e.g. iconv -f latin1 -t utf-8 FILE)")


def read_text_file(path: "Path", what: str) -> str:
    """A whole UTF-8 text file named on the command line, or a UsageError naming it and the fix."""
    with open_text(path, what) as fh:
        try:
            return fh.read()
        except UnicodeDecodeError:
            raise not_utf8(what, path) from None


def finite(value: float | None, flag: str, *, unit: str, minimum: float = 0.0, inclusive: bool = False,
           maximum: float | None = None) -> float | None:
    """Check a number option: finite, above ``minimum`` (or at it with ``inclusive``), at most ``maximum``.

    "inf" and "nan" parse as floats: an infinite --delay waited forever, --max-size inf crashed.
    """
    import math

    if value is None:
        return None
    low_ok = value >= minimum if inclusive else value > minimum
    if not (math.isfinite(value) and low_ok and (maximum is None or value <= maximum)):
        bound = f"{minimum:g} or more" if inclusive else f"more than {minimum:g}"
        bound += f" and at most {maximum:g}" if maximum is not None else ""
        raise UsageError(f"{flag} must be a number of {unit}, {bound}; got {value:g}")
    return value
