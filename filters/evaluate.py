"""`make eval`: how well the filter does on labelled rows, and how often it flags ordinary words.

Reports, for ../shared/eval/dev.jsonl and the project's own extra sets (filters/data/eval/*.jsonl):
- harmful rows blocked (target >= 95%), benign rows flagged (<= 2%), PII rows redacted (>= 95%),
  with the misses by trick class and by category;
- the share of the 20,000 most frequent words (2+ characters) of jieba's bundled dictionary that
  the filter flags (<= 1%), with each flagged word and the rule that flagged it;
- from filters/eval_public.py: terms each public source added and curation rejected, the flag rate
  on ordinary English words and Chinese phrases (<= 1%), and the public evaluation set (held-out
  imported terms, standard-library and licence prose, optionally ToxiCN's test split).

Row format (JSON lines): {"text", "expect": "block"|"allow"|"redact", "cat", "trick", "lang"} and,
for PII rows, optionally "pii": the value that must disappear (otherwise it is derived from the text).
It ends with a summary (filters/eval_summary.py): the enforced targets (dev, extra sets, vocabulary flag
rates) and whether each is met, and every public figure that is below its printed target.
Exit code 0 (it is a report) unless --strict and an enforced target is missed or could not be measured.
Run: `make eval` or `python -m filters.evaluate [--no-model] [--dev PATH] [--toxicn test.json]
[--chineseharm bench.json] [--strict]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filters.eval_summary import Scoreboard
from filters.policy import DEFAULT_POLICY, FilterPolicy

REPO = Path(__file__).resolve().parent.parent
DEV_PATH = REPO.parent / "shared" / "eval" / "dev.jsonl"
EXTRA_DIR = Path(__file__).resolve().parent / "data" / "eval"
MODEL_PATH = REPO / "models" / "kidsafe_text_int8.tflite"  # filters/ may not import models/
COLD_DEV = REPO.parent / "shared" / "data" / "cold" / "dev.csv"

TARGET_BLOCKED = 0.95
TARGET_BENIGN_FLAGGED = 0.02
TARGET_PII_REDACTED = 0.95
TARGET_JIEBA_FLAGGED = 0.01
JIEBA_TOP = 20_000

_DIGITS = re.compile(r"[0-9０-９][0-9０-９Xx\s\-–—.()（）]{3,}[0-9０-９Xx]")
_CN_DIGITS = re.compile(r"[零〇一二三四五六七八九幺两]{7,}")
_HOUSE = re.compile(r"[0-9０-９]+(?:号|栋|幢|单元|室|弄|楼)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SEPARATORS = re.compile(r"[\s\-–—.()（）]")


@dataclass
class RowResult:
    row: dict[str, Any]
    action: str
    ok: bool
    rules: list[str]


@dataclass
class SetReport:
    name: str
    harmful: int = 0
    blocked: int = 0
    benign: int = 0
    flagged: int = 0
    pii: int = 0
    redacted: int = 0
    misses: list[RowResult] = field(default_factory=list)
    miss_by_trick: Counter = field(default_factory=Counter)
    miss_by_cat: Counter = field(default_factory=Counter)
    total_by_trick: Counter = field(default_factory=Counter)

    @property
    def blocked_rate(self) -> float:
        return self.blocked / self.harmful if self.harmful else 1.0

    @property
    def benign_flagged_rate(self) -> float:
        return self.flagged / self.benign if self.benign else 0.0

    @property
    def pii_redacted_rate(self) -> float:
        return self.redacted / self.pii if self.pii else 1.0

    def meets_targets(self) -> bool:
        return (
            self.blocked_rate >= TARGET_BLOCKED
            and self.benign_flagged_rate <= TARGET_BENIGN_FLAGGED
            and self.pii_redacted_rate >= TARGET_PII_REDACTED
        )


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines eval file; a bad line is an error naming the file and line."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{path}:{n}: a row needs a string 'text'")
            if row.get("expect") not in ("block", "allow", "redact"):
                raise ValueError(f"{path}:{n}: 'expect' must be block, allow or redact")
            rows.append(row)
    return rows


def pii_values(row: dict[str, Any]) -> list[str]:
    """The personal data that must be gone after redaction: the row's "pii" field, or derived."""
    given = row.get("pii")
    if isinstance(given, str) and given:
        return [given]
    if isinstance(given, list) and given:
        return [str(v) for v in given]
    text = row["text"]
    values = [m.group() for m in _EMAIL.finditer(text)]
    values += [m.group() for m in _DIGITS.finditer(text) if sum(c.isdigit() for c in m.group()) >= 5]
    values += [m.group() for m in _CN_DIGITS.finditer(text)]
    if str(row.get("cat", "")).endswith("address"):
        values += [m.group() for m in _HOUSE.finditer(text)]
    return values


