"""filters/code_cache.py: dataclasses and named tuples made with stored code are the classes Python makes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# a module without __future__ imports (as most of the standard library): what the builtins compile there
# must be what the cache gives, e.g. real annotations on __init__, not strings
_PROBE = r"""
import json, sys
if sys.argv[1] == "cached":
    from filters import code_cache
    code_cache.install()
import collections, dataclasses, inspect, typing

@dataclasses.dataclass(frozen=True, slots=True)
class Frozen:
    a: int
    b: str = "x"
    c: tuple = dataclasses.field(default_factory=tuple)

@dataclasses.dataclass(order=True)
class Ordered:
    n: float
    names: list = dataclasses.field(default_factory=list, compare=False)

class Pair(typing.NamedTuple):
    left: int
    right: str = "r"

Point = collections.namedtuple("Point", "x y")

class Later(typing.NamedTuple):  # string annotations (as under `from __future__ import annotations`): ForwardRefs
    a: "int"
    b: "list[str]" = []

f = Frozen(1)
try:
    f.a = 2
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
out = {
    "repr": [repr(f), repr(Ordered(2.5)), repr(Pair(1)), repr(Point(1, 2))],
    "eq": [f == Frozen(1, "x", ()), hash(f) == hash(Frozen(1)), Ordered(1.0) < Ordered(2.0), Pair(1) == (1, "r")],
    "frozen": frozen,
    "replace": repr(dataclasses.replace(f, b="y")),
    "signatures": [str(inspect.signature(c)) for c in (Frozen, Ordered, Pair, Point)],
    "init_annotations": {k: repr(v) for k, v in Frozen.__init__.__annotations__.items()},
    "codes": [c.__init__.__code__.co_flags for c in (Frozen, Ordered)] + [Pair.__new__.__code__.co_flags],
    "filenames": [Frozen.__init__.__code__.co_filename, Pair.__new__.__code__.co_filename],
    "forward": [repr(Later.__annotations__), repr(typing.get_type_hints(Later))]
    + [(f.__forward_code__.co_flags, f.__forward_code__.co_filename, f.__forward_code__.co_consts)
       for f in Later.__annotations__.values()],
}
if sys.argv[1] == "cached":
    out["compiled_here"] = code_cache._added or bool(code_cache.save())
print(json.dumps(out))
"""


def _run(mode: str, cache_dir: str) -> dict:
    env = {**os.environ, "KIDSAFE_CACHE_DIR": cache_dir}
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, env=env, check=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return json.loads(done.stdout)


def test_classes_from_stored_code_are_the_classes_python_makes(tmp_path):
    cache = str(tmp_path / "cache")
    plain = _run("plain", cache)
    first = _run("cached", cache)  # compiles and stores (at exit)
    second = _run("cached", cache)  # takes every code object from the file
    assert first["compiled_here"] is True
    assert second["compiled_here"] is False, "the second process compiled code the first one stored"
    for got in (first, second):
        got.pop("compiled_here")
        assert got == plain
    assert plain["frozen"] is True and plain["init_annotations"]["a"] == "<class 'int'>"


def test_a_forged_cache_file_is_not_loaded(tmp_path):
    cache = tmp_path / "cache"
    plain = _run("plain", str(cache))
    _run("cached", str(cache))
    for path in cache.glob("code-*.pickle"):
        data = bytearray(path.read_bytes())
        data[-5] ^= 0xFF  # a flipped bit in the stored code: the MAC fails, everything is compiled again
        path.write_bytes(bytes(data))
    again = _run("cached", str(cache))
    assert again.pop("compiled_here") is True
    assert again == plain
