"""Goods for sale: does a text read as an ordinary listing of goods for a price (filters/fusion.py)?

The classifier learned fraud from adverts full of prices and 'contact me' (私聊, 加微信), so it also gives an
ordinary second-hand listing or a shop's produce advert a fraud score near 1 (转让九成新婴儿车，200元，有意者私聊).
Fusion therefore does not let the model ALONE block a text as fraud when this module reads it as a listing; word
lists and rules still block it, and every other label is untouched.

    is_goods_sale(text) -> bool

A listing (filters/data/tables/goods_sale.json, with provenance) needs, on the NFKC case-folded text:
- a sale word (出售, 转让, 闲置, 九成新, 自提, 包邮, 一口价, 特价 ...), and
- a price: a figure (digits or Chinese numerals) with a currency unit (元, 块, rmb) or a sign before it (¥, ￥), and
- none of the scheme words, which name what fraud and black-market adverts sell or ask for: earnings and jobs (赚,
  日结, 兼职, 刷单, 返利), loans and investments (贷, 额度, 投资, 股, 币), accounts and cards (账号, 微信号, 银行卡,
  手机卡, 身份证, 验证码), game items and top-ups (皮肤, 点券, 游戏, 充值, 会员), money paid first (定金, 押金,
  保证金, 手续费, 垫付), prizes, links and apps.
Fails closed: if the word file cannot be read or is malformed, nothing is a listing (the model's block stands),
and the error is logged once.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from filters.pii.patterns import alt

WORDS_PATH = Path(__file__).resolve().parent / "data" / "tables" / "goods_sale.json"
_KEYS = ("sale_words", "price_units", "currency_signs", "scheme_words")
_NUMBER = "(?:[0-9]+(?:[.,][0-9]+)?|[零〇一二两三四五六七八九十百千万]+)"
LOGGER = "kidsafe.goods_sale"


def is_goods_sale(text: str) -> bool:
    """True if `text` reads as an ordinary listing of goods for a price (see the module docstring)."""
    patterns = _patterns()
    if patterns is None:
        return False  # word file unreadable: no listing, the model's verdict stands (fail closed)
    sale, price, scheme = patterns
    folded = unicodedata.normalize("NFKC", text).casefold()
    return bool(sale.search(folded) and price.search(folded) and not scheme.search(folded))


def _alternation(words: list[str]) -> str:
    """The words folded as the text is (NFKC, casefold), as one alternation, longest first."""
    return alt(unicodedata.normalize("NFKC", w).casefold() for w in words)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    """(sale, price, scheme) regexes from the word file; None (logged once) when it cannot be used."""
    try:
        doc = json.loads(WORDS_PATH.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not all(
                isinstance(doc.get(k), list) and doc[k] and all(isinstance(w, str) and w.strip() for w in doc[k])
                for k in _KEYS):
            raise ValueError(f"{', '.join(_KEYS)} must be non-empty lists of words")
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        import logging  # here, not at import: logging pulls traceback / tokenize into every start-up (~14 ms)

        logging.getLogger(LOGGER).error(
            "goods_sale: %s unusable (%s); no text is read as a listing", WORDS_PATH.name, exc)
        return None
    price = (rf"{_NUMBER}\s*(?:{_alternation(doc['price_units'])})"
             rf"|(?:{_alternation(doc['currency_signs'])})\s*[0-9]")
    return (re.compile(_alternation(doc["sale_words"])), re.compile(price),
            re.compile(_alternation(doc["scheme_words"])))
