"""Session-10 English scam rules (filters/data/combos/fraud.json): tech-support scams (an infected or
locked computer + a number to call or a remote-access app: tech_support_scam_en) and investment 'mentor'
lures (a profit made with crypto or trading + a mentor or contact to message: investment_mentor_lure_en).
Each fires on messages written for this test (never rows of a data set); anti-scam advice, a child's
own computer trouble and family talk about trading stay quiet. Session 12: UK / US premium-rate texts
(a per-minute or per-message price + a call or text instruction + a PO box, an age limit, STOP or a lure:
premium_rate_charge_en) and more prize wordings (a weekend break, easy questions); a friend's 'call me in
10 min' and a parent's warning about 09 numbers stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("fraud:tech_support_scam_en",
     "We detected a virus on your computer. Call Microsoft support now at 1-800-555-0100"),
    ("fraud:tech_support_scam_en", "Warning! Your PC is infected with spyware. Call now"),
    ("fraud:tech_support_scam_en", "your laptop has been hacked, install anydesk so our engineer can fix it"),
    ("fraud:investment_mentor_lure_en",
     "I made $5000 this week trading crypto with my mentor, message her, she can help you too"),
    ("fraud:investment_mentor_lure_en",
     "guaranteed profit every day with bitcoin, my account manager will guide you, dm me"),
    # session 12: premium-rate texts by their regulator-required marks (price, PO box, 18+, STOP)
    ("fraud:premium_rate_charge_en",
     "Lonely tonight? Hot singles want to chat. Call 09095551234, 60p per min, 18+ only"),
    ("fraud:premium_rate_charge_en", "Your daily horoscope: txt STAR to 85069, 150p per msg, txt STOP to end"),
    ("fraud:premium_rate_charge_en",
     "New polyphonic ringtone every week! Reply TONE to 87021. 3 msgs a week at 150p. PO Box 4417"),
    ("fraud:prize_text_scam", "You have won a weekend break for two! Call 09071234567 now to claim your prize"),
    ("fraud:prize_text_scam",
     "Answer 3 easy questions and you could take home 500 pounds of vouchers. Txt WIN to 80062"),
]

QUIET = [
    "Microsoft will never call you to say your computer has a virus. If someone calls, hang up.",
    "How to spot a tech support scam: a pop-up says your computer is infected and tells you to call a number",
    "My computer has a virus, can you help me call the repair shop tomorrow?",
    "My uncle is a tech support worker and fixes viruses on your computer if you call him",
    "My cousin made $200 trading Pokemon cards, I want to learn trading too",
    "Bitcoin mining uses a lot of electricity, my mentor in science club explained it",
    "I'm free in 10 min, call me when you get this",
    "Text me when you're done, the bus was 50p each and the chat was fun",
    "Mum says calls to 09 numbers cost 150p per min, so don't call them, it's a scam",
    "We won the quiz at school! Text Gran and tell her, she'll be so happy",
]


def test_scams_fire_and_block_while_advice_and_family_talk_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
