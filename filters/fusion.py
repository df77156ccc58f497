"""Fusion of the classifier's scores with the word lists' evidence: model Reasons for a verdict.

`model_reasons(scores, lexicon_reasons, policy, units, thresholds)` returns Reasons of kind "model" (rule
"model:<label>", span None, matched "", score = the label's probability). The rules:

1. Model alone. A label whose probability reaches its threshold T = policy.threshold(label, base)
   blocks on its own, even when no word matched ("哥哥给你买皮肤，你发张自拍来"),
   provided the text is long enough to judge: at least MIN_UNITS_ALONE units (Chinese characters
   plus English words). Shorter texts (single words, "一个", "spicy food") gave the hashed n-gram
   model too little to go on: measured on jieba's 20,000 commonest words it blocked 2.7% of them
   alone, and 22 of 692 short benign traps; with the floor, none of the words and 2 traps, while
   losing no harmful row the word lists miss (all such rows have 7+ units).
   The base threshold is the model's calibrated one (`thresholds`, from models/calibration.json via
   TextClassifier.thresholds: chosen on held-out calibration rows so each label blocks at most 0.1%
   of benign rows per language, see models/calibrate.py), else ALONE_THRESHOLDS (0.90-0.95). The
   age band then scales it (filters/policy.py: x0.9 under 8, x1.05 for 16-17); parents can set
   per-label thresholds in the policy's "model_thresholds", which win.
   Long texts: the classifier scores a text of more than WINDOW_CHARS letters and digits as up to
   MAX_WINDOWS windows (filters/model_windows.py) and reports the window least likely safe, so every
   window is another chance to cross T. A text of n windows therefore needs T_n = 1 - (1 - T) * n ** -e
   (at most LONG_TEXT_CAP, never below T), where e is the model's calibrated window exponent (calibration.json
   "window_exponent", models/long_text.py: the lowest exponent at which long benign calibration texts,
   made by joining held-out benign rows, are blocked no more often than the one-window budget allows;
   e = 1 is a Bonferroni correction). Without a calibrated exponent e = 0: T for every length.
2. Corroboration. Below T, the model never blocks alone. When a word-list reason of a matching
   category is present and the probability reaches CORROBORATE_RATIO * T, the model corroborates
   it: the model Reason carries the matched term's severity raised by one (at most 3), and blocks
   if that reaches the policy's min_severity. So a mild term (severity 1, ignored for 12-17 year
   olds) blocks when the model agrees the text is harmful, and stays allowed when it does not.
   For this the caller passes every word-list hit, the non-blocking ones too (blocking=False).
   Texts naming a group: a calibration file may give a label a lower threshold G for texts of one
   language that name a group of people ("group_thresholds", filters/group_mention.py: the hate rules'
   group cue sets). Such a text blocks alone from G (scaled by the age band, raised for long texts as
   above) when G is below T; a parent's threshold for the label still wins, and corroboration keeps T.
   models/calibrate.py chooses G on the calibration rows that name a group, within the same benign
   budgets (models/MODEL_CARD.md, session 10).
3. Otherwise no model Reason. The model never lowers or vetoes a word-list match (fail closed),
   and categories the policy does not block give no model Reason.
4. Self-directed or aimed at others (session 17). When violence_or_self_harm blocks alone and no word-list term
   of violence or self_harm matched (blocking or not), filters/self_directed.py reads the text's cues
   (filters/data/self_directed/cues.json: Columbia scale, 988, NHS, WHO warning signs): a self-directed cue
   (我不想活了, 离开这个世界, 很多药, 没人在乎我, kill myself, a burden) makes it self_harm; else a threat against
   a person (杀了你, 弄死他, beat him), a violent-content word (杀人, 枪击, murder) or a word-list hit (blocking or
   not) of a category aimed at others (bullying, weapons: 放学别走等着挨打) keeps it violence; with
   mixed evidence (both) or none, self_harm: care for a violent-sounding text costs a false parent notice, the
   wall for a child at risk costs the help lines they needed (device/care.py gives them for self_harm). Under a
   policy blocking both categories (the default, every age band) the rule changes only the category, never the
   action. A policy blocking violence but not self_harm keeps violence (the same block as before); one blocking
   self_harm but not violence (a parent who unblocked violence; device/care.py's care_policy recheck) now blocks a
   self-directed text as self_harm, so the child gets care, and still lets a threat against others through.
   Cost: one regex pass, only for texts the model alone blocks as violence_or_self_harm.
5. Goods for sale (session 18). The model alone does not block a text as fraud when filters/goods_sale.py reads it
   as an ordinary listing of goods for a price (a sale word such as 出售 / 转让 / 九成新 / 包邮, a price such as 200元,
   and none of the scheme words of fraud and black-market adverts: 赚, 兼职, 贷, 账号, 游戏, 定金 ...): the model
   gives 转让九成新婴儿车，200元，有意者私聊 a fraud score of 0.996. A fraud word-list or rule hit still blocks (and
   is still corroborated), and no other label is affected. Cost: one regex pass, only for texts the model alone
   blocks as fraud.

Label -> filter category: sexual -> sexual; violence_or_self_harm -> violence (self_harm when a
self_harm term matched, or when the model alone blocked and rule 4 finds the text self-directed or finds
no threat against others); bullying_or_hate -> bullying; grooming -> grooming; fraud -> fraud;
gambling_or_drugs -> gambling (drugs when a drugs term matched).
"""

