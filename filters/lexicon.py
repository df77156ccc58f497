"""Versioned word packs: each entry a term with a category, a severity and allow-contexts.

A pack is one JSON file (schema 1) with a name, a version, provenance, a licence and entries;
see filters/data/packs/README.md. Packs load and validate as a whole: a pack with one bad entry
is refused with a message naming the entry, so a broken update never replaces a working list.
A replacement set must not weaken the filter by accident (`check_replacement`): it keeps every
category of the set in force unless the update names the categories it drops, and a pack whose
content changed keeps no old version number. `Pack.label` ("VERSION+DIGEST") is what
`TextFilter.pack_versions()` reports, so a changed pack is visible even under a forged version.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

from filters import matcher_cache
from filters.categories import CATEGORIES
from filters.entry_table import Entry, EntryTable

__all__ = ["Entry", "EntryTable", "LexiconError", "Pack", "check_replacement", "load_pack", "load_packs",
           "parse_pack", "parse_pack_bytes"]

PACKS_DIR = Path(__file__).resolve().parent / "data" / "packs"
MATCH_MODES = ("default", "word", "exact", "prefix", "strict", "disguised")
MAX_TERM_CHARS = 64
MAX_INT_DIGITS = 20  # a pack needs small numbers only (severity, schema)
DIGEST_CHARS = 12


class LexiconError(ValueError):
    """A pack is unreadable or invalid; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Pack:
    """A word pack: its entries and where they come from (name, version, provenance, licence, content digest)."""

    name: str
    version: str
    entries: Sequence[Entry]  # an EntryTable (filters/entry_table.py) when loaded from a file
    description: str
    provenance: str
    license: str
    sha256: str

    @property
    def label(self) -> str:
        """Version plus content digest: changes whenever the pack's content does."""
        return f"{self.version}+{self.sha256[:DIGEST_CHARS]}"

    @property
    def categories(self) -> frozenset[str]:
        if isinstance(self.entries, EntryTable):
            return self.entries.categories()
        return frozenset(e.category for e in self.entries)


def _is_cjk_term(term: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in term)


def _homophones_by_default(term: str) -> bool:
    """Chinese terms of 2+ characters, and mixed ones (免费领q币: see is_mixed_term)."""
    return (_is_cjk_term(term) and len(term) >= 2) or is_mixed_term(term)


def is_mixed_term(term: str) -> bool:
    """Mostly Chinese with a little Latin (免费领q币: 3+ characters, more characters than letters or
    digits): homophones on by default, and the Latin part must be written as it is."""
    cjk = sum("\u3400" <= c <= "\u9fff" for c in term)
    return 3 <= cjk < len(term) and 2 * cjk > len(term) and all(
        "\u3400" <= c <= "\u9fff" or (c.isascii() and c.isalnum()) for c in term
    )


def _has_substance(term: str) -> bool:
    """A term must keep a letter or digit: 💋, a zero-width space or *** normalise to nothing."""
    return any(unicodedata.category(c)[0] in "LN" for c in term)


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
    if not raw_entries:
        raise LexiconError(f"{source}: pack {name!r} has no entries (an empty pack would switch its terms off)")
    for key in ("description", "provenance", "license"):
        if not isinstance(doc.get(key, ""), str):
            raise LexiconError(f"{source}: {key!r} must be a string")
    entries: list[Entry] = []
    for i, raw in enumerate(raw_entries):
        where = f"{source}: entry {i}"
        if not isinstance(raw, dict):
            raise LexiconError(f"{where}: must be an object")
        term = raw.get("term")
        if not isinstance(term, str) or not term.strip() or len(term) > MAX_TERM_CHARS:
            raise LexiconError(f"{where}: 'term' must be 1 to {MAX_TERM_CHARS} characters")
        if not _has_substance(term):
            raise LexiconError(f"{where} ({term!r}): the term has no letter or digit, so it normalises to nothing")
        category = raw.get("category")
        if category not in categories:
            raise LexiconError(f"{where} ({term!r}): unknown category {category!r}")
        severity = raw.get("severity", 2)
        if severity not in (1, 2, 3) or isinstance(severity, bool):
            raise LexiconError(f"{where} ({term!r}): severity must be 1, 2 or 3")
        match = raw.get("match", "default")
        if match not in MATCH_MODES:
            raise LexiconError(f"{where} ({term!r}): match must be one of {MATCH_MODES}")
        if match == "disguised" and not (term.strip().isascii() and any(c.isalpha() for c in term)):
            raise LexiconError(f"{where} ({term!r}): match 'disguised' is for English terms only")
        homophones = raw.get("homophones", _homophones_by_default(term.strip()))
        if not isinstance(homophones, bool):
            raise LexiconError(f"{where} ({term!r}): homophones must be true or false")
        allow = raw.get("allow", [])
        if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
            raise LexiconError(f"{where} ({term!r}): allow must be a list of non-empty strings")
        entries.append(
            # shared category/mode strings: one object each, not one per entry (memory with 45k entries)
            Entry(term.strip(), intern(category), severity, intern(match), homophones,
                  tuple(a.strip() for a in allow), name)
        )
    try:
        canonical = json.dumps(doc, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8")
    except (RecursionError, ValueError, TypeError) as exc:
        raise LexiconError(f"{source}: the pack holds values JSON cannot carry ({type(exc).__name__})") from exc
    return Pack(
        name=name,
        version=version,
        entries=EntryTable(entries, name),
        description=doc.get("description", ""),
        provenance=doc.get("provenance", ""),
        license=doc.get("license", ""),
        sha256=hashlib.sha256(canonical).hexdigest(),
    )


def _refuse_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON constant {name}")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(digits)} digits")
    return int(digits)


