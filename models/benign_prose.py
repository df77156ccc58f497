"""Ordinary English prose from docstrings: real benign text in the senses documentation uses kill,
execute, child, secret, password, attack and shoot (the English templates alone left the model
calling unfamiliar technical English "grooming").

- `package_sentences()`: docstring sentences of the third-party libraries the training environment
  has (numpy always, keras/tensorflow/matplotlib from the train extra): benign English rows for
  training and calibration, split by module (`prose_part`). Read at training time, never committed
  (their licences are BSD/Apache, but nothing here needs a copy).
- `stdlib_sentences()`: docstring sentences of the Python standard library, for REPORTING the
  benign block rate only (models/evaluate_model.py); never trained on, never used for thresholds.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sysconfig
import zlib
from pathlib import Path

from filters.eval_public import module_docstrings

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MIN_WORDS = 5


PACKAGES = ("numpy", "keras", "tensorflow", "matplotlib")
MAX_CHARS = 300


def stdlib_sentences(limit: int = 5000, seed: int = 7) -> list[str]:
    """Up to `limit` standard-library docstring sentences (5+ words, no code), sampled reproducibly."""
    root = Path(sysconfig.get_paths()["stdlib"])
    paths = [p for p in sorted(root.glob("*.py")) + sorted(root.glob("*/*.py"))
             if not p.name.startswith("test") and p.parent.name not in ("test", "tests")]
    unique = sorted({s for path in paths for s in _file_sentences(path)})
    random.Random(seed).shuffle(unique)
    return unique[:limit]


def package_sentences(packages: tuple[str, ...] = PACKAGES, per_package: int = 6000,
                      seed: int = 11) -> list[dict]:
    """Rows {"text", "label": "safe", "lang": "en", "source": "docstring:<pkg>/<module>"} from the
    docstrings of the installed `packages` (absent ones are skipped), up to `per_package` each."""
    rows: list[dict] = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        found: dict[str, str] = {}
        for path in sorted(root.rglob("*.py")):
            if any(part in ("tests", "test", "testing") for part in path.relative_to(root).parts):
                continue
            module = f"{package}/{path.relative_to(root).as_posix()}"
            for sentence in _file_sentences(path):
                found.setdefault(sentence, module)
        chosen = sorted(found)
        random.Random(seed).shuffle(chosen)
        rows += [{"text": s, "label": "safe", "lang": "en", "source": f"docstring:{found[s]}"}
                 for s in chosen[:per_package]]
    return rows


def prose_part(row: dict) -> str:
    """"calibration" for a fixed 20% of the modules (by the module in source), else "train"."""
    return "calibration" if zlib.crc32(row["source"].encode("utf-8")) % 5 == 0 else "train"


def _file_sentences(path: Path) -> list[str]:
    return [s for doc in module_docstrings(path) for s in _sentences(doc)]


def _sentences(doc: str) -> list[str]:
    paragraph = " ".join(line.strip() for line in doc.split("\n\n", 1)[0].splitlines())
    return [s for s in SENTENCE_END.split(paragraph)
            if len(s.split()) >= MIN_WORDS and len(s) <= MAX_CHARS and s[:1].isalpha()
            and not any(c in s for c in "(){}[]=>`")]
