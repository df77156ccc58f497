"""Runtime of the on-device int8 TFLite text classifier.

`TextClassifier.load(model_path, labels_path)` validates a model eagerly and refuses, with a
ModelError naming the file and the problem, anything it cannot trust: a missing, empty, truncated
or corrupt .tflite; a labels file that is not JSON or whose labels do not match the model's output;
inputs other than ids int32[B,256] + scale int8[B,1] with a dynamic batch B; a float (not fully
int8) model; a model built for another featurizer version or table; a calibration file
(calibration.json beside the model, written by models/calibrate.py) that is unreadable, names
unknown labels, holds thresholds outside (0, 1] or a window exponent outside [0, 4], or belongs to
another model, or whose "group_thresholds" (filters/group_mention.py) are malformed. A labels file whose
"featurizer" records "pinyin_syllables": true gets a featurizer with the syllable namespace
(filters/feature_pinyin.py), checked against the syllable table's digest. The caller
(filters/engine) then keeps filtering on word lists alone and says so in each verdict.

Scoring is batched: `predict_many(texts)` featurizes every window of every text at once
(filters/features.slots_many: the model's input written by the hashing itself), sorts the windows by id
count and invokes them in groups of at most MAX_BATCH, each group's "ids" input only as wide as its
largest count (a 20-character window then costs about a fifth of a 256-wide one; the int8 sum does not
see the padding, so the scores are those of the 256-wide input, which tests check); `predict(text)` is
predict_many([text])[0], which for one text skips the batch machinery (`_predict_one`: one invoke, same
scores). Each text reports its window least likely safe. The int8 "scale" input depends only on the
window's id count, so it comes from a table of 257 values built at load.

The runtime does not verify the flatbuffer (a truncated file can crash the process), so the bytes
are first checked against the SHA-256 that labels.json records ("model_sha256", written by the
training recipe); a model without a recorded digest is parsed once in a child process instead.

The interpreter comes from `ai_edge_litert` where installed, else `tflite_runtime` (the device's
runtime). Each TextClassifier owns one single-threaded interpreter, created lazily (load() creates
it to validate); `predict`/`predict_many` are thread-safe (a lock guards resize/set/invoke/get).
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from filters.feature_batch import distinct_ids, text_window_slots
from filters.features import (
    FEATURE_VERSION,
    MAX_FEATURES,
    N_BUCKETS,
    PINYIN_KEY,
    SYLLABLE_DIGEST_KEY,
    WINDOW_CHARS,
    Featurizer,
    fold_table_digest,
)
from filters.group_mention import parse_group_thresholds

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


def _check_featurizer(doc: dict[str, Any], labels_path: Path) -> bool:
    """Refuse a model trained on other features; True if it was trained with the pinyin syllables."""
    feat = doc.get("featurizer")
    if feat is None:
        return False  # a bare label list: nothing recorded to compare
    if not isinstance(feat, dict):
        raise ModelError(f"labels file {labels_path}: 'featurizer' must be an object")
    pinyin = feat.get(PINYIN_KEY, False)
    if not isinstance(pinyin, bool):
        raise ModelError(f"labels file {labels_path}: featurizer {PINYIN_KEY!r} must be true or false")
    expected = {"version": FEATURE_VERSION, "n_buckets": N_BUCKETS, "max_features": MAX_FEATURES,
                "fold_sha256": fold_table_digest()}
    if pinyin:
        from filters.feature_pinyin import syllable_digest

        expected[SYLLABLE_DIGEST_KEY] = syllable_digest()
    for key, want in expected.items():
        if key in feat and feat[key] != want:
            raise ModelError(
                f"labels file {labels_path}: the model was trained with featurizer {key}={feat[key]!r} "
                f"but filters/features.py has {want!r}; retrain with `make model`"
            )
    return pinyin


def _probe(content: bytes, path: Path) -> None:
    """Parse and allocate the model in a child process; ModelError if that fails or crashes."""
    import subprocess  # here: only a model without a recorded digest is probed (~3 ms of every start-up)

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


def read_calibration(path: Path, labels: tuple[str, ...], model_sha256: str | None) -> dict[str, float]:
    """Per-label thresholds from a calibration file; {} when there is none. ModelError when it is bad."""
    return read_calibration_doc(path, labels, model_sha256)[0]


MAX_WINDOW_EXPONENT = 4.0  # models/long_text.py searches [0, 2]; more would make long texts unblockable


def read_calibration_doc(path: Path, labels: tuple[str, ...],
                         model_sha256: str | None) -> tuple[dict[str, float], float]:
    """(per-label thresholds, window exponent) from a calibration file; ({}, 0.0) when there is none, and
    exponent 0.0 (no long-text rule, filters/fusion.py) when the file predates it. ModelError when bad."""
    if not path.exists():
        return {}, 0.0
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"calibration file {path} is not readable UTF-8 JSON: {exc}") from exc
    thresholds = doc.get("thresholds") if isinstance(doc, dict) else None
    if not isinstance(thresholds, dict) or not thresholds:
        raise ModelError(f"calibration file {path}: 'thresholds' must be an object {{label: probability}}")
    out: dict[str, float] = {}
    for label, value in thresholds.items():
        if label not in labels or label == SAFE_LABEL:
            raise ModelError(f"calibration file {path}: {label!r} is not a harmful label of the model")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < float(value) <= 1.0:
            raise ModelError(f"calibration file {path}: threshold of {label!r} must be a number in (0, 1]")
        out[label] = float(value)
    exponent = doc.get("window_exponent", 0.0)
    if (isinstance(exponent, bool) or not isinstance(exponent, int | float)
            or not 0.0 <= float(exponent) <= MAX_WINDOW_EXPONENT):
        raise ModelError(f"calibration file {path}: 'window_exponent' must be a number in [0, {MAX_WINDOW_EXPONENT:g}]")
    recorded = doc.get("model_sha256")
    if model_sha256 is not None and recorded is not None and recorded != model_sha256:
        raise ModelError(f"calibration file {path} was made for another model (model_sha256 differs); "
                         "re-run `make model`")
    return out, float(exponent)


def read_group_thresholds(path: Path, labels: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """calibration.json's "group_thresholds" (filters/group_mention.py); {} when absent. ModelError when bad."""
    if not path.exists():
        return {}
    try:
        return parse_group_thresholds(json.loads(path.read_text(encoding="utf-8")), labels)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ModelError(f"calibration file {path}: {exc}") from exc


