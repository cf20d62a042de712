"""The encoder of :mod:`crosscheck.semantic.bert` as an ONNX graph that onnxruntime runs.

numpy's OpenBLAS may be held to older matrix kernels than the CPU has (a machine can
pin ``OPENBLAS_CORETYPE``), and runs attention, GELU and layer norm as a dozen separate
passes. onnxruntime picks its kernels by what the CPU can do and fuses those passes: on
the benchmark machine MiniLM runs about twice as fast on one core, with vectors within
1e-6 of numpy's. The graph is built from the same :class:`~crosscheck.semantic.bert.BertWeights`,
so both engines read one set of model files; nothing is converted or written to disk.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from crosscheck.semantic.bert import BertWeights

NAME = "onnxruntime"
OPSET = 20  # the first with Gelu as a standard operator


def available() -> bool:
    """Whether onnxruntime and onnx (to build the graph) are installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


_GELU = {"gelu": "none", "gelu_new": "tanh", "gelu_pytorch_tanh": "tanh"}


def graph(weights: BertWeights) -> tuple[bytes, dict[str, np.ndarray]]:
    """The serialised ONNX model of :func:`crosscheck.semantic.bert.encode` (token ids and
    mask (batch, tokens) in, last hidden states (batch, tokens, hidden) out), and the
    weight arrays it names as external data: the session reads them from numpy's own
    memory, so the 90 MB of MiniLM are neither copied into the model nor serialised."""
    from onnx import TensorProto, helper, numpy_helper

    config = weights.config
    hidden, heads = config.hidden, config.heads
    constants: list[Any] = []
    external: dict[str, np.ndarray] = {}
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        value = np.asarray(value)
        if value.dtype != np.float32 or value.ndim == 0:  # shapes and scalars: a few bytes, inline
            constants.append(numpy_helper.from_array(value, name))
            return name
        external[name] = np.ascontiguousarray(value)
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=value.shape,
                             data_location=TensorProto.EXTERNAL)
        for key, text in (("location", f"numpy:{name}"), ("offset", "0"), ("length", str(value.nbytes))):
            tensor.external_data.add(key=key, value=text)
        constants.append(tensor)
        return name

    def op(kind: str, *inputs: str, **attributes: Any) -> str:
        out = f"n{len(nodes)}"
        nodes.append(helper.make_node(kind, list(inputs), [out], **attributes))
        return out

    def ints(name: str, *values: int) -> str:
        return const(name, np.array(values, dtype=np.int64))

    def dense(x: str, name: str, w: np.ndarray, b: np.ndarray) -> str:
        return op("Add", op("MatMul", x, const(f"{name}.w", w)), const(f"{name}.b", b))

    def norm(x: str, name: str, g: np.ndarray, b: np.ndarray) -> str:
        return op("LayerNormalization", x, const(f"{name}.g", g), const(f"{name}.b", b),
                  axis=-1, epsilon=config.layer_norm_eps)

    tokens = op("Unsqueeze", op("Gather", op("Shape", "ids"), const("second", np.int64(1))), ints("first", 0))
    positions = op("Slice", const("positions", weights.positions), ints("start", 0), tokens, ints("rows", 0))
    x = norm(op("Add", op("Gather", const("words", weights.words), "ids"), positions), "embeddings",
             weights.norm_g, weights.norm_b)
    # Padded keys get a large finite negative score, as in bert.encode (never -inf: no NaN rows).
    mask = op("Cast", "mask", to=TensorProto.FLOAT)
    mask_bias = op("Unsqueeze", op("Mul", op("Sub", mask, const("one", np.float32(1.0))), const("big", np.float32(1e9))),
                   ints("axes12", 1, 2))
    split_heads = ints("split_heads", 0, 0, heads, hidden // heads)
    merge_heads = ints("merge_heads", 0, 0, hidden)
    for i, layer in enumerate(weights.layers):
        qkv = dense(x, f"l{i}.qkv", layer.qkv_w, layer.qkv_b)  # the query third pre-scaled
        third = [op("Reshape", op("Slice", qkv, ints(f"l{i}.from{j}", j * hidden), ints(f"l{i}.to{j}", (j + 1) * hidden),
                                  ints(f"l{i}.axis{j}", 2)), split_heads) for j in range(3)]
        q = op("Transpose", third[0], perm=[0, 2, 1, 3])
        k = op("Transpose", third[1], perm=[0, 2, 3, 1])
        v = op("Transpose", third[2], perm=[0, 2, 1, 3])
        weights_ = op("Softmax", op("Add", op("MatMul", q, k), mask_bias), axis=-1)
        context = op("Reshape", op("Transpose", op("MatMul", weights_, v), perm=[0, 2, 1, 3]), merge_heads)
        x = norm(op("Add", dense(context, f"l{i}.out", layer.out_w, layer.out_b), x), f"l{i}.norm1",
                 layer.norm1_g, layer.norm1_b)
        up = dense(x, f"l{i}.up", layer.up_w, layer.up_b)
        active = op("Relu", up) if config.activation == "relu" else op("Gelu", up, approximate=_GELU[config.activation])
        x = norm(op("Add", dense(active, f"l{i}.down", layer.down_w, layer.down_b), x), f"l{i}.norm2",
                 layer.norm2_g, layer.norm2_b)
    nodes[-1].output[0] = "hidden"
    model = helper.make_model(
        helper.make_graph(
            nodes, "bert",
            [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"]) for name in ("ids", "mask")],
            [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
            initializer=constants,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = 9  # what onnxruntime 1.17 and later read
    return model.SerializeToString(), external


class OnnxEncoder:
    """``encode(ids, mask) -> hidden`` through onnxruntime, one thread per process.

    The session is made on first use, or by :meth:`ready` before processes fork so that
    they share it; a process forked before it was made makes its own.
    """

    def __init__(self, weights: BertWeights) -> None:
        self.weights = weights
        self._session: Any = None
        self._arrays: list[Any] = []  # the session reads the weights from these: they live as long as it

    def ready(self) -> None:
        if self._session is not None:
            return
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one per process: the pool gives each core its own
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: fusion notes are not the user's business
        model, external = graph(self.weights)
        self._arrays = [onnxruntime.OrtValue.ortvalue_from_numpy(array) for array in external.values()]
        options.add_external_initializers(list(external), self._arrays)
        self._session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        limit = self.weights.config.max_positions
        if ids.shape[1] > limit:
            raise ValueError(f"{ids.shape[1]} tokens exceed the model's {limit} positions")
        self.ready()
        return self._session.run(["hidden"], {"ids": ids.astype(np.int64, copy=False),
                                              "mask": mask.astype(np.int64, copy=False)})[0]
