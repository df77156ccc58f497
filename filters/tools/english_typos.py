"""Build filters/data/tables/english_typos.json: the words English misspellings are read back to, and the real
words that look like such misspellings.

Targets: every English pack term of one word of 4+ letters (slurs, insults, obscenities), every word of an
English bullying, violence or self-harm term (kill yourself), and every word of an English cue of the hate and
abuse rules (group names, hate verbs and claims: women, immigrants, hate,
disgusting; the other rule files' cues are ordinary words: version, address, password)
that people really write (wordfreq Zipf >= TARGET_ZIPF: kike and spic are in, the imported lists' rarities
such as hermie or glizy, which ordinary names and words are one letter from, are out).
Real words: every word of wordfreq's English list (Zipf >= REAL_ZIPF) that is itself one adjacent swap, one
missing or one extra letter away from a target (hats, mate), or (Zipf >= GLUED_ZIPF) that splits wholly into
targets and short function words (feckless); and every misspelling of a common word (Zipf >= COMMON_ZIPF)
that is also a misspelling of a target (fiting: fitting or fisting). Written so, they are left alone by
filters/english_reading.py.
Short words (session 13): the 3-letter words of the same sources (gay, die, jew; Zipf >= SHORT_ZIPF), which
a glued token may split into (gaypeopleareworthless) but nothing is respelt to; the real words above are
computed with them (runaway, carpets are words, not run a way).

Ordinary words (session 16, tables/english_words.json): wordfreq's English words of 3+ letters and Zipf >=
ORDINARY_ZIPF, which a glued token with one target may split into (killyourself, ihateyou), and the rarer
wordfreq words (Zipf >= GLUED_ZIPF) that would split so (backend, grapeshot: whole_words, left alone).

Run: `python -m filters.tools.english_typos --write`, then `make golden`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import string
from importlib.metadata import version
from pathlib import Path

from filters import english_reading
from filters.spaced_letters import load_words

REPO = Path(__file__).resolve().parent.parent.parent
COMBOS = REPO / "filters" / "data" / "combos"
TARGET_ZIPF = 2.0  # a target this frequent (about 1 use in 10 million words) is written often enough to be misspelt
GLUED_ZIPF = 1.0  # a word this frequent that would split into words is a word (feckless 2.3, but hashtags are rarer)
COMMON_ZIPF = 3.0  # misspellings of a word this common are as likely that word as a target
SHORT_ZIPF = 3.0  # a 3-letter word this frequent is a word, not a fragment of an imported list
ORDINARY_ZIPF = 3.3  # a word this frequent (about 2 uses in a million words) is an ordinary word of a glued run
REAL_ZIPF = 2.5  # a word this frequent (about 3 uses in 10 million words) is a real word; rarer ones are often
# misspellings themselves (poeple 2.1, dieing 2.3)
_WORD = re.compile(r"[a-z]+")
_CUE = re.compile(r"[a-z' ]+")
HARM_WORDS = ("bullying", "violence", "self_harm")  # categories whose phrases are made of words of harm (kill yourself)
HATE_RULES = ("shared_cues.json", "hate.json", "hate_claims.json", "bullying.json")  # the rules of hate and abuse
_PROSE_KEYS = {"description", "provenance", "license", "name", "version", "schema", "kind", "about", "id", "note"}


def cue_words(node: object) -> set[str]:
    """Words of the English cue strings anywhere in a rule file (not its prose fields)."""
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in _PROSE_KEYS:
                out |= cue_words(v)
    elif isinstance(node, list):
        for v in node:
            out |= cue_words(v)
    elif isinstance(node, str) and _CUE.fullmatch(node):
        out |= set(_WORD.findall(node))
    return out


def source_words() -> set[str]:
    """Every word of any length the targets and short words are drawn from: the packs' one-word English terms,
    the words of their English harm phrases and of the hate and abuse rules' English cues."""
    from filters.engine import TextFilter

    tf = TextFilter.load()
    words = {e.term.lower() for p in tf.packs for e in p.entries if e.term.isascii() and e.term.isalpha()}
    words |= {w for p in tf.packs for e in p.entries if e.term.isascii() and e.category in HARM_WORDS
              for w in _WORD.findall(e.term.lower())}
    for name in HATE_RULES:
        words |= cue_words(json.loads((COMBOS / name).read_text(encoding="utf-8")))
    return {w for w in words if w.isalpha()}


def candidate_words() -> set[str]:
    """Every word the targets are drawn from (before the wordfreq test): source words of 4+ letters."""
    return {w for w in source_words() if len(w) >= english_reading.MIN_TARGET}


def targets() -> set[str]:
    import wordfreq

    return {w for w in candidate_words() if wordfreq.zipf_frequency(w, "en") >= TARGET_ZIPF}


