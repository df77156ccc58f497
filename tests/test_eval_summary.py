"""`make eval`'s closing summary says which targets are enforced and met and which public figures are below target."""

from __future__ import annotations

from types import SimpleNamespace

from filters.eval_summary import Scoreboard


def _rep(name: str, harmful: int, blocked: int, benign: int = 0, flagged: int = 0) -> SimpleNamespace:
    return SimpleNamespace(name=name, harmful=harmful, blocked=blocked, benign=benign, flagged=flagged,
                           pii=0, redacted=0)


def _board(public_blocked: int) -> Scoreboard:
    board = Scoreboard()
    board.add_set(_rep("dev", 32, 32, 21, 0), True, 0.95, 0.02, 0.95)
    board.add("jieba top-20000 words: flagged", 27, 20000, 0.01, False, True)
    board.add_set(_rep("public: held-out terms", 470, public_blocked), False, 0.95, 0.02, 0.95)
    return board


def test_public_figures_below_target_are_named_not_hidden() -> None:
    board = _board(240)
    text = "\n".join(board.lines())
    assert board.enforced_ok()
    assert "enforced targets (dev.jsonl, extra sets, ordinary-vocabulary flag rates): 3 of 3 met" in text
    assert "public: held-out terms: harmful blocked: 51.1% (240/470), target >= 95%" in text
    assert "all targets met" not in text
    assert text.endswith("all enforced targets met; 1 public figure below target (listed above)")


def test_public_figures_do_not_fail_strict_but_enforced_ones_do() -> None:
    assert _board(460).lines()[-1] == "all enforced targets met"
    board = _board(460)
    board.add_set(_rep("extra_traps", 0, 0, 692, 20), True, 0.95, 0.02, 0.95)
    assert not board.enforced_ok()
    assert "  MISSED extra_traps: benign flagged: 2.9% (20/692), target <= 2%" in board.lines()


def test_an_enforced_figure_that_cannot_be_measured_is_not_met() -> None:
    board = _board(460)
    board.missing("wordfreq top English words flag rate (package not installed)")
    assert not board.enforced_ok()
    assert board.lines()[-1].startswith("enforced targets MISSED")
