"""Importer: konsheng/Sensitive-lexicon (MIT): only its pornography and guns/explosives files.

色情词库.txt and 色情类型.txt -> sexual (severity 2), 涉枪涉爆.txt -> violence (severity 2). The
repository's politics, corruption, "reactionary", livelihood, advertising and uncategorised files are
not imported.
"""

from __future__ import annotations

from filters.tools.sources import Candidate, Source

FILES = (("色情词库.txt", "sexual"), ("色情类型.txt", "sexual"), ("涉枪涉爆.txt", "violence"))


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    for name, category in FILES:
        for lineno, line in enumerate(source.file(name).read_text(encoding="utf-8").splitlines(), 1):
            for term in line.split(","):
                if term.strip():
                    out.append(Candidate(term.strip(), category, 2, source.id, f"{name}:{lineno}"))
    return out, []