def short_words() -> set[str]:
    """The 3-letter source words (gay, die, jew): too short to respell, but words that a glued token may split
    into (gaypeopleareworthless), less the function words and the imported lists' fragments (wordfreq Zipf >=
    SHORT_ZIPF: fis, mmp out)."""
    import wordfreq

    function_words, _ = load_words()
    return {w for w in source_words() if len(w) == english_reading.MIN_TARGET - 1 and w not in function_words
            and wordfreq.zipf_frequency(w, "en") >= SHORT_ZIPF}


def ordinary_words(target: set[str]) -> set[str]:
    """wordfreq's English words of 3+ letters and Zipf >= ORDINARY_ZIPF, less the targets."""
    import wordfreq

    freqs = wordfreq.get_frequency_dict("en")
    floor = 10 ** (ORDINARY_ZIPF - 9)
    return {w for w, f in freqs.items() if f >= floor and len(w) >= 3 and w.isascii() and w.isalpha()} - target


def real_words(reader: english_reading.EnglishReading) -> list[str]:
    """Tokens the reader must leave alone: wordfreq's English words that it would read as something else
    (Zipf >= REAL_ZIPF, or >= GLUED_ZIPF for a word it would split: feckless is not feck less), and the
    misspellings of a common word (Zipf >= COMMON_ZIPF) that it would read as a target (fiting is fitting
    missing a t as much as fisting missing an s)."""
    import wordfreq

    freqs = wordfreq.get_frequency_dict("en")
    out = set()
    for word, freq in freqs.items():
        zipf = math.log10(freq) + 9 if freq > 0 else 0.0
        if zipf < GLUED_ZIPF or not (word.isascii() and word.isalpha()):
            continue
        got = reader.reading(word)
        if got is not None and (zipf >= REAL_ZIPF or " " in got):
            out.add(word)
        if zipf >= COMMON_ZIPF and len(word) >= english_reading.MIN_TARGET - 1 and word not in reader.targets:
            for typo in misspellings(word):
                got = reader.respelt(typo)
                if got is not None and got != word and typo not in reader.targets:
                    out.add(typo)
    return sorted(out)


def misspellings(word: str) -> set[str]:
    """The word with two adjacent letters swapped, a letter missing, or a letter added."""
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    out |= {word[:i] + word[i + 1:] for i in range(len(word))}
    out |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in string.ascii_lowercase}
    return out - {word}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {english_reading.TABLE.name}")
    args = ap.parse_args(argv)
    target = targets()
    short = short_words()
    function_words, _ = load_words()
    reader = english_reading.EnglishReading(frozenset(target), frozenset(), function_words,
                                            short_words=frozenset(short))
    real = real_words(reader)
    ordinary = ordinary_words(target)
    with_ordinary = english_reading.EnglishReading(frozenset(target), frozenset(), function_words,
                                                   short_words=frozenset(short),
                                                   ordinary=lambda: (frozenset(ordinary), frozenset()))
    whole = sorted(set(real_words(with_ordinary)) - set(real))
    print(f"{len(target)} targets, {len(real)} real words that look like misspellings of them, "
          f"{len(ordinary)} ordinary words, {len(whole)} rarer words that would split into them")
    if args.write:
        doc = {
            "description": "English misspellings read back to a word harm is written with "
                           "(filters/english_reading.py): targets, and the real words that look like their "
                           "misspellings (left alone). "
                           "Generated by python -m filters.tools.english_typos --write.",
            "sources": ["the one-word English terms of filters/data/packs and the English cues of the hate and abuse "
                        f"rules of filters/data/combos ({', '.join(HATE_RULES)}), of wordfreq Zipf >= {TARGET_ZIPF}",
                        f"wordfreq {version('wordfreq')} (PyPI, Apache-2.0 code, CC BY-SA 4.0 data): English words "
                        f"of Zipf >= {REAL_ZIPF} that look like a misspelt target"],
            "targets": sorted(target),
            "short_words": sorted(short),
            "real_words": real,
        }
        english_reading.TABLE.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        words = {
            "description": "Ordinary English words a glued token with one target may split into "
                           "(filters/english_reading.py: killyourself, ihateyou). "
                           "Generated by python -m filters.tools.english_typos --write.",
            "source": f"wordfreq {version('wordfreq')} (PyPI, Apache-2.0 code, CC BY-SA 4.0 data): English words "
                      f"of 3+ ASCII letters and Zipf >= {ORDINARY_ZIPF}, less the targets of english_typos.json",
            "whole_source": f"wordfreq {version('wordfreq')}: English words of Zipf >= {GLUED_ZIPF} that would "
                            "split into a target and ordinary words (backend, grapeshot): left alone",
            "words": " ".join(sorted(ordinary)),
            "whole_words": " ".join(whole),
        }
        english_reading.WORDS.write_text(json.dumps(words, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
