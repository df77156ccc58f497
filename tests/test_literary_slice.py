"""The real literary slices (models/corpus/templates_pending/safe_literary_real*.json, session 18) stay out of the
measured selections: no poem of the local `poems` set, no 歇后语 of the local `xhy` set (the first 3,000 of
xiehouyu.json) and no text sharing 8 Chinese characters in a row with either.

The selections are rebuilt from the pinned sources exactly as filters/tools/local_sets.py builds them (the manifest
filters/data/eval/local_sets.json), from the fetched bare git dirs under /work/.mirror; the tests that need them skip
when that mirror is absent (it is measure-only data, not a part of the device or of CI)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from filters.tools.local_manifest import load_manifest
from filters.tools.local_sets import SHARED, mirror_dir, select_rows, source_records
from filters.tools.local_sources import shingles
from models.corpus.loader import Choice, parse

PENDING = Path(__file__).resolve().parent.parent / "models" / "corpus" / "templates_pending"
ZH_FILE, EN_FILE = PENDING / "safe_literary_real.json", PENDING / "safe_literary_real_en.json"
MIRROR = Path("/work/.mirror")
RUN = 8  # Chinese characters in a row that may not be shared with a measured row
STRIP = re.compile(r"[\W_]+", re.UNICODE)


def squash(text: str) -> str:
    return STRIP.sub("", unicodedata.normalize("NFKC", text).lower())


def alternatives(path: Path, lang: str) -> list[str]:
    """Every text of a slice file: each template is one inline choice of whole texts."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    texts: list[str] = []
    for n, template in enumerate(doc[lang]):
        parts = parse(template, {}, f"{path.name}:{lang}:{n}")
        assert len(parts) == 1 and isinstance(parts[0], Choice), f"{path.name} {lang} {n}: not one inline choice"
        for option in parts[0].options:
            assert len(option) == 1 and isinstance(option[0], str)
            texts.append(option[0])
    return texts


@cache
def selection(name: str) -> tuple[str, ...]:
    """The texts of a local measuring set, selected from its pinned source as the builder selects them."""
    manifest = load_manifest()
    ls = manifest.set(name)
    source = manifest.sources[ls.source]
    if not mirror_dir(MIRROR, source.repository).exists():
        pytest.skip(f"{source.repository} is not fetched under {MIRROR}")
    rows = select_rows(ls, source_records(ls, source, MIRROR, SHARED))
    assert len(rows) == ls.rows
    return tuple(r["text"] for r in rows)


def overlaps(texts: list[str], measured: tuple[str, ...]) -> list[str]:
    """The texts equal (after squash) to a measured row or sharing RUN Chinese characters in a row with one."""
    equal = {squash(t) for t in measured}
    runs: set[str] = set()
    for t in measured:
        runs |= shingles(t, RUN)
    return [t for t in texts if squash(t) in equal or shingles(t, RUN) & runs]


def test_slice_files_are_well_formed() -> None:
    for path, lang, n in ((ZH_FILE, "zh", 1500), (EN_FILE, "en", 800)):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["label"] == "safe" and doc["slots"] == {} and "licence" in doc["provenance"].lower()
        texts = alternatives(path, lang)
        assert len(texts) == n and len({squash(t) for t in texts}) == n  # distinct


def test_overlap_check_catches_a_measured_row() -> None:
    measured = ("床前明月光，疑是地上霜。举头望明月，低头思故乡。", "外甥打灯笼——照旧")
    assert overlaps(["床前明月光疑是地上霜"], measured) == ["床前明月光疑是地上霜"]  # 8 characters in a row
    assert overlaps(["外甥打灯笼——照旧！"], measured) == ["外甥打灯笼——照旧！"]  # equal after squash
    assert overlaps(["春眠不觉晓，处处闻啼鸟"], measured) == []


def test_no_poem_of_the_measured_poems_set() -> None:
    assert overlaps(alternatives(ZH_FILE, "zh"), selection("poems")) == []


def test_no_xiehouyu_of_the_measured_set() -> None:
    measured = selection("xhy")
    texts = alternatives(ZH_FILE, "zh")
    assert overlaps(texts, measured) == []
    riddles = {squash(t.split("——")[0]) for t in measured}
    assert [t for t in texts if "——" in t and squash(t.split("——")[0]) in riddles] == []
