"""The classifier's featurizer (filters/features.py): normalisation, pinned ids that freeze the model's
inputs, and the batched path giving exactly the per-window reference's ids."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filters.feature_batch import hash_pack_many
from filters.features import MAX_FEATURES, N_BUCKETS, Featurizer

REPO = Path(__file__).resolve().parent.parent

# Ids written down from the featurizer as shipped with the model (version 1); never recomputed here.
# A change to hashing, folding, windowing or packing turns these red: retrain and bump FEATURE_VERSION.
PINNED_IDS = {
    "色情直播": [31134, 12483, 1565, 4224, 32401, 21918, 5901, 12187, 19755, 26852, 17429, 22347, 9187],
    "你这个r3tard": [2947, 2667, 3468, 18956, 29539, 23474, 10124, 30575, 16695, 19204, 28280, 2929, 26488, 28699,
                    21142, 11469, 32724, 3325, 17851, 2937, 17187, 31511, 18215, 12203, 7845, 10975, 20522, 27579,
                    27859, 17737],
    "": [4827],
    "好好好好好好": [2088, 13857, 22780, 21528, 30684, 2361, 23227],
    "黃色 小說": [7931, 31134, 23469, 26105, 21484, 21742, 8496, 15055, 31174, 10471, 24624, 9503, 11334],
}
LONG_ZH = "今天我们在学校学习了数学和语文，下午还上了美术课，老师表扬了我。" * 4 + "Play ROBLOX w1th me 2nite"
MANY_WORDS = " ".join(f"w{i}x" for i in range(200))
# (real ids per window, SHA-256 of the int32 little-endian id rows of all windows)
PINNED_DIGESTS = {
    LONG_ZH: ([97, 145], "2c845e326a9ef24ce2a6b768c5f9704969cea7cd2ca5046db8bbeb7eb063e070"),
    MANY_WORDS: ([256, 95, 93, 97, 94, 91, 83, 85], "747d0d0de34e35c3daad96986cc49e10e446c435528792a32b358ee6d9bb3482"),
}


def test_normalisation_folds_disguises() -> None:
    f = Featurizer()
    assert f.normalise("色 💋情\u200d直播").chars == "色情直播"
    assert f.normalise("黃色小說").chars == "黄色小说"
    assert f.normalise("ｓｅｘ视频").chars == "sex视频"
    assert f.normalise("dǔ博").chars == "du博"
    assert "retard" in f.normalise("you are a r3tard").words


def test_featurize_shapes_and_ranges() -> None:
    f = Featurizer()
    for text in ("", "a", "你好", "x" * 5000):
        for ids, weights in f.featurize(text):
            assert ids.shape == weights.shape == (MAX_FEATURES,)
            assert ids.dtype == np.int32 and 0 <= ids.min() and ids.max() < N_BUCKETS
            n = int((weights > 0).sum())
            assert n >= 1 and np.allclose(weights[:n], 1 / np.sqrt(n)) and not weights[n:].any()


def test_disguised_and_plain_texts_get_the_same_features() -> None:
    f = Featurizer()
    a, b = f.featurize_first("色情直播"), f.featurize_first("色 💋 情\u200b直播")
    assert np.array_equal(a[0], b[0])


def test_hashing_is_stable_across_processes() -> None:
    """Python's hash() is salted per process; the featurizer must not depend on it."""
    code = ("from filters.features import Featurizer; "
            "print(Featurizer().featurize_first('稳定的哈希 stable')[0].tolist())")
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1
    assert json.loads(outs.pop()) == Featurizer().featurize_first("稳定的哈希 stable")[0].tolist()



@pytest.mark.parametrize("text", list(PINNED_IDS))
def test_pinned_ids(text: str) -> None:
    ids, weights = Featurizer().featurize_first(text)
    n = len(PINNED_IDS[text])
    assert ids[:n].tolist() == PINNED_IDS[text] and not ids[n:].any()
    assert np.allclose(weights[:n], 1 / np.sqrt(n)) and not weights[n:].any()


@pytest.mark.parametrize("text", list(PINNED_DIGESTS))
def test_pinned_windows(text: str) -> None:
    packed = Featurizer().featurize(text)
    counts, digest = PINNED_DIGESTS[text]
    assert [int((w > 0).sum()) for _, w in packed] == counts
    rows = np.stack([ids for ids, _ in packed]).astype("<i4")
    assert hashlib.sha256(rows.tobytes()).hexdigest() == digest


def test_batched_ids_equal_the_per_window_reference() -> None:
    f = Featurizer()
    texts = [*PINNED_IDS, *PINNED_DIGESTS, "x" * 5000, "😀" * 10, "a1 " * 500, "色 💋情\u200d直播 ｓｅｘ",
             "how do volcanoes erupt", "The Ttk Scale widget is typically used to control a numeric value"]
    batch = f.featurize_many(texts)
    ref = [f.featurize(t) for t in texts]
    assert batch.owner.tolist() == [i for i, packed in enumerate(ref) for _ in packed]
    assert np.array_equal(batch.ids, np.stack([ids for packed in ref for ids, _ in packed]))
    assert batch.counts.tolist() == [int((w > 0).sum()) for packed in ref for _, w in packed]
    for text in PINNED_IDS:  # both paths of featurize_many (one window alone, vectorised) against literals
        one = f.featurize_many([text])
        assert one.ids[0, : one.counts[0]].tolist() == PINNED_IDS[text]
        ids, counts = hash_pack_many(f.windows(text))
        assert ids[0, : counts[0]].tolist() == PINNED_IDS[text] and not ids[0, counts[0] :].any()
    empty = f.featurize_many([])
    assert empty.ids.shape == (0, MAX_FEATURES) and len(empty.counts) == len(empty.owner) == 0


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab3 0z9_é中!\tA", max_size=40))
def test_words_view_fast_paths_give_the_runs_and_their_leet_decodings(text: str) -> None:
    """features._words splits plain ASCII in C and skips the decoding loop when no run mixes letters and
    digits: the same words as reading every [a-z0-9] run and adding the decoding of each mixed one; also
    when given the text without its spaces (normalise's chars: ASCII checked with str methods)."""
    from filters.features import _LEET, _words

    expected: list[str] = []
    for run in re.findall("[a-z0-9]+", text):
        expected.append(run)
        if not run.isalpha() and not run.isdigit():
            expected.append(run.translate(_LEET))
    assert _words(text) == tuple(expected)
    assert _words(text, text.replace(" ", "")) == tuple(expected)
