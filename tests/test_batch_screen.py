"""The batch pre-screen (filters/batch_screen.py) marks every text that may have a hit, and a match never
spans two texts of a batch: verdicts of check_many equal those of check() text by text.

(tests/test_verdicts_unchanged.py checks the same on every eval set against the golden file; these
tests look at the pre-screen's sets themselves and at texts made to straddle the joins.)
"""

from __future__ import annotations

import pytest

from filters import batch_screen
from filters.engine import TextFilter
from filters.normalize import Views
from filters.policy import FilterPolicy
from filters.tools.verdict_golden import eval_sets

PARENT = FilterPolicy.from_dict({"age_band": "8-11", "block_words": ["蜘蛛侠", "minecraft"], "allow_words": ["枪"]})


def _loud(tf: TextFilter, texts: list[str], policy: FilterPolicy | None = None) -> set[int]:
    batch = batch_screen.Batch([Views(t, tf.normalizer) for t in texts])
    loud = batch_screen.lexicon_loud(tf._lexicon.matcher, batch) | batch_screen.combo_loud(tf.combos, batch)
    if policy is not None and policy.block_words:
        loud |= batch_screen.lexicon_loud(tf._policy_matcher(policy.block_words), batch)
    return loud


def _texts() -> list[str]:
    texts = [t for _, ts in eval_sets() for t in ts]
    assert len(texts) > 1000, "the eval sets are missing"
    return texts


def test_every_text_with_a_hit_is_loud(shipped_filter: TextFilter) -> None:
    tf = shipped_filter
    matcher = tf._lexicon.matcher
    texts = _texts()
    quiet_seen = loud_seen = 0
    for start in range(0, len(texts), 300):
        chunk = texts[start : start + 300]
        loud = _loud(tf, chunk)
        for i, text in enumerate(chunk):
            views = Views(text, tf.normalizer)
            if matcher.find(views) or tf.combos.find(views):
                assert i in loud, f"a text with a hit was pre-screened as quiet: {text!r}"
                loud_seen += 1
            elif i not in loud:
                quiet_seen += 1
    assert loud_seen > 300 and quiet_seen > 300  # both kinds occur: the pre-screen is tested, and it saves work


def test_a_match_never_spans_two_texts(shipped_filter: TextFilter) -> None:
    """Terms, pinyin, disguises and combo cues cut in two across neighbouring texts: each text of the
    batch is loud exactly when it is loud alone, and every verdict is the one check() gives."""
    tf = shipped_filter
    cut = ["色情", "赌博", "约炮", "porn", "sports betting", "se qing", "seqing", "p0rn", "加微信", "日赚300",
           "刷单", "一单一结", "fuuuck", "kill yourself", "去死"]
    texts = []
    for term in cut:
        for k in range(1, len(term)):
            texts += [f"今天我们说{term[:k]}", f"{term[k:]}然后回家", f"we talk about {term[:k]}", f"{term[k:]} okay"]
    # a symbol or a letter run of a disguise hint (filters/disguise.token_hint) next to the join
    texts += ["we talk about p", "@ okay", "so aa", "a then", "ok", "$ fine"]
    texts += ["刷单 加vx", "日赚300", "一单一结\n每天", "text with\nnewline 色情", "nul\x00byte", "", " ", "\x00"]
    alone = {i for i, t in enumerate(texts) if _loud(tf, [t])}
    assert _loud(tf, texts) == alone
    for policy in (FilterPolicy.from_dict({"age_band": "8-11"}), PARENT):
        assert [v.to_json() for v in tf.check_many(texts, policy)] == [tf.check(t, policy).to_json() for t in texts]


def test_parent_block_words_are_pre_screened(shipped_filter: TextFilter) -> None:
    texts = ["我喜欢蜘蛛侠", "we play minecraft", "今天天气很好", "the weather is fine"]
    assert {0, 1} <= _loud(shipped_filter, texts, PARENT)
    verdicts = shipped_filter.check_many(texts, PARENT)
    assert [v.action for v in verdicts] == ["block", "block", "allow", "allow"]


def test_a_pre_screen_error_falls_back_to_the_per_text_path(
        shipped_filter: TextFilter, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> set[int]:
        raise RuntimeError("boom")

    texts = ["今天天气很好", "色情漫画", "招副业 一单一结 每天轻松赚300 加微信", "hello"]
    want = [shipped_filter.check(t).to_json() for t in texts]
    for name in ("lexicon_loud", "combo_loud"):
        with monkeypatch.context() as m:
            m.setattr(batch_screen, name, broken)
            got = [v.to_json() for v in shipped_filter.check_many(texts)]
        assert got == want
    assert [v["action"] for v in want] == ["allow", "block", "block", "allow"]
