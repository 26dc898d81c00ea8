"""citebrief: balanced research briefs in which every sentence cites the passage that supports it."""

from typing import TYPE_CHECKING

from .errors import CitebriefError

if TYPE_CHECKING:
    from .api import Corpus

__all__ = ["CitebriefError", "Corpus"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """``citebrief.Corpus`` on first use (PEP 562): every ``citebrief`` command imports this package,
    and most need neither the API nor what it imports."""
    if name == "Corpus":
        from .api import Corpus

        return Corpus
    raise AttributeError(f"module 'citebrief' has no attribute {name!r}")
