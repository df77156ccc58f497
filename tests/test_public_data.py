"""Tests for the classifier's extra real training data (models/public_data.py: SWSR, SMS Spam Collection):
provenance and licence beside the derived files, label mapping, the calibration split, and that no row
of the public eval set (nor a copy of one with other digits) reaches training or calibration."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from models.corpus.loader import load_eval_texts
from models.public_data import SOURCES, PublicSource, convert, near_key, public_rows


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_derived_file_has_provenance_and_licence(name: str) -> None:
    source = SOURCES[name]
    folder = source.derived.parent
    assert source.derived.exists() and source.derived.stat().st_size < 5_000_000
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for fact in (source.commit, source.path, source.sha256, source.licence.replace("-", " ")):
        assert fact in readme.replace("-", " ") or fact in readme, (name, fact)
    if source.licence == "MIT":
        assert (folder / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


@pytest.mark.parametrize(("name", "labels"), [("swsr", {"safe", "bullying_or_hate"}), ("sms", {"safe", "fraud"})])
def test_rows_are_mapped_and_split(name: str, labels: set[str]) -> None:
    train, calibration = list(public_rows(name, "train")), list(public_rows(name, "calibration"))
    assert Counter(r["label"] for r in train).keys() == labels
    assert {r["text"] for r in train}.isdisjoint(r["text"] for r in calibration)
    assert 0.12 < len(calibration) / (len(train) + len(calibration)) < 0.28
    assert {r["source"] for r in train + calibration} == {name}
    with pytest.raises(ValueError):
        next(public_rows(name, "test"))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_no_public_eval_text_is_trained_or_calibrated_on(name: str) -> None:
    held = {near_key(t) for t in load_eval_texts()}
    for part in ("train", "calibration"):
        assert not any(near_key(r["text"]) in held for r in public_rows(name, part))


def test_near_key_ignores_digits_spaces_and_case() -> None:
    assert near_key("WINNER!! Call 09061701461 to claim £900") == near_key("winner call 0800 123 to claim £100")
    assert near_key("ｆｒｅｅ　ｅｎｔｒｙ") == near_key("free entry")
    assert near_key("女人就该在家") != near_key("男人就该在家")


def test_conversion_checks_the_pin_and_leaves_eval_copies_out(tmp_path: Path) -> None:
    eval_text = next(t for t in load_eval_texts() if near_key(t))
    lines = ["Label\tSMS", f"spam\t{eval_text} 12345", "ham\tsee you at 5 pm", "ham\tsee you at 5 pm",
             "spam\tyou won a prize, reply now"]
    upstream = tmp_path / "SMSSpamCollection"
    upstream.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pinned = hashlib.sha256(upstream.read_bytes()).hexdigest()
    source = PublicSource("t", "en", "repo", "c" * 40, "SMSSpamCollection", "CC-BY-4.0", pinned,
                          {"spam": "fraud", "ham": "safe"}, SOURCES["sms"].parse)
    out = tmp_path / "messages.jsonl.gz"
    counts = convert(source, upstream, out)
    kept = [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]
    assert [r["text"] for r in kept] == ["see you at 5 pm", "you won a prize, reply now"]
    assert counts["eval_set_text"] == 1 and counts["duplicate_or_empty"] == 1
    wrong_pin = PublicSource(**{**source.__dict__, "sha256": "0" * 64})
    with pytest.raises(ValueError, match="sha256"):
        convert(wrong_pin, upstream, out)
