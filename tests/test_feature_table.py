"""The featurizer's per-code-point table (filters/feature_table.py): `Featurizer.normalise` through it
gives exactly the step-by-step reference on every kind of text, the stored file is the fresh build,
and a stale or damaged file is rebuilt, never used."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest

from filters import feature_table
from filters.features import Featurizer, fold_table_digest, load_fold_table

REPO = Path(__file__).resolve().parent.parent
EVAL_SETS = [REPO.parent / "shared" / "eval" / "dev.jsonl", REPO / "filters" / "data" / "eval" / "extra_harmful.jsonl",
             REPO / "filters" / "data" / "eval" / "extra_traps.jsonl"]
BMP = [chr(cp) for cp in range(1, 0x10000) if not 0xD800 <= cp < 0xE000]
# NFKC across characters: combining marks, half-width voiced marks, jamo (compatibility and conjoining),
# a syllable plus a final jamo, reordered marks; and plain cases of every step.
TRICKY = ["e\u0301cole", "ｶﾞｷﾞ", "ㄱㅏㄴ", "\u1100\u1161\u11a8", "가\u11a8", "가ㄱ", "a\u0327\u0301", "\u0344x",
          "ＡＢＣ ß ﬁ Ⅻ ①② ㎏", "x_y__z", "😀色情😀", "𠀀河", "İstanbul", "ǅ", "\u3000全角　空格", "ｓｅｘ视频",
          "dǔ博", "黃色 小說 r3tard", "ΣΑΣ ς", "\u200b色\u200d情", "\x00a\x00", "a" * 2000, "", " "]


@pytest.fixture(scope="module")
def feat() -> Featurizer:
    return Featurizer()


def _same(feat: Featurizer, texts: list[str]) -> None:
    bad = [t for t in texts if feat.normalise(t) != feat.normalise_reference(t)]
    assert not bad, f"{len(bad)} texts differ, first: {bad[:3]!r}"


def test_normalise_equals_the_reference(feat: Featurizer) -> None:
    texts = [json.loads(line)["text"] for path in EVAL_SETS
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    _same(feat, texts + TRICKY)


def test_every_character_alone_and_in_runs(feat: Featurizer) -> None:
    _same(feat, BMP)
    _same(feat, ["".join(BMP[i : i + 40]) for i in range(0, len(BMP), 40)])


def test_random_texts_on_the_table_path(feat: Featurizer) -> None:
    """Texts with no joining character go through the table alone; texts with one, the reference."""
    joiners = feat._load_table()[1]
    plain = [c for c in BMP if not joiners.match(c)]
    rng = random.Random(11)
    texts = ["".join(rng.choices(plain, k=rng.randrange(1, 60))) for _ in range(3000)]
    texts += ["".join(rng.choices(BMP, k=rng.randrange(1, 60))) for _ in range(1000)]
    assert sum(joiners.search(t) is None for t in texts) >= 3000
    _same(feat, texts)
    for c in "\u0301\u3099\uff9eㄱ\u1161\u11a8é":  # these join their neighbours under NFKC
        assert joiners.match(c), repr(c)


def test_stored_table_is_the_fresh_build() -> None:
    header, codes, others, joiners = pickle.loads(feature_table.TABLE_PATH.read_bytes())
    assert header == feature_table._header(fold_table_digest()), (
        "filters/data/features_table.pickle is stale: run `python -m filters.feature_table`")
    assert (feature_table.table_of(codes, others), joiners) == feature_table.build(load_fold_table())


@pytest.mark.parametrize("damage", ["stale", "truncated", "missing"])
def test_a_stale_or_damaged_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    fold = load_fold_table()
    path = tmp_path / "table.pickle"
    good = feature_table.TABLE_PATH.read_bytes()
    if damage == "stale":
        header, codes, others, joiners = pickle.loads(good)  # a well-formed table from another Unicode version
        codes[ord("A")] = ord("x")  # what that version made of a changed code point
        path.write_bytes(pickle.dumps(({**header, "unidata_version": "0.0"}, codes, others, joiners), protocol=4))
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    expected, joiners = feature_table.build(fold)
    table, pattern = feature_table.load(fold, fold_table_digest(), path)
    assert table == expected and pattern.pattern == f"[{joiners}]"
