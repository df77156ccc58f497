"""Start a kidsafe command under systemd with readiness and a liveness watchdog (sd_notify).

    /opt/kidsafe/venv/bin/python /usr/lib/kidsafe/launch.py device run --port 8090 ...

Runs `kidsafe ARGS...` in this process and, beside it, a thread that asks the device's local API
(GET http://127.0.0.1:PORT/api/status) every WatchdogSec/3 seconds. Any HTTP answer (also 429 from the
rate limit) means the event loop is alive: the first sends READY=1, each one WATCHDOG=1. A hung
process stops answering, so systemd kills and restarts it (Type=notify, WatchdogSec=, Restart=).
Until the first answer it sends EXTEND_TIMEOUT_USEC (three intervals ahead) for at most
KIDSAFE_START_LIMIT_S seconds (default 1800): a slow first start (word-pack matchers built into the
cache, a Pi Zero, emulation) is not killed by TimeoutStartSec=, a start that never answers still is.
Without $NOTIFY_SOCKET (not under systemd) it only runs the command.

`--optional-file OPT PATH` (before the command) passes `OPT PATH` only when PATH exists: the fleet root
and the portal key are provisioned on some devices only.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request


def notify(message: str) -> bool:
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(message.encode())
    return True


def alive(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (loopback only)
            return resp.status > 0
    except urllib.error.HTTPError:
        return True  # an answer, e.g. 429: the loop runs
    except (OSError, ValueError):
        return False


def port_of(args: list[str]) -> int:
    for i, arg in enumerate(args):
        if arg == "--port" and i + 1 < len(args):
            return int(args[i + 1])
        if arg.startswith("--port="):
            return int(arg.split("=", 1)[1])
    return int(os.environ.get("KIDSAFE_DEVICE_PORT", "8090"))


def message(answered: bool, ready: bool, waited_s: float, start_limit_s: float, interval: float,
            url: str) -> str | None:
    """What to tell systemd after one look at the API."""
    if answered:
        return "WATCHDOG=1" if ready else "READY=1\nSTATUS=serving " + url
    if not ready and waited_s < start_limit_s:
        return f"EXTEND_TIMEOUT_USEC={int(interval * 3e6)}\nSTATUS=starting ({waited_s:.0f} s)"
    return None


def watch(url: str, interval: float, start_limit_s: float) -> None:
    ready = False
    started = time.monotonic()
    while True:
        answered = alive(url, timeout=max(1.0, interval / 2))
        text = message(answered, ready, time.monotonic() - started, start_limit_s, interval, url)
        if text:
            notify(text)
        ready = ready or answered
        time.sleep(interval)


def with_optional_files(args: list[str]) -> list[str]:
    """Strip the leading `--optional-file OPT PATH` triples; append `OPT PATH` for files that exist."""
    extra: list[str] = []
    while len(args) >= 3 and args[0] == "--optional-file":
        opt, path = args[1], args[2]
        args = args[3:]
        if os.path.isfile(path):
            extra += [opt, path]
    return args + extra


def main(argv: list[str] | None = None) -> int:
    args = with_optional_files(list(sys.argv[1:] if argv is None else argv))
    usec = int(os.environ.get("WATCHDOG_USEC", "0") or 0)
    if os.environ.get("NOTIFY_SOCKET"):
        interval = usec / 3e6 if usec else 5.0
        url = f"http://127.0.0.1:{port_of(args)}/api/status"
        limit = float(os.environ.get("KIDSAFE_START_LIMIT_S", "1800"))
        threading.Thread(target=watch, args=(url, interval, limit), name="sd-watchdog", daemon=True).start()
    from kidsafe.cli import main as kidsafe_main

    return kidsafe_main(args)


if __name__ == "__main__":
    sys.exit(main())
