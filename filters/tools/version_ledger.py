"""The version ledger: every (file, version) of the word packs and rule files ever recorded, with its digest.

A device refuses a fleet bundle whose word pack or rule file changed under the version it already holds
(filters/lexicon.py, mqtt_bridge/trust.py: "changed under the same version" -> weakening). A silent change
made here therefore never reaches the fleet: the bundle is refused on every device that holds the old file.
This ledger (filters/data/version_ledger.json) catches that before release: it keeps, per file, the digest
each version had when it was recorded, and a file whose version is recorded with another digest is an error
(bump its "version"). The digests are the ones the devices compare: a pack's `Pack.sha256` and a rule
file's `ComboFile.sha256` (canonical JSON, so re-indenting is no change).

    python -m filters.tools.version_ledger            # check: exit 1 and one line a file when a change
                                                      # kept its version or a version is not recorded
    python -m filters.tools.version_ledger --write    # record new versions (never rewrites a recorded one)

`make golden` runs `--write` after an intended change; tests/test_version_ledger.py runs the check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from filters.combo_rules import COMBOS_DIR, read_dir
from filters.lexicon import PACKS_DIR, load_pack

LEDGER = Path(__file__).resolve().parents[1] / "data" / "version_ledger.json"
ABOUT = ("Per word pack (packs/NAME) and rule file (combos/NAME): the digest of each version when it was "
         "recorded (filters/tools/version_ledger.py). A file changed under a recorded version is refused by the "
         "fleet's devices; bump its version.")


def current(packs_dir: Path = PACKS_DIR, combos_dir: Path = COMBOS_DIR) -> dict[str, tuple[str, str]]:
    """{'packs/NAME' | 'combos/NAME': (version, digest)} of the files in force here."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(packs_dir.glob("*.json")):
        pack = load_pack(path)
        found[f"packs/{pack.name}"] = (pack.version, pack.sha256)
    for rules in read_dir(combos_dir):
        found[f"combos/{rules.name}"] = (rules.version, rules.sha256)
    return found


def read_ledger(path: Path = LEDGER) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise ValueError(f"{path}: expected {{'files': {{name: {{version: digest}}}}}}")
    return files


def problems(found: dict[str, tuple[str, str]], ledger: dict[str, dict[str, str]]) -> list[str]:
    """One line a file whose version is recorded with another digest, or is not recorded at all."""
    out = []
    for name, (version, digest) in sorted(found.items()):
        recorded = ledger.get(name, {}).get(version)
        if recorded is None:
            out.append(f"{name} {version}: not recorded; run python -m filters.tools.version_ledger --write")
        elif recorded != digest:
            out.append(f"{name} {version}: changed under a recorded version (devices refuse it as "
                       f"'weakening'); bump its \"version\"")
    return out


def record(found: dict[str, tuple[str, str]], ledger: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The ledger with every unrecorded (file, version) added; recorded ones are never changed."""
    out = {name: dict(versions) for name, versions in ledger.items()}
    for name, (version, digest) in found.items():
        out.setdefault(name, {}).setdefault(version, digest)
    return {name: dict(sorted(out[name].items())) for name in sorted(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m filters.tools.version_ledger", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="record new versions (recorded ones stay)")
    args = parser.parse_args(argv)
    found, ledger = current(), read_ledger()
    if args.write:
        ledger = record(found, ledger)
        text = json.dumps({"about": ABOUT, "files": ledger}, ensure_ascii=False, indent=1) + "\n"
        tmp = LEDGER.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(LEDGER)
    bad = problems(found, ledger)
    for line in bad:
        print(line, file=sys.stderr)
    if not bad:
        print(f"{len(found)} files, every version recorded with its digest")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
