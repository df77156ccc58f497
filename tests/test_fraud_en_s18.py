"""Session-18 English fraud: the 'you have a new message / voicemail, call this number' hook of call-back scams
(filters/premium_rate.py, premium_rate.json "message_hooks", from Ofcom's consumer guidance) and data-harvesting
texts (fraud.json personal_details_offer_en: your name, address, postcode or date of birth asked for by reply with
a free offer, prize or trial; FTC / Action Fraud descriptions). Every text is our own."""

from __future__ import annotations

import json

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters import premium_rate
from filters.engine import TextFilter


@pytest.mark.parametrize("text", [
    "You have 1 new message. Please call 08712345678.",
    "You have a new voicemail waiting, ring 08701234567",
])
def test_a_new_message_hook_next_to_a_premium_number_is_found(text: str) -> None:
    assert [k for _, _, k in premium_rate.find(text)] == ["number"]


@pytest.mark.parametrize("text", [
    "You have 1 new message. Call 0207-123-4567",  # a London landline: no premium number
    "You have a new voicemail, call 09171234567",  # 09: also a mobile abroad, needs a price, a stop or a prize
    "Call me on 08712345678 about the party",  # a premium number with no hook
    "You have 1 new message from Mum",
    "You have 1 new message. Call 08712345678. It's a scam, don't call back",  # a warning
])
def test_a_new_message_without_a_premium_number_or_with_a_warning_is_left_alone(text: str) -> None:
    assert premium_rate.find(text) == []


def test_message_hooks_are_data_and_optional(tmp_path) -> None:  # noqa: ANN001
    doc = json.loads(premium_rate.WORDS.read_text(encoding="utf-8"))
    assert doc["message_hooks"] and all(premium_rate._MESSAGE_HOOK.fullmatch(w) for w in doc["message_hooks"])
    del doc["message_hooks"]  # a table of session 17 still loads
    old = tmp_path / "premium_rate.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    assert premium_rate._read_words(old)["message_hooks"] == []
    doc["message_hooks"] = ["new message", ""]
    old.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="message_hooks"):
        premium_rate._read_words(old)


RULE = "fraud:personal_details_offer_en"
FIRES = [
    (RULE, "We are giving away free samples this week. Text back your full name and house number"),
    (RULE, "Free trial of our new snacks, just send us your address and date of birth"),
    (RULE, "You won a voucher! Pls reply with your name and address and postcode to claim"),
]

QUIET = [
    "Hi, can you text me your address? I want to post you a birthday card",
    "Never give your address or date of birth to anyone who texts you about a free prize, it's a scam",
    "Mum said reply with your name on the list for the school trip",
    "What is your postcode? Grandma wants to send a letter",
]


def test_personal_details_for_an_offer_fire_while_friends_and_warnings_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
