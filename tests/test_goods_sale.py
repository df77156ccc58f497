"""Fusion rule 5 (filters/fusion.py, filters/goods_sale.py): the classifier alone does not block an ordinary
listing of goods for a price as fraud (it scores 转让九成新婴儿车，200元，有意者私聊 at 0.996), while a listing
holding a scheme word (an account, a game item, a deposit or a transfer paid first, a job) still blocks, a fraud
word-list or rule hit still blocks, other labels are untouched, and an unreadable word file stands nothing down.
Every sentence is our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from filters import goods_sale
from filters.fusion import model_reasons
from filters.policy import DEFAULT_POLICY
from filters.verdict import Reason

LABELS = ("safe", "sexual", "violence_or_self_harm", "bullying_or_hate", "grooming", "fraud", "gambling_or_drugs")


def high(label: str) -> dict[str, float]:
    return {x: (0.99 if x == label else 0.01 / 6) for x in LABELS}


LISTINGS = [
    "转让九成新婴儿车，200元，有意者私聊",
    "本人出售闲置iPhone13，2500元，有意者加微信详聊",
    "二手书低价出，每本5元，需要的私我",
    "低价转让儿童自行车一辆，150元，加微信详聊",
]
# the same shape with what a scam sells or asks for: the model's block stands
SCHEMES = [
    "出售游戏账号，皮肤全，300元，加微信",
    "低价出二手苹果手机，先付定金100元，加微信详聊",
    "出售二手iPhone，1000元，加微信，先转账后发货",
    "闲置手机卡转让，50元一张，私聊",
    "二手书低价出，每本5元，兼职日结另招",
    "特价促销！恭喜您获得一台平板，只需支付邮费10元",  # a fee-first prize dressed as a shop advert
]


def blocking(text: str, label: str = "fraud", evidence: list[Reason] | None = None) -> list[str]:
    return [r.category for r in model_reasons(high(label), evidence or [], DEFAULT_POLICY, units=20, text=text)
            if r.blocking]


@pytest.mark.parametrize("text", LISTINGS)
def test_model_alone_does_not_block_a_listing_as_fraud(text: str) -> None:
    assert goods_sale.is_goods_sale(text)
    assert blocking(text) == []


@pytest.mark.parametrize("text", SCHEMES)
def test_model_alone_still_blocks_a_listing_with_a_scheme_word(text: str) -> None:
    assert not goods_sale.is_goods_sale(text)
    assert blocking(text) == ["fraud"]


def test_word_list_evidence_and_other_labels_are_untouched() -> None:
    text = LISTINGS[0]
    evidence = [Reason("fraud", "combo:fraud:x", (0, 2), "转让", "lexicon", severity=2, blocking=True)]
    assert blocking(text, evidence=evidence) == ["fraud"]  # a fraud hit: the model corroborates, as before
    assert blocking(text, label="gambling_or_drugs") == ["gambling"]  # only the fraud label stands down


def test_no_price_or_no_sale_word_is_no_listing() -> None:
    assert not goods_sale.is_goods_sale("转让九成新婴儿车，有意者私聊")  # no price
    assert not goods_sale.is_goods_sale("婴儿车200元，有意者私聊")  # no sale word
    assert goods_sale.is_goods_sale("出售九成新婴儿车，￥200，有意者私聊")  # a currency sign before the figure


def test_unreadable_word_file_stands_nothing_down(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for content in (None, "{not json", '{"sale_words": []}'):
        path = tmp_path / "goods_sale.json"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(goods_sale, "WORDS_PATH", path if content is not None else tmp_path / "missing.json")
        goods_sale._patterns.cache_clear()
        try:
            assert not goods_sale.is_goods_sale(LISTINGS[0])
            assert blocking(LISTINGS[0]) == ["fraud"]  # fails closed: the model's block stands
        finally:
            goods_sale._patterns.cache_clear()


def test_shipped_filter_allows_listings_the_model_scores_as_fraud(model_filter) -> None:  # noqa: ANN001
    """Through `kidsafe check`'s engine (shipped model): the listings score as fraud but are allowed; the
    scheme listings still block."""
    assert all(model_filter.classifier.predict(t)["fraud"] >= 0.9 for t in LISTINGS)
    assert [model_filter.check(t).action for t in LISTINGS] == ["allow"] * len(LISTINGS)
    assert [model_filter.check(t).action for t in SCHEMES[:3]] == ["block"] * 3
