"""Premium-rate and subscription text messages: a paid channel (a premium-rate number, a short code, a keyword to
text back) with the money or the hook that makes it a trap.

A premium-rate text charges the phone bill of whoever calls the number or texts the keyword, often weekly until
the subscriber opts out; children run up such bills without knowing. The UK regulators' notices (Ofcom on 09,
087 and 070 numbers; PhonepayPlus / the Phone-paid Services Authority's code: a price, the STOP command and a
helpline or PO box shown in every promotion) and the US FTC's advice on text-message scams and cramming describe
the shape this module reads, not any one message:
- a premium-rate number (11 digits starting 09, 0870-0873 or 070, written with or without spaces), or
- a short code to text (txt, text, send or reply WORD, or a keyword in capitals, "to" a 5- or 6-digit number), or
- a keyword in capitals to text back (Reply WIN, txt MUSIC),
together with what makes it a charge or a hook: a price (£1.50, 150p, 10p/min, per msg, std rate), a stop or
opt-out instruction, a PO box, terms or 18+, or a prize (won, winner, claim) or offer (cash, voucher, free). A
premium number or a short code needs one of them (a premium number may instead come with a call-back hook: a
missed call, 'leave a message', 'call now', or since session 18 'you have a new message / voicemail':
premium_rate.json "message_hooks"); a capitals keyword without a short code needs two of them, and the
answers of a booking or a delivery (Reply YES to confirm, C to cancel) are no keyword. A number whose format is
also an ordinary mobile number abroad (09 and 070: a Philippine 0917 123 4567, a Nigerian 0703 123 4567) needs a
price, a stop or a prize itself: "Call now 0917 123 4567, free delivery" is a shop's advert, "sorry I missed your
call, call me back on 0917 ..." a friend's text.

Ordinary texts with numbers (an appointment at 10:30, bus 73, order 123456, a postcode, a phone number of 10 or
12 digits, a year) have no such channel. A warning about such texts (scam, beware, don't reply, report) stands
the finding down. A finding is word-list evidence of category fraud, severity 2, rule
`lexicon:premium_rate:number`, `lexicon:premium_rate:short_code` or `lexicon:premium_rate:keyword`, view
`premium_rate`, its span the channel as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from filters import regex_cache
from filters.entry_table import Entry
from filters.match_hits import Hit

PACK = "premium_rate"
CATEGORY = "fraud"
SEVERITY = 2
VIEW = "premium_rate"
WINDOW = 160  # characters around the channel in which its price, stop or prize is looked for
WORDS = Path(__file__).resolve().parent / "data" / "tables" / "premium_rate.json"


def _read_words(path: Path = WORDS) -> dict[str, list[str]]:
    """The word lists of premium_rate.json, validated: each a non-empty list of non-empty strings."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    keys = ("premium_prefixes", "shared_prefixes", "prize_words", "offer_words", "warning_phrases", "ordinary_caps")
    if not all(isinstance(doc.get(k), list) and doc[k] and all(isinstance(w, str) and w.strip() for w in doc[k])
               for k in keys):
        raise ValueError(f"{path.name}: {', '.join(keys)} must be non-empty lists of words")
    hooks = doc.get("message_hooks", [])  # optional (session 18): older files lack it
    if not isinstance(hooks, list) or not all(isinstance(w, str) and w.strip() for w in hooks):
        raise ValueError(f"{path.name}: message_hooks must be a list of words")
    return {**{k: doc[k] for k in keys}, "message_hooks": hooks}


