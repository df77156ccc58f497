"""Runtime of the on-device int8 TFLite text classifier.

`TextClassifier.load(model_path, labels_path)` validates a model eagerly and refuses, with a
ModelError naming the file and the problem, anything it cannot trust: a missing, empty, truncated
or corrupt .tflite; a labels file that is not JSON or whose labels do not match the model's output;
inputs other than ids int32[1,256] + weights int8[1,256]; a float (not fully int8) model; a model
built for another featurizer version or table. The caller (filters/engine) then keeps filtering on
word lists alone and says so in each verdict.

The runtime does not verify the flatbuffer (a truncated file can crash the process), so the bytes
are first checked against the SHA-256 that labels.json records ("model_sha256", written by the
training recipe); a model without a recorded digest is parsed once in a child process instead.

The interpreter comes from `ai_edge_litert` where installed, else `tflite_runtime` (the device's
runtime). Each TextClassifier owns one single-threaded interpreter, created lazily (load() creates
it to validate); `predict` is thread-safe (a lock guards set_tensor/invoke/get_tensor).
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from filters.features import FEATURE_VERSION, MAX_FEATURES, N_BUCKETS, Featurizer, fold_table_digest

SAFE_LABEL = "safe"
_ALLOWED_DTYPES = {np.int8, np.int32}
PROBE_TIMEOUT_S = 60.0

# Run in a child process: the TFLite runtime does not verify a flatbuffer and may crash the
# process on a truncated or corrupt one, so unknown bytes are parsed there first.
_PROBE = """
import sys
try:
    from ai_edge_litert.interpreter import Interpreter
except ImportError:
    from tflite_runtime.interpreter import Interpreter
try:
    interp = Interpreter(model_content=sys.stdin.buffer.read(), num_threads=1)
except Exception as exc:
    print(exc, file=sys.stderr)
    sys.exit(3)
try:
    interp.allocate_tensors()
except Exception as exc:
    print(exc, file=sys.stderr)
    sys.exit(4)
"""
_PROBE_ALLOCATE_FAILED = 4  # parsed fine; the parent reports the shapes/types, then the allocation error


class ModelError(Exception):
    """The classifier model or its labels file cannot be used; the message says which file and why."""


def _interpreter_class() -> Any:
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        try:
            from tflite_runtime.interpreter import Interpreter
        except ImportError as exc:
            raise ModelError(
                "no TFLite runtime installed: install tflite-runtime (device) or ai-edge-litert"
            ) from exc
    return Interpreter


def read_labels(labels_path: Path) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Labels (in output order) and the whole labels.json document."""
    try:
        doc = json.loads(labels_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"labels file not found: {labels_path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"labels file {labels_path} is not readable UTF-8 JSON: {exc}") from exc
    labels = doc.get("labels") if isinstance(doc, dict) else doc
    if (
        not isinstance(labels, list)
        or not labels
        or not all(isinstance(x, str) and x for x in labels)
        or len(set(labels)) != len(labels)
    ):
        raise ModelError(f"labels file {labels_path}: 'labels' must be a list of distinct non-empty names")
    if SAFE_LABEL not in labels:
        raise ModelError(f"labels file {labels_path}: the labels must include {SAFE_LABEL!r}")
    return tuple(labels), doc if isinstance(doc, dict) else {"labels": labels}


def _check_featurizer(doc: dict[str, Any], labels_path: Path) -> None:
    feat = doc.get("featurizer")
    if feat is None:
        return  # a bare label list: nothing recorded to compare
    expected = {"version": FEATURE_VERSION, "n_buckets": N_BUCKETS, "max_features": MAX_FEATURES,
                "fold_sha256": fold_table_digest()}
    for key, want in expected.items():
        if key in feat and feat[key] != want:
            raise ModelError(
                f"labels file {labels_path}: the model was trained with featurizer {key}={feat[key]!r} "
                f"but filters/features.py has {want!r}; retrain with `make model`"
            )


def _probe(content: bytes, path: Path) -> None:
    """Parse and allocate the model in a child process; ModelError if that fails or crashes."""
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE], input=content, capture_output=True,
                              timeout=PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelError(f"model file {path} could not be checked: {exc}") from exc
    if proc.returncode < 0:
        raise ModelError(f"model file {path} is corrupt or truncated (the TFLite runtime crashed parsing it)")
    if proc.returncode not in (0, _PROBE_ALLOCATE_FAILED):
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ModelError(f"model file {path} is corrupt or unusable: {detail[-1] if detail else proc.returncode}")


