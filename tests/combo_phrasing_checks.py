"""Shared checks for the phrasing tests of the co-occurrence rules (test_combos_phrasings.py,
test_combos_scripts.py): which (rule, text) pairs miss their rule or do not block, and which near-miss
texts fire any rule."""

from __future__ import annotations

from filters.engine import TextFilter


def combo_rules(tf: TextFilter, text: str) -> list[str]:
    """The combo:FILE:RULE names in the verdict of `text`."""
    return [r.rule for r in tf.check(text).reasons if r.rule.startswith("combo:")]


def missed(tf: TextFilter, fires: list[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
    """(rule, text, rules that fired) for each text whose rule did not fire."""
    return [(rule, text, combo_rules(tf, text)) for rule, text in fires
            if f"combo:{rule}" not in combo_rules(tf, text)]


def not_blocked(tf: TextFilter, fires: list[tuple[str, str]]) -> list[str]:
    """The texts of `fires` that do not block."""
    return [text for _, text in fires if tf.check(text).action != "block"]


def noisy(tf: TextFilter, quiet: list[str]) -> list[tuple[str, list[str]]]:
    """(text, rules) for each near-miss text on which some rule fired."""
    return [(text, rules) for text in quiet if (rules := combo_rules(tf, text))]


NO_PROBLEMS = {"missed": [], "not blocked": [], "near misses fired": []}


def phrasing_problems(tf: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> dict[str, list]:
    """Everything wrong with one phrasing table: rules missed, texts not blocked, near misses fired
    (equal to NO_PROBLEMS when all is well)."""
    return {"missed": missed(tf, fires), "not blocked": not_blocked(tf, fires), "near misses fired": noisy(tf, quiet)}
