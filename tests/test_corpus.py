"""Tests for the classifier's training corpus and its generator (models/corpus)."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from real_parts import require

from models.corpus import LABELS, LANGS, SPLITS, TEMPLATE_DIR, corpus_path, read_jsonl, read_rows
from models.corpus.augment import Augmenter
from models.corpus.expand import allocate, choose_heldout, sample, split_parts
from models.corpus.generate import TARGETS, generate, main, squash
from models.corpus.loader import TemplateError, load_augment_tables, load_exclusions, load_templates, parse

MIN_ROWS = {"train": 2500, "heldout": 200}  # per label, committed corpus
SCALE = 0.15  # tests regenerate a small corpus into tmp_path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    by_split, _ = generate(out, scale=SCALE)
    return out, by_split


def test_generator_is_deterministic(small: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = small
    generate(tmp_path, scale=SCALE)
    for split in SPLITS:
        a = (out / f"{split}.jsonl.gz").read_bytes()
        b = (tmp_path / f"{split}.jsonl.gz").read_bytes()
        assert a == b, f"{split} differs between two runs with the same seed"


def test_other_seed_gives_other_rows(small: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = small
    generate(tmp_path, seed=7, scale=SCALE)
    assert (out / "train.jsonl.gz").read_bytes() != (tmp_path / "train.jsonl.gz").read_bytes()


def test_every_label_and_language_present(small: tuple[Path, dict]) -> None:
    _, by_split = small
    for split in SPLITS:
        counts = Counter((r.label, r.lang) for r in by_split[split])
        for label in LABELS:
            for lang in LANGS:
                assert counts[(label, lang)] > 0, f"{split}: no {lang} rows for {label}"


def test_committed_corpus_counts_and_schema() -> None:
    for split in SPLITS:
        path = corpus_path(split)
        assert path.exists(), f"run `python -m models.corpus.generate` to write {path}"
        assert path.stat().st_size < 5_000_000
        rows = list(read_rows(split))
        for r in rows:
            assert set(r) == {"text", "label", "lang", "source"}, r
            assert r["label"] in LABELS and r["lang"] in LANGS and r["text"].strip()
        counts = Counter(r["label"] for r in rows)
        for label in LABELS:
            assert counts[label] >= MIN_ROWS[split], f"{split}: only {counts[label]} rows of {label}"
        assert counts["safe"] == max(counts.values()), "safe must be the largest class"
        zh = sum(r["lang"] == "zh" for r in rows) / len(rows)
        assert 0.6 <= zh <= 0.8, f"{split}: zh share {zh:.2f}"


def test_committed_heldout_shares_no_text_or_template_with_train() -> None:
    train = list(read_rows("train"))
    held = list(read_rows("heldout"))
    assert not {r["text"] for r in train} & {r["text"] for r in held}
    assert not {squash(r["text"]) for r in train} & {squash(r["text"]) for r in held}
    tpl = lambda r: r["source"].split("+")[0]  # noqa: E731
    assert not {tpl(r) for r in train} & {tpl(r) for r in held}


def test_no_text_has_two_labels() -> None:
    seen: dict[str, str] = {}
    for split in SPLITS:
        for r in read_rows(split):
            assert seen.setdefault(r["text"], r["label"]) == r["label"], r["text"]


def test_no_unfilled_slots() -> None:
    for split in SPLITS:
        for r in read_rows(split):
            assert "{" not in r["text"] and "[" not in r["text"], r["text"]


def test_about_30_percent_disguised() -> None:
    rows = list(read_rows("train"))
    share = sum("+" in r["source"] for r in rows) / len(rows)
    assert 0.2 <= share <= 0.4, share
    for label in LABELS:
        sub = [r for r in rows if r["label"] == label]
        assert 0.15 <= sum("+" in r["source"] for r in sub) / len(sub) <= 0.45, label


def test_no_row_contains_a_dev_set_text() -> None:
    """The dev evaluation set (copied into _exclude.json) never leaks into the corpus."""
    dev = [squash(t) for t in load_exclusions()]
    assert len(dev) >= 50
    long = [k for k in dev if len(k) >= 4]
    for split in SPLITS:
        for r in read_rows(split):
            key = squash(r["text"])
            assert key not in dev and not any(k in key for k in long), r["text"]


def test_no_row_equals_an_eval_set_text() -> None:
    """No corpus row equals a text of the filter's own eval sets (filters/data/eval), so `make eval`
    never scores a sentence the model was trained on (e.g. the benign traps)."""
    from models.corpus.loader import load_eval_texts

    evals = {squash(t) for t in load_eval_texts()} - {""}
    assert len(evals) >= 1000 and squash("成人高考报名时间") in evals
    for split in SPLITS:
        leaked = [r["text"] for r in read_rows(split) if squash(r["text"]) in evals]
        assert leaked == [], leaked[:5]


def test_exclusions_match_the_shared_dev_set() -> None:
    dev = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"
    require(dev.exists(), f"the shared dev set {dev}")
    assert {r["text"] for r in read_jsonl(dev)} <= set(load_exclusions())


def test_template_files_are_varied() -> None:
    templates = load_templates()
    assert len({t.text for t in templates}) == len(templates), "duplicate template text"
    counts = Counter((t.label, t.lang) for t in templates)
    for label in LABELS:
        assert counts[(label, "zh")] >= 30, label
        assert counts[(label, "en")] >= 15, label
    assert sum(v for (lb, _), v in counts.items() if lb == "safe") >= 200
    assert set(TARGETS) == set(LABELS)


def test_parse_rejects_unknown_slot_and_unbalanced_brackets() -> None:
    with pytest.raises(TemplateError):
        parse("hello {nope}", {}, "t")
    with pytest.raises(TemplateError):
        parse("hello [a|b", {}, "t")
    with pytest.raises(TemplateError):
        parse("[a|{nope}]", {}, "t")


def test_load_rejects_bad_label(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"label": "nasty", "provenance": "t", "zh": ["a"]}))
    with pytest.raises(TemplateError, match="label"):
        load_templates(tmp_path)


def test_sample_respects_capacity_and_alternatives() -> None:
    slots = {"a": ("x", "y")}
    parts = parse("[p|q]{a}[!|]", slots, "t")
    from models.corpus.loader import Template

    t = Template("t.zh.000", "safe", "zh", "t", "[p|q]{a}[!|]", parts)
    assert t.capacity == 8
    got = sample(t, 100, random.Random(1))
    assert sorted(got) == sorted(f"{p}{a}{e}" for p in "pq" for a in "xy" for e in ("!", ""))


def test_allocate_shares_budget_and_caps() -> None:
    from models.corpus.loader import Template

    big = Template("b", "safe", "zh", "s", "b", parse("[" + "|".join(map(str, range(1000))) + "]", {}, "t"))
    tiny = Template("t", "safe", "zh", "s", "t", parse("[a|b]", {}, "t"))
    counts = allocate([big, tiny, tiny], 90)
    assert counts[1] == counts[2] == 2
    assert counts[0] <= 90  # capped at 3x the even share
    assert sum(allocate([big, big], 100)) == 100


def test_heldout_choice_per_group() -> None:
    held = choose_heldout(load_templates(), 0.15, 1)
    templates = load_templates()
    for label in LABELS:
        for lang in LANGS:
            ids = {t.tid for t in templates if t.label == label and t.lang == lang}
            assert ids & held and ids - held, (label, lang)


@pytest.mark.parametrize(
    "name, text, lang",
    [
        ("traditional", "黄色小说", "zh"),
        ("homophone", "色情图片", "zh"),
        ("pinyin_mix", "赌博游戏", "zh"),
        ("pinyin_tone", "赌博游戏", "zh"),
        ("pinyin_full", "我想看色情漫画", "zh"),
        ("separator", "色情漫画", "zh"),
        ("zero_width", "色情直播", "zh"),
        ("emoji_insert", "色情直播", "zh"),
        ("fullwidth", "sex视频", "zh"),
        ("leet", "buy weed online", "en"),
        ("mask", "fuck you", "en"),
        ("spaced_letters", "nude pics", "en"),
    ],
)
def test_each_disguise_changes_text(name: str, text: str, lang: str) -> None:
    aug = Augmenter(load_augment_tables())
    rng = random.Random(3)
    out = aug.disguises[name](text, rng)
    assert out is not None and out != text


def test_disguises_keep_the_content_recoverable() -> None:
    aug = Augmenter(load_augment_tables())
    rng = random.Random(5)
    assert aug.disguises["traditional"]("黄色小说", rng) == "黃色小說"
    zw = aug.disguises["zero_width"]("色情直播", rng)
    assert zw is not None and "".join(c for c in zw if c not in "\u200b\u200c\u200d\ufeff") == "色情直播"
    fw = aug.disguises["fullwidth"]("sex视频", random.Random(0))
    assert fw is not None and squash(fw) == "sex视频"


def test_cli_writes_files_and_prints_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--scale", "0.05", "--no-cold"]) == 0
    out = capsys.readouterr().out
    for label in LABELS:
        assert label in out
    rows = list(read_rows("train", tmp_path))
    assert rows and {r["label"] for r in rows} == set(LABELS)


def test_cli_rejects_bad_scale_and_bad_templates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--scale", "0"]) == 2
    bad = tmp_path / "tpl"
    bad.mkdir()
    (bad / "x.json").write_text('{"label": "safe", "provenance": "t", "zh": ["{missing}"]}', encoding="utf-8")
    assert main(["--out", str(tmp_path / "o"), "--no-cold", "--templates", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "missing" in err and "语料" in err
    assert not (tmp_path / "o").exists()


def test_split_parts_separates_sentence_values_but_shares_keywords() -> None:
    sentences = tuple(f"这是第{i}个很长的句子" for i in range(200))
    slots = {"s": sentences, "k": ("色情", "赌球")}
    parts = parse("{k}[{s}|短]", slots, "t")
    train, held = split_parts(parts, "train"), split_parts(parts, "heldout")

    def values(ps: tuple, depth: int = 0) -> set[str]:
        out: set[str] = set()
        for p in ps:
            if not isinstance(p, str):
                for opt in p.options:
                    out |= {v for v in opt if isinstance(v, str)} | values(opt, depth + 1)
        return out

    tv, hv = values(train) & set(sentences), values(held) & set(sentences)
    assert tv and hv and not tv & hv
    assert 10 <= len(hv) <= 60
    assert {"色情", "赌球"} <= values(train) and {"色情", "赌球"} <= values(held)


def test_core_terms_of_the_brief_are_in_training() -> None:
    """Holding out templates must never remove a core concept from the training split."""
    spec = json.loads((TEMPLATE_DIR / "_core_terms.json").read_text(encoding="utf-8"))
    rows = [(r["label"], r["text"].lower()) for r in read_rows("train")]
    missing = []
    for label, terms in spec["terms"].items():
        assert label in LABELS
        for term in terms:
            n = sum(1 for lb, text in rows if lb == label and term.lower() in text)
            if n < spec["min_rows"]:
                missing.append(f"{label}:{term} ({n})")
    assert not missing, missing


def test_docstring_prose_rows_are_prose_and_split_by_module() -> None:
    from models.benign_prose import _sentences, prose_part

    doc = ("Kill the child process when it hangs. Returns x[0] + 1 for the given key.\n"
           "Store the secret key in an environment variable.\n\nSecond paragraph is not read at all.")
    assert _sentences(doc) == ["Kill the child process when it hangs.",
                               "Store the secret key in an environment variable."]
    rows = [{"source": f"docstring:numpy/mod{i}.py"} for i in range(200)]
    parts = [prose_part(r) for r in rows]
    assert parts == [prose_part(r) for r in rows]  # stable
    assert 0.1 < parts.count("calibration") / len(parts) < 0.3
    same_module = {"source": "docstring:numpy/mod1.py"}
    assert prose_part({**same_module, "text": "a"}) == prose_part({**same_module, "text": "b"})


def test_davidson_tweets_are_cleaned_mapped_and_split() -> None:
    """The MIT-licensed English tweets: handles, retweet marks and links removed, hate and offensive ->
    bullying_or_hate, neither -> safe, and the calibration tenth never in training."""
    from models.davidson import DAVIDSON_PATH, clean, davidson_rows

    assert clean("RT @someone: you &amp; me http://t.co/x1 !!") == "you & me"
    assert DAVIDSON_PATH.exists() and (DAVIDSON_PATH.parent / "LICENSE").read_text().startswith("MIT License")
    train, calibration = list(davidson_rows("train")), list(davidson_rows("calibration"))
    assert len(train) > 8000 and 600 < len(calibration) < 2000
    assert {r["text"] for r in train}.isdisjoint(r["text"] for r in calibration)
    assert Counter(r["label"] for r in train).keys() == {"safe", "bullying_or_hate"}
    assert not any(re.search(r"@\w|http|&amp;", r["text"]) for r in train)
    with pytest.raises(ValueError):
        next(davidson_rows("test"))


def test_davidson_conversion_leaves_the_eval_sample_out(tmp_path: Path) -> None:
    """The tweets `make eval` scores never reach the derived training file."""
    import csv
    import gzip

    from models.davidson import convert, eval_sample

    tweets = [(str(i % 3), f"tweet number {i} &amp; more words") for i in range(30)]
    src = tmp_path / "labeled_data.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"])
        for i, (cls, text) in enumerate(tweets):
            votes = [3 if int(cls) == k else 0 for k in range(3)]
            w.writerow([i, 3, *votes, cls, text])
    held = eval_sample(tweets, per_class=2)
    assert len(held) == 6 and all("&amp;" not in t for t in held)
    out = tmp_path / "tweets.jsonl.gz"
    written = convert(src, out, exclude=("tweet number 0 & more words",), eval_per_class=2)
    assert written == 30 - 6 - ("tweet number 0 & more words" not in held)
    kept = [json.loads(line)["text"] for line in gzip.open(out, "rt", encoding="utf-8")]
    assert not set(kept) & held and "tweet number 0 & more words" not in kept


def test_davidson_training_rows_exclude_the_public_eval_set() -> None:
    from models.corpus.loader import load_eval_texts
    from models.davidson import clean, davidson_rows

    evals = {clean(t) for t in load_eval_texts()}
    for part in ("train", "calibration"):
        assert not any(r["text"] in evals for r in davidson_rows(part))
