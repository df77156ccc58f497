"""The manifest of the local measuring sets (filters/data/eval/local_sets.json), read and checked with pydantic.

A source says where rows come from (kind git / repo / shared / package / recipe, repository and commit, paths,
format, pinned sha256 per file, licence); a set says which rows of a source it takes (select), how they are
labelled (expect: block = harmful, allow = benign, corpus = ordinary text counted as blocked), how many rows
it must give, whether its rows are never read (counts only), and the figure it had before the rebuild
(history). A manifest that does not fit is refused with pydantic's message naming the field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MANIFEST = Path(__file__).resolve().parent.parent / "data" / "eval" / "local_sets.json"
KIND_OF_EXPECT = {"block": "harmful", "allow": "benign", "corpus": "corpus"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    kind: Literal["git", "repo", "shared", "package", "recipe"]
    repository: str | None = None  # owner/name on GitHub (kind git)
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{40}$")
    package: str | None = None  # PyPI name (kind package)
    version: str | None = None
    recipe: str | None = None  # filters/tools/local_sources.RECIPES (kind recipe)
    paths: list[str] = []
    path_globs: list[str] = []  # kind git: every file of the commit matching one (fnmatch); the commit pins them
    format: Literal["json", "jsonl", "csv", "tsv", "lines", "tagged_lines", "none"] = "none"
    options: dict[str, Any] = {}
    labels_path: str | None = None  # a second file of labels joined on options.join_on
    sha256: dict[str, str] = {}
    licence: str
    licence_note: str = ""
    citation: str = ""

    @model_validator(mode="after")
    def _complete(self) -> Source:
        need = {"git": ("repository", "commit"), "package": ("package", "version"), "recipe": ("recipe",)}
        for attr in need.get(self.kind, ()):
            if not getattr(self, attr):
                raise ValueError(f"a {self.kind} source needs {attr}")
        if self.kind != "recipe" and (not (self.paths or self.path_globs) or self.format == "none"):
            raise ValueError(f"a {self.kind} source needs paths and a format")
        return self

    def label(self) -> str:
        if self.kind == "git":
            return f"{self.repository}@{(self.commit or '')[:7]}"
        if self.kind == "package":
            return f"{self.package}=={self.version}"
        if self.kind == "recipe":
            return f"recipe {self.recipe}"
        return f"{self.kind}:{','.join(self.paths)}"


class Select(_Strict):
    where: dict[str, Any] = {}  # field -> value, list of values, or {"min": x, "max": y}
    text_field: str = "text"
    text_template: str | None = None  # e.g. "{riddle}——{answer}"
    template_fields: list[str] = []
    group_field: str | None = None  # kept per row (HateCheck functionality)
    split: Literal["sentences_en"] | None = None
    min_chars: int = 1
    max_chars: int | None = None
    min_han: int = 0  # at least this many Han characters (drops a bare sum such as 2.75-1(5/6) from a question set)
    dedupe: bool = False
    sample_n: int | None = None
    sample_by: Literal["first", "sha256"] = "first"
    index: Literal["set", "source"] = "set"  # parity index: position in the set, or in the source file
    # leave out rows sharing a run of `chars` Chinese characters with these files of this checkout (jsonl "text"
    # or one text a line): a corpus stays apart from the text the packs were curated against
    exclude_overlap: list[str] = []
    overlap_chars: int = 8
    how: str  # the selection in words, for people


class History(_Strict):
    figure: int | None = None  # blocked (harmful, corpus) or not allowed (benign) at a435ff2, end of session 16
    old_rows: int | None = None
    comparable: bool = False
    note: str = ""


class LocalSet(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    source: str
    expect: Literal["block", "allow", "corpus"]
    rows: int | None
    never_read: bool = False
    select: Select
    history: History = History()

    @property
    def kind(self) -> str:
        return KIND_OF_EXPECT[self.expect]


class LostSet(_Strict):
    name: str
    title: str
    figure: int | None
    why: str


class Manifest(_Strict):
    schema_: int = Field(alias="schema")
    description: str
    sources: dict[str, Source]
    sets: list[LocalSet]
    lost: list[LostSet] = []  # sets of the old harness that could not be rebuilt, and why
    sha256: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        names = [s.name for s in self.sets]
        if len(set(names)) != len(names):
            raise ValueError("set names repeat")
        for s in self.sets:
            if s.source not in self.sources:
                raise ValueError(f"set {s.name}: unknown source {s.source!r}")
        return self

    def names(self, only: list[str] | None = None) -> list[str]:
        known = [s.name for s in self.sets]
        if not only:
            return known
        unknown = [n for n in only if n not in known]
        if unknown:
            raise ValueError(f"unknown set(s) {', '.join(unknown)}; known: {', '.join(known)}")
        return [n for n in known if n in only]

    def set(self, name: str) -> LocalSet:
        for s in self.sets:
            if s.name == name:
                return s
        raise ValueError(f"unknown set {name!r}")


def load_manifest(path: Path = MANIFEST) -> Manifest:
    raw = path.read_bytes()
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    return manifest.model_copy(update={"sha256": hashlib.sha256(raw).hexdigest()})
