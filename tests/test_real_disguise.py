"""Disguised copies of real training rows (models/real_disguise.py): what they change, and that
harmful and benign rows are disguised alike (so odd spelling carries no label)."""

from __future__ import annotations

import random

from filters.features import Featurizer
from models.real_disguise import (
    CharWeights,
    _homophone,
    _readings,
    disguise,
    disguised_copies,
    homophone_copies,
    homophone_text,
)

ROWS = [
    {"text": "河南人都是骗子，偷井盖的垃圾", "label": "bullying_or_hate", "lang": "zh", "source": "cold"},
    {"text": "黑人智商低，滚回非洲去吧", "label": "bullying_or_hate", "lang": "zh", "source": "cold"},
    {"text": "这种贱人就该去死，恶心", "label": "bullying_or_hate", "lang": "zh", "source": "swsr"},
    {"text": "河南人很热情，我在郑州上学很开心", "label": "safe", "lang": "zh", "source": "cold"},
    {"text": "黑人歌手的唱功真的很好", "label": "safe", "lang": "zh", "source": "cold"},
    {"text": "女生学理科一样很厉害", "label": "safe", "lang": "swsr"},
    {"text": "this is English and stays as it is", "label": "safe", "lang": "en", "source": "davidson"},
] * 3
WEIGHTS = CharWeights.from_rows(ROWS, function_chars=2, min_rows=1)


def _ids(feat: Featurizer, text: str) -> list[list[int]]:
    return [sorted(ids.tolist()) for ids, _ in feat.featurize(text)]


def test_harmful_characters_weigh_more_than_shared_ones():
    weights = CharWeights.from_rows(ROWS, function_chars=2, min_rows=1)
    assert weights.weight["垃"] > weights.weight["河"]  # only in offensive rows vs in both
    assert "人" not in weights.weight  # among the most frequent: never picked


def test_a_disguise_changes_what_the_featurizer_sees():
    weights = CharWeights.from_rows(ROWS, function_chars=2, min_rows=1)
    feat = Featurizer()
    changed = 0
    for seed in range(40):
        text = ROWS[0]["text"]
        out = disguise(text, weights, random.Random(seed))
        assert out is not None and out != text
        changed += _ids(feat, out) != _ids(feat, text)
    assert changed == 40  # never only a change the featurizer folds away


def test_homophones_share_the_reading():
    for seed in range(20):
        sub = _homophone("黑", random.Random(seed))
        assert sub and sub != "黑" and _readings()[sub] == _readings()["黑"]


def test_copies_are_deterministic_keep_label_and_mark_source():
    first = disguised_copies(ROWS, 0.5, seed=7, weights=WEIGHTS)
    assert first == disguised_copies(ROWS, 0.5, seed=7, weights=WEIGHTS)
    originals = {r["text"]: r for r in ROWS}
    assert first and all(c["text"] not in originals for c in first)
    assert all(c["source"].endswith("+disguise") and c["lang"] == "zh" for c in first)
    assert disguised_copies(ROWS, 0.0, seed=7, weights=WEIGHTS) == []


def test_harmful_and_benign_rows_are_disguised_at_the_same_rate():
    rows = [{**r, "text": f"{r['text']}{i}"} for i in range(60) for r in ROWS if r["lang"] == "zh"]
    copies = disguised_copies(rows, 0.4, seed=11, weights=WEIGHTS)
    harmful = sum(c["label"] != "safe" for c in copies) / sum(r["label"] != "safe" for r in rows)
    benign = sum(c["label"] == "safe" for c in copies) / sum(r["label"] == "safe" for r in rows)
    assert 0.3 < harmful < 0.5 and 0.3 < benign < 0.5


def test_homophone_text_keeps_every_reading_and_changes_about_the_rate():
    text = ROWS[3]["text"] * 4  # 64 Chinese characters
    changed = total = 0
    for seed in range(30):
        out = homophone_text(text, 0.2, random.Random(seed))
        assert out is not None and len(out) == len(text)
        for a, b in zip(text, out, strict=True):
            assert _readings().get(b) == _readings().get(a)  # a same-reading character, or the same one
            changed += a != b
            total += 1
    assert 0.12 < changed / total < 0.25  # 0.2 asked; a character with no common homophone stays
    assert homophone_text("only English words", 1.0, random.Random(0)) is None


def test_homophone_copies_keep_label_mark_source_and_treat_labels_alike():
    rows = [{**r, "text": f"{r['text']}{i}"} for i in range(60) for r in ROWS]
    copies = homophone_copies(rows, 0.5, seed=3)
    assert copies == homophone_copies(rows, 0.5, seed=3)
    assert copies and all(c["source"].endswith("+homophone") and c["lang"] == "zh" for c in copies)
    by_text = {r["text"]: r for r in rows}
    assert all(c["text"] not in by_text for c in copies)
    harmful = sum(c["label"] != "safe" for c in copies) / sum(r["label"] != "safe" for r in rows)
    benign = sum(c["label"] == "safe" for c in copies) / sum(r["label"] == "safe" and r["lang"] == "zh" for r in rows)
    assert 0.4 < harmful < 0.6 and 0.4 < benign < 0.6
    assert homophone_copies(rows, 0.0, seed=3) == []


def test_homophone_copies_of_harmful_rows_only_are_the_same_copies_without_the_safe_ones():
    rows = [{**r, "text": f"{r['text']}{i}"} for i in range(60) for r in ROWS]
    every = homophone_copies(rows, 0.5, seed=3)
    harmful = homophone_copies(rows, 0.5, seed=3, harmful_only=True)
    assert harmful and all(c["label"] != "safe" for c in harmful)
    assert harmful == [c for c in every if c["label"] != "safe"]
