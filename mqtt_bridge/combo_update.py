"""Co-occurrence rule files (filters/data/combos/*.json) in a fleet bundle: where they go, what is checked.

A bundle may carry a full set of rule files (FileSpec kind "combos", named `combos-FILE.json` in the
bundle so they never clash with a word pack of the same name). The updater stages them in
`SET/combos/` and, before the swap, refuses the whole bundle when

- a rule file does not parse or validate (filters/combo_rules.py: the message names the file, the rule
  and the field) -> "malformed";
- the new rules stop covering a category the rules in force cover, unless the signed metadata drops it
  (`drops_categories`) -> "weakening";
- a rule file changed under an unchanged version -> "weakening".

Then the canary compiles them (a cue that folds to digits only is refused there) and checks that
the rules still fire (mqtt_bridge/canary.py). A bundle without rule files keeps the rules in force: a
set from an earlier bundle passes its rule files on; the shipped rules need no copy (a set without
`combos/` runs the shipped rules).

    rules_dir_of(set_dir) -> Path          the rule folder a set runs (its own, else the shipped one)
    staged_name(bundle_name) -> str        combos-fraud.json -> fraud.json
    carry_forward(staged, in_force_dir, sets)
    check(staged, in_force, drops)         the refusals above (BundleRefused), zh/en messages
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from filters.combo_rules import COMBOS_DIR, ComboError, ComboFile, read_dir
from mqtt_bridge.trust import BundleRefused, changed_under_same_version

COMBO_PREFIX = "combos-"
SUBDIR = "combos"


def rules_dir_of(set_dir: Path | None) -> Path:
    """The rule folder a set runs: its own `combos/`, else the shipped rules."""
    own = set_dir / SUBDIR if set_dir is not None else None
    return own if own is not None and own.is_dir() else COMBOS_DIR


def staged_name(bundle_name: str) -> str:
    return bundle_name.removeprefix(COMBO_PREFIX)


def carry_forward(staged: Path, in_force_dir: Path, sets: Path) -> None:
    """A bundle without rule files keeps the rules in force: copy them when they came from an earlier
    bundle (a folder under `sets`); the shipped rules need no copy."""
    if (staged / SUBDIR).exists() or not in_force_dir.is_dir():
        return
    if Path(sets).resolve() not in in_force_dir.resolve().parents:
        return
    shutil.copytree(in_force_dir, staged / SUBDIR)


def _covered(files: Iterable[ComboFile]) -> set[str]:
    return {r.category for f in files for r in f.rules}


def check(staged: Path, in_force: Iterable[ComboFile], drops: Iterable[str]) -> tuple[ComboFile, ...]:
    """The staged rule files, valid and not weaker than the rules in force (else BundleRefused)."""
    folder = staged / SUBDIR
    if not folder.exists():
        return ()
    try:
        files = read_dir(folder)
    except ComboError as exc:
        raise BundleRefused("malformed", f"co-occurrence rule file refused, the rules in force stay "
                            f"/ 组合规则文件无效，继续使用现有规则: {exc}"[:500]) from exc
    in_force = tuple(in_force)
    missing = sorted(_covered(in_force) - _covered(files) - set(drops))
    if missing:
        raise BundleRefused("weakening", f"co-occurrence rules stop covering {missing} without saying so "
                            f"/ 组合规则不再覆盖 {missing}，而更新未声明")
    f = changed_under_same_version(files, in_force)
    if f is not None:
        raise BundleRefused("weakening", f"rule file {f.name} changed under the same version {f.version} "
                            f"/ 规则文件 {f.name} 内容改变但版本号未变")
    return files
