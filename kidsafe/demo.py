"""`kidsafe demo` / `make demo`: show the filter on sample texts, then run the child's device locally.

Everything runs on this machine with embedded defaults: the shipped word packs and classifier, the
embedded search index, and a demo data folder (./var/demo). It prints where to look and keeps the
device service running until Ctrl-C. Later parts (MQTT broker, parent portal) join this command.

The device page's port is bound first, before anything else starts (`--port 0`: a free one, chosen by
the system, so no other program can take it between choosing and binding); a port in use ends the demo
at once with a clear zh/en message and exit code 2. The banner shows the port actually bound.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SAMPLES = Path(__file__).resolve().parent / "data" / "demo_lines.txt"
NIGHT = ("22:00", "06:00")  # the CAC default sleep window
DEMO_EXEMPT = ["dictionary", "homework"]  # so the page's dictionary/homework modes show what an exemption is


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole system locally on embedded defaults / 本地演示")
    p.add_argument("--port", type=int, default=int(os.environ.get("KIDSAFE_DEVICE_PORT", "8090")),
                   help="device page port (default 8090 or $KIDSAFE_DEVICE_PORT; 0 = a free one)")
    p.add_argument("--home", type=Path, default=Path("var/demo"), help="demo data folder (default ./var/demo)")
    p.add_argument("--no-serve", action="store_true", help="only print the sample verdicts")
    p.add_argument("--model", type=Path, default=None, help="classifier (default: the shipped model)")
    p.add_argument("--mqtt-port", type=int, default=0, help="embedded MQTT broker port (default: a free one)")
    p.add_argument("--no-mqtt", action="store_true", help="no broker and no device agent")
    p.set_defaults(func=run)


def show_samples(model: Path | None) -> None:
    from filters.engine import TextFilter

    tf = TextFilter.load(model_path=model)
    if tf.model_error:
        print(f"  ! {tf.model_error}")
    lines = [x for x in SAMPLES.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    print("kidsafe check — sample verdicts / 示例判定")
    for text, v in zip(lines, tf.check_many(lines), strict=True):
        cats = ",".join(v.categories) or "-"
        shown = v.redacted if v.action != "allow" else text
        print(f"  {v.action:6s} {cats:28s} {text}  ->  {shown}")
    print("  (try it yourself: echo '色💋情直播' | .venv/bin/kidsafe check)\n")


def local_timezone() -> str:
    """This machine's IANA time zone (TZ, /etc/timezone, the /etc/localtime link), else UTC: the demo
    device's day and night follow the clock the newcomer sees, not the portal's Asia/Shanghai default."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    link = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in link:
        candidates.append(link.split("zoneinfo/", 1)[1])
    for name in candidates:
        try:
            if name and ZoneInfo(name):
                return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def demo_night(now: datetime, night: tuple[str, str] = NIGHT, ahead_h: int = 4) -> tuple[str, str, bool]:
    """The demo's sleep window: the default, unless `now` is inside it; then a window as long that starts
    `ahead_h` hours from now (on the half hour), so a newcomer can always try the demo. -> (start, end, moved)"""
    start, end = _minutes(night[0]), _minutes(night[1])
    m = now.hour * 60 + now.minute
    inside = start <= m < end if start < end else (m >= start or m < end)
    if not inside:
        return night[0], night[1], False
    length = (end - start) % 1440
    first = now + timedelta(hours=ahead_h, minutes=-(now.minute % 30) + 30)
    last = first + timedelta(minutes=length)
    return first.strftime("%H:%M"), last.strftime("%H:%M"), True


