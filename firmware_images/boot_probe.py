"""`make image-boot`'s questions to the booted image (qemu_boot.sh runs it once the service is up).

    boot_probe.py --url http://127.0.0.1:PORT --report build/boot-check.log --out build/boot.json

Through qemu's hostfwd (and the guest's relay to 127.0.0.1:8090) it asks the device service, as the
child's page would: GET /api/status; POST /api/search with an allowed question (results expected) and a
blocked one (action "block", no results); GET /api/pairing (the code the parent needs; with
--expect-pairing-code a code must be shown); with --expect-grow, the data partition must have been grown
to the end of the (bigger) disk at first boot. From the guest's report it takes the boot timeline
(seconds since the kernel started, from the journal). Prints every verdict, writes them to --out, and
exits 1 if one failed. Stdlib only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ALLOWED_QUERY = "恐龙吃什么"
BLOCKED_QUERY = "怎么买枪"
# journal lines (short-monotonic) that mark the boot's milestones
MILESTONES = {
    "firstboot started": r"Starting kidsafe-firstboot\.service",
    "firstboot finished": r"Finished kidsafe-firstboot\.service",
    "device service starting": r"Starting kidsafe-(device|agent)\.service",
    "device service ready": r"Started kidsafe-(device|agent)\.service",
    "pairing code shown": r"pairing code \S+ for",
    "data partition grown": r"partition \d+ grown from",
}


# the guest opens its relay port (boot_check.sh) just after reporting ready; until then qemu's
# user network accepts the host's connection and resets it: ask again for this long
RELAY_WAIT_S = 90.0


def ask(url: str, body: dict[str, Any] | None = None, timeout: float = 120.0) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    deadline = time.monotonic() + RELAY_WAIT_S
    while True:
        req = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json", "Accept-Language": "zh"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (qemu hostfwd on loopback)
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")
        except (ConnectionResetError, ConnectionRefusedError, http.client.RemoteDisconnected):
            if time.monotonic() > deadline:
                raise
            time.sleep(2.0)


def timeline(report: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in report.splitlines():
        stamp = re.match(r"^\[\s*(\d+\.\d+)\]", line)
        if not stamp:
            continue
        for name, pattern in MILESTONES.items():
            if name not in found and re.search(pattern, line):
                found[name] = round(float(stamp.group(1)), 1)
    startup = re.search(r"Startup finished in (.*)", report)
    if startup:
        found["systemd-analyze"] = startup.group(1).strip()  # type: ignore[assignment]
    return found


def probe(base: str, expect_code: bool) -> tuple[dict[str, Any], list[str]]:
    results: dict[str, Any] = {}
    failed: list[str] = []

    def verdict(name: str, ok: bool, detail: Any) -> None:
        results[name] = {"ok": ok, "detail": detail}
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
        if not ok:
            failed.append(name)

    started = time.monotonic()
    code, status = ask(f"{base}/api/status")
    verdict("GET /api/status", code == 200 and isinstance(status, dict) and "state" in status,
            {"http": code, "state": (status or {}).get("state"), "local_time": (status or {}).get("local_time"),
             "s": round(time.monotonic() - started, 1)})
    for query, want in ((ALLOWED_QUERY, "allow"), (BLOCKED_QUERY, "block")):
        started = time.monotonic()
        code, body = ask(f"{base}/api/search", {"query": query})
        body = body if isinstance(body, dict) else {}
        n = len(body.get("results") or [])
        ok = code == 200 and body.get("action") == want and (n > 0 if want == "allow" else n == 0)
        took = round(time.monotonic() - started, 1)
        verdict(f"POST /api/search {query}", ok,
                {"http": code, "action": body.get("action"), "results": n, "error": body.get("error"), "s": took})
    code, pairing = ask(f"{base}/api/pairing")
    pairing = pairing if isinstance(pairing, dict) else {}
    shown = {k: pairing.get(k) for k in ("state", "code", "url", "expires_in_s", "message")}
    shown["qr"] = bool(pairing.get("qr"))
    ok = code == 200 and pairing.get("state") in {"unpaired", "waiting", "paired"}
    if expect_code:
        ok = ok and pairing.get("state") == "waiting" and bool(pairing.get("code"))
    verdict("GET /api/pairing", ok, {"http": code, **shown})
    return results, failed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--report", type=Path, required=True, help="the guest's report (boot_check.sh)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--login-s", type=int, default=0, help="host seconds to the login prompt")
    p.add_argument("--ready-s", type=int, default=0, help="host seconds to the guest's READY report")
    p.add_argument("--timezone", default="")
    p.add_argument("--expect-pairing-code", action="store_true")
    p.add_argument("--expect-grow", action="store_true", help="the disk is bigger than the image")
    args = p.parse_args(argv)
    report = args.report.read_text(errors="replace")
    marks = timeline(report)
    print("boot timeline (seconds since the guest kernel started / 启动时间线):")
    for name, value in marks.items():
        print(f"  {name:24s} {value}")
    print(f"  host: login prompt after {args.login_s} s, service reported up after {args.ready_s} s")
    print("device service through qemu hostfwd / 设备服务检查:")
    results, failed = probe(args.url.rstrip("/"), args.expect_pairing_code)
    if args.expect_grow:
        grown = re.search(r"partition \d+ grown from \d+ to \d+ MiB", report)
        ok = grown is not None
        results["data partition grown"] = {"ok": ok, "detail": grown.group(0) if grown else "no grow_data.py line"}
        print(f"  {'PASS' if ok else 'FAIL'}  data partition grown: {results['data partition grown']['detail']}")
        if not ok:
            failed.append("data partition grown")
    doc = {"timeline_guest_s": marks, "host_login_s": args.login_s, "host_ready_s": args.ready_s,
           "timezone": args.timezone, "checks": results, "passed": not failed}
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    if failed:
        print(f"boot test FAILED: {', '.join(failed)} / 启动测试失败", file=sys.stderr)
        return 1
    print("boot test PASSED: the booted image's device service answers / 启动测试通过")
    return 0


if __name__ == "__main__":
    sys.exit(main())
