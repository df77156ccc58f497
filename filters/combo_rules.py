"""Co-occurrence rule files (filters/data/combos/*.json): parsing and validation.

A rule fires when cues of several groups occur near each other in one text, for harm that no single
word reveals (a part-time "刷单" scam script, a suicidal statement without 自杀, a groomer's secrecy plus
a meeting). The matching lives in filters/combos.py; this module only turns files into checked
`ComboRule`s. A file is refused as a whole with a message naming the file, the rule and the field, so
a broken update never replaces working rules (see filters/data/combos/README.md for the format).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filters.categories import CATEGORIES
from filters.combo_edge import WHOLE_WORD, markable

COMBOS_DIR = Path(__file__).resolve().parent / "data" / "combos"
NUMBER = "{n}"  # in a cue: any number (digits, or a Chinese amount such as 五百, 三千)
LONG_NUMBER = "{id}"  # in a cue: a run of 6-12 digits only (a QQ, phone or account number: 加{id})
MAX_CUE_CHARS = 40
MAX_WINDOW = 2000
DEFAULT_WINDOW = 200
MAX_FILE_BYTES = 1_000_000
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SET_REF = "@"
# A rule file's optional top-level "disclaimers" (cues, "@NAME" allowed): in each of its rules an `unless` cue that
# lies inside a disclaimer's occurrence does not count ("I'm not racist but ..." holds the counter-speech cue
# "racist"). Top level on purpose: software older than session 17 ignores unknown top-level keys and loads the file
# (its rules then stand down as before), where an unknown rule field would refuse the whole file.
DISCLAIMERS = "disclaimers"
SHARED_KIND = "cue_sets"  # a file with "kind": "cue_sets" holds no rules, only cue sets every rule file may name
# A group with "sound_alike": true also matches its Chinese cues written with characters that sound
# alike: the same toneless pinyin (河男人, 东贝人), or with one of these near-homophone swaps, which
# disguisers use and the word-pack matcher leaves out because single terms collide with ordinary words
# (filters/data/tables/pinyin_fuzzy.json); a rule needs its other groups too, so the swaps are safe here.
SOUND_ALIKE_INITIALS = (("n", "l"), ("l", "n"), ("zh", "z"), ("z", "zh"), ("ch", "c"), ("c", "ch"),
                        ("sh", "s"), ("s", "sh"), ("h", "f"), ("f", "h"))
SOUND_ALIKE_FINALS = (("ang", "an"), ("an", "ang"), ("eng", "en"), ("en", "eng"), ("ing", "in"), ("in", "ing"))


class ComboError(ValueError):
    """A rule file is unreadable or invalid; the message names the file, the rule and the field."""


@dataclass(frozen=True, slots=True)
class Group:
    """One group of a co-occurrence rule: its cues, and whether the rule needs a cue of it."""

    name: str
    cues: tuple[str, ...]  # as written (the matcher folds them)
    required: bool
    sound_alike: bool = False  # its Chinese cues also match sound-alike characters (SOUND_ALIKE_*)
    excepts: tuple[str, ...] = ()  # "except": a cue of the group lying inside one of these does not count


@dataclass(frozen=True, slots=True)
class ComboRule:
    """One co-occurrence rule of a rule file: groups of cues that together, near each other, are a harm."""

    file: str
    name: str
    category: str
    severity: int
    groups: tuple[Group, ...]
    min_groups: int
    window: int
    unless: tuple[str, ...]
    # the file's "disclaimers": an `unless` cue lying inside one of these ("not racist but") does not stand the rule
    # down (a disclaimer before a claim is no counter-speech); empty for most files
    disclaimers: tuple[str, ...] = ()

    @property
    def rule_id(self) -> str:
        """The verdict's rule name: combo:FILE:RULE (as lexicon:PACK:TERM)."""
        return f"combo:{self.file}:{self.name}"


@dataclass(frozen=True, slots=True)
class ComboFile:
    """One rule file: its rules, its version and the digest of its content."""

    rules: tuple[ComboRule, ...]
    name: str
    version: str
    sha256: str

    @property
    def label(self) -> str:
        return f"{self.version}+{self.sha256[:12]}"