def parse_pack_bytes(data: bytes, source: str = "<pack>") -> Pack:
    """Parse and validate a pack file's bytes; every failure is a LexiconError naming the source."""
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant, parse_int=_bounded_int)
    except RecursionError as exc:
        raise LexiconError(f"{source}: nested too deeply to be a word pack") from exc
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise LexiconError(f"{source}: not valid UTF-8 JSON ({exc})") from exc
    return parse_pack(doc, source)


def load_pack(path: str | Path) -> Pack:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LexiconError(f"{path}: pack file not found") from exc
    except OSError as exc:
        raise LexiconError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return parse_pack_bytes(data, str(path))


def load_packs(directory: str | Path = PACKS_DIR, cache: bool = True) -> list[Pack]:
    """Every *.json pack in a directory, sorted by file name; refuses duplicates of a pack name.

    cache: reuse the parsed packs of byte-identical files from filters/matcher_cache.py's directory
    (keyed by the files' bytes, the categories and this module's code; MAC-checked before use).
    """
    directory = Path(directory)
    paths = sorted(directory.glob("*.json"))
    packs = _load_cached(paths) if cache else None
    if packs is None:
        packs = [load_pack(p) for p in paths]
    seen: set[str] = set()
    for pack in packs:
        if pack.name in seen:
            raise LexiconError(f"{directory}: pack {pack.name!r} appears twice")
        seen.add(pack.name)
    if not packs:
        raise LexiconError(f"{directory}: no word packs (*.json) found")
    return packs


_PARSE_CODE = b"".join(Path(__file__).with_name(name).read_bytes()
                       for name in ("lexicon.py", "categories.py", "entry_table.py"))
PARSE_DIGEST = hashlib.blake2b(_PARSE_CODE, digest_size=8).hexdigest()  # parsed entries depend on this code


def _load_cached(paths: list[Path]) -> list[Pack] | None:
    """Packs parsed from these files' exact bytes by an earlier process, else parse and store them.

    None when a file cannot be read (load_pack then reports it as usual).
    """
    key = hashlib.blake2b(_PARSE_CODE, digest_size=16)
    files: list[tuple[Path, bytes]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        files.append((path, data))
        key.update(f"\0{path.name}\0{len(data)}\0".encode())
        key.update(hashlib.sha256(data).digest())  # SHA-256: 2.5x faster than BLAKE2b here (SHA extensions)
    name = key.hexdigest()
    rows = matcher_cache.load(name, kind="packs")
    if isinstance(rows, list) and len(rows) == len(files):
        try:
            return [_pack_from_row(row) for row in rows]
        except (TypeError, ValueError):
            pass  # not what this code writes: parse again
    packs = [parse_pack_bytes(data, str(path)) for path, data in files]
    matcher_cache.save(name, [_pack_row(p) for p in packs], kind="packs")
    return packs


def _pack_row(p: Pack) -> tuple:
    return p.name, p.version, p.description, p.provenance, p.license, p.sha256, p.entries


def _pack_from_row(row: tuple) -> Pack:
    name, version, description, provenance, license_, sha256, entries = row
    if not isinstance(entries, EntryTable) or entries.pack != name:
        raise TypeError("not a parsed pack")
    return Pack(name, version, entries, description, provenance, license_, sha256)



def check_replacement(current: Sequence[Pack], new: Sequence[Pack], drop_categories: Iterable[str] = ()) -> None:
    """Refuse a replacement pack set that weakens the filter without saying so.

    - every category the packs in force cover must still be covered, unless `drop_categories`
      (the update's explicit statement) names it;
    - a pack whose content changed must carry a new version (same name and version, other digest:
      a forged or botched update).
    """
    dropping = set(drop_categories)
    unknown = dropping - set(CATEGORIES)
    if unknown:
        raise LexiconError(f"the update drops unknown categories {sorted(unknown)}")
    before = frozenset().union(*(p.categories for p in current)) if current else frozenset()
    after = frozenset().union(*(p.categories for p in new)) if new else frozenset()
    lost = sorted(before - after - dropping)
    if lost:
        raise LexiconError(f"the new packs no longer cover {lost}; an update that drops a category must say so")
    old = {(p.name, p.version): p.sha256 for p in current}
    for p in new:
        digest = old.get((p.name, p.version))
        if digest is not None and digest != p.sha256:
            raise LexiconError(f"pack {p.name!r} changed but keeps version {p.version!r}; a new version is required")
