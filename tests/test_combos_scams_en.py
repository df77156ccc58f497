"""Session-10 English scam rules (filters/data/combos/fraud.json): tech-support scams (an infected or
locked computer + a number to call or a remote-access app: tech_support_scam_en) and investment 'mentor'
lures (a profit made with crypto or trading + a mentor or contact to message: investment_mentor_lure_en).
Each fires on messages written for this test (never rows of a data set); anti-scam advice, a child's
own computer trouble and family talk about trading stay quiet."""

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
]

QUIET = [
    "Microsoft will never call you to say your computer has a virus. If someone calls, hang up.",
    "How to spot a tech support scam: a pop-up says your computer is infected and tells you to call a number",
    "My computer has a virus, can you help me call the repair shop tomorrow?",
    "My uncle is a tech support worker and fixes viruses on your computer if you call him",
    "My cousin made $200 trading Pokemon cards, I want to learn trading too",
    "Bitcoin mining uses a lot of electricity, my mentor in science club explained it",
]


def test_scams_fire_and_block_while_advice_and_family_talk_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