class TextClassifier:
    """Scores a text over the model's labels: predict(text) -> {label: probability}."""

    def __init__(self, model_path: Path, labels: tuple[str, ...], model_sha256: str | None = None) -> None:
        self.model_path = Path(model_path)
        self.labels = labels
        self._sha256 = model_sha256
        self._featurizer = Featurizer()
        self._lock = threading.Lock()
        self._interp: Any = None
        self._io: tuple[int, int, int, float, int, float, int] | None = None

    @classmethod
    def load(cls, model_path: Path, labels_path: Path | None = None) -> TextClassifier:
        model_path = Path(model_path)
        labels_path = Path(labels_path) if labels_path is not None else model_path.with_name("labels.json")
        if not model_path.is_file():
            raise ModelError(f"model file not found: {model_path}")
        labels, doc = read_labels(labels_path)
        _check_featurizer(doc, labels_path)
        digest = doc.get("model_sha256")
        clf = cls(model_path, labels, digest if isinstance(digest, str) else None)
        with clf._lock:
            clf._ensure_interpreter()
        return clf

    def _ensure_interpreter(self) -> None:
        """Create and validate the interpreter (caller holds the lock)."""
        if self._interp is not None:
            return
        path = self.model_path
        try:
            content = path.read_bytes()
        except FileNotFoundError as exc:
            raise ModelError(f"model file not found: {path}") from exc
        except OSError as exc:
            raise ModelError(f"model file {path} cannot be read: {exc}") from exc
        if len(content) < 16 or content[4:8] != b"TFL3":
            raise ModelError(f"model file {path} is not a TFLite flatbuffer (empty, truncated or corrupt)")
        if struct.unpack_from("<I", content)[0] >= len(content):
            raise ModelError(f"model file {path} is truncated or corrupt (root offset past the end)")
        if self._sha256 is not None:
            if hashlib.sha256(content).hexdigest() != self._sha256:
                raise ModelError(
                    f"model file {path} does not match the model_sha256 in its labels file: "
                    "truncated, corrupt, or from another training run"
                )
        else:
            _probe(content, path)
        Interpreter = _interpreter_class()
        try:
            interp = Interpreter(model_content=content, num_threads=1)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"model file {path} is corrupt or truncated: {exc}") from exc
        io = self._validate(interp, path)  # shapes and types first: a wrong shape also fails allocation
        try:
            interp.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"model file {path} cannot be prepared (corrupt or inconsistent): {exc}") from exc
        self._io = io
        self._interp = interp

    def _validate(self, interp: Any, path: Path) -> tuple[int, int, int, float, int, float, int]:
        inputs = {d["name"]: d for d in interp.get_input_details()}
        outputs = interp.get_output_details()
        if set(inputs) != {"ids", "weights"}:
            raise ModelError(f"model file {path}: expected inputs 'ids' and 'weights', found {sorted(inputs)}")
        ids, weights = inputs["ids"], inputs["weights"]
        for d, dtype in ((ids, np.int32), (weights, np.int8)):
            if list(d["shape"]) != [1, MAX_FEATURES] or d["dtype"] is not dtype:
                raise ModelError(
                    f"model file {path}: input {d['name']!r} is {d['dtype'].__name__}{list(d['shape'])}, "
                    f"expected {dtype.__name__}[1, {MAX_FEATURES}] (wrong featurizer?)"
                )
        if len(outputs) != 1:
            raise ModelError(f"model file {path}: expected one output, found {len(outputs)}")
        out = outputs[0]
        if out["dtype"] is not np.int8:
            raise ModelError(f"model file {path}: output is {out['dtype'].__name__}, expected int8")
        if list(out["shape"]) != [1, len(self.labels)]:
            raise ModelError(
                f"model file {path}: output has shape {list(out['shape'])} but the labels file names "
                f"{len(self.labels)} labels"
            )
        floats = [d["name"] for d in interp.get_tensor_details() if d["dtype"] not in _ALLOWED_DTYPES]
        if floats:
            raise ModelError(f"model file {path} is not a full-integer int8 model (float tensors: {floats[:3]})")
        w_scale, w_zero = weights["quantization"]
        o_scale, o_zero = out["quantization"]
        if not w_scale or not o_scale:
            raise ModelError(f"model file {path}: int8 input/output lack quantisation parameters")
        return ids["index"], weights["index"], out["index"], float(w_scale), int(w_zero), float(o_scale), int(o_zero)

    def _invoke(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Probabilities (float32, in label order) for one packed window; caller holds the lock."""
        assert self._io is not None
        i_ids, i_w, i_out, w_scale, w_zero, o_scale, o_zero = self._io
        q = np.clip(np.rint(weights / w_scale) + w_zero, -128, 127).astype(np.int8)
        self._interp.set_tensor(i_ids, ids.reshape(1, MAX_FEATURES))
        self._interp.set_tensor(i_w, q.reshape(1, MAX_FEATURES))
        self._interp.invoke()
        raw = self._interp.get_tensor(i_out)[0].astype(np.float32)
        return (raw - o_zero) * o_scale

    def predict(self, text: str) -> dict[str, float]:
        """{label: probability}; for a text of several windows, the window least likely safe."""
        packed = self._featurizer.featurize(text)
        return self.predict_packed(packed)

    def predict_many(self, texts: list[str]) -> list[dict[str, float]]:
        """predict() for each text, in order: the same scores as calling predict per text."""
        return [self.predict_packed(self._featurizer.featurize(text)) for text in texts]

    def predict_packed(self, packed: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
        """predict() on already featurized windows (used by the benchmark to time the two parts)."""
        safe = self.labels.index(SAFE_LABEL)
        best: np.ndarray | None = None
        with self._lock:
            self._ensure_interpreter()
            for ids, weights in packed:
                probs = self._invoke(ids, weights)
                if best is None or probs[safe] < best[safe]:
                    best = probs
        assert best is not None
        return {label: float(p) for label, p in zip(self.labels, best, strict=True)}

    def top(self, scores: dict[str, float]) -> str:
        """The most probable label."""
        return max(self.labels, key=lambda label: scores[label])
