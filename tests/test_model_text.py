"""The classifier is shown each text with its PII left out (filters/model_text.py), on the device and in training."""

from __future__ import annotations

from pathlib import Path

import pytest
from recording_model import RecordingModel

from filters.engine import TextFilter
from filters.lexicon import load_pack
from filters.model_text import GAP, model_text, model_texts
from filters.pii import PiiDetector, PiiMatch
from filters.pii.types import UNCHECKED
from filters.policy import FilterPolicy

TEST_PACK = Path(__file__).resolve().parent / "data" / "test_pack.json"
OWN_PHONE = "我的手机号是13912345678，放学后打给我"
OWN_ID = "我的身份证号码是 110105201203143321"


@pytest.fixture()
def model() -> RecordingModel:
    return RecordingModel(lambda t: any(c.isdigit() for c in t))  # "fraud" when a text holds a digit


@pytest.fixture()
def tf(model: RecordingModel) -> TextFilter:
    return TextFilter([load_pack(TEST_PACK)], classifier=model)


def test_the_model_never_sees_a_childs_own_numbers(tf: TextFilter, model: RecordingModel) -> None:
    verdicts = tf.check_many([OWN_PHONE, OWN_ID, "我家住在三楼，今天和爸爸一起去公园放风筝"])
    assert [v.action for v in verdicts] == ["redact", "redact", "allow"]  # not blocked as model:fraud
    assert model.seen[0] == "我的手机号是" + GAP + "，放学后打给我"
    assert model.seen[1] == "我的身份证号码是 " + GAP
    assert not any(c.isdigit() for t in model.seen for c in t)
    assert "13912345678" not in verdicts[0].redacted and [r.rule for r in verdicts[0].reasons] == ["pii:phone"]


def test_pii_is_found_once_and_still_reported_when_the_policy_blocks_it(tf: TextFilter) -> None:
    v = tf.check(OWN_PHONE, FilterPolicy(blocked_categories=FilterPolicy().blocked_categories | {"pii"}))
    assert v.action == "block" and v.categories == ["pii"] and "13912345678" not in v.redacted


def test_digits_that_are_not_personal_data_still_reach_the_model(tf: TextFilter, model: RecordingModel) -> None:
    v = tf.check("一单一结 每天轻松赚300块 就在家里做")
    assert model.seen == ["一单一结 每天轻松赚300块 就在家里做"] and v.action == "block"


def test_model_text_replaces_checked_spans_and_keeps_an_unchecked_text() -> None:
    text = "abc 123 def 456"
    assert model_text(text, [PiiMatch("phone", 4, 7, "123"), PiiMatch("phone", 12, 15, "456")]) == "abc   def  "
    assert model_text(text, [PiiMatch(UNCHECKED, 0, len(text), text, "email")]) == text  # the PII side hides it
    assert model_text(text, []) == text


def test_training_rows_get_the_same_text_as_the_device(tf: TextFilter, model: RecordingModel) -> None:
    from models.train import with_model_text

    rows = [{"text": OWN_PHONE, "label": "safe"}, {"text": "今天天气很好", "label": "safe"}]
    trained = [r["text"] for r in with_model_text(rows)]
    tf.check_many([OWN_PHONE, "今天天气很好，我们一起去公园玩吧"])
    assert trained == [model.seen[0], "今天天气很好"] == model_texts([OWN_PHONE, "今天天气很好"], PiiDetector())


def test_kidsafe_classify_scores_the_model_text() -> None:
    import json
    import subprocess
    import sys

    own = "my number is 415 555 0182 call me"  # the shipped model scores it differently with the digits
    lines = [own, model_texts([own])[0]]
    proc = subprocess.run([sys.executable, "-m", "kidsafe", "classify"], input="\n".join(lines).encode() + b"\n",
                          capture_output=True, cwd=Path(__file__).resolve().parent.parent, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    first, second = (json.loads(line)["scores"] for line in proc.stdout.decode().splitlines())
    assert first == second
