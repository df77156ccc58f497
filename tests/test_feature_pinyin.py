"""The classifier featurizer's optional pinyin-syllable namespace (filters/feature_pinyin.py): every fast
path gives the per-window reference's ids with it on, homophones and spelt pinyin share ids, the ids
are pinned, and the flag travels from the training recipe through labels.json to the loaded model."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
import pytest

from filters.classifier import ModelError, TextClassifier
from filters.feature_batch import distinct_ids, hash_pack_many, text_window_ids
from filters.feature_pinyin import shared_table, syllable_digest, syllable_value
from filters.features import PINYIN_KEY, SYLLABLE_DIGEST_KEY, Featurizer, featurizer_record, window_ids
from filters.tables import CJK_RANGES
from models import LABELS_PATH, MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
EVAL_SETS = [REPO.parent / "shared" / "eval" / "dev.jsonl", REPO / "filters" / "data" / "eval" / "extra_harmful.jsonl"]
EDGE = ["", "好", "河南人都是骗子", "he nan ren dou shi pian zi", "nimasile 你妈死了 nmsl", "好" * 3000,
        "今天我们在学校学习了数学和语文" * 9 + " ni ma si le", " ".join(f"ni{i}x hao" for i in range(150)),
        "黃色 小說 r3tard se情 约pao", "𠀀𠀁河南 ａｂｃ", "河" * 40 + "nan" * 40,
        "".join(chr(0x4E00 + 37 * i) for i in range(400)),
        "".join(chr(0x5000 + 11 * i) + "ab"[i % 2] for i in range(300)),
        "".join(random.Random(7).choices("河南人都是骗子东北台湾上海", k=400))]  # long windows under the cut
# Written down from the featurizer with the namespace on; never recomputed here (the model trained on
# them depends on them: a change to the syllable table or these rules turns this red).
PINNED = {
    "河南人": [30286, 30643, 7951, 2304, 11396, 1558, 8090, 18917, 26121, 9251, 25798, 20758, 10257, 29512, 24539],
    "傻逼": [8913, 31490, 13253, 22168, 12517, 27394, 22267, 19890, 13888, 18003],
    "ni ma si le": [20268, 28848, 27619, 10124, 19701, 30020, 31186, 3668, 17711, 28698, 15094, 29691, 29514, 22359,
                    12155, 1918, 19926, 5192, 28652, 6690, 18852, 9417, 23609, 24273, 508, 29049, 17953, 32468, 29050,
                    16883, 6431, 32704, 2143, 30232, 16247, 676, 22708, 21085],
}


@pytest.fixture(scope="module")
def feat() -> Featurizer:
    return Featurizer(pinyin=True)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [json.loads(line)["text"] for path in EVAL_SETS
           for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out + EDGE


def _reference(feat: Featurizer, text: str) -> list[list[int]]:
    return [Featurizer.distinct(window_ids(v, feat.syllables)).tolist() for v in feat.windows(text)]


def _rows(batch) -> list[list[int]]:
    return [row[:n].tolist() for row, n in zip(batch.ids, batch.counts, strict=True)]


def test_character_table_is_every_code_point_s_default_syllable() -> None:
    """The table built in numpy from the syllable code gives each Chinese character the value of its
    default reading, as a per-character loop over the code does (0 where none and outside CJK_RANGES)."""
    table = shared_table()
    value_of = {code: syllable_value(s) for s, code in table._tables.syl_code.items()}
    syl_list = table._tables.syl_list
    expected = np.zeros(0x10000, dtype=np.uint64)
    for lo, hi in CJK_RANGES:
        expected[lo:hi + 1] = [value_of.get(c, 0) if isinstance(c, str) else 0 for c in syl_list[lo:hi + 1]]
    assert np.array_equal(table.lut, expected)
    assert np.count_nonzero(table.lut) > 20_000  # the Chinese ranges are read
    assert table.lut[ord("河")] == table.lut[ord("荷")] == syllable_value("he") != 0


def test_every_path_gives_the_reference_ids(feat: Featurizer, texts: list[str]) -> None:
    """hash_pack_many (many windows), the small-batch and one-window paths, and text_window_ids (one long
    text hashed once) against the per-window reference, all with the syllable namespace on."""
    reference = [_reference(feat, t) for t in texts]
    batch = feat.featurize_many(texts)
    assert _rows(batch) == [row for rows in reference for row in rows]
    assert batch.owner.tolist() == [i for i, rows in enumerate(reference) for _ in rows]
    several = 0
    for text, expected in zip(texts, reference, strict=True):
        views = feat.normalise(text)
        assert _rows(feat.featurize_many([text])) == expected
        if len(expected) > 1:
            several += 1
            assert text_window_ids(views, feat.syllables) == expected
        else:
            assert distinct_ids(views, feat.syllables) == expected[0]
        ids, counts = hash_pack_many(feat.windows(text), feat.syllables)
        assert [row[:n].tolist() for row, n in zip(ids, counts, strict=True)] == expected
    assert several >= 4
    assert any(len(row) == 256 for rows in reference for row in rows)  # the cut at MAX_FEATURES is covered


def test_namespace_adds_ids_only_after_version_1(feat: Featurizer, texts: list[str]) -> None:
    """Off, the ids are version 1's (pinned in tests/test_features.py); on, version 1's come first."""
    plain = Featurizer()
    for text in texts[:200]:
        for v in plain.windows(text):
            base, more = Featurizer.hash_views(v), window_ids(v, feat.syllables)
            assert np.array_equal(more[: len(base)], base)
            assert len(more) > len(base) or not any("\u4e00" <= c <= "\u9fff" for c in v.chars + "".join(v.words))


def _ids(feat: Featurizer, text: str) -> set[int]:
    ids, weights = feat.featurize_first(text)
    return set(ids[weights > 0].tolist())


def test_homophones_and_spelt_pinyin_share_ids(feat: Featurizer) -> None:
    plain = Featurizer()
    for a, b in (("河南", "河楠"), ("傻逼", "沙比"), ("你妈死了", "ni ma si le"), ("你妈死了", "nimasile"),
                 ("台巴子", "台八子")):
        assert len(_ids(feat, a) & _ids(feat, b)) > len(_ids(plain, a) & _ids(plain, b)), (a, b)
    assert not _ids(feat, "hello world") - _ids(plain, "hello world")  # English words are not pinyin


@pytest.mark.parametrize("text", list(PINNED))
def test_pinned_ids(feat: Featurizer, text: str) -> None:
    assert sorted(_ids(feat, text)) == sorted(PINNED[text])
    ids, _ = feat.featurize_first(text)
    assert ids[: len(PINNED[text])].tolist() == PINNED[text]


def test_training_records_the_flag_and_the_model_follows_it(tmp_path: Path) -> None:
    from models.train import PINYIN_SYLLABLES, labels_document

    assert PINYIN_SYLLABLES in (True, False)
    args = argparse.Namespace(epochs=1, dim=32, hidden=8, seed=1, pinyin_syllables=True)
    record = labels_document(b"x", {}, args)["featurizer"]
    assert record == featurizer_record(True) and record[PINYIN_KEY] is True
    assert record[SYLLABLE_DIGEST_KEY] == syllable_digest()
    assert labels_document(b"x", {}, argparse.Namespace(**{**vars(args), "pinyin_syllables": False})
                           )["featurizer"][PINYIN_KEY] is False

    doc = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    doc["featurizer"] = featurizer_record(False)  # the shipped model's file, flag off (version 1 features)
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(doc), encoding="utf-8")
    off = TextClassifier.load(MODEL_PATH, labels)
    assert off._featurizer.syllables is None
    doc["featurizer"].update(featurizer_record(True))
    labels.write_text(json.dumps(doc), encoding="utf-8")
    on = TextClassifier.load(MODEL_PATH, labels)
    assert on._featurizer.syllables is not None
    assert on.predict("河南人") != off.predict("河南人")  # other ids reach the model

    for value, fragment in (("yes", "true or false"), (1, "true or false")):
        doc["featurizer"][PINYIN_KEY] = value
        labels.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(ModelError, match=fragment):
            TextClassifier.load(MODEL_PATH, labels)
    doc["featurizer"].update({PINYIN_KEY: True, SYLLABLE_DIGEST_KEY: "0" * 64})
    labels.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ModelError, match=SYLLABLE_DIGEST_KEY):
        TextClassifier.load(MODEL_PATH, labels)
