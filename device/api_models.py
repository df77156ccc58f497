"""Pydantic v2 models of the device API's JSON request bodies, and how a bad body is answered.

    SearchBody      POST /api/search      {"query", "lang"?, "feature"?}
    MoreTimeBody    POST /api/more-time   {"minutes"?, "note"?, "lang"?}
    EmptyBody       POST /api/heartbeat, /api/always/{id}   {} or {"lang"} (or no body at all)

    read_body(model, raw) -> model        raises BodyError: 400 for bytes that are not strict JSON
                                          (device/strict_json.py), 422 for JSON of the wrong shape
Models are strict (no "5" for 5, no 5 for "5"), refuse unknown keys; pydantic refuses text that cannot be UTF-8
(lone surrogates). A BodyError carries `problems` (path, English, Chinese; device/policy_errors.py),
and an error code the page knows: `empty_query` / `query_too_long` when that is the only problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from device.policy_errors import Problem, problems_from
from device.strict_json import StrictJsonError, loads

MAX_QUERY_CHARS = 200
MAX_NOTE_CHARS = 200
MAX_JSON_DEPTH = 4  # no body of ours nests: a deep one is refused before parsing
FEATURES = ("search", "dictionary", "homework")


Lang = Literal["zh", "en"]


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)

    lang: Lang | None = None  # the child's own language switch (also ?lang=)


class SearchBody(_Body):
    query: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUERY_CHARS)]
    # "dictionary" / "homework" are modes the device enforces (device/modes.py), not labels
    feature: Literal[FEATURES] = "search"  # type: ignore[valid-type]


class MoreTimeBody(_Body):
    minutes: Annotated[int, Field(ge=5, le=120)] = 15
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE_CHARS)] = ""


class EmptyBody(_Body):
    """Endpoints that take no fields: an empty body or `{}` (a `lang` is allowed)."""


M = TypeVar("M", bound=_Body)


class BodyError(ValueError):
    """A request body the API refuses: HTTP status, error code and the problems by path."""

    def __init__(self, status: int, code: str, problems: list[Problem]) -> None:
        self.status, self.code, self.problems = status, code, problems
        super().__init__("; ".join(str(p) for p in problems))


def _code(problems: list[Problem], errors: list[dict[str, Any]]) -> str:
    """`empty_query` / `query_too_long` when the query is the only problem (the page says these itself)."""
    kinds = {e["type"] for e in errors if e["loc"][:1] == ("query",)}
    if len(problems) == 1 and problems[0].path == "$.query":
        if kinds & {"missing", "string_too_short"}:
            return "empty_query"
        if "string_too_long" in kinds:
            return "query_too_long"
    return "invalid_request"


def read_body(model: type[M], raw: bytes) -> M:
    """The body as `model`; an empty body is `{}`. Raises BodyError (400 bad JSON, 422 wrong shape)."""
    if not raw.strip():
        raw = b"{}"
    try:
        doc = loads(raw, max_bytes=len(raw), max_depth=MAX_JSON_DEPTH)
    except StrictJsonError as exc:
        raise BodyError(400, "bad_json", [Problem(exc.path, exc.en, exc.zh)]) from None
    if not isinstance(doc, dict):
        raise BodyError(422, "invalid_request", [Problem("$", "must be a JSON object", "应为 JSON 对象")])
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        problems = problems_from(exc, doc)
        raise BodyError(422, _code(problems, exc.errors(include_url=False)), problems) from None
