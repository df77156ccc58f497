"""Lexicon matching over the normaliser's views, with vetoes for coincidental matches.

Two pyahocorasick automata hold every term:
- the *character* automaton: each term's fold view ("色情", " porn", " sports betting"), plus
  split-character variants ("强女干") and spelt-out pinyin ("seqing", "se qing");
- the *syllable* automaton: the toneless pinyin of each Chinese term under every reading of its
  characters, which catches homophones (涩情, 沙比, 菠菜) and pinyin mixed with characters (se情, 约pao).
Both scan encodings that keep every node narrow: pyahocorasick looks up a node's child by scanning
its children, so a root with 1,600 Chinese first characters is slow. The syllable automaton spells
each syllable with two symbols (filters/tables.py); the character automaton uses a spelling chosen
from its keys, one symbol for most characters (filters/automata.CharCode).

A raw match is kept only if it survives the vetoes:
- Latin terms match whole words: a space before (the fold view pads words) and, after, nothing
  or an inflection (`word`), nothing (`exact`), or anything (`prefix`) — so "therapist",
  "Scunthorpe" and "USB" never match "rapist", "cunt" or "sb";
- a Chinese match across real words is dropped when the most probable local segmentation puts a
  word across its edge (脸色|情况, 大|麻雀, 路口|交通); `strict` terms skip this;
- a homophone match is dropped when the characters actually written are a common word (大妈 is
  not 大麻; 菠菜 alone is spinach) or are cut across by one (打麻将);
- an allow-context of the entry that covers the match vetoes it (大麻哈鱼);
- a homophone match in classical Chinese or verse is a coincidence (北土非吾愿 is not 废物;
  filters/register.py), while words actually written still match;
- an English word with an ordinary sense shown by the text (the Cock and the hens, a faggot of
  sticks) is not the obscenity or slur (filters/senses.py);
- a harmful word its own clause warns against (远离黄赌毒, 吸毒是违法的, "say no to drugs") is not the
  harm (filters/frames.py).
Then leetspeak (p0rn, sh1t), masked (f*ck) and stretched (fuuuuck) English words are decoded
(filters/disguise.py) and matched as whole words. The syllable automaton's scan and its own vetoes are
in filters/matcher_syllables.py, the scan of decoded words in filters/matcher_decoded.py.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from filters import (
    allow_contexts,
    homophone_reopen,
    homophone_rules,
    matcher_cache,
    matcher_decoded,
    matcher_scan,
    regex_cache,
    spaced_letters,
)
from filters.automata import SYL_PREFIX, CharAutomaton, Key, WordGate, WordKeys, build, whole_words_only
from filters.decoded_gate import DecodedGate, mixed_latin
from filters.disguise import WORD_SUFFIXES, Disguises, token_hint
from filters.entry_table import frozen
from filters.frames import default_frames
from filters.lexicon import PARSE_DIGEST, Entry, is_mixed_term
from filters.match_hits import Hit, RawHit, covered, dedupe_hits
from filters.normalize import TABLES_DIR, Normalizer, View, Views, has_latin, is_cjk
from filters.register import drop_classical_senses, literary_text
from filters.segment import Segmenter
from filters.senses import default_senses
from filters.upside_down import default_flipper

CHAIZI_PATH = Path(__file__).resolve().parent / "data" / "chaizi.json"
LEET_PATH = Path(__file__).resolve().parent / "data" / "tables" / "leet.json"

_SOUND_VIEWS = ("syllable", homophone_reopen.VIEW)  # homophones: the sentence-break and verse vetoes apply
HOMOPHONE_WORD_FREQ = homophone_rules.HOMOPHONE_WORD_FREQ  # a dictionary word this common is not a disguise
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


# An automaton key: (entry index, view name, length in fold characters (or syllable-source characters),
# lead: starts with a Latin letter or digit and so must start a word, mode: "word" | "exact" | "prefix" |
# "cjk" | "strict", homophones: a syllable key may match characters that only sound alike).
# Stored packed, one int64 each, by filters/automata.py.
_Key = Key


def _load_json(path: Path) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# what a built matcher holds besides its entries (stored by filters/matcher_cache.py)
# (largest automaton first: each one's bytes are freed before the next is unpickled, so the peak
# memory of loading stays near the loaded size)
_STATE = ("_ascii_auto", "_char_auto", "_syl_auto", "chaizi", "disguises",
          "_allow", "_allow_syl", "_allow_raw", "key_count", "_word_keys", "_word_gate", "_disguised_only",
          "_mixed_latin")
# unpickled on first use: texts without Chinese never scan the syllable automaton, texts without a Latin
# letter or digit never read the whole-word index (56,000 spelt-pinyin and English keys, ~20 ms to load),
# nor do texts whose Latin words cannot be keys (automata.WordGate: "NBA", most English)
_DEFERRED = ("_syl_auto", "_word_keys")


class Matcher:
    def __init__(
        self,
        entries: Sequence[Entry],
        normalizer: Normalizer,
        segmenter: Segmenter,
        chaizi: dict[str, list[str]] | None = None,
        cache: bool = False,
        fingerprint: str | None = None,
    ) -> None:
        """cache: load the built state from (and store it in) filters/matcher_cache.py's directory.

        fingerprint: a digest that already identifies the entries (the packs' content digests), so
        the cache key need not hash every entry."""
        self.entries = frozen(entries)  # compact entry tables stay compact (filters/entry_table.py)
        self.norm = normalizer
        self.seg = segmenter
        if chaizi is None:
            raw = _load_json(CHAIZI_PATH)
            chaizi = raw.get("map", raw) if isinstance(raw, dict) else {}
        leet = _load_json(LEET_PATH)
        default_tables = normalizer.tables.tables_dir == TABLES_DIR
        if fingerprint is not None:  # pack digests say nothing of how entries were parsed (defaults)
            fingerprint = f"{PARSE_DIGEST}|{fingerprint}"
        key = matcher_cache.digest(self.entries, (chaizi, leet), fingerprint) if cache and default_tables else None
        state = matcher_cache.load_split(key, _DEFERRED) if key else None
        if isinstance(state, dict) and all(k in state for k in _STATE):  # else another version's file: rebuild
            self.__dict__.update({k: state[k] for k in _STATE})
            return
        self._build(chaizi, leet)
        if key:
            matcher_cache.save_split(key, {k: getattr(self, k) for k in _STATE}, _DEFERRED)

    def _syllable_automaton(self) -> tuple | None:
        """Unpickled on first use; built again (the whole state) if its cache file went since start-up."""
        auto = self._syl_auto
        if isinstance(auto, matcher_cache.Deferred):
            auto = self._syl_auto = auto.get() or self._build(self.chaizi, _load_json(LEET_PATH)) or self._syl_auto
        return auto

    def _whole_words(self) -> WordKeys:
        """The whole-word index, unpickled on first use (built again, the whole state, if its cache file
        went since start-up)."""
        keys = self._word_keys
        if isinstance(keys, matcher_cache.Deferred):  # (an empty index is rebuilt once: only a tiny matcher has one)
            keys = self._word_keys = keys.get() or self._build(self.chaizi, _load_json(LEET_PATH)) or self._word_keys
        return keys

    def _words_for(self, folds: Iterable[str]) -> WordKeys | None:
        """The whole-word index if one of these fold views may hold one of its keys (None: none can)."""
        if isinstance(self._word_keys, matcher_cache.Deferred) and not any(map(self._word_gate.may_hit, folds)):
            return None  # not loaded, and not needed yet
        return self._whole_words()

    def _build(self, chaizi: dict[str, list[str]], leet: dict) -> None:
        tables = self.norm.tables
        normalizer = self.norm
        readings = tables.readings  # loaded once here (a property), not per character
        self._raw_readings = tables.raw_readings
        self.chaizi = {k: list(v) for k, v in chaizi.items() if isinstance(v, list)}
        folded_terms: list[str] = []  # not kept: 50,000 strings; folded_term() refolds the few it needs
        char_keys: dict[str, list[_Key]] = {}
        syl_keys: dict[str, list[_Key]] = {}
        mixed_terms: list[tuple[str, str, bool]] = []  # terms of characters and Latin (for decoded_gate)

        def add_char_key(folded: str, index: int, view: str, mode: str) -> None:
            lead = folded[0] in _LATIN
            char_keys.setdefault(folded, []).append((index, view, len(folded), lead, mode, True))

        for index, entry in enumerate(self.entries):
            folded = normalizer.fold_text(entry.term).strip(" ")
            folded_terms.append(folded)
            if not folded:
                continue
            ends_latin = folded[-1] in _LATIN
            if ends_latin:
                mode = entry.match if entry.match in ("word", "exact", "prefix") else "word"
            else:
                mode = "strict" if entry.match == "strict" else "cjk"
            add_char_key(folded, index, "fold", mode)
            for variant in self._split_variants(folded):
                add_char_key(variant, index, "split", mode)
            if all(is_cjk(c) for c in folded) and len(folded) >= 2:
                # The default reading of each character, as the text side uses (every reading of
                # polyphones made 要抱抱 sound like 约炮). Pinyin spelt in Latin (se情, seqing) always
                # matches; written homophones (涩情) only where the entry allows them.
                default_syl = [readings[c][0] for c in folded if c in readings]
                if len(default_syl) == len(folded):
                    code = "".join(tables.syl_code[s] for s in default_syl)
                    syl_keys.setdefault(code, []).append(
                        (index, "syllable", len(folded), False, mode, entry.homophones)
                    )
                raw_default = self._raw_default(folded)
                if raw_default:
                    joined = "".join(raw_default)
                    if len(joined) >= 5:
                        add_char_key(joined, index, "pinyin", "exact")
                    add_char_key(" ".join(raw_default), index, "pinyin", "exact")
            else:
                sounds = entry.homophones and is_mixed_term(folded)
                if sounds:
                    # characters with Latin letters (免费领q币): the characters by sound, each Latin letter or
                    # digit as the separator; a match must then write the term's own Latin (面费领q币)
                    code = "".join(tables.syl_code[readings[c][0]] if c in readings else tables.encode_syllables(c)
                                   for c in folded)
                    syl_keys.setdefault(code, []).append((index, "syllable", len(folded), False, mode, True))
                if not folded.isascii():
                    mixed_terms.append((folded, mode, sounds))

        # Keys with a Chinese character scan their own encoding (automata.CharCode); ASCII-only keys
        # (English terms, spelt-out pinyin: most of the nodes) scan the fold view directly, in every text
        # that has a Latin letter or digit. Kept out of the encoded automaton they cost half the memory.
        # Spelt-out pinyin (seqing, se qing: ~50,000 keys, ~600,000 automaton nodes, 40 MB) only ever
        # matches whole Latin words (lead + exact): filters/automata.WordKeys finds the same matches
        # from a dict, in a tenth of the memory.
        contexts = allow_contexts.build(self.entries, normalizer, self._raw_default)
        self._allow, self._allow_syl, self._allow_raw = contexts.fold, contexts.syllable, contexts.raw
        whole = {k: tuple(v) for k, v in char_keys.items() if whole_words_only(k, v)}
        self._word_keys = WordKeys(whole)
        self._word_gate = WordGate(whole)
        chars = {k: tuple(v) for k, v in char_keys.items() if not k.isascii()}
        self._char_auto = CharAutomaton(chars, self.seg.freq) if chars else None
        self._ascii_auto = build({k: tuple(v) for k, v in char_keys.items() if k.isascii() and k not in whole})
        # every word of every English term: what a decoded leet / masked / stretched token may be
        self.disguises = Disguises(
            (w for f in folded_terms if f and f[-1] in _LATIN for w in f.split() if w.isalpha()), leet
        )
        # one syllable automaton for every text: a term with homophones off still has near homophones
        # (filters/homophone_rules.near); scanning it all cost the same as a homophones-only one (COLD)
        self._syl_auto = build({k: tuple(v) for k, v in syl_keys.items()}, prefix=SYL_PREFIX)
        self.key_count = len(char_keys) + len(syl_keys)
        self._mixed_latin = mixed_latin(mixed_terms)  # what a decoded word beside Chinese must be (decoded_gate)
        # ordinary words that are insults only when disguised (pr1ck, h0e): matched in decoded views only
        self._disguised_only = frozenset(i for i, e in enumerate(self.entries) if e.match == "disguised")

    # --- building helpers -----------------------------------------------------------------------
    def _raw_default(self, folded: str) -> list[str]:
        """Toneless default pinyin, unmerged (what a child would type), for spelt-out forms."""
        out = []
        for c in folded:
            raw = self._raw_readings.get(c)
            if not raw:
                return []
            out.append(raw)
        return out

    def _split_variants(self, folded: str) -> list[str]:
        if not self.chaizi or not any(c in self.chaizi for c in folded):
            return []
        options = [[c, *self.chaizi.get(c, [])] for c in folded]
        variants = []
        for combo in itertools.islice(itertools.product(*options), 9):
            v = "".join(combo)
            if v != folded:
                variants.append(v)
        return variants

    # --- matching -------------------------------------------------------------------------------
    def scan_fold(self, fold: str) -> list[RawHit]:
        """All surviving matches in a fold-view string (coordinates of that string)."""
        return self.scan_folds([fold])[0]

    def scan_folds(self, folds: list[str]) -> list[list[RawHit]]:
        """scan_fold of each string, one automaton at a time over all of them (filters/matcher_scan.py)."""
        return matcher_scan.scan_folds(self, folds)

    def _keep_char_hit(self, fold: str, index: int, lead: bool, mode: str, fs: int, fe: int,
                       allow: bool = True) -> bool:
        if lead and fold[fs - 1] in _LATIN:
            return False  # inside a word ("therapist" holds no "rapist")
        if mode in ("word", "exact", "prefix"):
            if mode != "prefix":
                rest = _WORD_REST.match(fold, fe).group()  # type: ignore[union-attr]
                if rest and (mode == "exact" or rest not in WORD_SUFFIXES):
                    return False
        elif mode == "cjk" and self.seg.crosses(fold, fs, fe):
            return False
        return not (allow and self._allowed(fold, index, fs, fe))  # allow=False: matcher_decoded vetoes

    def _core(self, index: int) -> bool:
        """A hand-curated core pack's term (imported lists hold disguised spellings of ordinary words:
        大胸弟, 狂人日妓 — one character away from 大兄弟, 狂人日记); remembered (an Entry is made per access)."""
        memo = self.__dict__.setdefault("_core_memo", {})
        if index not in memo:
            if len(memo) >= 4096:
                memo.clear()
            memo[index] = "." not in self.entries[index].pack
        return memo[index]

    def folded_term(self, index: int) -> str:
        """The fold view of entry `index`'s term, as the automata hold it (remembered, bounded)."""
        memo = self.__dict__.setdefault("_folded_memo", {})
        folded = memo.get(index)
        if folded is None:
            if len(memo) >= 4096:
                memo.clear()
            folded = memo[index] = self.norm.fold_text(self.entries[index].term).strip(" ")
        return folded

    def _allowed(self, fold: str, index: int, fs: int, fe: int) -> bool:
        return covered(fold, fs, fe, self._allow[index])

    def _scan_decoded(self, views: Views) -> list[Hit]:
        """Matches that need a disguised English word decoded first (filters/matcher_decoded.py)."""
        return matcher_decoded.scan_decoded(self, views)

    def _decoded_gate(self) -> DecodedGate:
        if "_gate" not in self.__dict__:
            prefix_terms = (self.folded_term(i) for i, e in enumerate(self.entries) if e.match == "prefix")
            self._gate = DecodedGate(self.disguises.vocab, prefix_terms, self._whole_words().has_word,
                                     self._mixed_latin, self.norm.pinyin_runs)
        return self._gate

    def _scan_spaced(self, text: str) -> list[Hit]:
        """English terms in spaced-out letters joined with the words around them (a r e t a r d)."""
        spaced = self.__dict__.get("_spaced")
        if spaced is None:
            spaced = self.__dict__["_spaced"] = spaced_letters.SpacedLetters(self.disguises.vocab, WORD_SUFFIXES)
        found = spaced_letters.find(spaced, text, self.norm.prepare, self.norm.prepared_view, self.scan_fold,
                                    lambda i: self.folded_term(i)[-1:] in _LATIN)
        return [Hit(self.entries[i], span, text[span[0]:span[1]], "spaced") for i, span in found]

    # --- whole pipeline -------------------------------------------------------------------------
    def find(self, text: str | Views) -> list[Hit]:
        """Surviving matches in a text, or in the Views of one (shared with other matchers)."""
        views = text if isinstance(text, Views) else Views(text, self.norm)
        return self._finish(views, self.scan_fold(views.fold))

    def find_many(self, views: list[Views]) -> list[list[Hit]]:
        """find() of each of many texts' Views, the automata scanned one at a time (`scan_folds`)."""
        scanned = self.scan_folds([v.fold for v in views])
        return [self._finish(v, raw) for v, raw in zip(views, scanned, strict=True)]

    def _finish(self, views: Views, scanned: list[RawHit]) -> list[Hit]:
        """find() after the scan of the fold view: the decoded and spaced-out words, then the vetoes
        that need the text as written."""
        text = views.text
        fold = views.fold
        raw = self._plain(scanned)
        # a disguised English word needs a Latin letter (full-width and look-alikes are folded to one)
        latin = has_latin(fold)
        hits: list[Hit] = self._scan_decoded(views) if latin and token_hint(text) else []
        if latin:
            hits.extend(self._scan_spaced(text))
        if raw:
            view = views.exact
            if view.text != fold:  # rare: composition differs char by char; rescan the exact view
                raw = self._plain(self.scan_fold(view.text))
            literary: bool | None = None
            for r in raw:
                hit = self._to_hit(view, r.index, r.start, r.end, r.view, text)
                if _CLAUSE_BREAK_WIDE.search(hit.matched) and not self._core(r.index):
                    continue  # an imported list's term read across a Chinese clause break (做操，我要) is a coincidence
                if r.view in _SOUND_VIEWS:
                    if _SENTENCE_PUNCT.search(hit.matched):
                        continue  # a homophone read across a sentence break (感强，见不得) is a coincidence
                    if literary is None:
                        literary = literary_text(text)
                    if literary:
                        continue  # a homophone in a poem or classical prose (清瑟, 非吾) is a coincidence
                if r.view == "pinyin" and allow_contexts.given_name(text, hit.span, self.folded_term(r.index)):
                    continue  # two syllables joined and capitalised: a given name (Zhijie Wang), not 肢解
                hits.append(hit)
        if self._allow_raw and hits:  # contexts with markup punctuation (":meth:") are checked as written
            hits = [h for h in hits if not self._raw_allowed(text, h)]
        if hits and latin:
            hits = default_senses().drop_ordinary(text, hits)  # the Cock in a fable (filters/senses.py)
        if hits:
            hits = default_frames().drop_cautioned(text, hits, self.norm.fold_text)  # 远离黄赌毒 (filters/frames.py)
        if hits:
            hits = drop_classical_senses(text, hits)  # 殺人 in a frontier poem (filters/register.py)
        if _FLIPPER.may_have(text):
            hits.extend(self._scan_flipped(text))
        return dedupe_hits(hits) if len(hits) > 1 else hits

    def _scan_flipped(self, text: str) -> list[Hit]:
        """Matches in the text's upside-down runs read upright (ʞɔnɟ; filters/upside_down.py)."""
        flipped = _FLIPPER.read(text)
        if flipped is None:
            return []
        out = []
        for h in self.find(flipped.text):  # the read text has no turned letters left: no second round
            span = flipped.original_span(*h.span)
            if span is not None:  # outside the runs the text is as written: find() of it has those hits
                out.append(Hit(h.entry, span, text[span[0]:span[1]], "upside_down"))
        return out

    def _plain(self, raw: list[RawHit]) -> list[RawHit]:
        """Raw hits of the text as written, less the terms that count only disguised (prick is pr1ck's)."""
        if raw and self._disguised_only:
            return [r for r in raw if r.index not in self._disguised_only]
        return raw

    def _raw_allowed(self, text: str, hit: Hit) -> bool:
        contexts = self._allow_raw.get((hit.entry.pack, hit.entry.term))
        return contexts is not None and allow_contexts.raw_covered(text, hit.span[0], hit.span[1], contexts)

    def _to_hit(self, view: View, index: int, start: int, end: int, name: str, text: str) -> Hit:
        a, b = view.span(start, end)
        return Hit(self.entries[index], (a, b), text[a:b], name)


_FLIPPER = default_flipper()
_WORD_REST = regex_cache.compile("[a-z0-9]*")
_CLAUSE_BREAK_WIDE = regex_cache.compile("[，。！？；：]")
_SENTENCE_PUNCT = regex_cache.compile("[，。！？、；：,.!?;:\n\r\t“”\"（）()—…]")
