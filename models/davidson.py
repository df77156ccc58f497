"""English tweets labelled hate / offensive / neither (Davidson et al., ICWSM 2017; MIT licence).

Real English messages for the classifier, next to COLD for Chinese. Source: github.com/t-davidson/
hate-speech-and-offensive-language, commit cb50f7e9eb855a99abc51423bf40df0e26d6fe30,
`data/labeled_data.csv` (24,783 tweets, each coded by 3+ CrowdFlower annotators; MIT, see
models/data/davidson/LICENSE). The derived file models/data/davidson/tweets.jsonl.gz keeps, per tweet,
the cleaned text (HTML entities decoded; retweet marks, @handles and links removed), the majority
class and the vote counts; `python -m models.davidson CSV` rebuilds it from the original CSV. The 900
tweets `make eval` scores (filters/data/eval/public/davidson_tweets.jsonl, sampled by
filters/tools/build_public_eval.py) are left out of the derived file (`eval_sample`), and any row
equal to an eval-set text is dropped again when read, so the public eval set stays unseen.

Label mapping: hate speech (0) and offensive language (1) -> bullying_or_hate (a children's filter
stops both), neither (2) -> safe. Only tweets whose class has at least two thirds of the votes and
that keep 3+ words after cleaning are used. Offensive tweets are 77% of the set; `davidson_rows` keeps
at most OFFENSIVE_CAP of them (a fixed subset by a hash of the text) so English is not mostly insults.
A fixed 10% of the tweets (by a hash of the text) is held out for threshold calibration.

Known bias (Davidson et al. 2019, Sap et al. 2019): tweets in African-American English are more often
coded offensive in this set; the calibration's benign budget on the "neither" tweets limits how much
of that the filter can act on.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import html
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from models.corpus import DATA_DIR
from models.corpus.loader import load_eval_texts

DAVIDSON_DIR = DATA_DIR / "davidson"
DAVIDSON_PATH = DAVIDSON_DIR / "tweets.jsonl.gz"
CLASS_LABELS = {0: "bullying_or_hate", 1: "bullying_or_hate", 2: "safe"}
OFFENSIVE_CAP = 6000
CALIBRATION_FRACTION = 0.10
EVAL_PER_CLASS = 300  # tweets per class in filters/data/eval/public/davidson_tweets.jsonl
_RT = re.compile(r"(^|\s)RT\b:?")
_HANDLE = re.compile(r"@\w+:?")
_LINK = re.compile(r"\bhttps?\S*|\bt\.co/\S+")  # also links cut short ("http…")
_SPACE = re.compile(r"\s+")


def clean(tweet: str) -> str:
    """A tweet without retweet marks, @handles and links, HTML entities decoded, spaces collapsed."""
    text = html.unescape(html.unescape(tweet))
    text = _LINK.sub(" ", _HANDLE.sub(" ", _RT.sub(" ", text)))
    return _SPACE.sub(" ", text).strip(" \t!:\"'")


def eval_sample(tweets: list[tuple[str, str]], per_class: int = EVAL_PER_CLASS) -> set[str]:
    """The tweets `make eval` scores (filters/tools/build_public_eval.py: per class, the first
    `per_class` distinct texts of at most 500 characters in sha256 order of html.unescape(tweet).strip()),
    as that text. They are left out of the derived file so the model never trains on them."""
    chosen: set[str] = set()
    for cls in ("0", "1", "2"):
        texts = {t for c, t in ((c, html.unescape(tw).strip()) for c, tw in tweets) if c == cls and t and len(t) <= 500}
        chosen.update(sorted(texts, key=lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())[:per_class])
    return chosen


def convert(csv_path: Path, out: Path = DAVIDSON_PATH, exclude: tuple[str, ...] = (),
            eval_per_class: int = EVAL_PER_CLASS) -> int:
    """Write the derived rows from the original labeled_data.csv, minus the tweets of the public eval
    sample (`eval_sample`) and any tweet equal, once cleaned, to an `exclude` text (e.g. the eval
    set's rows themselves); returns how many were written."""
    rows = []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    held = eval_sample([(r["class"], r["tweet"]) for r in records], eval_per_class)
    held_clean = {clean(t) for t in (*held, *exclude)}
    for r in records:
        if html.unescape(r["tweet"]).strip() in held or clean(r["tweet"]) in held_clean:
            continue
        votes = [int(r["hate_speech"]), int(r["offensive_language"]), int(r["neither"])]
        rows.append({"text": clean(r["tweet"]), "class": int(r["class"]), "votes": votes})
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(payload)
    return len(rows)


def _bucket(text: str, salt: int) -> float:
    return zlib.crc32(text.encode("utf-8"), salt) % 1000 / 1000


def davidson_rows(part: str, path: Path = DAVIDSON_PATH) -> Iterator[dict]:
    """Rows {"text", "label", "lang": "en", "source": "davidson"} of `part` ("train" or "calibration")."""
    if part not in ("train", "calibration"):
        raise ValueError(f"unknown part {part!r}")
    if not path.exists():
        return
    seen = {clean(t) for t in load_eval_texts()}  # never a text `make eval` scores
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            text, cls, votes = r["text"], r["class"], r["votes"]
            if len(text.split()) < 3 or text in seen or votes[cls] * 3 < 2 * sum(votes):
                continue
            if cls == 1 and _bucket(text, 0x0FF) >= OFFENSIVE_CAP / 19190:
                continue
            seen.add(text)
            in_calibration = _bucket(text, 0xCA1B) < CALIBRATION_FRACTION
            if in_calibration == (part == "calibration"):
                yield {"text": text, "label": CLASS_LABELS[cls], "lang": "en", "source": "davidson"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.davidson", description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="labeled_data.csv of the pinned commit")
    parser.add_argument("--out", type=Path, default=DAVIDSON_PATH)
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a .jsonl eval set whose texts must not be in the derived file (repeatable)")
    args = parser.parse_args(argv)
    exclude = tuple(json.loads(line)["text"] for path in args.exclude
                    for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    n = convert(args.csv, args.out, exclude)
    print(f"wrote {n} tweets to {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
