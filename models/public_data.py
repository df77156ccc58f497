"""Real messages from two more public data sets, for training and threshold calibration.

- **SWSR** (Jiang et al. 2022, MIT): Weibo comments on gender topics coded sexist (1, with a
  category SA / SCB / MA / SO) or not (0). github.com/aggiejiang/SWSR, `SWSR/SexComment.csv`.
  1 -> `bullying_or_hate`, 0 -> `safe`: the first real Chinese source beside COLD (which covers
  race, region and gender only through offensive/not).
- **SMS Spam Collection v.1** (Almeida, Gómez Hidalgo; UCI; CC BY 4.0): English text messages
  coded spam or ham. Copy in github.com/hamzaaacodes/sms-spam-collection, `SMSSpamCollection`.
  spam -> `fraud` (prize, premium-rate and subscription texts), ham -> `safe` (informal texting).

`make eval` scores a sample of both upstream files (filters/data/eval/public/, built by
filters/tools/build_public_eval.py). Those rows are never trained on: `convert` leaves out every
upstream row whose text equals an eval-set text after `near_key` (lower-cased, digits, spaces and
punctuation removed, so the same spam with another phone number also stays out), and `rows` drops
them again when read. The public-set figures of these two sources are therefore in-distribution
(other rows of the same collections), like the Davidson tweets; COLD dev, the held-out templates and
ToxiCN's test split (local only) stay out-of-distribution.

A fixed CALIBRATION_FRACTION of each source (by a hash of the text) is held out for the thresholds
(models/calibrate.py); the rest is training data (models/train.py).

Rebuild: `python -m models.public_data swsr SexComment.csv` / `python -m models.public_data sms
SMSSpamCollection` (the files of the pinned commits; checked by sha256; deterministic output).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from models.corpus import DATA_DIR
from models.corpus.loader import load_eval_texts

CALIBRATION_FRACTION = 0.20
_DROP = re.compile(r"[\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class PublicSource:
    """One pinned upstream file and how its classes map onto the classifier's labels."""

    name: str
    lang: str
    repository: str
    commit: str
    path: str
    licence: str
    sha256: str
    labels: dict[str, str]  # upstream class -> kidsafe label
    parse: Callable[[bytes], list[tuple[str, str]]]  # file bytes -> (class, text) pairs

    @property
    def derived(self) -> Path:
        return DATA_DIR / self.name / "messages.jsonl.gz"


def _swsr_pairs(data: bytes) -> list[tuple[str, str]]:
    rows = csv.DictReader(data.decode("utf-8-sig").splitlines())
    return [(f"{r['label']}:{r['category'] or '-'}", r["comment_text"]) for r in rows]


def _sms_pairs(data: bytes) -> list[tuple[str, str]]:
    lines = data.decode("utf-8").splitlines()[1:]  # this copy adds a header line
    return [tuple(line.split("\t", 1)) for line in lines if "\t" in line]  # type: ignore[misc]


SOURCES: dict[str, PublicSource] = {
    "swsr": PublicSource(
        "swsr", "zh", "https://github.com/aggiejiang/SWSR", "7b320184da8f9dd6d366dfe726c6b3e12ac92f77",
        "SWSR/SexComment.csv", "MIT", "71f991594f5cb68b6460ebd397a8b358e782df88b60632ebd4ee39d178b9ae56",
        {"1:SA": "bullying_or_hate", "1:SCB": "bullying_or_hate", "1:MA": "bullying_or_hate",
         "1:SO": "bullying_or_hate", "0:-": "safe"}, _swsr_pairs),
    "sms": PublicSource(
        "sms", "en", "https://github.com/hamzaaacodes/sms-spam-collection", "f3e73e1e74e6330b62d1ee1983bba2a063184c26",
        "SMSSpamCollection", "CC-BY-4.0", "fae7ea7d915ef73903e5c2f46ffa2f4a39909a574e20fda4f2b81f7cb1e15e1f",
        {"spam": "fraud", "ham": "safe"}, _sms_pairs),
}


def near_key(text: str) -> str:
    """The text compared with the eval sets: NFKC, lower case, only letters (no digits, spaces or
    punctuation), so a copy with another phone number or prize amount is the same text."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def _bucket(text: str, salt: int) -> float:
    return zlib.crc32(text.encode("utf-8"), salt) % 1000 / 1000


def convert(source: PublicSource, upstream: Path, out: Path | None = None) -> dict[str, int]:
    """Write the derived file from the pinned upstream file; returns counts (kept per class, and
    how many rows were left out as eval-set texts, duplicates or empty)."""
    data = upstream.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise ValueError(f"{upstream}: sha256 {digest[:12]}... is not the pinned {source.sha256[:12]}...")
    held = {near_key(t) for t in load_eval_texts()}
    counts: dict[str, int] = {"eval_set_text": 0, "duplicate_or_empty": 0}
    seen: set[str] = set()
    rows = []
    for cls, raw in source.parse(data):
        text = " ".join(raw.split())
        key = near_key(text)
        if cls not in source.labels:
            raise ValueError(f"{upstream}: unknown class {cls!r}")
        if key in held:
            counts["eval_set_text"] += 1
            continue
        if not key or text in seen:
            counts["duplicate_or_empty"] += 1
            continue
        seen.add(text)
        rows.append({"text": text, "class": cls})
        counts[cls] = counts.get(cls, 0) + 1
    out = out or source.derived
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    with open(out, "wb") as raw_fh, gzip.GzipFile(filename="", mode="wb", fileobj=raw_fh, mtime=0) as fh:
        fh.write(payload)
    return counts


def public_rows(name: str, part: str, path: Path | None = None) -> Iterator[dict]:
    """Rows {"text", "label", "lang", "source": name} of `part` ("train" or "calibration"); none
    when the derived file is absent. Eval-set texts are dropped again here."""
    if part not in ("train", "calibration"):
        raise ValueError(f"unknown part {part!r}")
    source = SOURCES[name]
    path = path or source.derived
    if not path.exists():
        return
    held = {near_key(t) for t in load_eval_texts()}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if near_key(r["text"]) in held:
                continue
            in_calibration = _bucket(r["text"], 0xCA1B) < CALIBRATION_FRACTION
            if in_calibration == (part == "calibration"):
                yield {"text": r["text"], "label": source.labels[r["class"]], "lang": source.lang,
                       "source": name}


def all_public_rows(part: str) -> list[dict]:
    return [row for name in SOURCES for row in public_rows(name, part)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.public_data", description=__doc__.splitlines()[0])
    parser.add_argument("source", choices=sorted(SOURCES))
    parser.add_argument("upstream", type=Path, help="the upstream file of the pinned commit")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    source = SOURCES[args.source]
    counts = convert(source, args.upstream, args.out)
    out = args.out or source.derived
    print(f"wrote {out} ({out.stat().st_size:,} bytes): {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
