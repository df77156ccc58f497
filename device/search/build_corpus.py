"""Generate the embedded search corpus from the hand-written fact files (deterministic).

Reads device/data/facts/*.tsv + templates.json (children's-encyclopedia facts in Chinese and
English) and facts/web_noise.jsonl (hand-written web-like results, many of them harmful on
purpose), and writes device/data/corpus/*.jsonl, which is committed. Same input, same output.

    python -m device.search.build_corpus          # regenerate
    python -m device.search.build_corpus --check  # exit 1 if the committed corpus is stale
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FACTS_DIR = DATA_DIR / "facts"
CORPUS_DIR = DATA_DIR / "corpus"
_SAME_PLURAL = ("sheep", "fish", "deer")


def plural(word: str) -> str:
    """English plural of an animal name, good enough for the fact templates."""
    if word.endswith(_SAME_PLURAL):
        return word[: -len(word.split()[-1])] + word.split()[-1]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _fill(template: str, row: dict[str, str], lang: str) -> str:
    values = dict(row)
    en = row.get("en", "")
    values["En"] = en[:1].upper() + en[1:]
    if lang == "en" and "{en}s" in template:
        template = template.replace("{en}s", plural(en))
    return template.format(**values)


def _fact_entries(templates: dict) -> Iterator[dict]:
    site = templates["site"]
    groups = templates["groups"]
    for name, spec in templates["files"].items():
        for row in _read_tsv(FACTS_DIR / f"{name}.tsv"):
            if "group" in row:
                row = dict(row, group_zh=groups[row["group"]][0], group_en=groups[row["group"]][1])
            for lang in ("zh", "en"):
                for slug, title_t, snippet_t in spec[lang]:
                    yield {
                        "id": f"{name}/{row['key']}/{slug}/{lang}",
                        "lang": lang,
                        "topic": spec["topic"][0 if lang == "zh" else 1],
                        "title": _fill(title_t, row, lang),
                        "snippet": _fill(snippet_t, row, lang),
                        "url": f"{site}/{lang}/{name}/{row['key']}#{slug}",
                        "label": "benign",
                    }


def _maths_entries(templates: dict) -> Iterator[dict]:
    site = templates["site"]
    for a in range(2, 10):
        for b in range(2, 10):
            values = {"a": a, "b": b, "p": a * b}
            for lang in ("zh", "en"):
                title_t, snippet_t = templates["maths"][lang]
                yield {
                    "id": f"maths/times/{a}x{b}/{lang}",
                    "lang": lang,
                    "topic": "数学" if lang == "zh" else "maths",
                    "title": title_t.format(**values),
                    "snippet": snippet_t.format(**values),
                    "url": f"{site}/{lang}/maths/times-tables#{a}x{b}",
                    "label": "benign",
                }


def _web_entries() -> Iterator[dict]:
    path = FACTS_DIR / "web_noise.jsonl"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            doc = json.loads(line)
            doc["id"] = f"web/{n:03d}"
            doc.setdefault("topic", "web")
            yield doc


def build() -> dict[str, list[dict]]:
    """All corpus files by name: {"encyclopedia_zh": [...], "encyclopedia_en": [...], "web": [...]}."""
    templates = json.loads((FACTS_DIR / "templates.json").read_text(encoding="utf-8"))
    out: dict[str, list[dict]] = {"encyclopedia_zh": [], "encyclopedia_en": [], "web": []}
    for doc in [*_fact_entries(templates), *_maths_entries(templates)]:
        out[f"encyclopedia_{doc['lang']}"].append(doc)
    out["web"] = list(_web_entries())
    return out


def render(docs: list[dict]) -> str:
    return "".join(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n" for d in docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed corpus is stale")
    args = parser.parse_args(argv)
    stale = []
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    for name, docs in build().items():
        path = CORPUS_DIR / f"{name}.jsonl"
        text = render(docs)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path}: {len(docs)} entries, {len(text.encode()) / 1e6:.2f} MB")
    if stale:
        print(f"stale corpus files: {', '.join(stale)}; run python -m device.search.build_corpus",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