def _squash(s: str) -> str:
    return _SEPARATORS.sub("", s)


def pii_redacted(row: dict[str, Any], action: str, redacted: str) -> bool:
    """A PII row passes when the verdict redacts (or blocks) and no PII value survives in its text."""
    if action not in ("redact", "block"):
        return False
    if action == "block" and row.get("expect") == "redact":
        return False  # blocking a child's own harmless message is not redaction
    out = _squash(redacted)
    return all(_squash(v) not in out for v in pii_values(row))


def evaluate_rows(tf: Any, rows: Iterable[dict[str, Any]], name: str = "rows",
                  policy: FilterPolicy = DEFAULT_POLICY) -> SetReport:
    rep = SetReport(name)
    for row in rows:
        v = tf.check(row["text"], policy)
        expect = row["expect"]
        rules = [r.rule for r in v.reasons if r.blocking]
        trick = str(row.get("trick", "plain"))
        cat = str(row.get("cat", "?"))
        rep.total_by_trick[trick] += 1
        if expect == "block":
            rep.harmful += 1
            ok = v.action == "block"
            rep.blocked += ok
        elif expect == "allow":
            rep.benign += 1
            # public rows carry "redact_ok": real messages hold real phone numbers; redacting them is right
            ok = v.action == "allow" or (v.action == "redact" and bool(row.get("redact_ok")))
            rep.flagged += not ok
        else:
            rep.pii += 1
            ok = pii_redacted(row, v.action, v.redacted)
            rep.redacted += ok
        if not ok:
            rep.misses.append(RowResult(row, v.action, ok, rules or [r.rule for r in v.reasons]))
            rep.miss_by_trick[trick] += 1
            rep.miss_by_cat[cat] += 1
    return rep


def jieba_top_words(n: int = JIEBA_TOP) -> list[str]:
    """The n most frequent words of 2+ characters in jieba's bundled dict.txt ("word freq pos")."""
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) >= 2:
                rows.append((-int(parts[1]), parts[0]))
    rows.sort()
    return [w for _, w in rows[:n]]


def jieba_flagged(tf: Any, words: Sequence[str], policy: FilterPolicy = DEFAULT_POLICY) -> list[tuple[str, list[str]]]:
    """(word, rules) for every word the filter does not simply allow."""
    out = []
    for w in words:
        v = tf.check(w, policy)
        if v.action != "allow":
            out.append((w, [r.rule for r in v.reasons if r.blocking or r.kind == "pii"]))
    return out


def cold_benign_hits(
    tf: Any, path: str | Path, policy: FilterPolicy = DEFAULT_POLICY
) -> tuple[int, list[tuple[str, str]]]:
    """(non-offensive rows read, [(rule@view, text)] for each blocking lexicon reason) on a COLD csv.

    COLD's label-0 rows are natural Chinese comments; some rightly discuss crimes (强奸罪, 毒品), so this
    is a diagnostic, not a target: hits through the homophone or pinyin views are almost always false.
    """
    import csv

    n, hits = 0, []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("label") != "0" or not row.get("TEXT"):
                continue
            n += 1
            for r in tf.check(row["TEXT"], policy).reasons:
                if r.blocking and r.kind == "lexicon":
                    hits.append((f"{r.rule}@{r.view}", row["TEXT"]))
    return n, hits


def load_filter(no_model: bool = False, model: Path | None = None) -> Any:
    from filters.engine import TextFilter

    path = model or MODEL_PATH
    if no_model or not path.exists():
        return TextFilter.load()
    return TextFilter.load(model_path=path)


