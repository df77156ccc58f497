"""Importer: konsheng/Sensitive-lexicon (MIT).

Categorised files: 色情词库.txt and 色情类型.txt -> sexual (severity 2), 涉枪涉爆.txt -> violence
(severity 2). Mixed files (零时-Tencent, 网易前端过滤敏感词库, 暴恐词库, 广告类型, 民生词库) mix politics, URLs
and ordinary words with harm: the committed NAME.harm.txt copies keep only the lines with an unambiguous
harm morpheme and no politics (sources.json says how many), and this importer places each by that
morpheme (filters/tools/keyword_rules.categorise_strict); politics is dropped again later by
keyword_rules.is_political. The politics, "reactionary", corruption, COVID and GFW files are not read.
"""

from __future__ import annotations

from filters.tools.keyword_rules import categorise_strict
from filters.tools.sources import Candidate, Source, read_placed_lines

FILES = (("色情词库.txt", "sexual"), ("色情类型.txt", "sexual"), ("涉枪涉爆.txt", "violence"))
MIXED = tuple(f"{name}.harm.txt" for name in (
    "零时-Tencent", "网易前端过滤敏感词库", "暴恐词库", "广告类型", "民生词库"))


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    for name, category in FILES:
        for lineno, line in enumerate(source.file(name).read_text(encoding="utf-8").splitlines(), 1):
            for term in line.split(","):
                if term.strip():
                    out.append(Candidate(term.strip(), category, 2, source.id, f"{name}:{lineno}"))
    for name in MIXED:
        read_placed_lines(source, name, categorise_strict, "unmapped (mixed file, no unambiguous harm morpheme)",
                          out, skipped)
    return out, skipped
