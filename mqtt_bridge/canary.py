"""Canary self-test of a word-pack set before an update is kept (mqtt_bridge/data/canary.json).

    check_packs(packs_dir, categories, in_force)   packs parse; every listed category has entries; no
        empty pack; no pack whose content changed under an unchanged version (LexiconError -> refusal)
    run_on_set(set_dir, categories)                 the canary on a filter built from a staged set
    run_on_filter(text_filter, categories)          must still block (with the right category), must
        still pass; categories outside the bundle's list are not required; for each category the
        co-occurrence rules cover, `combos_must_block` texts (no pack word in them) must still be blocked
        by a `combo:` rule of that category
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from mqtt_bridge.trust import BundleRefused, changed_under_same_version

CANARY_PATH = Path(__file__).resolve().parent / "data" / "canary.json"


@lru_cache(maxsize=1)
def samples() -> dict[str, Any]:
    return json.loads(CANARY_PATH.read_text(encoding="utf-8"))


def check_packs(packs_dir: Path, categories: Iterable[str], in_force: Iterable[Any] = ()) -> list[Any]:
    from filters.lexicon import LexiconError, load_packs

    try:
        packs = load_packs(packs_dir)
    except (LexiconError, RecursionError, ValueError) as exc:
        raise BundleRefused("malformed", f"word packs do not load: {exc}"[:500]) from exc
    covered: set[str] = set()
    for pack in packs:
        if not pack.entries:
            raise BundleRefused("weakening", f"pack {pack.name} is empty")
        covered.update(e.category for e in pack.entries)
    missing = sorted(set(categories) - covered - {"pii"})
    if missing:
        raise BundleRefused("weakening", f"no pack covers {missing} although the bundle lists them")
    changed = changed_under_same_version(packs, in_force)
    if changed is not None:
        raise BundleRefused("weakening", f"pack {changed.name} changed under the same version {changed.version}")
    return packs


def run_on_set(set_dir: Path, categories: Iterable[str]) -> None:
    from filters.combo_rules import ComboError
    from filters.engine import TextFilter
    from mqtt_bridge.combo_update import rules_dir_of

    model = set_dir / "model.tflite"
    labels = set_dir / "labels.json"
    try:
        tf = TextFilter.load(packs_dir=set_dir / "packs", model_path=model if model.exists() else None,
                             labels_path=labels if labels.exists() else None)
        tf.reload_combos(rules_dir_of(set_dir))
    except ComboError as exc:
        raise BundleRefused("malformed", f"co-occurrence rules do not compile, the rules in force stay "
                            f"/ 组合规则无法编译，继续使用现有规则: {exc}"[:500]) from exc
    except Exception as exc:
        raise BundleRefused("canary_failed", f"the staged set does not load: {exc}"[:500]) from exc
    if model.exists() and tf.model_error:
        raise BundleRefused("canary_failed", f"the bundle's model does not load: {tf.model_error}"[:500])
    run_on_filter(tf, categories)


def run_on_filter(tf: Any, categories: Iterable[str]) -> None:
    wanted = set(categories)
    data = samples()
    for category, texts in data["must_block"].items():
        if category not in wanted:
            continue
        for text in texts:
            verdict = tf.check(text)
            if verdict.action == "allow" or category not in verdict.categories:
                raise BundleRefused("canary_failed", f"{text!r} no longer blocked as {category}")
    covered = {r.category for r in tf.combos.rules} & wanted
    for category, texts in data.get("combos_must_block", {}).items():
        if category not in covered:
            continue
        for text in texts:
            verdict = tf.check(text)
            if not any(r.blocking and r.category == category and r.rule.startswith("combo:") for r in verdict.reasons):
                raise BundleRefused("canary_failed", f"{text!r} no longer caught by a {category} co-occurrence rule "
                                    f"/ 组合规则不再拦截")
    for text in data["must_pass"]:
        verdict = tf.check(text)
        if verdict.action != "allow":
            raise BundleRefused("canary_failed", f"{text!r} is now {verdict.action} ({verdict.categories})")