def eval_sets(dev: Path | None) -> list[tuple[str, Path]]:
    sets = []
    if dev is not None:
        sets.append(("dev", dev))
    for p in sorted(EXTRA_DIR.glob("*.jsonl")):
        sets.append((p.stem, p))
    return sets


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def print_report(rep: SetReport, out: Any = None, show: int = 40, by_trick: bool = False) -> None:
    w = (out or sys.stdout).write
    w(f"\n== {rep.name} ==\n")
    if rep.harmful:
        w(f"harmful rows blocked: {rep.blocked}/{rep.harmful} = {_pct(rep.blocked_rate)}  (target >= 95%)\n")
    if rep.benign:
        w(f"benign rows flagged:  {rep.flagged}/{rep.benign} = {_pct(rep.benign_flagged_rate)}  (target <= 2%)\n")
    if rep.pii:
        w(f"PII rows redacted:    {rep.redacted}/{rep.pii} = {_pct(rep.pii_redacted_rate)}  (target >= 95%)\n")
    if by_trick:
        w("by subset: " + ", ".join(f"{t} {n - rep.miss_by_trick[t]}/{n} ok"
                                   for t, n in sorted(rep.total_by_trick.items())) + "\n")
    if rep.miss_by_trick:
        w("misses by trick: " + ", ".join(
            f"{t} {n}/{rep.total_by_trick[t]}" for t, n in rep.miss_by_trick.most_common()) + "\n")
        w("misses by category: " + ", ".join(f"{c} {n}" for c, n in rep.miss_by_cat.most_common()) + "\n")
    for m in rep.misses[:show]:
        w(f"  MISS expect={m.row['expect']:<6} got={m.action:<6} [{m.row.get('cat')}/{m.row.get('trick')}] "
          f"{m.row['text'][:80]!r} {'; '.join(m.rules[:3])}\n")
    if len(rep.misses) > show:
        w(f"  ... and {len(rep.misses) - show} more\n")


def set_targets(board: Scoreboard, rep: SetReport, enforced: bool) -> None:
    board.add_set(rep, enforced, TARGET_BLOCKED, TARGET_BENIGN_FLAGGED, TARGET_PII_REDACTED)


