"""Importer: LDNOOBW's English and Chinese lists (CC-BY-4.0), which carry no categories.

Terms are placed by filters/tools/keyword_rules.py (Chinese) or, for English, as sexual when they
name sexual acts or anatomy and as bullying when they are slurs (keyword lists below); a term that
no rule places is left out and listed as unmapped.
"""

from __future__ import annotations

import re

from filters.tools.keyword_rules import categorise
from filters.tools.sources import Candidate, Source, read_placed_lines

SLURS = re.compile(r"nigg|negro|coon|chink|gook|spic|wetback|kike|raghead|towelhead|dyke|fag|tranny|"
                   r"retard|spastic|shemale|homo|queer|jap\b|paki|beaner|honkey|twat|cunt|bitch|bastard|"
                   r"whore|slut|motherfucker|asshole|douche|wank|jerk")
SEXUAL = re.compile(r"sex|porn|fuck|cock|dick|pussy|cum|anal|anus|orgasm|orgy|nude|nudity|naked|tits|boob|"
                    r"nipple|penis|vagina|vulva|clit|dildo|vibrator|masturb|blowjob|handjob|rimjob|bdsm|bondage|"
                    r"fetish|hentai|incest|rape|pedo|erotic|escort|strip|xxx|milf|gangbang|threesome|bukkake|"
                    r"creampie|deepthroat|ejacul|fisting|genital|horny|jizz|semen|sperm|spunk|squirt|suck|"
                    r"shag|slut|whore|butt|ass|bang|hooker|prostitut|pegging|scat|smut|camgirl|camslut")


def categorise_en(term: str) -> tuple[str, int] | None:
    if SLURS.search(term):
        return "bullying", 2
    if SEXUAL.search(term):
        return "sexual", 2
    return None


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    for name, rule in (("en", categorise_en), ("zh", categorise)):
        read_placed_lines(source, name, rule, "unmapped (no keyword rule places it)", out, skipped)
    return out, skipped
