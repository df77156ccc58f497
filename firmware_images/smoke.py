"""`make image-smoke`: the built arm64 root, run under qemu-user, gives the same verdicts as this machine.

    python firmware_images/smoke.py [--root firmware_images/build/root] [--eval ../shared/eval/dev.jsonl]

Feeds every text of the dev set to `kidsafe check` (word packs + PII + the int8 classifier) and to
`kidsafe classify` (the model's scores) twice: with this repository's .venv on the build machine, and
inside the image's root (chroot; arm64 code through binfmt + qemu-aarch64). Verdicts must be equal
(action, categories, rules, spans); model scores equal within one int8 step (1/256). Figures go to
build/smoke.json. Needs root (chroot, a private /proc mount).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BUILD = Path(os.environ.get("KIDSAFE_FW_BUILD", HERE / "build"))
INT8_STEP = 1 / 256
CHROOT_ENV = {"PATH": "/opt/kidsafe/venv/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
              "KIDSAFE_CACHE_DIR": "/tmp/kidsafe-cache", "PYTHONDONTWRITEBYTECODE": "1"}


def texts(eval_file: Path) -> list[str]:
    rows = [json.loads(line) for line in eval_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["text"].replace("\n", " ") for row in rows]


def run_host(args: list[str], data: str) -> tuple[list[dict], float]:
    start = time.monotonic()
    proc = subprocess.run([str(REPO / ".venv" / "bin" / "kidsafe"), *args], input=data, capture_output=True,
                          text=True, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()], time.monotonic() - start


def run_arm64(root: Path, args: list[str], data: str) -> tuple[list[dict], float]:
    """`kidsafe ARGS` inside the image root (own mount namespace with /proc, so nothing leaks to the host)."""
    inner = ('root="$1"; shift; mount -t proc proc "$root/proc" && '
             'exec chroot "$root" /opt/kidsafe/venv/bin/kidsafe "$@"')
    start = time.monotonic()
    cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", inner, "sh", str(root), *args]
    proc = subprocess.run(cmd, input=data, capture_output=True, text=True, env=CHROOT_ENV)
    if proc.returncode != 0:
        raise SystemExit(f"kidsafe {' '.join(args)} failed in the arm64 root: {proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines()], time.monotonic() - start


def verdict_key(v: dict) -> tuple:
    return (v["action"], tuple(v["categories"]), v["redacted"],
            tuple((r.get("rule"), tuple(r.get("span") or ())) for r in v["reasons"]))


def compare(host: list[dict], arm: list[dict], lines: list[str]) -> dict:
    pairs = enumerate(zip(host, arm, strict=True))
    verdict_diffs = [lines[i] for i, (a, b) in pairs if verdict_key(a) != verdict_key(b)]
    return {"texts": len(lines), "verdicts_equal": len(lines) - len(verdict_diffs), "verdict_diffs": verdict_diffs[:10]}


def score_diff(host: list[dict], arm: list[dict]) -> float:
    worst = 0.0
    for a, b in zip(host, arm, strict=True):
        assert a["label"] == b["label"] or abs(a["scores"][a["label"]] - b["scores"][a["label"]]) <= INT8_STEP
        for label, score in a["scores"].items():
            worst = max(worst, abs(score - b["scores"][label]))
    return worst


def arch_of(root: Path) -> str:
    """The machine the image's own Python reports (aarch64 through qemu-user)."""
    proc = subprocess.run(["chroot", str(root), "/opt/kidsafe/venv/bin/python", "-c",
                           "import platform; print(platform.machine())"],
                          capture_output=True, text=True, env=CHROOT_ENV)
    return proc.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, default=BUILD / "root")
    p.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "eval" / "dev.jsonl")
    args = p.parse_args(argv)
    if not (args.root / "opt/kidsafe/venv/bin/kidsafe").exists():
        print(f"no built root at {args.root}: run `make image` first / 请先构建镜像", file=sys.stderr)
        return 2
    lines = texts(args.eval)
    data = "\n".join(lines) + "\n"
    arch = arch_of(args.root)
    host_v, host_t = run_host(["check"], data)
    arm_v, arm_t = run_arm64(args.root, ["check"], data)
    host_s, _ = run_host(["classify"], data)
    arm_s, arm_ct = run_arm64(args.root, ["classify"], data)
    shutil.rmtree(args.root / "tmp" / "kidsafe-cache", ignore_errors=True)  # leave the root as built
    result = compare(host_v, arm_v, lines)
    result.update({"arch_in_root": arch, "max_score_diff": score_diff(host_s, arm_s),
                   "host_check_s": round(host_t, 1), "arm64_check_s": round(arm_t, 1),
                   "arm64_classify_s": round(arm_ct, 1), "blocked": sum(v["action"] == "block" for v in arm_v)})
    ok = arch == "aarch64" and result["verdicts_equal"] == len(lines) and result["max_score_diff"] <= INT8_STEP
    result["ok"] = ok
    (BUILD / "smoke.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    print("smoke test " + ("PASSED: arm64 verdicts and scores match x86 / 通过" if ok else "FAILED / 失败"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
