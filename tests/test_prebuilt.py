"""The committed prebuilt tables (filters/data/tables/prebuilt.pickle) equal a fresh build from the sources.

A change to a source table or to how the normaliser derives its tables, without `make tables`,
fails here instead of silently running on old tables.
"""

from __future__ import annotations

import os
from pathlib import Path

from filters import prebuilt
from filters.normalize import TABLES_DIR, Tables
from filters.segment import Segmenter, load_freq
from filters.tables import compact_state, expanded


def test_prebuilt_is_current_and_equals_a_fresh_build() -> None:
    state = prebuilt.load("normalize")
    assert state is not None, "prebuilt.pickle missing or stale: run `make tables` (or build_tables --prebuilt-only)"
    fresh = Tables.build_state(TABLES_DIR)
    assert prebuilt.load("readings") == (fresh.pop("readings"), fresh.pop("raw_readings"))
    assert state == compact_state(fresh)
    assert prebuilt.load("segdict") == load_freq()


def test_tables_from_prebuilt_behave_like_built_ones() -> None:
    fast, slow = Tables(), Tables(use_prebuilt=False)
    for name in ("fold_list", "token_list", "syl_list", "raw_syllables", "syl_code"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert fast.readings["色"] == slow.readings["色"]


def test_stale_or_foreign_prebuilt_is_ignored(tmp_path: Path) -> None:
    assert prebuilt.load("normalize", tmp_path) is None  # another tables dir never uses the prebuilt file
    copy = tmp_path / "segdict.tsv"
    copy.write_text("# word\tfreq\n色情\t5\n", encoding="utf-8")
    seg = Segmenter(copy)
    assert seg.word_freq("色情") == 5 and seg.word_freq("情况") == 0


def test_list_tables_map_every_code_point_as_the_built_dicts_do() -> None:
    """The lists joined from stored runs (filters/tables.from_runs) against the built dicts, code point
    by code point: a lost, shifted or merged run changes what str.translate makes of some character."""
    built, loaded = Tables.build_state(TABLES_DIR), Tables()
    for table, listed, astral in (("fold_table", loaded.fold_list, loaded.fold_astral),
                                  ("token_table", loaded.token_list, loaded.token_astral),
                                  ("syl_table", loaded.syl_list, {})):
        expected = built[table]
        bmp = [cp for cp in expected if cp < 0x10000]
        assert len(listed) == max(bmp) + 1, table
        assert all(listed[cp] == expected.get(cp, cp) for cp in range(len(listed))), table
        assert astral == {cp: v for cp, v in expected.items() if cp >= 0x10000} or table == "syl_table"
        assert expanded(compact_state(built)[table]) == expected, table


def test_a_changed_source_file_gets_a_new_digest_in_the_same_process(tmp_path: Path) -> None:
    """digest() is remembered per process (three callers at start-up), but never across a change."""
    src = tmp_path / "segdict.tsv"
    src.write_text("色情\t5\n", encoding="utf-8")
    first = prebuilt.digest(["segdict.tsv"], tmp_path)
    assert prebuilt.digest(["segdict.tsv"], tmp_path) == first
    src.write_text("情色\t5\n", encoding="utf-8")  # same size
    os.utime(src, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns + 1_000_000))
    assert prebuilt.digest(["segdict.tsv"], tmp_path) != first


def test_stored_odd_characters_are_those_the_lists_do_not_map_to_one_character() -> None:
    """fold_odd / token_odd (stored with the tables) against a scan of every code point of the lists:
    a character missing there would take normalize's one-to-one fast path with wrong offsets."""
    tables = Tables()
    for odd, listed, astral in ((tables.fold_odd, tables.fold_list, tables.fold_astral),
                                (tables.token_odd, tables.token_list, tables.token_astral)):
        scanned = [chr(cp) for cp, out in enumerate(listed) if out is None or (isinstance(out, str) and len(out) != 1)]
        scanned += [chr(cp) for cp, out in sorted(astral.items()) if out is None or len(out) != 1]
        assert odd == "".join(scanned) and len(odd) > 500
