"""Weight-averaged training ("soup"): one shared start, several fine-tuned copies, their float weights averaged.

Sessions 9 and 10 found that two seeds of one recipe differ on the held-out hate and benign sets as much as two
recipes do, so every chosen seed lost somewhere. A soup reduces that variance inside ONE network of the shipped
shape and cost: the base is trained `base_epochs` epochs from one seed; each copy starts from the base's weights
and continues with its own data order and dropout seed (early stopping on the same validation rows, best epoch
kept); the copies' float weights are averaged element-wise and the average is what gets quantised. Averaging only
works from a shared start (the copies stay in one basin); independent runs are never averaged.

A shipped int8 model can be the shared start instead of a freshly trained base (`--soup-start MODEL.tflite`):
its weights are dequantised (weights_from_tflite) and the copies fine-tune from there.

Used by models/train.py when `--soup K` is given (off by default: SOUP_COPIES there is 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class SoupResult:
    """The averaged model, each copy's float weights and validation loss, and the soup's own validation loss."""

    model: object
    parts: list[list[np.ndarray]] = field(default_factory=list)
    part_val_loss: list[float] = field(default_factory=list)
    part_best_epoch: list[int] = field(default_factory=list)
    base_val_loss: float = float("nan")
    val_loss: float = float("nan")


def average_weights(parts: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Element-wise mean of several weight lists of one architecture."""
    if not parts:
        raise ValueError("no weights to average")
    if len({len(p) for p in parts}) != 1:
        raise ValueError("weight lists of different architectures")
    out = []
    for tensors in zip(*parts, strict=True):
        if len({t.shape for t in tensors}) != 1:
            raise ValueError("weight tensors of different shapes")
        out.append(np.mean(np.stack(tensors), axis=0).astype(tensors[0].dtype))
    return out


def weights_from_tflite(path) -> list[np.ndarray]:
    """The float weights (Keras order: embedding, hidden kernel and bias, output kernel and bias) of an int8 model
    exported by models/network.to_tflite, dequantised with each tensor's scales (per tensor or per channel).
    Reads the file with the device's interpreter (filters/classifier.py), so no tensorflow is needed."""
    from filters.classifier import _interpreter_class

    interpreter = _interpreter_class()(model_path=str(path))
    interpreter.allocate_tensors()
    by_shape: dict[tuple[int, ...], list[dict]] = {}
    for detail in interpreter.get_tensor_details():
        if detail["dtype"] in (np.int8, np.int32) and len(detail["quantization_parameters"]["scales"]):
            by_shape.setdefault(tuple(int(x) for x in detail["shape"]), []).append(detail)

    def value(detail: dict) -> np.ndarray:
        q = detail["quantization_parameters"]
        raw = interpreter.get_tensor(detail["index"]).astype(np.float32)
        scales, zeros = q["scales"].astype(np.float32), q["zero_points"].astype(np.float32)
        if len(scales) > 1:  # per output channel (axis 0)
            shape = (-1,) + (1,) * (raw.ndim - 1)
            return (raw - zeros.reshape(shape)) * scales.reshape(shape)
        return (raw - zeros[0]) * scales[0]

    def one(shape: tuple[int, ...], dtype) -> np.ndarray:
        found = [d for d in by_shape.get(shape, []) if d["dtype"] == dtype and d["name"] != "ids"]
        consts = [d for d in found if "pseudo_qconst" in d["name"] or "const" in d["name"].lower()] or found
        if len(consts) != 1:
            raise ValueError(f"{path}: not the kidsafe network (no single {dtype.__name__} tensor {list(shape)})")
        return value(consts[0])

    emb_shape = next((s for s in by_shape if len(s) == 2 and s[0] > 10_000), None)
    hid_bias = [s for s in by_shape if len(s) == 1 and s[0] > 16]
    out_bias = [s for s in by_shape if len(s) == 1 and s[0] <= 16]
    if emb_shape is None or len(hid_bias) != 1 or len(out_bias) != 1:
        raise ValueError(f"{path}: not the kidsafe network")
    dim, hidden, labels = emb_shape[1], hid_bias[0][0], out_bias[0][0]
    return [one(emb_shape, np.int8),
            one((hidden, dim), np.int8).T.copy(), one((hidden,), np.int32),  # TFLite stores [out, in]
            one((labels, hidden), np.int8).T.copy(), one((labels,), np.int32)]


def train_soup(make_model: Callable[[], object], fit: Callable[[object, int, int], dict],
               evaluate: Callable[[object], float], base_seed: int, copy_seeds: list[int], base_epochs: int,
               copy_epochs: int, set_seed: Callable[[int], None] | None = None,
               start: list[np.ndarray] | None = None) -> SoupResult:
    """Train the shared base (or take `start`, e.g. a shipped model's weights), then one copy per seed, and
    average them.

    make_model() -> a compiled Keras model; fit(model, seed, epochs) trains it in place (the caller sets the seed,
    data order and early stopping) and returns its Keras history dict; evaluate(model) -> validation loss;
    set_seed(seed) seeds every random generator before a model is made (default: keras.utils.set_random_seed)."""
    if set_seed is None:
        import keras

        set_seed = keras.utils.set_random_seed
    set_seed(base_seed)
    base = make_model()
    if start is None:
        fit(base, base_seed, base_epochs)
    else:
        base.set_weights(start)
        base_epochs = 0
    start = base.get_weights()
    result = SoupResult(model=base, base_val_loss=evaluate(base))
    print(f"  soup base: {base_epochs} epochs, validation loss {result.base_val_loss:.5f}", flush=True)
    for seed in copy_seeds:
        set_seed(seed)
        copy = make_model()
        copy.set_weights(start)
        history = fit(copy, seed, copy_epochs)
        result.parts.append(copy.get_weights())
        result.part_val_loss.append(round(evaluate(copy), 5))
        losses = history.get("val_loss") or [float("nan")]
        result.part_best_epoch.append(base_epochs + int(np.nanargmin(losses)) + 1)
        print(f"  soup copy seed {seed}: validation loss {result.part_val_loss[-1]} "
              f"(epoch {result.part_best_epoch[-1]})", flush=True)
    soup = make_model()
    soup.set_weights(average_weights(result.parts))
    result.model = soup
    result.val_loss = round(evaluate(soup), 5)
    print(f"  soup of {len(copy_seeds)} copies: validation loss {result.val_loss}", flush=True)
    return result
