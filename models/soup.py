"""Weight-averaged training ("soup"): one shared start, several fine-tuned copies, their float weights averaged.

Sessions 9 and 10 found that two seeds of one recipe differ on the held-out hate and benign sets as much as two
recipes do, so every chosen seed lost somewhere. A soup reduces that variance inside ONE network of the shipped
shape and cost: the base is trained `base_epochs` epochs from one seed; each copy starts from the base's weights
and continues with its own data order and dropout seed (early stopping on the same validation rows, best epoch
kept); the copies' float weights are averaged element-wise and the average is what gets quantised. Averaging only
works from a shared start (the copies stay in one basin); independent runs are never averaged.

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


def train_soup(make_model: Callable[[], object], fit: Callable[[object, int, int], dict],
               evaluate: Callable[[object], float], base_seed: int, copy_seeds: list[int], base_epochs: int,
               copy_epochs: int, set_seed: Callable[[int], None] | None = None) -> SoupResult:
    """Train the shared base, then one copy per seed, and average them.

    make_model() -> a compiled Keras model; fit(model, seed, epochs) trains it in place (the caller sets the seed,
    data order and early stopping) and returns its Keras history dict; evaluate(model) -> validation loss;
    set_seed(seed) seeds every random generator before a model is made (default: keras.utils.set_random_seed)."""
    if set_seed is None:
        import keras

        set_seed = keras.utils.set_random_seed
    set_seed(base_seed)
    base = make_model()
    fit(base, base_seed, base_epochs)
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
