"""Coded group names (filters/data/sources/coded_groups.json): check their terms against ordinary text, write them.

Each name of the glossary says how kidsafe uses it: `term` or `phrases` (its `terms` go into the core bullying
pack), `group_word` (one of the hate rules' group names, hate.json's group_zh: it blocks only next to a degrading
predicate, a wish or an expulsion), `out` (left out, with why). This tool
- (default) runs every term through the real matcher over ordinary text (filters/tools/curate.py: jieba's top
  words and dictionary, wordfreq, the search corpus, classical poems, COLD's non-offensive rows) and prints each
  automatic objection with its evidence, plus the terms and group words missing from the pack and the rules;
  a hand-written core term may stand against an objection the glossary answers (two characters, a rare word);
- `--write`: adds the glossary's terms that the bullying pack lacks (severity and sound-alike matching as the
  glossary says: off for two-character terms, whose sounds are ordinary words: 默女 ~ 魔女), bumping its version.
Run `make packs` and `make golden` after `--write`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent
GLOSSARY = REPO / "filters" / "data" / "sources" / "coded_groups.json"
PACK = REPO / "filters" / "data" / "packs" / "bullying.json"
HATE_RULES = REPO / "filters" / "data" / "combos" / "hate.json"
USES = ("term", "phrases", "group_word", "out")
CATEGORY = "bullying"


def load(path: Path = GLOSSARY) -> list[dict[str, Any]]:
    """The glossary's names, validated: each has a name, a group, a use of USES and terms only where they go in."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    names = doc["names"]
    for n in names:
        if not (n.get("name") and n.get("group") and n.get("use") in USES):
            raise ValueError(f"{path.name}: bad name entry {n!r}")
        if n["use"] == "out" and n.get("terms"):
            raise ValueError(f"{path.name}: {n['name']!r} is left out but lists terms")
        for t in n.get("terms", []):
            if t.get("severity") not in (1, 2, 3):
                raise ValueError(f"{path.name}: {t!r} needs a severity of 1-3")
    return names


def entries(names: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pack entries of every listed term (sound-alike matching off for two-character terms)."""
    out = []
    for n in names:
        for t in n.get("terms", []):
            e: dict[str, Any] = {"term": t["term"], "category": CATEGORY, "severity": t["severity"]}
            if len(t["term"]) <= 2 or t.get("homophones") is False:
                e["homophones"] = False
            if t.get("allow"):
                e["allow"] = list(t["allow"])
            out.append(e)
    return out


def group_words(names: list[dict[str, Any]]) -> list[str]:
    """The hate rules' cues for the glossary's group words: a one-character name only as a whole word (`=默`: the
    rules' edge check keeps it out of 沉默, 默认, 幽默), a longer name as written."""
    return [("=" + n["name"]) if len(n["name"]) == 1 else n["name"] for n in names if n["use"] == "group_word"]


def missing(names: list[dict[str, Any]], pack: dict[str, Any], hate: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(terms the pack lacks, group words the hate rules' group_zh lacks)."""
    have = {e["term"] for e in pack["entries"]}
    groups = set(hate["cue_sets"]["group_zh"])
    terms = [e["term"] for e in entries(names) if e["term"] not in have]
    return terms, [w for w in group_words(names) if w not in groups]


def next_version(old: str, today: dt.date) -> str:
    """YYYY.MM.DD.N: the next N today, or .1 on a new day."""
    stem = today.strftime("%Y.%m.%d")
    if old.startswith(stem + "."):
        return f"{stem}.{int(old.rsplit('.', 1)[1]) + 1}"
    return f"{stem}.1"


def write(names: list[dict[str, Any]], path: Path = PACK, today: dt.date | None = None) -> int:
    """Append the glossary's terms that the pack lacks; returns how many were added."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    have = {e["term"] for e in doc["entries"]}
    new = [e for e in entries(names) if e["term"] not in have]
    if new:
        doc["entries"].extend(new)
        doc["version"] = next_version(doc["version"], today or dt.date.today())
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(new)


def check(names: list[dict[str, Any]]) -> list[str]:
    """The automatic curation's objections to the glossary's terms, one line each with evidence."""
    from filters.lexicon import parse_pack
    from filters.tools.benign_text import load_benign
    from filters.tools.curate import Curator

    pack = parse_pack({"schema": 1, "pack": "coded_groups", "version": "0", "entries": entries(names)})
    found = Curator().curate(pack.entries, load_benign())
    return [f"{pack.entries[i].term}: {r.reason}: {' | '.join(r.evidence)}" for i, r in sorted(found.items())]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="add the missing terms to the bullying pack")
    args = ap.parse_args(argv)
    names = load()
    for line in check(names):
        print("objection:", line)
    terms, groups = missing(names, json.loads(PACK.read_text(encoding="utf-8")),
                            json.loads(HATE_RULES.read_text(encoding="utf-8")))
    print(f"{len(entries(names))} terms, {len(group_words(names))} group words; missing from the pack: {terms}; "
          f"from hate.json group_zh: {groups}")
    if args.write:
        print(f"added {write(names)} terms to {PACK.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
