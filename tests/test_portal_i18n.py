"""Every text of the portal has a Chinese translation, and the pages switch language."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import parent_portal

PORTAL = Path(parent_portal.__file__).resolve().parent
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(PORTAL), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {
                "extensions": "jinja2.ext.i18n"}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_text_has_a_chinese_translation() -> None:
    with (PORTAL / "locales" / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and (m.string if isinstance(m.string, str) else all(m.string))}
    wanted = source_messages()
    assert len(wanted) > 100
    missing = sorted(wanted - translated)
    assert not missing, f"texts without a Chinese translation (run pybabel extract/update): {missing[:10]}"