from __future__ import annotations

from collections.abc import Mapping

from filters import regex_cache
from filters.goods_sale import is_goods_sale
from filters.group_mention import group_threshold
from filters.model_windows import MAX_TEXT_CHARS, MAX_WINDOWS, WINDOW_CHARS, WINDOW_STEP
from filters.policy import FilterPolicy
from filters.self_directed import SELF_HARM, category_for, others_categories
from filters.verdict import Reason

SAFE_LABEL = "safe"
FRAUD_LABEL = "fraud"  # rule 5: a listing of goods for a price is no fraud by the model alone
SPLIT_LABEL = "violence_or_self_harm"  # one label, two categories: rule 4 splits a model-only verdict

LABEL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "sexual": ("sexual",),
    "violence_or_self_harm": ("violence", "self_harm"),
    "bullying_or_hate": ("bullying",),
    "grooming": ("grooming",),
    "fraud": ("fraud",),
    "gambling_or_drugs": ("gambling", "drugs"),
}

# Probability at which a label blocks on its own (before the age band's scale) when the model has no
# calibration file.
ALONE_THRESHOLDS: dict[str, float] = {
    "sexual": 0.92,
    "violence_or_self_harm": 0.94,
    "bullying_or_hate": 0.95,
    "grooming": 0.90,
    "fraud": 0.95,
    "gambling_or_drugs": 0.94,
}
DEFAULT_ALONE_THRESHOLD = 0.95
MIN_UNITS_ALONE = 7  # Chinese characters + English words a text needs before the model may block alone
CORROBORATE_RATIO = 0.5
LONG_TEXT_CAP = 0.99  # a long text's threshold stays below the model's top score (255/256)
EVIDENCE_KINDS = frozenset({"lexicon", "policy"})


def model_reasons(
    scores: dict[str, float], lexicon_reasons: list[Reason], policy: FilterPolicy, units: int | None = None,
    thresholds: Mapping[str, float] | None = None, windows: int = 1, window_exponent: float = 0.0,
    group_thresholds: Mapping[str, Mapping[str, float]] | None = None, text: str | None = None,
) -> list[Reason]:
    """Model Reasons for one text (see the module docstring for the rules).

    units: the text's Chinese characters plus English words (see `text_units`); None skips the floor.
    thresholds: the model's calibrated per-label thresholds (TextClassifier.thresholds); labels it
    does not name fall back to ALONE_THRESHOLDS.
    windows: how many windows the classifier scored (see `model_windows`); window_exponent: the
    model's calibrated exponent (TextClassifier.window_exponent) of the long-text threshold.
    group_thresholds, text: the model's calibrated thresholds for texts naming a group
    (TextClassifier.group_thresholds) and the text they are tested on; without the text they are not used.
    """
    base = {**ALONE_THRESHOLDS, **(thresholds or {})}
    if not policy.use_model:
        return []
    out: list[Reason] = []
    for label, p in sorted(scores.items(), key=lambda kv: -kv[1]):
        cats = LABEL_CATEGORIES.get(label)
        if label == SAFE_LABEL or cats is None:
            continue
        alone = policy.threshold(label, base.get(label, DEFAULT_ALONE_THRESHOLD))
        if p < CORROBORATE_RATIO * alone and p < alone:
            continue  # neither rule below can fire (most labels of most texts): skip collecting evidence
        matched = [r for r in lexicon_reasons if r.kind in EVIDENCE_KINDS and r.category in cats]
        category = matched[0].category if matched else cats[0]
        split = not matched and label == SPLIT_LABEL and text is not None  # rule 4 may name the category
        if category not in policy.blocked_categories and not (split and SELF_HARM in policy.blocked_categories):
            continue
        matched_severity = max((r.severity for r in matched), default=0)
        block_at = long_text_threshold(alone, windows, window_exponent)
        if p < block_at and group_thresholds and text is not None:
            block_at = _group_block_at(label, p, block_at, text, policy, group_thresholds, windows, window_exponent)
        if p >= block_at and (units is None or units >= MIN_UNITS_ALONE):
            if label == FRAUD_LABEL and not matched and text is not None and is_goods_sale(text):
                continue  # rule 5: an ordinary listing of goods for a price
            severity = max(policy.min_severity, matched_severity)
            if split:
                category = _split_category(text or "", category, policy, lexicon_reasons)  # model alone: rule 4
                if category not in policy.blocked_categories:
                    continue
            out.append(_reason(label, category, p, severity, blocking=True))
        elif matched and p >= CORROBORATE_RATIO * alone:
            severity = min(3, matched_severity + 1)
            out.append(_reason(label, category, p, severity, blocking=severity >= policy.min_severity))
    return out


