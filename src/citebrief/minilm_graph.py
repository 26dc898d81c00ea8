"""Build the weightless ONNX graph of all-MiniLM-L6-v2 (BERT encoder + mean pooling) with ``onnx``.

The graph names every weight as an *external* initializer: ``citebrief.minilm`` binds them at load
time from the bundled ``model.safetensors`` (``SessionOptions.add_external_initializers``), so the
shipped file ``data/minilm_l6.onnx`` is a few kilobytes of operators and shapes, and ``onnx`` (whose
import alone takes about a second) is needed only to regenerate it, never to embed:

    .venv/bin/python -m citebrief.minilm_graph        # rewrites src/citebrief/data/minilm_l6.onnx

``tests/test_embed.py`` rebuilds the graph and checks it equals the shipped one.

Per layer, as BertModel computes it (Devlin et al. 2019; Vaswani et al. 2017 for attention):
    a = softmax(Q Kᵀ / √32 + mask) V        12 heads of 32 dimensions; mask = −10⁹ on padding
    x = LayerNorm(x + a W_o + b_o)
    x = LayerNorm(x + GELU(x W_i + b_i) W_2 + b_2)      GELU exact: h · ½ (1 + erf(h / √2))
Pooling: the mean of the last hidden states over the real (unpadded) tokens; the caller
L2-normalises, as sentence-transformers' Normalize module does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GRAPH_PATH = Path(__file__).resolve().parent / "data" / "minilm_l6.onnx"
WEIGHTS_LOCATION = "model.safetensors"  # informative only: the runtime supplies every tensor itself
OPSET, IR_VERSION = 17, 8  # pinned so a newer onnx package rebuilds the identical graph


@dataclass(frozen=True, slots=True)
class BertShape:
    """The sizes of a BERT encoder (all-MiniLM-L6-v2's by default, from its config.json)."""

    vocab: int = 30522
    positions: int = 512
    hidden: int = 384
    heads: int = 12
    layers: int = 6
    intermediate: int = 1536
    eps: float = 1e-12


def initializer_shapes(shape: BertShape) -> dict[str, tuple[int, ...]]:
    """Name → shape of every weight the graph expects, in the layout ``minilm.graph_weights`` makes."""
    h, i = shape.hidden, shape.intermediate
    out: dict[str, tuple[int, ...]] = {"word": (shape.vocab, h), "position": (shape.positions, h),
                                       "emb_gamma": (h,), "emb_beta": (h,)}
    for n in range(shape.layers):
        out |= {f"l{n}.qkv_w": (h, 3 * h), f"l{n}.qkv_b": (3 * h,), f"l{n}.out_w": (h, h),
                f"l{n}.out_b": (h,), f"l{n}.ln1_gamma": (h,), f"l{n}.ln1_beta": (h,),
                f"l{n}.ff1_w": (h, i), f"l{n}.ff1_b": (i,), f"l{n}.ff2_w": (i, h), f"l{n}.ff2_b": (h,),
                f"l{n}.ln2_gamma": (h,), f"l{n}.ln2_beta": (h,)}
    return out


class _Builder:
    """Collects nodes and constants; every intermediate gets a readable, unique name."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list = []
        self.constants: list = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.constants.append(self.numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], name: str, **attrs) -> str:
        self.nodes.append(self.helper.make_node(op_type, inputs, [name], name=name, **attrs))
        return name


def _external(name: str, dims: tuple[int, ...]):
    """A float32 initializer whose data the runtime supplies (external data, no bytes in the file)."""
    from onnx import TensorProto

    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=list(dims),
                         data_location=TensorProto.EXTERNAL)
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", WEIGHTS_LOCATION
    return tensor


def _layer(b: _Builder, x: str, bias: str, n: int, shape: BertShape) -> str:
    """One encoder layer: self-attention, then the feed-forward block, each with a residual + LayerNorm."""
    p = f"l{n}."
    qkv = b.op("Add", [b.op("MatMul", [x, p + "qkv_w"], p + "qkv_mm"), p + "qkv_b"], p + "qkv")
    b.nodes.append(b.helper.make_node("Split", [qkv, "split_qkv"], [p + "q", p + "k", p + "v"],
                                      name=p + "split", axis=-1))
    q = b.op("Transpose", [b.op("Reshape", [p + "q", "heads_shape"], p + "q_r")], p + "q_t", perm=[0, 2, 1, 3])
    k = b.op("Transpose", [b.op("Reshape", [p + "k", "heads_shape"], p + "k_r")], p + "k_t", perm=[0, 2, 3, 1])
    v = b.op("Transpose", [b.op("Reshape", [p + "v", "heads_shape"], p + "v_r")], p + "v_t", perm=[0, 2, 1, 3])
    scores = b.op("Add", [b.op("Mul", [b.op("MatMul", [q, k], p + "qk"), "inv_sqrt_head"], p + "scaled"), bias],
                  p + "scores")
    probs = b.op("Softmax", [scores], p + "probs", axis=-1)
    ctx = b.op("Transpose", [b.op("MatMul", [probs, v], p + "ctx_h")], p + "ctx_t", perm=[0, 2, 1, 3])
    ctx = b.op("Reshape", [ctx, "hidden_shape"], p + "ctx")
    attn = b.op("Add", [b.op("MatMul", [ctx, p + "out_w"], p + "out_mm"), p + "out_b"], p + "attn")
    x = b.op("LayerNormalization", [b.op("Add", [x, attn], p + "res1"), p + "ln1_gamma", p + "ln1_beta"],
             p + "ln1", axis=-1, epsilon=shape.eps)
    hid = b.op("Add", [b.op("MatMul", [x, p + "ff1_w"], p + "ff1_mm"), p + "ff1_b"], p + "ff1")
    erf = b.op("Erf", [b.op("Mul", [hid, "inv_sqrt2"], p + "ff1_scaled")], p + "erf")
    gelu = b.op("Mul", [b.op("Mul", [hid, "half"], p + "half_h"), b.op("Add", [erf, "one"], p + "erf1")],
                p + "gelu")
    out = b.op("Add", [b.op("MatMul", [gelu, p + "ff2_w"], p + "ff2_mm"), p + "ff2_b"], p + "ff2")
    return b.op("LayerNormalization", [b.op("Add", [x, out], p + "res2"), p + "ln2_gamma", p + "ln2_beta"],
                p + "ln2", axis=-1, epsilon=shape.eps)


def build_graph(shape: BertShape = BertShape()):
    """The ONNX ModelProto: (input_ids, attention_mask) int64 [batch, seq] → mean-pooled [batch, hidden]."""
    from onnx import TensorProto, helper

    b = _Builder()
    head = shape.hidden // shape.heads
    b.const("heads_shape", np.array([0, 0, shape.heads, head], np.int64))  # 0 keeps that dimension
    b.const("hidden_shape", np.array([0, 0, shape.hidden], np.int64))
    b.const("split_qkv", np.array([shape.hidden] * 3, np.int64))
    b.const("inv_sqrt_head", np.array(1 / math.sqrt(head), np.float32))  # 1/√32 ≈ 0.1768
    b.const("inv_sqrt2", np.array(1 / math.sqrt(2), np.float32))
    b.const("half", np.array(0.5, np.float32))
    b.const("one", np.array(1.0, np.float32))
    b.const("masked", np.array(-1e9, np.float32))  # exp(-1e9 - max) = 0: padding gets no attention
    b.const("tiny", np.array(1e-9, np.float32))    # sentence-transformers' clamp of the token count
    for name, axes in (("axis0", [0]), ("axis1", [1]), ("axes12", [1, 2]), ("axis_last", [-1])):
        b.const(name, np.array(axes, np.int64))
    # Embeddings: word + position (+ token type 0, folded into the position table by the runtime).
    seq = b.op("Gather", [b.op("Shape", ["input_ids"], "ids_shape"), "axis1"], "seq_len")
    positions = b.op("Slice", ["position", "axis0", seq, "axis0"], "positions")
    x = b.op("Add", [b.op("Gather", ["word", "input_ids"], "words"), positions], "embedded")
    x = b.op("LayerNormalization", [x, "emb_gamma", "emb_beta"], "emb_ln", axis=-1, epsilon=shape.eps)
    mask = b.op("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    bias = b.op("Mul", [b.op("Sub", ["one", mask], "pad_f"), "masked"], "pad_bias")
    bias = b.op("Unsqueeze", [bias, "axes12"], "attn_bias")  # [batch, 1, 1, seq]
    for n in range(shape.layers):
        x = _layer(b, x, bias, n, shape)
    weighted = b.op("Mul", [x, b.op("Unsqueeze", [mask, "axis_last"], "mask_3d")], "masked_hidden")
    summed = b.op("ReduceSum", [weighted, "axis1"], "summed", keepdims=0)
    count = b.op("Max", [b.op("ReduceSum", [mask, "axis1"], "count", keepdims=1), "tiny"], "count_clamped")
    b.op("Div", [summed, count], "pooled")
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
              for n in ("input_ids", "attention_mask")]
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", shape.hidden])]
    weights = [_external(name, dims) for name, dims in initializer_shapes(shape).items()]
    graph = helper.make_graph(b.nodes, "all-MiniLM-L6-v2", inputs, outputs, weights + b.constants)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="citebrief.minilm_graph")
    model.ir_version = IR_VERSION
    return model


def check(model) -> None:
    """Run the ONNX checker (with full shape inference) on ``model``.

    The checker insists that external data exist as files beside the model, so it sees a copy in
    which the weights are graph inputs of the same names and shapes instead.
    """
    import onnx
    from onnx import TensorProto, helper

    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    external = [t for t in copy.graph.initializer if t.data_location == TensorProto.EXTERNAL]
    kept = [t for t in copy.graph.initializer if t.data_location != TensorProto.EXTERNAL]
    del copy.graph.initializer[:]
    copy.graph.initializer.extend(kept)
    copy.graph.input.extend(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in external)
    onnx.checker.check_model(copy, full_check=True)


def main() -> int:
    """Write the graph to ``GRAPH_PATH`` after the ONNX checker has accepted it."""
    model = build_graph()
    check(model)
    GRAPH_PATH.parent.mkdir(parents=True, exist_ok=True)
    GRAPH_PATH.write_bytes(model.SerializeToString())
    print(f"{GRAPH_PATH}: {GRAPH_PATH.stat().st_size:,} bytes, {len(model.graph.node)} nodes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
