"""The pinned public word lists (filters/data/sources/sources.json) and what an importer yields.

Every importer turns one source's committed copy into `Candidate` terms with a kidsafe category and
severity; filters/tools/build_packs.py cleans, de-duplicates and curates them into packs whose header
names the source repository, commit, path and licence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SOURCES_DIR = Path(__file__).resolve().parent.parent / "data" / "sources"
MANIFEST = SOURCES_DIR / "sources.json"
REDISTRIBUTABLE = frozenset({"Apache-2.0", "MIT", "CC-BY-4.0", "CC0-1.0", "BSD-3-Clause"})


class SourceError(ValueError):
    """A source file is missing, changed since it was pinned, or under a licence we cannot ship."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    repository: str
    commit: str
    path: str
    license: str
    license_file: str
    files: dict[str, str]
    changes: str

    def file(self, name: str) -> Path:
        """A committed copy of this source's data, checked against its pinned sha256."""
        rel = f"{self.id}/{name}"
        if rel not in self.files:
            raise SourceError(f"{self.id}: {name} is not one of its pinned files")
        path = SOURCES_DIR / rel
        if not path.is_file():
            raise SourceError(f"{self.id}: {path} is missing")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != self.files[rel]:
            raise SourceError(f"{self.id}: {path} changed since it was pinned (sha256 {digest[:12]}...)")
        return path

    def provenance(self) -> str:
        return (f"Imported by filters/tools/build_packs.py from {self.repository} at commit {self.commit}, "
                f"{self.path} ({self.license}; licence text in filters/data/sources/{self.license_file}). "
                f"Changes to the upstream file: {self.changes}. Terms were mapped to kidsafe categories and "
                "severities, cleaned, de-duplicated against the hand-curated packs and curated automatically "
                "against ordinary vocabulary (see filters/data/sources/README.md).")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One imported term before cleaning and curation."""

    term: str
    category: str
    severity: int
    source: str  # the source id: becomes the first part of the pack name
    origin: str  # where in the source (line, id, file) for the review file
    match: str = "default"
    homophones: bool = False  # also match homophone spellings (set by build_packs for slur phrases)


def load_sources(manifest: Path = MANIFEST) -> dict[str, Source]:
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    out: dict[str, Source] = {}
    for raw in doc["sources"]:
        src = Source(
            id=raw["id"], repository=raw["repository"], commit=raw["commit"], path=raw["path"],
            license=raw["license"], license_file=raw["license_file"], files=dict(raw["files"]),
            changes=raw.get("changes", "none"),
        )
        if src.license not in REDISTRIBUTABLE:
            raise SourceError(f"{src.id}: licence {src.license} does not allow shipping the list")
        if len(src.commit) != 40:
            raise SourceError(f"{src.id}: pin a full 40-hex commit, not {src.commit!r}")
        out[src.id] = src
    return out


Rule = Callable[[str], "tuple[str, int] | None"]


def read_placed_lines(source: Source, name: str, rule: Rule, why: str,
                      out: list[Candidate], skipped: list[tuple[str, str]]) -> None:
    """Append one candidate per line of a list without categories that `rule` places (by the lower-cased
    term); a line it does not place goes to `skipped` with `why`."""
    for lineno, line in enumerate(source.file(name).read_text(encoding="utf-8").splitlines(), 1):
        term = line.strip()
        if not term:
            continue
        mapped = rule(term.lower())
        if mapped is None:
            skipped.append((term, why))
            continue
        out.append(Candidate(term, mapped[0], mapped[1], source.id, f"{name}:{lineno}"))