def _split_category(text: str, fallback: str, policy: FilterPolicy, evidence: list[Reason]) -> str:
    """Rule 4: self_harm or violence for a model-only violence_or_self_harm block, from the text's cues
    (filters/self_directed.py). A self_harm answer the policy does not block falls back to `fallback` (violence),
    so a policy that blocks violence alone blocks what it blocked before; a violence answer stays violence (a threat
    is not blocked as self_harm where a parent unblocked violence)."""
    others = others_categories()
    got = category_for(text, any(r.kind in EVIDENCE_KINDS and r.category in others for r in evidence))
    return fallback if got == SELF_HARM and SELF_HARM not in policy.blocked_categories else got


def _group_block_at(label: str, p: float, block_at: float, text: str, policy: FilterPolicy,
                    group_thresholds: Mapping[str, Mapping[str, float]], windows: int, exponent: float) -> float:
    """The lower of `block_at` and the label's group threshold for `text` (policy-scaled, long-text rule
    applied); the text is read only when the score could reach the lower one."""
    lowest = min((v for v in group_thresholds.get(label, {}).values()), default=None)
    if lowest is None or p < long_text_threshold(policy.threshold(label, lowest), windows, exponent):
        return block_at
    group = group_threshold(label, text, group_thresholds)
    if group is None:
        return block_at
    return min(block_at, long_text_threshold(policy.threshold(label, group), windows, exponent))


def long_text_threshold(threshold: float, windows: int, exponent: float) -> float:
    """The threshold a text of `windows` windows must reach: 1 - (1 - threshold) * windows ** -exponent,
    at most LONG_TEXT_CAP and never below `threshold` (one window, or exponent 0: `threshold`)."""
    if windows <= 1 or exponent <= 0.0 or threshold >= LONG_TEXT_CAP:
        return threshold
    return max(threshold, min(LONG_TEXT_CAP, 1.0 - (1.0 - threshold) * windows ** -exponent))


def model_windows(text: str) -> int:
    """How many windows the classifier scores for `text`: its letters and digits (filters/features.py
    drops spaces, punctuation and symbols) in windows of WINDOW_CHARS overlapping by 2, at most
    MAX_WINDOWS. Counted on the text as written: when the engine leaves PII spans out of the model's
    text, the model may have scored one window fewer (the threshold is then slightly stricter)."""
    if len(text) <= WINDOW_CHARS:
        return 1
    letters = len(_NONWORD.sub("", text[:MAX_TEXT_CHARS]))
    if letters <= WINDOW_CHARS:
        return 1
    return min(MAX_WINDOWS, -(-(letters - 2) // WINDOW_STEP))


def text_units(text: str) -> int:
    """Chinese characters plus English words (two letters or more) in a text (the characters are
    counted run by run: one string per run instead of one per character)."""
    cjk = 0 if text.isascii() else sum(map(len, _CJK_RUN.findall(text)))
    return cjk + len(_LATIN_WORD.findall(text))


_CJK_RUN = regex_cache.compile("[\u3400-\u9fff\uf900-\ufaff]+")
_NONWORD = regex_cache.compile(r"[\W_]+")
_LATIN_WORD = regex_cache.compile("[A-Za-z\uff21-\uff3a\uff41-\uff5a]{2,}")


def _reason(label: str, category: str, p: float, severity: int, blocking: bool) -> Reason:
    return Reason(category=category, rule=f"model:{label}", span=None, matched="", kind="model",
                  severity=severity, score=p, blocking=blocking)
