"""The real literary slices (models/corpus/templates_pending/safe_literary_real*.json, session 18) stay out of the
measured selections: no poem of the local `poems` set, no 歇后语 of the local `xhy` set (the first 3,000 of
xiehouyu.json) and no text sharing 8 Chinese characters in a row with either.

The selections are rebuilt from the pinned sources exactly as filters/tools/local_sets.py builds them (the manifest
filters/data/eval/local_sets.json), from the fetched bare git dirs under /work/.mirror. Where that mirror is absent
(CI, a new machine: it is measure-only data, not a part of the device) the file must be byte for byte the one last
checked against it (CHECKED below): a changed slice fails until the check is run again with the mirror and its new
digest is recorded."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from filters.tools.local_manifest import load_manifest
from filters.tools.local_sets import SHARED, mirror_dir, select_rows, source_records
from filters.tools.local_sources import shingles
from models.corpus.loader import Choice, parse

PENDING = Path(__file__).resolve().parent.parent / "models" / "corpus" / "templates_pending"
ZH_FILE, EN_FILE = PENDING / "safe_literary_real.json", PENDING / "safe_literary_real_en.json"
MIRROR = Path("/work/.mirror")
# sha256 of each slice file as last checked against the mirror's selections (session 18, 8e3c2b7)
CHECKED = {
    "safe_literary_real.json": "110c460fa7a653210816ea1a036cfea996c46791cb29793a1b2010dc4b7e859a",
}
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


def fetched(name: str) -> bool:
    """Whether the pinned source of a local measuring set is fetched under MIRROR."""
    manifest = load_manifest()
    return mirror_dir(MIRROR, manifest.sources[manifest.set(name).source].repository).exists()


def assert_as_checked(path: Path) -> None:
    """Without the mirror: the slice must be the very file that was checked against it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == CHECKED[path.name], (
        f"{path.name} changed since it was checked against the measured selections; fetch the sources under "
        f"{MIRROR} (README 'Measuring on real-world sets'), run this test there and record the new sha256 in CHECKED"
    )


@cache
def selection(name: str) -> tuple[str, ...]:
    """The texts of a local measuring set, selected from its pinned source as the builder selects them."""
    manifest = load_manifest()
    ls = manifest.set(name)
    source = manifest.sources[ls.source]
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
    if not fetched("poems"):
        assert_as_checked(ZH_FILE)
        return
    assert overlaps(alternatives(ZH_FILE, "zh"), selection("poems")) == []


def test_no_xiehouyu_of_the_measured_set() -> None:
    if not fetched("xhy"):
        assert_as_checked(ZH_FILE)
        return
    measured = selection("xhy")
    texts = alternatives(ZH_FILE, "zh")
    assert overlaps(texts, measured) == []
    riddles = {squash(t.split("——")[0]) for t in measured}
    assert [t for t in texts if "——" in t and squash(t.split("——")[0]) in riddles] == []
