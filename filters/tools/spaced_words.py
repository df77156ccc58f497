"""Ordinary English words that spaced-out would split into a term: filters/data/spaced_words.json `whole_words`.

filters/spaced_letters.py splits a spaced-out letter run into words to find a term the article or
the words around it joined onto ("a r e t a r d"). An ordinary word spelt out ("t h e r a p i s t")
may split the same way (the rapist). This tool spells each of wordfreq's most frequent English words
out letter by letter; a word that is allowed as written but blocked spelt out is kept whole.

Run: `python -m filters.tools.spaced_words [--top N]` (needs the tools extra: wordfreq).
"""

from __future__ import annotations

import argparse
import json
import sys

from filters.spaced_letters import MIN_LETTERS, WORDS_PATH


def ordinary_words_split_into_terms(top: int) -> list[str]:
    from wordfreq import top_n_list

    from filters.engine import TextFilter

    tf = TextFilter.load()  # word lists only: the spaced split is a matcher question
    out = []
    for word in top_n_list("en", top):
        if len(word) < MIN_LETTERS or not word.isascii() or not word.isalpha():
            continue
        if tf.check(" ".join(word)).action == "block" and tf.check(word).action != "block":
            out.append(word)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.spaced_words", description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=60_000, help="wordfreq English words to spell out")
    args = ap.parse_args(argv)
    doc = json.loads(WORDS_PATH.read_text(encoding="utf-8"))
    doc["whole_words"] = []  # judged without the old list
    WORDS_PATH.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    doc["whole_words"] = ordinary_words_split_into_terms(args.top)
    doc["whole_words_from"] = f"wordfreq top_n_list('en', {args.top})"
    WORDS_PATH.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(doc['whole_words'])} ordinary words kept whole: {', '.join(doc['whole_words'][:40])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