def _alternation(words: list[str]) -> str:
    """A regex alternation of the words as written, a space matching any one white-space character."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s") for w in words)


_WORDS = _read_words()

_FOUR = regex_cache.compile("[0-9]{4}")  # a number or a short code holds a run of 4 digits
_KEY_VERBS = ("reply", "txt", "text", "send", "sms", "msg")  # substrings a keyword to text back needs
_VERBS = (*_KEY_VERBS, "stop", "opt", "from")  # substrings a short code needs
_CAPS = regex_cache.compile("[A-Z][A-Z0-9]")  # a keyword in capitals needs two
# a UK number of 11 digits, spaces or hyphens allowed, that is premium rate: 090, 091, 098 (premium rate),
# 0870-0873 (revenue sharing), 070 (personal numbers)
_PHONE = regex_cache.compile(r"(?<![0-9+])0[0-9](?:[ -]?[0-9]){8,10}(?![0-9])")
PREMIUM = tuple(_WORDS["premium_prefixes"])
# premium prefixes whose 11-digit numbers are also ordinary mobile numbers abroad (a Philippine 0917 123 4567, a
# Nigerian 0703 123 4567): such a number needs what a premium promotion shows (a price, a stop) or a prize lure;
# a call-back hook or an offer word ("call now", "free delivery") is what a shop advert or a friend says too
SHARED = tuple(_WORDS["shared_prefixes"])
_VERB = r"(?:txt|text|sms|send|reply|replying|msg)"
_VERB_ANY_CASE = "|".join(f"{v}|{v.capitalize()}|{v.upper()}"
                          for v in ("txt", "text", "sms", "send", "reply", "replying", "msg"))
# the verb, at most one word (the keyword: txt NOKIA, reply STOP, send go), "to" and the code: 5 or 6 digits
# (on the lower-cased text)
_SHORT = regex_cache.compile(rf"\b(?:{_VERB}|stop|opt\s?out)\s+(?:[\"'\w&]{{1,14}}\s+)?(?:to|2|on)\s*"
                             r"([6-9][0-9]{4,5})(?![0-9])|\bfrom\s+([6-9][0-9]{4})(?![0-9])")
# a keyword in capitals (2+ letters) after the verb: Reply WIN, txt MUSIC, send GO
_KEYWORD = regex_cache.compile(rf"\b(?:{_VERB_ANY_CASE})\s+([A-Z][A-Z0-9]{{1,11}})\b")
_PRICE = regex_cache.compile(
    r"(?i)£\s?[0-9]|\b[0-9]+(?:\.[0-9]+)?\s?(?:p|pence|ppm|gbp)\b|\bper\s?(?:min|minute|msg|message|txt|text|wk|week)\b"
    r"|/\s?(?:min|msg|txt|wk|week|sms)\b|\bstd\s?(?:ntwk|network|net)?\s?(?:rate|chg|charge)s?\b"
    r"|\bstandard\s(?:network\s)?(?:rate|charge)s?\b|\bcall\s?cost|\bcost\s[0-9]+p")
_STOP = regex_cache.compile(
    r"(?i)\b(?:stop|opt\s?out|unsubscribe|unsub)\b|\bp\.?o\.?\s?box|\bpobox|\bt\s?&\s?cs?\b|\bts\s?&\s?cs\b|\b18\+"
    r"|\bhelp\s?line\b|\bcustomer\s?(?:care|services?)\b")
_PRIZE = regex_cache.compile(rf"(?i)\b(?:{_alternation(_WORDS['prize_words'] + _WORDS['offer_words'])})\b")
_LURE = regex_cache.compile(rf"(?i)\b(?:{_alternation(_WORDS['prize_words'])})\b")  # a win or claim, adult chat
_WARNING = regex_cache.compile(rf"(?i)\b(?:{_alternation(_WORDS['warning_phrases'])})\b")
# capitals that are no keyword of a paid service: ordinary words shouted, and the answers of a booking or a
# delivery (Reply YES to confirm, C to cancel, STOP to opt out)
_ORDINARY_CAPS = frozenset(_WORDS["ordinary_caps"])


def _entry(term: str) -> Entry:
    return Entry(term, CATEGORY, SEVERITY, "exact", False, (), PACK)


def _near(pattern: re.Pattern[str], text: str, a: int, b: int, skip: tuple[int, int] | None = None) -> bool:
    """True if `pattern` matches within WINDOW characters of [a, b) (outside `skip`, the channel itself)."""
    lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
    for m in pattern.finditer(text, lo, hi):
        if skip is None or m.end() <= skip[0] or m.start() >= skip[1]:
            return True
    return False


def _keywords(text: str) -> list[tuple[int, int]]:
    """[start, end) of each verb + capitals keyword (Reply WIN), less ordinary capitals (I, OK)."""
    return [m.span() for m in _KEYWORD.finditer(text)
            if m.group(1) not in _ORDINARY_CAPS and not m.group(1).isdigit()]


def find(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each paid channel in `text` with its price, stop or prize beside it; kind is
    number, short_code or keyword."""
    digits = _FOUR.search(text) is not None
    caps = _CAPS.search(text) is not None
    if not (digits or caps):
        return []  # most texts: two scans in C
    low = text.lower()
    keyword = caps and any(v in low for v in _KEY_VERBS)
    if not (keyword or digits):
        return []
    verbs = keyword or any(v in low for v in _VERBS)
    if len(low) != len(text):
        low = text  # a character whose lower case is longer (İ): keep positions (a short code then needs lower case)
    out: list[tuple[int, int, str]] = []
    for m in _PHONE.finditer(text) if digits else ():
        number = m.group().replace(" ", "").replace("-", "")
        if len(number) != 11 or not number.startswith(PREMIUM):
            continue
        a, b = m.span()
        cues = (_PRICE, _STOP, _LURE) if number.startswith(SHARED) else _UNSHARED_CUES
        if any(_near(p, text, a, b) for p in cues):
            out.append((a, b, "number"))
    for m in _SHORT.finditer(low) if digits and verbs else ():
        a, b = m.span()
        if any(_near(p, text, a, b, (a, b)) for p in (_PRICE, _STOP, _PRIZE)):
            out.append((a, b, "short_code"))
    if not out and keyword:
        for a, b in _keywords(text):
            if sum(_near(p, text, a, b, (a, b)) for p in (_PRICE, _STOP, _PRIZE)) >= 2:
                out.append((a, b, "keyword"))
    if out and _WARNING.search(text):
        return []  # a warning about such texts, not one of them
    return out


# the hooks of a call-back scam (Ofcom: missed calls and messages that ask for a call to a costly number)
_CALL_HOOK = regex_cache.compile(r"(?i)\bmissed\s(?:a\s|your\s|my\s)?call|\bleft\sno\smessage"
                                 r"|\bleave\s(?:a\s)?(?:msg|message)|\bcall\s(?:me\s)?back\b|\bcall\snow\b")
# 'you have a new message / voicemail' (premium_rate.json "message_hooks", optional in older files): the same hook
_MESSAGE_HOOK = regex_cache.compile(rf"(?i)\b(?:{_alternation(_WORDS['message_hooks'])})\b") if _WORDS.get(
    "message_hooks") else None
_CALL_TO = regex_cache.compile(r"(?i)\bcall\s+(?:(?:now|today|free)\s+)?(?:on\s+)?[0-9 -]{11,14}\s+(?:to|now|for)\b")


def hits(text: str) -> list[Hit]:
    """Word-list evidence of the premium-rate channels in `text` (empty for most texts)."""
    return [Hit(_entry(kind), (a, b), text[a:b], VIEW) for a, b, kind in find(text)]


# what a premium number that is not also a mobile number abroad needs beside it
_UNSHARED_CUES = tuple(p for p in (_PRICE, _STOP, _PRIZE, _CALL_HOOK, _CALL_TO, _MESSAGE_HOOK) if p is not None)