def report_public(tf: Any, policy: FilterPolicy, toxicn: Path | None, show: int, board: Scoreboard,
                  chineseharm: Path | None = None) -> None:
    """Per-source counts, ordinary-vocabulary flag rates (enforced) and the public sets (reported) into `board`."""
    from filters import eval_public as pub

    pub.print_sources()
    for name, words in (("wordfreq top English words", pub.english_top_words()),
                        ("pypinyin phrase dictionary (Chinese words and idioms)", pub.pypinyin_phrases())):
        if not words:
            print(f"\n({name}: NOT MEASURED, package not installed; `make eval` installs it, "
                  "or pip install -e '.[tools]')")
            board.missing(f"{name} flag rate (package not installed)")
            continue
        flagged = jieba_flagged(tf, words, policy)
        rate = len(flagged) / len(words)
        print(f"\n== {name} ==\nflagged: {len(flagged)}/{len(words)} = {_pct(rate)}  (target <= 1%)")
        print("  " + ", ".join(f"{w} ({rules[0] if rules else '?'})" for w, rules in flagged[: show * 2]))
        board.add(f"{name}: flagged", len(flagged), len(words), pub.TARGET_VOCAB_FLAGGED, False, True)
    public = [("public: held-out imported terms (never in a pack)", pub.heldout_rows())]
    public += [(f"public: {title}", rows) for title, rows in pub.real_text_sets()]
    prose = [{"text": t, "expect": "allow", "cat": "benign", "trick": "stdlib-docstring", "lang": "en"}
             for t in pub.stdlib_prose()]
    prose += [{"text": t, "expect": "allow", "cat": "benign", "trick": "licence-text", "lang": "en"}
              for t in pub.licence_prose()]
    public.append(("public: English prose (Python docstrings, OS licence texts)", prose))
    if toxicn is not None:
        public.append((f"public: ToxiCN test split ({toxicn})", pub.toxicn_rows(toxicn)))
    if chineseharm is not None:
        public.append((f"public: ChineseHarm-bench ({chineseharm}; local only)", pub.chineseharm_rows(chineseharm)))
    for name, rows in public:
        if rows:
            rep = evaluate_rows(tf, rows, name, policy)
            print_report(rep, show=show, by_trick=True)
            set_targets(board, rep, enforced=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=DEV_PATH, help=f"dev set (default {DEV_PATH})")
    ap.add_argument("--no-model", action="store_true", help="word packs and PII only, no classifier")
    ap.add_argument("--model", type=Path, default=None, help="classifier .tflite (default: the shipped one)")
    ap.add_argument("--band", default=None, help="age band policy (default: the default policy)")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba top-20k false-positive check")
    ap.add_argument("--cold", nargs="?", const=COLD_DEV, type=Path, default=None,
                    help="also scan COLD's non-offensive rows (default file: ../shared/data/cold/dev.csv)")
    ap.add_argument("--en-words", nargs="?", const=Path("/usr/share/dict/words"), type=Path, default=None,
                    help="also count flagged words of an English word list (default /usr/share/dict/words)")
    ap.add_argument("--toxicn", type=Path, default=None,
                    help="also score ToxiCN's test split (a local test.json; CC BY-NC-ND, never copied here)")
    ap.add_argument("--chineseharm", type=Path, default=None,
                    help="also score ChineseHarm-bench (a local bench.json; CC BY-NC 4.0, never copied here)")
    ap.add_argument("--no-public", action="store_true", help="skip the public-source sections (faster)")
    ap.add_argument("--show", type=int, default=40, help="misses to list per set")
    ap.add_argument("--strict", action="store_true", help="exit 1 if an enforced target is missed or not measured")
    args = ap.parse_args(argv)

    policy = FilterPolicy.for_band(args.band) if args.band else DEFAULT_POLICY
    tf = load_filter(args.no_model, args.model)
    print(f"filter: packs {tf.pack_versions()}, {sum(len(p.entries) for p in tf.packs)} terms; "
          f"model: {'off' if getattr(tf, 'classifier', None) is None else 'on'}; band {policy.age_band}")
    board = Scoreboard()
    dev = args.dev if args.dev and args.dev.exists() else None
    if dev is None:
        print(f"(dev set not found at {args.dev}; skipping it)")
    for name, path in eval_sets(dev):
        rep = evaluate_rows(tf, load_rows(path), name, policy)
        print_report(rep, show=args.show)
        set_targets(board, rep, enforced=True)
    if not args.no_jieba:
        words = jieba_top_words()
        flagged = jieba_flagged(tf, words, policy)
        rate = len(flagged) / len(words)
        print(f"\n== jieba top-{len(words)} words (2+ chars) ==\nflagged: {len(flagged)}/{len(words)} = "
              f"{_pct(rate)}  (target <= 1%)")
        for w, rules in flagged:
            print(f"  {w}\t{'; '.join(rules[:3])}")
        board.add(f"jieba top-{len(words)} words: flagged", len(flagged), len(words), TARGET_JIEBA_FLAGGED, False, True)
    if not args.no_public:
        report_public(tf, policy, args.toxicn, args.show, board, args.chineseharm)
    if args.en_words is not None:
        words = sorted({w.strip().lower() for w in args.en_words.read_text(encoding="utf-8").split() if w.isalpha()})
        flagged = jieba_flagged(tf, words, policy)
        print(f"\n== English words ({args.en_words}, diagnostic) ==\nflagged: {len(flagged)}/{len(words)} = "
              f"{_pct(len(flagged) / max(1, len(words)))}")
        print("  " + ", ".join(w for w, _ in flagged[: args.show * 5]))
    if args.cold is not None:
        n, hits = cold_benign_hits(tf, args.cold, policy)
        fuzzy = [(r, t) for r, t in hits if not r.endswith("@fold")]
        rows = len({t for _, t in hits})
        print(f"\n== COLD non-offensive rows ({args.cold.name}, diagnostic) ==\nrows with a lexicon hit: {rows}/{n}; "
              f"hits through homophone/pinyin/split views: {len(fuzzy)}")
        for r, t in fuzzy[: args.show]:
            print(f"  {r}\t{t[:60]!r}")
    print("\n".join(board.lines()))
    return 1 if (args.strict and not board.enforced_ok()) else 0


if __name__ == "__main__":
    sys.exit(main())
