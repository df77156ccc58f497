"""The parts of `make eval` about knowledge from public sources (issue 7).

- what each pinned source added to the packs and what curation rejected (filters/data/sources/summary.json);
- the general-vocabulary flag rate: ordinary words the whole filter flags (target <= 1% each):
  wordfreq's most frequent English words (if installed) and pypinyin's 47k-phrase dictionary (Chinese
  words and idioms; neither imported from nor curated against);
- the public evaluation set, from sources the packs are not built from and the model is not trained on:
  held-out terms of the imported lists (filters/data/eval/public/heldout_terms.jsonl, never in a pack),
  licensed real text nobody here wrote (SWSR Weibo comments, Davidson et al. tweets, SMS Spam Collection,
  Stormfront forum sentences (Vicomtech's hate-speech-dataset test sample);
  filters/data/eval/public/sources.json, built by filters/tools/build_public_eval.py),
  English prose from the Python standard library's docstrings and the OS licence texts (benign), and,
  if given a local copy (`--toxicn`), ToxiCN's test split (CC BY-NC-ND 4.0: read in place, never copied).
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SOURCES_SUMMARY = Path(__file__).resolve().parent / "data" / "sources" / "summary.json"
HELDOUT = Path(__file__).resolve().parent / "data" / "eval" / "public" / "heldout_terms.jsonl"
LICENCES_DIR = Path("/usr/share/common-licenses")
TARGET_VOCAB_FLAGGED = 0.01
SENTENCE = re.compile(r"(?<=[.!?])\s+")
PROSE_MODULES = ("argparse", "asyncio", "collections", "csv", "datetime", "email", "http", "json", "logging",
                 "pathlib", "shutil", "sqlite3", "string", "textwrap", "threading", "urllib", "zipfile")


def module_docstrings(path: Path, errors: str = "strict") -> Iterator[str]:
    """The docstrings (cleaned) of a Python file's module, classes and functions, read with `ast` (never
    imported); a file that does not read or parse gives none. `errors` is how undecodable bytes are read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences in other projects' files
            tree = ast.parse(path.read_text(encoding="utf-8", errors=errors))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError, RecursionError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield doc


def print_sources(out: Any = None) -> None:
    w = (out or sys.stdout).write
    if not SOURCES_SUMMARY.exists():
        w("\n(no filters/data/sources/summary.json: run `make packs`)\n")
        return
    summary = json.loads(SOURCES_SUMMARY.read_text(encoding="utf-8"))
    w(f"\n== imported packs (version {summary['version']}) ==\n")
    for sid, st in summary["sources"].items():
        left = {k[len("left out: "):]: v for k, v in st.items() if k.startswith("left out: ")}
        cats = {k[len("kept "):]: v for k, v in st.items() if k.startswith("kept ")}
        w(f"{sid}: read {st.get('read', 0)}, added {st.get('kept', 0)} {cats}, curation rejected "
          f"{st.get('rejected', 0)}, duplicates {st.get('duplicate', 0)}, held out {st.get('held out', 0)}, "
          f"left out {sum(left.values())} {left}\n")
    w(f"imported terms: {sum(summary['packs'].values())} in {len(summary['packs'])} packs\n")


def english_top_words(n: int = 30_000) -> list[str]:
    try:
        from wordfreq import top_n_list
    except ImportError:
        return []
    return [w for w in top_n_list("en", n) if w.isalpha()]


def pypinyin_phrases() -> list[str]:
    try:
        from pypinyin.phrases_dict import phrases_dict
    except ImportError:
        return []
    return sorted(phrases_dict)


def stdlib_prose(limit: int = 4000) -> list[str]:
    """Sentences (5+ words) of the standard library's docstrings: ordinary technical English."""
    import importlib

    out: list[str] = []
    for name in PROSE_MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        mods = [mod]
        if hasattr(mod, "__path__"):
            for info in pkgutil.iter_modules(mod.__path__, name + "."):
                if info.name.endswith("__main__"):
                    continue
                try:
                    mods.append(importlib.import_module(info.name))
                except Exception:  # noqa: BLE001 - a module that cannot import here is skipped
                    continue
        for m in mods:
            for obj in [m, *vars(m).values()]:
                doc = getattr(obj, "__doc__", None) if callable(obj) or obj is m else None
                if isinstance(doc, str):
                    out.extend(s for s in _sentences(doc) if s not in out)
                if len(out) >= limit:
                    return out
    return out


def licence_prose(limit: int = 3000) -> list[str]:
    out: list[str] = []
    for path in sorted(LICENCES_DIR.glob("*")) if LICENCES_DIR.is_dir() else []:
        if path.is_file():
            out.extend(_sentences(path.read_text(encoding="utf-8", errors="replace")))
    return sorted(set(out))[:limit]


def _sentences(text: str) -> Iterator[str]:
    for s in SENTENCE.split(" ".join(text.split())):
        if len(s.split()) >= 5 and len(s) <= 400:
            yield s


def toxicn_rows(path: Path) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [{"text": r["content"], "expect": "block" if r["toxic"] else "allow", "cat": r.get("topic"),
             "trick": f"toxicn:{r.get('platform')}", "lang": "zh"} for r in rows]


# ChineseHarm-bench's labels (zjunlp/ChineseHarm-bench benchmark/bench.json, CC BY-NC 4.0: measured locally,
# never copied here or trained on) -> (expect, kidsafe category)
CHINESEHARM = {"低俗色情": ("block", "sexual"), "博彩": ("block", "gambling"), "欺诈": ("block", "fraud"),
               "谩骂引战": ("block", "bullying"), "黑产广告": ("block", "fraud"), "不违规": ("allow", "benign")}


def chineseharm_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a local copy of ChineseHarm-bench's bench.json (real platform text, six labels)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for r in rows:
        expect, cat = CHINESEHARM[r["标签"]]
        out.append({"text": r["文本"], "expect": expect, "cat": cat, "trick": f"chineseharm:{r['标签']}",
                    "lang": "zh", **({"redact_ok": True} if expect == "allow" else {})})
    return out


REAL_TEXT = (("swsr_comments", "SWSR Weibo comments, sexist vs not (zh; MIT; caveat: SexHateLex is a pack source)"),
             ("davidson_tweets", "Davidson et al. tweets, hate / offensive vs neither (en; MIT)"),
             ("sms_spam", "SMS Spam Collection, spam vs ham (en; CC-BY-4.0)"),
             ("stormfront_posts", "Stormfront forum sentences, hate vs not (en; CC BY-SA 3.0 ES; held out: "
                                  "nothing here is trained or tuned on it; 'not' rows often talk about race)"),
             ("classical_canon", "classical poems and primers children learn (zh; chinese-poetry, MIT)"))


def real_text_sets() -> list[tuple[str, list[dict[str, Any]]]]:
    """(title, rows) of the licensed real-text sets (filters/data/eval/public/sources.json says where from)."""
    out = []
    for stem, title in REAL_TEXT:
        path = HELDOUT.parent / f"{stem}.jsonl"
        if path.exists():
            out.append((title, [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]))
    return out


def heldout_rows() -> list[dict[str, Any]]:
    if not HELDOUT.exists():
        return []
    return [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
