"""Build the public evaluation sets (filters/data/eval/public/*.jsonl) from pinned, licensed real text.

Nobody on this project wrote these rows, the model is not trained on them and no pack term is taken
from them (one caveat: the SWSR comments come from the corpus SexHateLex was collected from, and
SexHateLex is an imported pack source; `make eval` says so beside the figures). Each set is a
deterministic sample (stable hash of the text) of one upstream file, checked against its pinned sha256;
filters/data/eval/public/sources.json records repository, commit, path, licence and sampling.

- swsr_comments.jsonl: aggiejiang/SWSR SWSR/SexComment.csv (MIT), Weibo comments labelled sexist (with
  a category) or not: sexist 400 -> block, not sexist 300 -> allow;
- davidson_tweets.jsonl: t-davidson/hate-speech-and-offensive-language data/labeled_data.csv (MIT),
  tweets labelled hate / offensive / neither: 300 each, the first two -> block;
- sms_spam.jsonl: SMS Spam Collection v.1 (Almeida, Gómez Hidalgo; UCI; CC-BY-4.0), copy in
  hamzaaacodes/sms-spam-collection: spam 300 -> block (fraud), ham 300 -> allow;
- stormfront_posts.jsonl: Vicomtech/hate-speech-dataset (de Gibert et al. 2018; CC BY-SA 3.0 ES), sentences
  of a white-supremacist forum, the authors' own balanced test sample (sampled_test/, 239 hate, 239 noHate):
  hate -> block, noHate -> allow. English hate with few slurs, from a source nothing here is trained on.

Upstream files are not committed (only the sample is): get them with the search tool's `fetch` and
pass them in. Run: `python -m filters.tools.build_public_eval --swsr SexComment.csv
--davidson labeled_data.csv --sms SMSSpamCollection --stormfront hate-speech-dataset/`; same inputs, same
output.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from filters.tools.sources import REDISTRIBUTABLE

PUBLIC_DIR = Path(__file__).resolve().parent.parent / "data" / "eval" / "public"
MANIFEST = PUBLIC_DIR / "sources.json"
MAX_CHARS = 500
# Licences an evaluation sample may carry: those packs may be built from, plus share-alike, which allows
# redistributing the sample as a separate file under its own licence (it is never mixed into a pack or
# trained on, so nothing else inherits it).
EVAL_LICENCES = REDISTRIBUTABLE | {"CC-BY-SA-3.0-ES"}


class EvalSourceError(ValueError):
    """An upstream file is not the pinned one."""


def stable_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sample(rows: Iterable[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """n rows chosen by the stable hash of their text (no duplicates, no over-long rows)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        text = row["text"].strip()
        if text and len(text) <= MAX_CHARS and text not in seen:
            seen[text] = {**row, "text": text}
    return [seen[t] for t in sorted(seen, key=stable_key)[:n]]


def check_pin(path: Path, sha256: str) -> bytes:
    return check_bytes(path.read_bytes(), sha256, path)