def _strings(value: Any, where: str, sets: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """A non-empty list of cue strings; "@NAME" entries expand to the cue set NAME (the file's own or shared)."""
    if not isinstance(value, list) or not value:
        raise ComboError(f"{where}: must be a non-empty list of strings")
    out: list[str] = []
    for cue in value:
        if not isinstance(cue, str) or not cue.strip():
            raise ComboError(f"{where}: {cue!r} is not a non-empty string")
        cue = cue.strip()
        if sets is not None and cue.startswith(_SET_REF):
            if cue[1:] not in sets:
                raise ComboError(f"{where}: unknown cue set {cue!r} (define it under 'cue_sets' or in a shared "
                                 f"cue-set file of the folder)")
            out.extend(sets[cue[1:]])
            continue
        if len(cue) > MAX_CUE_CHARS:
            raise ComboError(f"{where}: cue {cue!r} is longer than {MAX_CUE_CHARS} characters")
        bare = cue.replace(NUMBER, "7").replace(LONG_NUMBER, "7")
        if not any(c.isalnum() for c in bare):
            raise ComboError(f"{where}: cue {cue!r} has no letter or digit, so it normalises to nothing")
        if "{" in bare or "}" in bare:
            raise ComboError(f"{where}: cue {cue!r}: the only placeholders are {NUMBER} and {LONG_NUMBER}")
        if cue.startswith(WHOLE_WORD) and not markable(cue[len(WHOLE_WORD):]):
            raise ComboError(f"{where}: cue {cue!r}: the whole-word mark {WHOLE_WORD!r} is only for cues written "
                             f"in Chinese characters (filters/combo_edge.py)")
        out.append(cue)
    return tuple(dict.fromkeys(out))


def _int(raw: dict, key: str, where: str, lo: int, hi: int, default: int | None = None) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ComboError(f"{where}: {key!r} must be a whole number from {lo} to {hi}; got {value!r}")
    return value


def parse_rule(raw: Any, file: str, where: str, sets: dict[str, tuple[str, ...]],
               disclaimers: tuple[str, ...] = ()) -> ComboRule:
    if not isinstance(raw, dict):
        raise ComboError(f"{where}: a rule must be an object")
    unknown = set(raw) - {"name", "category", "severity", "groups", "min_groups", "window", "unless", "why", "lang"}
    if unknown:
        raise ComboError(f"{where}: unknown field(s) {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ComboError(f"{where}: 'name' must be lower_case_with_underscores (1-64 characters); got {name!r}")
    where = f"{where} ({name})"
    category = raw.get("category")
    if category not in CATEGORIES or category == "pii":
        raise ComboError(f"{where}: unknown category {category!r}")
    if not isinstance(raw.get("why"), str) or not raw["why"].strip():
        raise ComboError(f"{where}: 'why' must say what the rule catches and where the pattern comes from")
    severity = _int(raw, "severity", where, 1, 3, 2)
    raw_groups = raw.get("groups")
    if not isinstance(raw_groups, list) or not 2 <= len(raw_groups) <= 4:
        raise ComboError(f"{where}: 'groups' must be a list of 2 to 4 groups (one group is a word pack's job)")
    groups: list[Group] = []
    for g, rg in enumerate(raw_groups):
        gw = f"{where}: group {g}"
        if not isinstance(rg, dict) or set(rg) - {"name", "cues", "required", "sound_alike", "except"}:
            raise ComboError(f"{gw}: must be an object with 'name', 'cues' and optionally 'required', "
                             f"'sound_alike', 'except'")
        gname = rg.get("name")
        if not isinstance(gname, str) or not _NAME.match(gname):
            raise ComboError(f"{gw}: 'name' must be lower_case_with_underscores; got {gname!r}")
        required, sound = rg.get("required", False), rg.get("sound_alike", False)
        for key, value in (("required", required), ("sound_alike", sound)):
            if not isinstance(value, bool):
                raise ComboError(f"{gw} ({gname}): {key!r} must be true or false")
        excepts = _strings(rg["except"], f"{gw} ({gname}) except", sets) if "except" in rg else ()
        groups.append(Group(gname, _strings(rg.get("cues"), f"{gw} ({gname}) cues", sets), required, sound, excepts))
    if len({g.name for g in groups}) != len(groups):
        raise ComboError(f"{where}: two groups share a name")
    min_groups = _int(raw, "min_groups", where, 2, len(groups), len(groups))
    if sum(g.required for g in groups) > min_groups:
        raise ComboError(f"{where}: more required groups than min_groups")
    window = _int(raw, "window", where, 4, MAX_WINDOW, DEFAULT_WINDOW)
    unless = _strings(raw["unless"], f"{where}: unless", sets) if "unless" in raw else ()
    return ComboRule(file, name, category, severity, tuple(groups), min_groups, window, unless,
                     disclaimers if unless else ())


def _header(doc: Any, source: str) -> tuple[str, str]:
    """The (name, version) of a rule or cue-set file, after the checks every such file passes."""
    if not isinstance(doc, dict):
        raise ComboError(f"{source}: a rule file must be a JSON object")
    if doc.get("schema") != 1:
        raise ComboError(f"{source}: unsupported schema {doc.get('schema')!r} (expected 1)")
    name, version = doc.get("name"), doc.get("version")
    if not isinstance(name, str) or not _NAME.match(name) or not isinstance(version, str) or not version:
        raise ComboError(f"{source}: 'name' (lower_case) and 'version' must be non-empty strings")
    for key in ("description", "provenance", "license"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise ComboError(f"{source}: {key!r} must be a non-empty string (say where the patterns come from)")
    return name, version


def _cue_sets(doc: dict, source: str, shared: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A file's own cue sets; their entries may name shared sets ("@NAME"), never another own set."""
    raw_sets = doc.get("cue_sets", {})
    if not isinstance(raw_sets, dict):
        raise ComboError(f"{source}: 'cue_sets' must be an object of name -> list of cues")
    clash = sorted(set(raw_sets) & set(shared))
    if clash:
        raise ComboError(f"{source}: cue set(s) {clash} are also shared cue sets; give them another name")
    return {k: _strings(v, f"{source}: cue set {k!r}", shared) for k, v in raw_sets.items()}


def _digest(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def is_shared(doc: Any) -> bool:
    """Is this parsed JSON a shared cue-set file ("kind": "cue_sets") rather than a rule file?"""
    return isinstance(doc, dict) and doc.get("kind") == SHARED_KIND


def parse_shared(doc: Any, source: str) -> tuple[ComboFile, dict[str, tuple[str, ...]]]:
    """Validate a shared cue-set file: (the file, with no rules; its cue sets by name)."""
    name, version = _header(doc, source)
    if "rules" in doc or DISCLAIMERS in doc:
        raise ComboError(f"{source}: a shared cue-set file holds no 'rules' and no {DISCLAIMERS!r}")
    sets = _cue_sets(doc, source, {})
    if not sets:
        raise ComboError(f"{source}: 'cue_sets' must name at least one cue set")
    return ComboFile((), name, version, _digest(doc)), sets


def parse_file(doc: Any, source: str, shared: Mapping[str, tuple[str, ...]] | None = None) -> ComboFile:
    """Validate one rule file (already parsed JSON); `shared` holds the folder's shared cue sets."""
    name, version = _header(doc, source)
    if is_shared(doc):
        raise ComboError(f"{source}: a shared cue-set file, not a rule file")
    shared = shared or {}
    sets = {**shared, **_cue_sets(doc, source, shared)}
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ComboError(f"{source}: 'rules' must be a non-empty list")
    disclaimers = _strings(doc[DISCLAIMERS], f"{source}: {DISCLAIMERS}", sets) if DISCLAIMERS in doc else ()
    rules = tuple(parse_rule(r, name, f"{source}: rule {i}", sets, disclaimers) for i, r in enumerate(raw_rules))
    if len({r.name for r in rules}) != len(rules):
        raise ComboError(f"{source}: two rules share a name")
    return ComboFile(rules, name, version, _digest(doc))


def _load(path: Path) -> Any:
    """One file's JSON; any problem is a ComboError naming the file."""
    try:
        if not path.is_file():
            raise ComboError(f"{path}: not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ComboError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except ComboError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ComboError(f"{path}: unreadable rule file ({type(exc).__name__}: {exc})") from exc


def read_file(path: Path) -> ComboFile:
    """One self-contained rule file from disk (no shared cue sets); any problem is a ComboError."""
    return parse_file(_load(path), str(path))


def read_files(paths: Iterable[Path]) -> tuple[ComboFile, ...]:
    """Rule files that load together: the shared cue-set files among them first (their sets may be named
    by any rule file), then the rule files, in the given order; all valid, or a ComboError."""
    docs = [(Path(p), _load(Path(p))) for p in paths]
    shared: dict[str, tuple[str, ...]] = {}
    out: list[ComboFile] = []
    for path, doc in docs:
        if is_shared(doc):
            file, sets = parse_shared(doc, str(path))
            clash = sorted(set(sets) & set(shared))
            if clash:
                raise ComboError(f"{path}: cue set(s) {clash} are already shared by another file")
            shared.update(sets)
            out.append(file)
    out += [parse_file(doc, str(path), shared) for path, doc in docs if not is_shared(doc)]
    if len({f.name for f in out}) != len(out):
        raise ComboError("two rule files share a name: " + ", ".join(str(p) for p, _ in docs))
    return tuple(out)


def read_dir(rules_dir: Path = COMBOS_DIR) -> tuple[ComboFile, ...]:
    """Every *.json rule file of a folder (and its shared cue-set files), all valid, or a ComboError
    (nothing half-loaded)."""
    rules_dir = Path(rules_dir)
    if not rules_dir.is_dir():
        raise ComboError(f"{rules_dir}: no such folder of rule files")
    paths = sorted(rules_dir.glob("*.json"))
    if not paths:
        raise ComboError(f"{rules_dir}: no rule files (*.json)")
    files = read_files(paths)
    if not any(f.rules for f in files):
        raise ComboError(f"{rules_dir}: no rule files (*.json), only shared cue sets")
    return files


def _refuse_constant(name: str) -> None:
    raise ValueError(f"non-standard JSON constant {name}")


def file_cue_sets(path: Path) -> dict[str, tuple[str, ...]]:
    """A rule file's own cue sets, with the shared sets of its folder they name expanded (for readers of a
    rule file's word lists, such as filters/group_mention.py); a ComboError when they do not load."""
    path = Path(path)
    shared: dict[str, tuple[str, ...]] = {}
    for other in sorted(path.parent.glob("*.json")):
        doc = _load(other)
        if is_shared(doc):
            shared.update(parse_shared(doc, str(other))[1])
    doc = _load(path)
    if not isinstance(doc, dict):
        raise ComboError(f"{path}: a rule file must be a JSON object")
    return _cue_sets(doc, str(path), shared)

