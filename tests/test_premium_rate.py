"""Premium-rate and subscription texts (filters/premium_rate.py): a paid channel (a premium-rate number, a short
code, a capitals keyword to text back) with a price, a stop instruction, a prize or a call-back hook beside it;
a number that is also an ordinary mobile number abroad (09, 070) needs a price, a stop or a prize itself.
The sentences are our own, written from Ofcom's and the Phone-paid Services Authority's descriptions of such
promotions and the FTC's advice on text scams; the near misses are ordinary texts with numbers."""

from __future__ import annotations

import pytest

from filters import premium_rate


@pytest.mark.parametrize(("text", "kind"), [
    ("Fun quiz every week! Txt QUIZ to 87121 to play, 150p per msg, send STOP to 87121 to end", "short_code"),
    ("You have a voicemail waiting. Call 09061 234567 now to hear it. Calls cost £1.50/min", "number"),
    ("Congratulations, you are our winner of a £500 voucher! To claim call 0871 234 5678", "number"),
    ("We tried to reach you but you missed a call from 0871 234 5678, ring back to find out why", "number"),
    ("You have won a holiday! To claim call 0917 123 4567 today", "number"),  # a prize lure: any 09 number
    ("Hot singles chat 1-to-1, call 0906 123 4567, calls cost 150p/min", "number"),
    ("Reply GAMES for a new game each week, only £3/wk, reply STOP to end", "keyword"),
    ("Win a weekend away! Just text TRIP 2 68810. Entry costs 250p, T&Cs apply", "short_code"),
])
def test_paid_channel_with_price_stop_or_prize_is_found(text: str, kind: str) -> None:
    assert kind in [k for _, _, k in premium_rate.find(text)], premium_rate.find(text)


@pytest.mark.parametrize("text", [
    "Your free dental check-up is on 12 May at 10:30. Reply YES to confirm, STOP to opt out of reminders",  # answers
    "The number 73 bus to 10245 Park Road leaves at 0930, a ticket is £2",  # a bus route, a price
    "Your order 845321 has shipped and will arrive on Tuesday. Free delivery on your next order",  # an order
    "Call me on 07912 345678 when you get home, I won the match!",  # an ordinary mobile number
    "Grandma's number is 020 7946 0958, call her for her birthday and win her heart",  # a landline
    "Please send the parcel to 90210, postage is £4",  # a postcode after a sentence, not a keyword to a code
    "Never call 09061 234567, it is a scam that charges £3 a minute",  # a warning about such a number
    "Text me at 5 if you want the free tickets",  # a time, no code
    "In 2019 we paid £1,200 for 3 weeks in Spain, reply if you want the photos",  # years and prices
])
def test_ordinary_texts_with_numbers_are_left_alone(text: str) -> None:
    assert premium_rate.find(text) == []


# 11-digit numbers that are premium rate in the UK and ordinary mobiles abroad (the Philippines' 09XX XXX XXXX,
# Nigeria's 070X / 090X XXX XXXX): a shop's advert or a friend's text with "call now", "free" or a missed call
ABROAD = [
    "Fresh cakes for sale! Call now 0917 123 4567 for orders, free delivery within the city",
    "Call now 0905 555 1234 to reserve your slot. Limited seats, free snacks for the kids",
    "Sorry I missed your call, call me back on 0917 123 4567 when you're free",
    "Garage sale this Saturday, cash only. Call 0703 123 4567 for the address",
    "School notice: for questions about the field trip call Ms Reyes on 09171234567 for details",
    "New phone, new number: call me on 0906 222 3333 now, the old one is gone",
]
OTHER_PLANS = [  # numbers of other numbering plans with the same words: never a premium number here
    "Call now 1-800-555-0199 for a free quote on your roof repair!",
    "Call now 400-820-8820 for free installation, limited time offer",
    "欢迎致电400-820-8820咨询，免费上门安装",
]


@pytest.mark.parametrize("text", ABROAD + OTHER_PLANS)
def test_ordinary_numbers_of_other_countries_are_no_premium_channel(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert premium_rate.find(text) == []
    v = shipped_filter.check(text)  # word lists and rules: at most the phone number redacted
    assert v.action != "block", [r.rule for r in v.reasons]


def test_the_same_number_with_a_price_or_a_stop_is_still_premium() -> None:
    for text in ("Call now 0917 123 4567 for your reading, only 150p per min",
                 "Dial 0906 123 4567 for the results, txt STOP to end", "Free entry! Call 0703 123 4567, £1/min"):
        assert [k for _, _, k in premium_rate.find(text)] == ["number"], text


def test_a_premium_text_blocks_as_fraud_and_names_the_channel(shipped_filter) -> None:  # noqa: ANN001
    text = "Fun quiz every week! Txt QUIZ to 87121 to play, 150p per msg, send STOP to 87121 to end"
    v = shipped_filter.check(text)
    assert v.action == "block" and "fraud" in v.categories
    mine = [r for r in v.reasons if r.rule == "lexicon:premium_rate:short_code"]
    assert mine and all(r.view == premium_rate.VIEW and r.matched == text[r.span[0]:r.span[1]] for r in mine)


def test_the_word_lists_are_data_with_provenance() -> None:
    """The prefixes, prize words, warnings and ordinary capitals come from tables/premium_rate.json (with its
    provenance and licence), not from code: the shipped patterns hold every listed word."""
    import json

    doc = json.loads(premium_rate.WORDS.read_text(encoding="utf-8"))
    assert doc["provenance"] and doc["licence"]
    assert premium_rate.PREMIUM == tuple(doc["premium_prefixes"])
    assert premium_rate.SHARED == tuple(doc["shared_prefixes"]) and set(doc["shared_prefixes"]) <= {
        p[:len(s)] for p in doc["premium_prefixes"] for s in doc["shared_prefixes"]}
    assert all(premium_rate._PRIZE.fullmatch(w) for w in doc["prize_words"] + doc["offer_words"])
    assert all(premium_rate._LURE.fullmatch(w) for w in doc["prize_words"])
    assert not any(premium_rate._LURE.fullmatch(w) for w in doc["offer_words"])
    assert all(premium_rate._WARNING.fullmatch(w) for w in doc["warning_phrases"])
    assert premium_rate._ORDINARY_CAPS == frozenset(doc["ordinary_caps"])


@pytest.mark.parametrize("key", ["premium_prefixes", "shared_prefixes", "prize_words", "offer_words", "warning_phrases",
                                 "ordinary_caps"])
def test_a_table_without_a_list_is_refused(tmp_path, key: str) -> None:  # noqa: ANN001
    import json

    doc = json.loads(premium_rate.WORDS.read_text(encoding="utf-8"))
    doc[key] = []
    bad = tmp_path / "premium_rate.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty lists"):
        premium_rate._read_words(bad)