def write_demo_policy(path: Path, tz: str, night: tuple[str, str]) -> bool:
    """Without the portal, the demo's own policy file (rewritten each start unless someone edited it)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(old, dict) and str(old.get("version", "")).startswith("demo-")):
            return False  # the newcomer's own policy: left alone
    except (OSError, ValueError):
        pass
    doc = {"schema_version": 1, "version": "demo-local", "timezone": tz,
           "time": {"night": {"start": night[0], "end": night[1]}, "exempt_features": DEMO_EXEMPT}}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return True


def write_demo_pairing(path: Path, device_id: str, portal: object | None) -> None:
    """The pairing state in the device image's format (device/pairing.py): the demo portal seeds its family
    with this device already paired, so the page says "paired"; without a portal, "unpaired"."""
    now = int(datetime.now().timestamp())
    doc = {"device_id": device_id, "status": "paired" if portal is not None else "unpaired",
           "portal_url": getattr(portal, "url", None), "created": now}
    if portal is not None:
        doc.update(user_code=None, url=None, paired_at=now)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class PortInUse(OSError):
    pass


def bind_page_port(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:port for uvicorn; PortInUse with a zh/en message if it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no obstacle
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = "is in use by another program" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
        raise PortInUse(f"port {port} on 127.0.0.1 {why}: choose another with --port N (0 = any free port) / "
                        f"端口 {port} 已被占用或无法使用，请用 --port 换一个（0 表示自动选择）") from exc
    return sock


def run(args: argparse.Namespace) -> int:
    if not args.no_serve:
        try:  # first: a taken port fails now, with nothing started yet, not after the banner
            page_socket = bind_page_port(args.port)
        except PortInUse as exc:
            print(f"kidsafe demo: {exc}", file=sys.stderr)
            return 2
        args.port = page_socket.getsockname()[1]
    model = args.model
    if model is None:
        from models import MODEL_PATH

        model = MODEL_PATH
    show_samples(model)
    if args.no_serve:
        return 0
    try:
        import uvicorn

        from device.api import create_app
        from device.config import DeviceSettings
        from device.service import DeviceService
    except ImportError as exc:
        print(f"device service unavailable: {exc}", file=sys.stderr)
        page_socket.close()
        return 1
    args.home.mkdir(parents=True, exist_ok=True)
    from device.asr_models import provision_demo

    print("Speech model / 语音模型 ...", flush=True)
    print(" ", provision_demo(args.home.resolve() / "asr"))  # the test model, so the microphone works
    tz = local_timezone()
    now = datetime.now(ZoneInfo(tz))
    night_start, night_end, moved = demo_night(now)
    # the page's pairing box reads the demo's own file (a device image's is /data/kidsafe/pairing/pairing.json)
    settings = DeviceSettings(home=args.home.resolve(), timezone=tz, pairing_path=args.home.resolve() / "pairing.json")
    settings.api_port = args.port
    if args.no_mqtt:
        write_demo_policy(settings.policy_path, tz, (night_start, night_end))
    service = DeviceService(settings)
    mqtt = None if args.no_mqtt else start_mqtt(settings.home, service, args.mqtt_port)
    demo_settings = {"night_enabled": True, "night_start": night_start, "night_end": night_end,
                     "exempt_features": DEMO_EXEMPT}
    portal = None if mqtt is None else start_portal(settings.home, mqtt, tz, demo_settings)
    agent = getattr(mqtt, "agent", None)
    write_demo_pairing(settings.pairing_path, agent.device_id if agent is not None else settings.device_id, portal)
    url = f"http://127.0.0.1:{args.port}/"
    print("=" * 64)
    print(f" Child's device page / 儿童页面:  {url}")
    print(f" Device API status / 接口状态:     {url}api/status")
    print(f" Data folder / 数据目录:           {settings.home}")
    print(f" Policy file (hot-reloaded):       {settings.policy_path}")
    print(f" Local time / 本地时间:             {datetime.now(ZoneInfo(tz)):%H:%M} {tz}")
    print(f" Sleep time / 夜间休息:             {night_start}–{night_end}"
          + ("  (moved for the demo: the usual 22:00–06:00 has begun / 演示时已顺延)" if moved else ""))
    if mqtt is not None:
        show_mqtt(mqtt)
    if portal is not None:
        print(f" Parent portal / 家长端:            {portal.url}/")
        print(f"   login / 登录:                    {portal.username} / {portal.password}")
    print(" Shell: .venv/bin/kidsafe search \"恐龙\"   |   .venv/bin/kidsafe check")
    print(" Ctrl-C stops the demo / 按 Ctrl-C 退出")
    print("=" * 64, flush=True)
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning"))
    try:  # the app starts the service (policy watcher, usage clock) on startup
        server.run(sockets=[page_socket])
        if not server.started:  # uvicorn logged why (an app start-up error): say that the demo ended
            print("kidsafe demo: the device page did not start (see above) / 儿童页面没有启动", file=sys.stderr)
            return 1
    finally:
        page_socket.close()
        if portal is not None:
            portal.stop()
        if mqtt is not None:
            mqtt.stop()
    return 0


def start_portal(home: Path, mqtt: object, tz: str, demo_settings: dict) -> object | None:
    """The parent portal: a demo family whose child has the demo device paired (parent_portal.demo),
    in this machine's time zone, with the demo's sleep window and exempt modes."""
    try:
        from mqtt_bridge.demo_setup import DEMO_DEVICE
        from parent_portal.demo import start_demo_portal
    except ImportError as exc:
        print(f"  ! parent portal not started ({exc}); pip install -e '.[portal]'", file=sys.stderr)
        return None
    cfg = mqtt.portal_config()  # type: ignore[attr-defined]
    try:
        portal = start_demo_portal(home, cfg.port, DEMO_DEVICE, mqtt_username=cfg.username,
                                   mqtt_password=cfg.password, signing_key=mqtt.portal_key_path,  # type: ignore[attr-defined]
                                   timezone=tz, child_settings=demo_settings)
    except (OSError, TimeoutError) as exc:  # e.g. its port was taken between choosing and binding
        print(f"  ! parent portal not started: {exc} / 家长端没有启动", file=sys.stderr)
        return None
    if not portal.wait_applied():  # the banner comes once the device runs the parent's policy
        print("  ! the demo device has not applied the portal's policy yet", file=sys.stderr)
    return portal


def start_mqtt(home: Path, service: object, port: int = 0) -> object | None:
    """The embedded broker (amqtt, 127.0.0.1 only), fleet/portal demo keys, signed trusted time and
    the simulated device's MQTT agent. None (with a hint) when the demo extra is not installed."""
    from mqtt_bridge.broker.embedded import DemoBrokerError
    from mqtt_bridge.demo_setup import start_broker, start_device_agent, start_time_server

    try:
        mqtt = start_broker(home, port=port or None)
    except DemoBrokerError as exc:
        print(f"  ! MQTT broker not started: {exc}", file=sys.stderr)
        return None
    start_time_server(mqtt)
    start_device_agent(mqtt, service)
    return mqtt


def show_mqtt(mqtt: object) -> None:
    url, logins = mqtt.url, mqtt.logins  # type: ignore[attr-defined]
    print(f" MQTT broker / 消息代理:            {url}")
    print(f"   read-only login (device states): viewer / {logins['viewer']}")
    print(f"   mosquitto_sub -h 127.0.0.1 -p {url.rsplit(':', 1)[1]} -u viewer -P {logins['viewer']} "
          "-t 'kidsafe/v1/devices/+/state' -v")
    print(f"   fleet keys / 更新签名密钥:        {mqtt.keys_dir}  (kidsafe fleet build --keys ...)")  # type: ignore[attr-defined]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="kidsafe demo")
    sub = parser.add_subparsers()
    add_parser(sub)
    sys.exit(run(parser.parse_args(["demo", *sys.argv[1:]])))
