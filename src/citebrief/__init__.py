"""citebrief: balanced research briefs in which every sentence cites the passage that supports it."""

from .api import Corpus
from .errors import CitebriefError

__all__ = ["CitebriefError", "Corpus"]
__version__ = "0.1.0"