class TextClassifier:
    """Scores texts over the model's labels: predict(text) -> {label: probability}."""

    MAX_BATCH = 64  # windows per invoke: groups of similar id counts pad less (64: -14% invoke CPU vs 256)
    WIDTH_STEP = 8  # id columns are trimmed to a multiple of this (fewer distinct shapes to resize to)

    def __init__(self, model_path: Path, labels: tuple[str, ...], model_sha256: str | None = None,
                 thresholds: dict[str, float] | None = None, pinyin: bool = False) -> None:
        self.model_path = Path(model_path)
        self.labels = labels
        self.thresholds: dict[str, float] = dict(thresholds or {})
        self.window_exponent = 0.0  # calibration.json "window_exponent": long texts' thresholds (filters/fusion.py)
        # calibration.json "group_thresholds": {label: {language: threshold}} for texts naming a group (fusion.py)
        self.group_thresholds: dict[str, dict[str, float]] = {}
        self._sha256 = model_sha256
        self._featurizer = Featurizer(pinyin=pinyin)  # pinyin: the labels file's featurizer says so
        self._safe = labels.index(SAFE_LABEL)
        self._lock = threading.Lock()
        self._interp: Any = None
        self._io: tuple[int, int, int, float, int] | None = None
        self._out_q = (1.0, 0)
        self._scale_q = np.zeros(MAX_FEATURES + 1, dtype=np.int8)
        self._shape: tuple[int, ...] = (1, MAX_FEATURES)

    @classmethod
    def load(cls, model_path: Path, labels_path: Path | None = None,
             calibration_path: Path | None = None, calibrated: bool = True) -> TextClassifier:
        """Validate and load a model; its thresholds from calibration_path (default: calibration.json
        beside the model; none when absent, or when calibrated=False, as models/calibrate.py needs)."""
        model_path = Path(model_path)
        labels_path = Path(labels_path) if labels_path is not None else model_path.with_name("labels.json")
        if not model_path.is_file():
            raise ModelError(f"model file not found: {model_path}")
        labels, doc = read_labels(labels_path)
        pinyin = _check_featurizer(doc, labels_path)
        digest = doc.get("model_sha256")
        digest = digest if isinstance(digest, str) else None
        calibration_path = (Path(calibration_path) if calibration_path is not None
                            else model_path.with_name("calibration.json"))
        clf = cls(model_path, labels, digest, pinyin=pinyin)
        with clf._lock:
            clf._ensure_interpreter()
        if calibrated:  # after the model itself: its problems are reported first
            clf.thresholds, clf.window_exponent = read_calibration_doc(calibration_path, labels, digest)
            clf.group_thresholds = read_group_thresholds(calibration_path, labels)
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
        i_ids, i_scale, i_out, s_scale, s_zero = io
        n = np.arange(MAX_FEATURES + 1, dtype=np.float64)
        inv_sqrt = np.divide(1.0, np.sqrt(n), out=np.zeros_like(n), where=n > 0)
        self._scale_q = np.clip(np.rint(inv_sqrt / s_scale) + s_zero, -128, 127).astype(np.int8)
        self._io = io
        self._interp = interp
        self._shape = (1, MAX_FEATURES)  # as exported: batch 1

    def _validate(self, interp: Any, path: Path) -> tuple[int, int, int, float, int]:
        inputs = {d["name"]: d for d in interp.get_input_details()}
        outputs = interp.get_output_details()
        if set(inputs) != {"ids", "scale"}:
            raise ModelError(f"model file {path}: expected inputs 'ids' and 'scale', found {sorted(inputs)} "
                             "(a model from before the batched graph? retrain with `make model`)")
        for name, dtype, width in (("ids", np.int32, MAX_FEATURES), ("scale", np.int8, 1)):
            d = inputs[name]
            signature = list(d.get("shape_signature", d["shape"]))
            if signature != [-1, width] or d["dtype"] is not dtype:
                raise ModelError(
                    f"model file {path}: input {name!r} is {d['dtype'].__name__}{signature}, "
                    f"expected {dtype.__name__}[-1, {width}] (dynamic batch; wrong featurizer?)"
                )
        if len(outputs) != 1:
            raise ModelError(f"model file {path}: expected one output, found {len(outputs)}")
        out = outputs[0]
        if out["dtype"] is not np.int8:
            raise ModelError(f"model file {path}: output is {out['dtype'].__name__}, expected int8")
        if list(out["shape"])[-1:] != [len(self.labels)] or len(out["shape"]) != 2:
            raise ModelError(
                f"model file {path}: output has shape {list(out['shape'])} but the labels file names "
                f"{len(self.labels)} labels"
            )
        floats = [d["name"] for d in interp.get_tensor_details() if d["dtype"] not in _ALLOWED_DTYPES]
        if floats:
            raise ModelError(f"model file {path} is not a full-integer int8 model (float tensors: {floats[:3]})")
        s_scale, s_zero = inputs["scale"]["quantization"]
        o_scale, o_zero = out["quantization"]
        if not s_scale or not o_scale:
            raise ModelError(f"model file {path}: int8 input/output lack quantisation parameters")
        self._out_q = (float(o_scale), int(o_zero))
        return inputs["ids"]["index"], inputs["scale"]["index"], out["index"], float(s_scale), int(s_zero)

    def _invoke(self, slots: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Probabilities float32[B, labels] of B windows in one invoke; caller holds the lock.

        `slots` may be narrower than MAX_FEATURES (at least the largest count): the graph sums the
        looked-up rows minus the table's zero point in int32, and a padding row is that zero point, so
        the int8 outputs do not depend on the padding width (tests compare both). The interpreter is
        resized to the exact shape (a resize + allocation costs less than one padded window)."""
        assert self._io is not None
        i_ids, i_scale, i_out, _, _ = self._io
        shape = slots.shape
        if shape != self._shape:
            self._interp.resize_tensor_input(i_ids, list(shape), strict=False)
            self._interp.resize_tensor_input(i_scale, [shape[0], 1], strict=True)
            self._interp.allocate_tensors()
            self._shape = shape
        self._interp.set_tensor(i_ids, slots)
        self._interp.set_tensor(i_scale, self._scale_q[counts][:, None])
        self._interp.invoke()
        o_scale, o_zero = self._out_q
        raw = self._interp.get_tensor(i_out).astype(np.float32)
        return (raw - o_zero) * o_scale

    def predict(self, text: str) -> dict[str, float]:
        """{label: probability}; for a text of several windows, the window least likely safe."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[dict[str, float]]:
        """predict() for each text, in order, scoring all their windows in batched invokes.

        Windows are invoked in groups of at most MAX_BATCH of similar id counts (sorted by count), each
        group only as wide as its largest count rounded up to WIDTH_STEP: a short window no longer
        pays for 256 looked-up rows."""
        if not texts:
            return []
        if len(texts) == 1:
            return [self._predict_one(texts[0])]
        slots, counts, owner = self._featurizer.slots_many(texts)
        n_windows = len(counts)
        order = np.argsort(counts, kind="stable") if n_windows > 1 else np.zeros(1, dtype=np.int64)
        probs = np.empty((n_windows, len(self.labels)), dtype=np.float32)
        with self._lock:
            self._ensure_interpreter()
            for start in range(0, n_windows, self.MAX_BATCH):
                rows = order[start : start + self.MAX_BATCH]
                width = min(MAX_FEATURES, -(-int(counts[rows[-1]]) // self.WIDTH_STEP) * self.WIDTH_STEP)
                probs[rows] = self._invoke(np.ascontiguousarray(slots[rows, :width]), counts[rows])
        if n_windows == len(texts):  # one window per text
            heads = np.arange(n_windows)
        else:  # per text, its window least likely safe (the first such window on a tie)
            by_safe = np.lexsort((np.arange(n_windows), probs[:, self._safe], owner))
            heads = by_safe[np.searchsorted(owner[by_safe], np.arange(len(texts)))]
        return [dict(zip(self.labels, row, strict=True)) for row in probs[heads].astype(np.float64).tolist()]

    def _predict_one(self, text: str) -> dict[str, float]:
        """predict_many([text]) without the batch machinery (the device's query, a 200-character
        check): the text's windows in one invoke as wide as its largest id count, in text order (rows of
        an invoke do not affect each other), and the first window least likely safe. A text of several
        windows gets its input array straight from filters/feature_batch.text_window_slots."""
        views = self._featurizer.normalise(text)
        if len(views.chars) > WINDOW_CHARS:
            slots, counts = text_window_slots(views, self._featurizer.syllables, self.WIDTH_STEP)
        else:
            row = distinct_ids(views, self._featurizer.syllables)
            counts = np.array([len(row)], dtype=np.int32)
            slots = np.zeros((1, min(MAX_FEATURES, -(-len(row) // self.WIDTH_STEP) * self.WIDTH_STEP)), dtype=np.int32)
            slots[0, : len(row)] = row
            slots[0, : len(row)] += 1  # bucket id + 1; padding 0
        with self._lock:
            self._ensure_interpreter()
            probs = self._invoke(slots, counts)
        head = int(np.argmin(probs[:, self._safe])) if len(counts) > 1 else 0  # argmin: the first on a tie
        return dict(zip(self.labels, probs[head].astype(np.float64).tolist(), strict=True))

    def top(self, scores: dict[str, float]) -> str:
        """The most probable label."""
        return max(self.labels, key=lambda label: scores[label])