def check_bytes(data: bytes, sha256: str, path: Path) -> bytes:
    """`data` (read from `path`) if its sha256 is the pinned one, else EvalSourceError."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise EvalSourceError(f"{path}: sha256 {digest[:12]}... is not the pinned {sha256[:12]}...")
    return data


def swsr_rows(data: bytes) -> list[dict[str, Any]]:
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    sexist = []
    for cat, n in (("SO", 85), ("SA", 40), ("SCB", 140), ("MA", 135)):
        sexist += sample(({"text": r["comment_text"], "expect": "block", "cat": "bullying", "trick": f"swsr:{cat}",
                           "lang": "zh"} for r in rows if r["label"] == "1" and r["category"] == cat), n)
    benign = sample(({"text": r["comment_text"], "expect": "allow", "cat": "benign", "trick": "swsr:not-sexist",
                      "lang": "zh", "redact_ok": True} for r in rows if r["label"] == "0"), 300)
    return sexist + benign


DAVIDSON = {"0": ("block", "bullying", "davidson:hate"), "1": ("block", "bullying", "davidson:offensive"),
            "2": ("allow", "benign", "davidson:neither")}


def davidson_rows(data: bytes) -> list[dict[str, Any]]:
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    out = []
    for cls, (expect, cat, trick) in DAVIDSON.items():
        out += sample(({"text": html.unescape(r["tweet"]), "expect": expect, "cat": cat, "trick": trick, "lang": "en",
                        **({"redact_ok": True} if expect == "allow" else {})} for r in rows if r["class"] == cls), 300)
    return out


def sms_rows(data: bytes) -> list[dict[str, Any]]:
    pairs = [line.split("\t", 1) for line in data.decode("utf-8").splitlines()[1:] if "\t" in line]
    spam = sample(({"text": t, "expect": "block", "cat": "fraud", "trick": "sms:spam", "lang": "en"}
                   for label, t in pairs if label == "spam"), 300)
    ham = sample(({"text": t, "expect": "allow", "cat": "benign", "trick": "sms:ham", "lang": "en", "redact_ok": True}
                  for label, t in pairs if label == "ham"), 300)
    return spam + ham


def stormfront_folder(folder: Path) -> bytes:
    """The pinned bytes of a hate-speech-dataset checkout: annotations_metadata.csv, then each file of
    sampled_test/ in name order, all joined by NUL bytes (one digest pins the labels and the sample)."""
    parts = [(folder / "annotations_metadata.csv").read_bytes()]
    for path in sorted((folder / "sampled_test").glob("*.txt")):
        parts += [path.name.encode("utf-8"), path.read_bytes()]
    return b"\0".join(parts)


def stormfront_rows(data: bytes) -> list[dict[str, Any]]:
    """Every sentence of the authors' test sample (both labels, all of it: it is already balanced)."""
    meta, *files = data.split(b"\0")
    labels = {r["file_id"]: r["label"] for r in csv.DictReader(meta.decode("utf-8").splitlines())}
    out = []
    for name, text in zip(files[0::2], files[1::2], strict=True):
        label = labels.get(name.decode("utf-8").removesuffix(".txt"))
        if label in ("hate", "noHate"):
            hate = label == "hate"
            out.append({"text": text.decode("utf-8", errors="replace"), "expect": "block" if hate else "allow",
                        "cat": "bullying" if hate else "benign", "trick": f"stormfront:{label}",
                        "lang": "en", **({} if hate else {"redact_ok": True})})
    return sample(out, len(out))


BUILDERS: dict[str, Callable[[bytes], list[dict[str, Any]]]] = {
    "swsr_comments": swsr_rows, "davidson_tweets": davidson_rows, "sms_spam": sms_rows,
    "stormfront_posts": stormfront_rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.build_public_eval", description=__doc__.splitlines()[0])
    ap.add_argument("--swsr", type=Path, help="SWSR/SexComment.csv at the pinned commit")
    ap.add_argument("--davidson", type=Path, help="data/labeled_data.csv at the pinned commit")
    ap.add_argument("--sms", type=Path, help="SMSSpamCollection at the pinned commit")
    ap.add_argument("--stormfront", type=Path, help="a checkout of Vicomtech/hate-speech-dataset at the pinned commit")
    args = ap.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    given = {"swsr_comments": args.swsr, "davidson_tweets": args.davidson, "sms_spam": args.sms,
             "stormfront_posts": args.stormfront}
    for name, path in given.items():
        if path is None:
            continue
        pin = manifest["sets"][name]
        data = stormfront_folder(path) if path.is_dir() else path.read_bytes()
        rows = BUILDERS[name](check_bytes(data, pin["upstream_sha256"], path))
        out = PUBLIC_DIR / f"{name}.jsonl"
        lines = (json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
        out.write_text("".join(lines), encoding="utf-8")
        print(f"{out}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
