"""The on-device classifier: featurizer, the real int8 model in the real interpreter, bad model files,
and `kidsafe classify` run as a subprocess."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from filters.classifier import ModelError, TextClassifier
from filters.features import MAX_FEATURES, Featurizer
from models import LABELS_PATH, MODEL_PATH
from models.corpus import LABELS

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "data" / "classifier"
FLOAT_MODEL = FIXTURES / "float_model.tflite"
CALIBRATION_PATH = MODEL_PATH.with_name("calibration.json")

CLEAR = [
    ("你这个垃圾去死吧", "bullying_or_hate"),
    ("色情小说在线阅读", "sexual"),
    ("写一首关于春天的儿歌", "safe"),
    ("恐龙是怎么灭绝的", "safe"),
    ("how do volcanoes erupt", "safe"),
    ("扫码领免费皮肤 需要爸妈的支付密码", "fraud"),
    ("哥哥给你买皮肤，你发张自拍来", "grooming"),
    ("网上赌球怎么下注", "gambling_or_drugs"),
]


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return TextClassifier.load(MODEL_PATH, LABELS_PATH)


@pytest.fixture()
def labels_without_digest(tmp_path: Path) -> Path:
    """The shipped labels.json minus model_sha256, so a bad model reaches the runtime's own checks."""
    doc = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    doc.pop("model_sha256", None)
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --- the real model -------------------------------------------------------------------------------

def test_shipped_model_is_small_int8_and_matches_labels(clf: TextClassifier) -> None:
    assert MODEL_PATH.stat().st_size < 2 * 1024 * 1024
    assert clf.labels == LABELS
    doc = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    assert doc["labels"] == list(LABELS)


@pytest.mark.parametrize(("text", "label"), CLEAR)
def test_clear_examples(clf: TextClassifier, text: str, label: str) -> None:
    scores = clf.predict(text)
    assert clf.top(scores) == label, scores


def test_scores_are_probabilities(clf: TextClassifier) -> None:
    for text in ("", "\x00\x01\x1b[31m", "😀" * 10, "好" * 200_000, "today is a good day"):
        scores = clf.predict(text)
        assert set(scores) == set(LABELS)
        assert all(0.0 <= p <= 1.0 for p in scores.values())
        assert abs(sum(scores.values()) - 1.0) < 0.05


def test_long_text_reports_its_most_harmful_window(clf: TextClassifier) -> None:
    benign = "今天我们在学校学习了数学和语文，下午还上了美术课，老师表扬了我。" * 4
    assert clf.top(clf.predict(benign)) == "safe"
    harmful = "你这个垃圾去死吧，滚出我们班，没人想和你玩，你就是个废物，大家都讨厌你"
    assert len(Featurizer().windows(benign + harmful)) > 1
    assert clf.top(clf.predict(benign + harmful)) != "safe"


