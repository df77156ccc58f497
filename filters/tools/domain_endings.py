"""Build filters/data/tables/domain_endings.json: the top-level domains (ICANN section of the Public Suffix List)
and the hand-chosen endings of throwaway link-spam hosts, for filters/web_hosts.py.

Source: the Public Suffix List (https://publicsuffix.org, Mozilla Public License 2.0, which allows redistributing
the data with its licence named) as shipped verbatim by Debian's `publicsuffix` package
(/usr/share/publicsuffix/public_suffix_list.dat; version and sha256 recorded in the table). Kept: every rule of
the ICANN section that is one ASCII label (com, top, vip, cc; not com.cn, not the IDN labels).

The throwaway endings (THROWAWAY below) are chosen by hand, each a PSL top-level domain (checked here and at
load): the cheap endings the gambling rules already name as link-spam sites (filters/data/combos/gambling.json,
cue set `cheap_site_zh`: top, cc, xyz, pw, icu, sbs, asia, vip) and the endings Spamhaus's public "most abused
TLDs" reports have listed over the years (cyou, cfd, bond, buzz, club, wang, rest, monster, tk, ml, ga, cf, gq).
Left out: endings that ordinary sites use a lot (com, cn, net, org, io, co, tv), and those that are common English
words (live, life, fun, shop, site, online, work, click, win, me, us), which prose writes after a dot, a number
or 点 (ok点me).

Run: `python -m filters.tools.domain_endings --write` (or `--source PATH/public_suffix_list.dat`).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from filters.tools import table_cli

TABLE = Path(__file__).resolve().parent.parent / "data" / "tables" / "domain_endings.json"
DEBIAN_PSL = Path("/usr/share/publicsuffix/public_suffix_list.dat")
THROWAWAY = ("top", "vip", "cc", "xyz", "pw", "icu", "sbs", "asia", "cyou", "cfd", "bond", "buzz", "club", "wang",
             "rest", "monster", "tk", "ml", "ga", "cf", "gq")
_LABEL = re.compile(r"[a-z0-9-]+")


def default_source() -> Path:
    return DEBIAN_PSL


def _package_version() -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "publicsuffix"], capture_output=True,
                             text=True, check=False, timeout=30)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def icann_tlds(text: str) -> list[str]:
    """The one-label ASCII rules of the list's ICANN section, sorted."""
    section = text.split("===BEGIN ICANN DOMAINS===", 1)[1].split("===END ICANN DOMAINS===", 1)[0]
    rules = (line.strip() for line in section.splitlines())
    return sorted({r for r in rules if r and not r.startswith("//") and "." not in r and _LABEL.fullmatch(r)})


def build(source: Path) -> dict:
    raw = source.read_bytes()
    tlds = icann_tlds(raw.decode("utf-8"))
    missing = [t for t in THROWAWAY if t not in tlds]
    if missing:
        raise ValueError(f"not top-level domains of the list: {missing}")
    return {
        "description": __doc__.split("\n\n")[0].replace("\n", " "),
        "source": {"list": "Public Suffix List, https://publicsuffix.org/list/public_suffix_list.dat",
                   "as_shipped_by": f"Debian package publicsuffix {_package_version()}: {DEBIAN_PSL}",
                   "sha256": hashlib.sha256(raw).hexdigest(), "licence": "MPL-2.0"},
        "throwaway_source": "hand-chosen by the kidsafe team (Apache-2.0): the cheap endings of the gambling rules' "
                            "cue set cheap_site_zh and endings named in Spamhaus's public 'most abused TLDs' reports; "
                            "see filters/tools/domain_endings.py",
        "throwaway": list(THROWAWAY),
        "tlds": tlds,
    }


if __name__ == "__main__":
    table_cli.run(__doc__, TABLE, build, default_source, "public_suffix_list.dat",
                  lambda out: f"{len(out['tlds'])} top-level domains, {len(out['throwaway'])} throwaway endings")
