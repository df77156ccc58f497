"""Filter policy: which categories a child's verdicts block, by age band, plus a parent's words.

A policy is JSON. Filter keys may sit at the top level or under "filter"; keys that other
parts own (time limits, bedtime: see device/) are ignored here. Defaults follow the CAC
minor-mode age bands: under 8, 8-11, 12-15, 16-17.
"""

from __future__ import annotations

import json
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filters.categories import CATEGORIES, is_category

AGE_BANDS: tuple[str, ...] = ("under8", "8-11", "12-15", "16-17")
DEFAULT_BAND = "8-11"

# Lowest lexicon severity that blocks, by age band (1 mild .. 3 severe).
BAND_MIN_SEVERITY: dict[str, int] = {"under8": 1, "8-11": 1, "12-15": 2, "16-17": 2}

# Classifier probability at which the model alone blocks, by age band (see filters/fusion.py).
BAND_MODEL_SCALE: dict[str, float] = {"under8": 0.9, "8-11": 1.0, "12-15": 1.0, "16-17": 1.05}


class PolicyError(ValueError):
    """A policy document is invalid; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class FilterPolicy:
    """What a parent's policy asks of the filter: age band, blocked categories, PII, the model, own words."""

    age_band: str = DEFAULT_BAND
    blocked_categories: frozenset[str] = field(default_factory=lambda: frozenset(CATEGORIES) - {"pii"})
    redact_pii: bool = True
    min_severity: int = BAND_MIN_SEVERITY[DEFAULT_BAND]
    allow_words: tuple[str, ...] = ()
    block_words: tuple[str, ...] = ()
    model_thresholds: tuple[tuple[str, float], ...] = ()
    use_model: bool = True

    def threshold(self, label: str, default: float) -> float:
        for name, value in self.model_thresholds:
            if name == label:
                return value
        return default * BAND_MODEL_SCALE.get(self.age_band, 1.0)

    @classmethod
    def for_band(cls, band: str) -> FilterPolicy:
        if band not in AGE_BANDS:
            raise PolicyError(f"age_band must be one of {', '.join(AGE_BANDS)}; got {band!r}")
        return cls(age_band=band, min_severity=BAND_MIN_SEVERITY[band])

    @classmethod
    def from_dict(cls, doc: Any) -> FilterPolicy:
        if not isinstance(doc, dict):
            raise PolicyError("a policy must be a JSON object")
        merged = dict(doc)
        if isinstance(doc.get("filter"), dict):
            merged.update(doc["filter"])
        band = merged.get("age_band", DEFAULT_BAND)
        if not isinstance(band, str):
            raise PolicyError("age_band must be a string")
        base = cls.for_band(band)
        blocked = merged.get("blocked_categories")
        if blocked is None:
            blocked_set = base.blocked_categories
        else:
            if not isinstance(blocked, list) or not all(isinstance(c, str) for c in blocked):
                raise PolicyError("blocked_categories must be a list of category names")
            unknown = [c for c in blocked if not is_category(c)]
            if unknown:
                raise PolicyError(
                    f"unknown categories {unknown}; known: {', '.join(CATEGORIES)}"
                )
            blocked_set = frozenset(blocked)
        min_sev = merged.get("min_severity", base.min_severity)
        if not isinstance(min_sev, int) or isinstance(min_sev, bool) or not 1 <= min_sev <= 3:
            raise PolicyError("min_severity must be 1, 2 or 3")
        words = {}
        for key in ("allow_words", "block_words"):
            value = merged.get(key, [])
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise PolicyError(f"{key} must be a list of strings")
            cleaned = tuple(w.strip() for w in value if w.strip())
            if any(len(w) > 64 for w in cleaned):
                raise PolicyError(f"{key}: words are at most 64 characters")
            words[key] = cleaned
        thresholds = merged.get("model_thresholds", {})
        if not isinstance(thresholds, dict):
            raise PolicyError("model_thresholds must be an object {label: probability}")
        for label, value in thresholds.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
                raise PolicyError(f"model_thresholds[{label!r}] must be a number in (0, 1]")
        redact_pii = merged.get("redact_pii", True)
        use_model = merged.get("use_model", True)
        if not isinstance(redact_pii, bool) or not isinstance(use_model, bool):
            raise PolicyError("redact_pii and use_model must be true or false")
        return cls(
            age_band=band,
            blocked_categories=blocked_set,
            redact_pii=redact_pii,
            min_severity=min_sev,
            allow_words=words["allow_words"],
            block_words=words["block_words"],
            model_thresholds=tuple(sorted((str(k), float(v)) for k, v in thresholds.items())),
            use_model=use_model,
        )

    @classmethod
    def load(cls, path: str | Path) -> FilterPolicy:
        return cls.from_dict(parse_json(read_policy_file(path), str(path)))


MAX_POLICY_BYTES = 1 << 20
MAX_NESTING = 32


def read_policy_file(path: str | Path, limit: int = MAX_POLICY_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; PolicyError for anything else.

    Opened without blocking (a FIFO never stalls the caller) and read no further than the limit
    (a link to /dev/zero is refused, not read whole).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file not found: {path}") from exc
    except OSError as exc:
        raise PolicyError(f"policy file {path} cannot be opened: {exc.strerror or exc}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PolicyError(f"policy file {path} is not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise PolicyError(f"policy file {path} is larger than {limit} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise PolicyError(f"policy file {path} cannot be read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _refuse_constant(name: str) -> None:
    raise PolicyError(f"{name} is not standard JSON (NaN and Infinity are refused)")


def parse_json(data: bytes | str, where: str = "policy") -> Any:
    """Standard JSON only: NaN/Infinity, nesting deeper than MAX_NESTING and oversized numbers are refused."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{where} is not valid UTF-8: {exc}") from exc
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:  # nesting is measured before parsing, so json never recurses deeply
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                raise PolicyError(f"{where} is nested deeper than {MAX_NESTING} levels")
        elif ch in "]}":
            depth -= 1
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int,
                          parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise PolicyError(f"{where} is not valid JSON: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, PolicyError):
            raise
        raise PolicyError(f"{where} is not acceptable JSON: {exc}") from exc


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise PolicyError(f"number {text[:12]} is out of range")
    return value


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > 18:
        raise PolicyError(f"number {digits[:12]}... is too large")
    return int(digits)


DEFAULT_POLICY = FilterPolicy()