def test_predict_is_thread_safe(clf: TextClassifier) -> None:
    texts = [t for t, _ in CLEAR] * 25
    expected = [clf.predict(t) for t in texts]
    results: list[list[dict[str, float]]] = [[] for _ in range(4)]

    def work(slot: int) -> None:
        results[slot] = [clf.predict(t) for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


# --- refusing bad files ---------------------------------------------------------------------------

def _refused(model: Path, labels: Path, *fragments: str) -> str:
    with pytest.raises(ModelError) as info:
        TextClassifier.load(model, labels)
    msg = str(info.value)
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_missing_model(tmp_path: Path) -> None:
    _refused(tmp_path / "nope.tflite", LABELS_PATH, "not found", "nope.tflite")


def test_empty_and_not_tflite(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tflite"
    empty.write_bytes(b"")
    _refused(empty, LABELS_PATH, "empty.tflite", "not a TFLite")
    text = tmp_path / "text.tflite"
    text.write_text("hello, I am not a model" * 10)
    _refused(text, LABELS_PATH, "not a TFLite")


@pytest.mark.parametrize("with_digest", [True, False])
def test_truncated_model(tmp_path: Path, labels_without_digest: Path, with_digest: bool) -> None:
    bad = tmp_path / "truncated.tflite"
    bad.write_bytes(MODEL_PATH.read_bytes()[: MODEL_PATH.stat().st_size // 2])
    labels = LABELS_PATH if with_digest else labels_without_digest
    _refused(bad, labels, "truncated.tflite", "truncated")


@pytest.mark.parametrize("with_digest", [True, False])
def test_corrupt_model(tmp_path: Path, labels_without_digest: Path, with_digest: bool) -> None:
    data = bytearray(MODEL_PATH.read_bytes())
    rng = np.random.default_rng(7)
    data[8:] = rng.integers(0, 256, len(data) - 8, dtype=np.uint8).tobytes()
    bad = tmp_path / "corrupt.tflite"
    bad.write_bytes(bytes(data))
    labels = LABELS_PATH if with_digest else labels_without_digest
    _refused(bad, labels, "corrupt.tflite", "corrupt")


def test_wrong_input_shape(tmp_path: Path, labels_without_digest: Path) -> None:
    data = MODEL_PATH.read_bytes()
    signature = struct.pack("<3i", 2, -1, MAX_FEATURES)
    assert data.count(signature) == 1
    bad = tmp_path / "shape.tflite"
    bad.write_bytes(data.replace(signature, struct.pack("<3i", 2, -1, 128)))
    _refused(bad, labels_without_digest, "shape.tflite", "[-1, 128]", f"[-1, {MAX_FEATURES}]")


def test_float_model_is_not_int8(labels_without_digest: Path) -> None:
    _refused(FLOAT_MODEL, labels_without_digest, "float_model.tflite", "float32", "int8")


def test_fixed_batch_and_old_input_models_are_refused(labels_without_digest: Path) -> None:
    _refused(FIXTURES / "fixed_batch_model.tflite", labels_without_digest, "[1, 256]", "dynamic batch")
    _refused(FIXTURES / "old_inputs_model.tflite", labels_without_digest, "'ids' and 'scale'", "make model")


def test_wrong_label_count(tmp_path: Path) -> None:
    doc = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    doc["labels"] = doc["labels"][:-1]
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(doc), encoding="utf-8")
    _refused(MODEL_PATH, labels, "output has shape", f"{len(LABELS) - 1} labels")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{not json", "not readable UTF-8 JSON"), ('{"labels": ["a", "a"]}', "distinct"),
     ('{"labels": ["a", "b"]}', "'safe'"), (b"\xff\xfe\x00", "not readable")],
)
def test_bad_labels_file(tmp_path: Path, content: str | bytes, fragment: str) -> None:
    labels = tmp_path / "labels.json"
    if isinstance(content, bytes):
        labels.write_bytes(content)
    else:
        labels.write_text(content, encoding="utf-8")
    _refused(MODEL_PATH, labels, "labels.json", fragment)


def test_featurizer_mismatch(tmp_path: Path) -> None:
    doc = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    doc["featurizer"]["n_buckets"] = 1 << 10
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(doc), encoding="utf-8")
    _refused(MODEL_PATH, labels, "n_buckets", "make model")


# --- kidsafe classify -----------------------------------------------------------------------------

def _classify(stdin: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kidsafe", "classify", *args], input=stdin,
                          capture_output=True, cwd=REPO, timeout=120, check=False)


def test_classify_cli_writes_one_json_object_per_line() -> None:
    lines = ["你这个垃圾去死吧", "恐龙是怎么灭绝的", "", "bad \xff bytes"]
    stdin = b"\n".join(line.encode("utf-8") if "\xff" not in line else b"bad \xff bytes" for line in lines) + b"\n"
    proc = _classify(stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    for doc in out:
        assert set(doc) == {"label", "scores"} and set(doc["scores"]) == set(LABELS)
        assert doc["label"] == max(doc["scores"], key=doc["scores"].get)
    assert out[0]["label"] == "bullying_or_hate" and out[1]["label"] == "safe"


def test_classify_cli_refuses_a_bad_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\x00" * 64)
    proc = _classify(b"hello\n", "--model", str(bad), "--labels", str(LABELS_PATH))
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "bad.tflite" in err and "model unavailable" in err and "模型不可用" in err
    assert proc.stdout == b""


# --- calibration --------------------------------------------------------------------------------

def test_shipped_calibration_belongs_to_the_model(clf: TextClassifier) -> None:
    doc = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    assert doc["model_sha256"] == json.loads(LABELS_PATH.read_text(encoding="utf-8"))["model_sha256"]
    harmful = set(LABELS) - {"safe"}
    assert set(doc["thresholds"]) == harmful and clf.thresholds == doc["thresholds"]
    assert all(0.5 <= t <= 0.99 for t in clf.thresholds.values())
    assert doc["rows"]["total"] > 1000 and set(doc["per_label"]) == harmful


def test_shipped_calibration_meets_its_own_targets() -> None:
    """Every threshold in calibration.json was chosen on rows where it keeps each benign group within
    its budget and blocks mostly harmful rows (or sits at the top of the grid), and the real benign
    sources (COLD, the Davidson tweets, SWSR, SMS) are among the groups it was judged on."""
    from models.calibrate import REAL_BENIGN

    doc = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    targets, grid_top = doc["targets"], doc["targets"]["grid"][1]
    assert {"written zh", "written en"} | set(REAL_BENIGN.values()) <= set(doc["rows"]["benign"])
    assert {"cold", "swsr", "davidson", "sms"} <= set(REAL_BENIGN)
    assert all(n > 300 for n in doc["rows"]["benign"].values())
    for label, fig in doc["per_label"].items():
        assert fig["threshold"] == doc["thresholds"][label]
        if fig["threshold"] >= grid_top:
            continue
        for group, rate in fig["benign_block_rate"].items():
            key = "benign_budget_per_label_and_language" if group.startswith("written") else \
                "real_benign_budget_per_label_and_language"
            budget = targets[key]
            assert rate <= budget, (label, group, rate)
        assert fig["precision_harmful"] is None or fig["precision_harmful"] >= targets["min_precision"], label


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{not json", "not readable"), ('{"thresholds": {}}', "'thresholds'"),
     ('{"thresholds": {"nudity": 0.9}}', "'nudity'"), ('{"thresholds": {"safe": 0.9}}', "'safe'"),
     ('{"thresholds": {"sexual": 1.5}}', "(0, 1]"), ('{"thresholds": {"sexual": true}}', "(0, 1]"),
     ('{"thresholds": {"sexual": 0.9}, "model_sha256": "00"}', "another model")],
)
def test_bad_calibration_file_is_refused(tmp_path: Path, content: str, fragment: str) -> None:
    calibration = tmp_path / "calibration.json"
    calibration.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        TextClassifier.load(MODEL_PATH, LABELS_PATH, calibration_path=calibration)
    assert "calibration.json" in str(info.value) and fragment in str(info.value)


def test_model_without_calibration_has_no_thresholds(tmp_path: Path) -> None:
    assert TextClassifier.load(MODEL_PATH, LABELS_PATH, calibration_path=tmp_path / "none.json").thresholds == {}


def test_choose_threshold_meets_budget_and_precision() -> None:
    from models.calibrate import choose_threshold

    p = np.array([0.99, 0.95, 0.93, 0.91, 0.97, 0.92])
    harmful = np.array([True, True, True, True, False, False])
    strict = [(~harmful, 0.001)]
    everything = np.ones(6, dtype=bool)
    # the benign row at 0.97 must stay unblocked (0.1% of 2 rows = 0): lowest threshold 0.975 (0.005 grid)
    assert choose_threshold(p, harmful, strict, everything) == 0.975
    # if that benign row is too short to be blocked alone, the benign row at 0.92 sets it: 0.925
    assert choose_threshold(p, harmful, strict, np.array([True, True, True, True, False, True])) == 0.925
    # a budget of one benign row in two: 0.925 meets it but only 3 of its 4 blocks are harmful (< 90%)
    assert choose_threshold(p, harmful, [(~harmful, 0.5)], everything) == 0.975
    # nothing benign in reach: the bottom of the grid
    assert choose_threshold(p, harmful, strict, harmful) == 0.90


# --- batching -----------------------------------------------------------------------------------

def test_predict_many_gives_the_scores_of_predict(clf: TextClassifier) -> None:
    benign = "今天我们在学校学习了数学和语文，下午还上了美术课，老师表扬了我。" * 4
    texts = [t for t, _ in CLEAR] + ["", "x" * 5000, benign + "你这个垃圾去死吧，滚出我们班", "😀" * 10]
    many = clf.predict_many(texts)
    assert len(many) == len(texts)
    assert many == [clf.predict(t) for t in texts]
    assert [clf.top(s) for s in many[: len(CLEAR)]] == [label for _, label in CLEAR]
    assert clf.predict_many([]) == []


def test_predict_many_over_several_invokes(clf: TextClassifier) -> None:
    """More windows than one invoke takes, batch sizes changing between calls: scores never move."""
    line = "今天我们在学校学习了数学和语文，下午还上了美术课，你这个垃圾去死吧"
    texts = [f"{i} {line}" * (1 + i % 4) for i in range(200)]
    assert len(Featurizer().featurize_many(texts).counts) > TextClassifier.MAX_BATCH
    expected = [clf.predict(t) for t in texts]
    assert clf.predict_many(texts) == expected
    assert clf.predict_many(texts[:3]) == expected[:3]
    assert clf.predict_many(texts[::-1]) == expected[::-1]
