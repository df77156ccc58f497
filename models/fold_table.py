"""Build-time generator of filters/data/features_fold.tsv, the classifier featurizer's frozen table.

The table maps one code point to its replacement: traditional -> simplified Chinese (OpenCC t2s,
Apache-2.0, single characters only) and accented Latin letters -> ASCII base letters (Unicode
decomposition). It is committed and frozen: regenerating it changes the model's inputs, so the
model must be retrained (`make model`) afterwards. Run: `python -m models.fold_table` (needs opencc).
"""

from __future__ import annotations

import unicodedata

from filters.features import FOLD_TABLE_PATH

CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))
LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))


def t2s_rows() -> list[tuple[str, str]]:
    import opencc

    conv = opencc.OpenCC("t2s")
    chars = [chr(c) for lo, hi in CJK_RANGES for c in range(lo, hi + 1)]
    converted = conv.convert("\n".join(chars)).split("\n")
    return [(a, b) for a, b in zip(chars, converted, strict=True) if len(b) == 1 and a != b]


def latin_rows() -> list[tuple[str, str]]:
    rows = []
    for lo, hi in LATIN_RANGES:
        for code in range(lo, hi + 1):
            ch = chr(code)
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            base = base.casefold()
            if base != ch and base.isascii() and base.isalpha():
                rows.append((ch, base))
    return rows


def main() -> int:
    rows = t2s_rows() + latin_rows()
    FOLD_TABLE_PATH.write_text(
        "# char<TAB>replacement for filters/features.py (frozen; see models/fold_table.py).\n"
        "# Traditional->simplified from OpenCC t2s (Apache-2.0); Latin accents folded by Unicode NFKD.\n"
        + "".join(f"{a}\t{b}\n" for a, b in rows),
        encoding="utf-8",
    )
    print(f"wrote {len(rows)} rows to {FOLD_TABLE_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
