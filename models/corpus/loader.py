"""Load and validate the hand-written template files (models/corpus/templates/*.json).

A template file is JSON: {"label", "source"?, "provenance", "slots"?: {name: [values]},
"zh": [templates], "en": [templates]}. Files whose name starts with "_" hold shared slots
(`_slots.json`) or disguise tables (`_augment.json`) and no templates.

Template syntax: `{slot}` is filled from the file's slots or the shared slots; `[a|b|c]` picks one
inline alternative (`[a|]` makes "a" optional; an alternative may contain slots: `[加{platform}|私聊]`).
Anything else is literal text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from models.corpus import EVAL_DIR, LABELS, LANGS, TEMPLATE_DIR, read_jsonl

TOKEN_RE = re.compile(r"\{(\w+)\}|\[([^\[\]]*)\]")
SLOT_RE = re.compile(r"\{(\w+)\}")
MAX_CAPACITY = 10**7


class TemplateError(ValueError):
    """A template file is malformed: unknown label, unknown slot, bad JSON."""


Parts = tuple["str | Choice", ...]


@dataclass(frozen=True)
class Choice:
    """A point of choice: one option (itself a sequence of parts) is picked uniformly."""

    options: tuple[Parts, ...]


def capacity(parts: Parts) -> int:
    """How many distinct fillings a part sequence has (capped at MAX_CAPACITY)."""
    n = 1
    for part in parts:
        if isinstance(part, Choice):
            n = min(n * sum(capacity(o) for o in part.options), MAX_CAPACITY)
    return n


@dataclass(frozen=True)
class Template:
    """One parsed template: `parts` are literal strings or Choices."""

    tid: str
    label: str
    lang: str
    source: str
    text: str
    parts: Parts

    @property
    def capacity(self) -> int:
        """How many distinct fillings the template has (capped at MAX_CAPACITY)."""
        return capacity(self.parts)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TemplateError(f"{path.name}: cannot read template file: {exc}") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{path.name}: top level must be a JSON object")
    return data


def _check_slots(path: Path, slots: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(slots, dict):
        raise TemplateError(f"{path.name}: 'slots' must be an object")
    out: dict[str, tuple[str, ...]] = {}
    for name, values in slots.items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise TemplateError(f"{path.name}: slot {name!r} must be a non-empty list of strings")
        out[name] = tuple(dict.fromkeys(values))
    return out


def _slot(name: str, slots: dict[str, tuple[str, ...]], text: str, where: str) -> Choice:
    if name not in slots:
        raise TemplateError(f"{where}: unknown slot {{{name}}} in {text!r}")
    return Choice(tuple((v,) for v in slots[name]))


def _parse_flat(text: str, slots: dict[str, tuple[str, ...]], where: str, whole: str) -> Parts:
    """Literal text with `{slot}`s only (the inside of one alternative)."""
    parts: list[str | Choice] = []
    pos = 0
    for m in SLOT_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        parts.append(_slot(m.group(1), slots, whole, where))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def parse(text: str, slots: dict[str, tuple[str, ...]], where: str) -> Parts:
    """Split a template string into literal parts and Choices."""
    if text.count("[") != text.count("]"):
        raise TemplateError(f"{where}: unbalanced [ ] in {text!r}")
    parts: list[str | Choice] = []
    pos = 0
    for m in TOKEN_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        if m.group(1) is not None:
            parts.append(_slot(m.group(1), slots, text, where))
        else:
            alts = m.group(2).split("|")
            parts.append(Choice(tuple(_parse_flat(a, slots, where, text) for a in alts)))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts)


def load_shared(template_dir: Path = TEMPLATE_DIR) -> dict[str, tuple[str, ...]]:
    """Slots shared by every template file (`_slots.json`)."""
    path = template_dir / "_slots.json"
    if not path.exists():
        return {}
    return _check_slots(path, _read_json(path).get("slots", {}))


def load_augment_tables(template_dir: Path = TEMPLATE_DIR) -> dict:
    """Disguise tables (`_augment.json`): homophones, leet map, emoji, separators, keywords."""
    return _read_json(template_dir / "_augment.json")


def load_wrappers(template_dir: Path = TEMPLATE_DIR) -> tuple[float, dict[str, list[str]]]:
    """Label-neutral openers (`_wrap.json`): the share of rows that get one, and the openers per language."""
    path = template_dir / "_wrap.json"
    if not path.exists():
        return 0.0, {}
    data = _read_json(path)
    share = data.get("share", 0.0)
    if not isinstance(share, int | float) or not 0 <= share <= 1:
        raise TemplateError(f"{path.name}: 'share' must be a number between 0 and 1")
    return float(share), {lang: list(data.get(lang, [])) for lang in LANGS}


def load_exclusions(template_dir: Path = TEMPLATE_DIR) -> list[str]:
    """Texts that must never appear in the corpus (`_exclude.json`): the dev evaluation set."""
    path = template_dir / "_exclude.json"
    if not path.exists():
        return []
    texts = _read_json(path).get("texts", [])
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise TemplateError(f"{path.name}: 'texts' must be a list of strings")
    return texts


def load_eval_texts(eval_dir: Path = EVAL_DIR) -> list[str]:
    """Texts of the filter's own evaluation sets (filters/data/eval/**/*.jsonl): no corpus row may
    equal one (compared after squashing), so `make eval` never scores a training sentence."""
    texts: list[str] = []
    for path in sorted(eval_dir.rglob("*.jsonl")) if eval_dir.is_dir() else []:
        texts += [row["text"] for row in read_jsonl(path) if isinstance(row.get("text"), str)]
    return texts


def load_templates(template_dir: Path = TEMPLATE_DIR) -> list[Template]:
    """Every template of every file, in a stable order (file name, language, position).

    Slots are shared by all files of the same label (a name defined twice must not clash) and
    by every file through `_slots.json`."""
    shared = load_shared(template_dir)
    files: list[tuple[Path, dict]] = []
    label_slots: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in sorted(template_dir.glob("*.json")):
        if path.name.startswith("_"):
            continue
        data = _read_json(path)
        label = data.get("label")
        if label not in LABELS:
            raise TemplateError(f"{path.name}: label {label!r} is not one of {LABELS}")
        if not data.get("provenance"):
            raise TemplateError(f"{path.name}: missing 'provenance'")
        own = _check_slots(path, data.get("slots", {}))
        pool = label_slots.setdefault(label, {})
        for name, values in own.items():
            if name in shared or (name in pool and pool[name] != values):
                raise TemplateError(f"{path.name}: slot {name!r} is already defined differently")
            pool[name] = values
        files.append((path, data))
    out: list[Template] = []
    for path, data in files:
        label = data["label"]
        slots = {**shared, **label_slots[label]}
        source = str(data.get("source", path.stem))
        for lang in LANGS:
            items = data.get(lang, [])
            if not isinstance(items, list):
                raise TemplateError(f"{path.name}: '{lang}' must be a list of template strings")
            for i, text in enumerate(items):
                if not isinstance(text, str) or not text.strip():
                    raise TemplateError(f"{path.name}: {lang}[{i}] must be a non-empty string")
                where = f"{path.name}:{lang}[{i}]"
                out.append(
                    Template(
                        tid=f"{path.stem}.{lang}.{i:03d}",
                        label=label,
                        lang=lang,
                        source=source,
                        text=text,
                        parts=parse(text, slots, where),
                    )
                )
    return out
