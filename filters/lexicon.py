"""Versioned word packs: each entry a term with a category, a severity and allow-contexts.

A pack is one JSON file (schema 1) with a name, a version, provenance, a licence and entries;
see filters/data/packs/README.md. Packs load and validate as a whole: a pack with one bad entry
is refused with a message naming the entry, so a broken update never replaces a working list.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filters.categories import CATEGORIES

PACKS_DIR = Path(__file__).resolve().parent / "data" / "packs"
MATCH_MODES = ("default", "word", "exact", "prefix", "strict")
MAX_TERM_CHARS = 64


class LexiconError(ValueError):
    """A pack is unreadable or invalid; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    category: str
    severity: int
    match: str
    homophones: bool
    allow: tuple[str, ...]
    pack: str


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    version: str
    entries: tuple[Entry, ...]
    description: str
    provenance: str
    license: str
    sha256: str


def _is_cjk_term(term: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in term)


def parse_pack(doc: Any, source: str = "<pack>", categories: tuple[str, ...] = CATEGORIES) -> Pack:
    """Validate a pack document (already parsed JSON) and build a Pack."""
    if not isinstance(doc, dict):
        raise LexiconError(f"{source}: a pack must be a JSON object")
    if doc.get("schema") != 1:
        raise LexiconError(f"{source}: unsupported schema {doc.get('schema')!r} (expected 1)")
    name, version = doc.get("pack"), doc.get("version")
    if not isinstance(name, str) or not name or not isinstance(version, str) or not version:
        raise LexiconError(f"{source}: 'pack' and 'version' must be non-empty strings")
    raw_entries = doc.get("entries")
    if not isinstance(raw_entries, list):
        raise LexiconError(f"{source}: 'entries' must be a list")
    entries: list[Entry] = []
    for i, raw in enumerate(raw_entries):
        where = f"{source}: entry {i}"
        if not isinstance(raw, dict):
            raise LexiconError(f"{where}: must be an object")
        term = raw.get("term")
        if not isinstance(term, str) or not term.strip() or len(term) > MAX_TERM_CHARS:
            raise LexiconError(f"{where}: 'term' must be 1 to {MAX_TERM_CHARS} characters")
        category = raw.get("category")
        if category not in categories:
            raise LexiconError(f"{where} ({term!r}): unknown category {category!r}")
        severity = raw.get("severity", 2)
        if severity not in (1, 2, 3) or isinstance(severity, bool):
            raise LexiconError(f"{where} ({term!r}): severity must be 1, 2 or 3")
        match = raw.get("match", "default")
        if match not in MATCH_MODES:
            raise LexiconError(f"{where} ({term!r}): match must be one of {MATCH_MODES}")
        homophones = raw.get("homophones", _is_cjk_term(term.strip()) and len(term.strip()) >= 2)
        if not isinstance(homophones, bool):
            raise LexiconError(f"{where} ({term!r}): homophones must be true or false")
        allow = raw.get("allow", [])
        if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
            raise LexiconError(f"{where} ({term!r}): allow must be a list of non-empty strings")
        entries.append(
            Entry(term.strip(), category, severity, match, homophones, tuple(a.strip() for a in allow), name)
        )
    canonical = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Pack(
        name=name,
        version=version,
        entries=tuple(entries),
        description=str(doc.get("description", "")),
        provenance=str(doc.get("provenance", "")),
        license=str(doc.get("license", "")),
        sha256=hashlib.sha256(canonical).hexdigest(),
    )


def load_pack(path: str | Path) -> Pack:
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise LexiconError(f"{path}: pack file not found") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: not valid UTF-8 JSON ({exc})") from exc
    return parse_pack(doc, str(path))


def load_packs(directory: str | Path = PACKS_DIR) -> list[Pack]:
    """Every *.json pack in a directory, sorted by file name; refuses duplicates of a pack name."""
    directory = Path(directory)
    packs = [load_pack(p) for p in sorted(directory.glob("*.json"))]
    seen: set[str] = set()
    for pack in packs:
        if pack.name in seen:
            raise LexiconError(f"{directory}: pack {pack.name!r} appears twice")
        seen.add(pack.name)
    if not packs:
        raise LexiconError(f"{directory}: no word packs (*.json) found")
    return packs

