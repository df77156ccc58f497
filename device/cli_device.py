"""`kidsafe device run`: start the child's local page and API (uvicorn on 127.0.0.1).

    kidsafe device run [--port N] [--home DIR] [--policy FILE] [--tz Asia/Shanghai]
    kidsafe device check-policy FILE     validate a policy; errors in Chinese and English, exit 1 if invalid
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    device = subparsers.add_parser("device", help="run the child's device service / 运行儿童设备服务")
    sub = device.add_subparsers(dest="device_command", metavar="ACTION")
    run_p = sub.add_parser("run", help="serve the child's page and API on 127.0.0.1 / 启动本地页面和接口")
    run_p.add_argument("--port", type=int, default=None, help="port (default 8090 or $KIDSAFE_DEVICE_PORT)")
    run_p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1: local only)")
    run_p.add_argument("--home", type=Path, default=None, help="data folder (usage, events, policy)")
    run_p.add_argument("--policy", type=Path, default=None, help="policy JSON file to watch (default HOME/policy.json)")
    run_p.add_argument("--tz", default=None, help="time zone of the device day when the policy names none")
    run_p.add_argument("--log-level", default="info")
    run_p.set_defaults(func=run)
    check_p = sub.add_parser("check-policy", help="validate a device policy file / 检查策略文件")
    check_p.add_argument("file", type=Path)
    check_p.set_defaults(func=check_policy)
    device.set_defaults(func=lambda args: (device.print_help(), 2)[1])


def check_policy(args: argparse.Namespace) -> int:
    import json

    from device.policy import DevicePolicyError, validate
    from device.policy_manager import parse_file

    try:
        policy, warnings = validate(parse_file(args.file))
    except DevicePolicyError as exc:  # every bad input, including special files and hostile JSON
        print(json.dumps({"ok": False, "errors": [p.to_json() for p in exc.problems]}, ensure_ascii=False, indent=1))
        return 1
    t = policy.time
    print(json.dumps({
        "ok": True, "version": policy.version, "warnings": [w.to_json() for w in warnings],
        "age_band": policy.filter.age_band,
        "daily_limit_min": {"weekday": t.weekday_limit_min, "weekend": t.weekend_limit_min},
        "night": [x.strftime("%H:%M") for x in t.night] if t.night else None,
        "voice": policy.voice, "reporting_level": policy.reporting_level,
    }, ensure_ascii=False, indent=1))
    return 0


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from device.api import create_app
    from device.config import DeviceSettings
    from device.service import DeviceService

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    kwargs: dict = {}
    if args.home is not None:
        kwargs["home"] = args.home
    if args.policy is not None:
        kwargs["policy_path"] = args.policy
    if args.tz:
        kwargs["timezone"] = args.tz
    settings = DeviceSettings(**kwargs)
    if args.port is not None:
        settings.api_port = args.port
    try:
        service = DeviceService(settings)
    except Exception as exc:  # e.g. unwritable data folder
        print(f"kidsafe device: cannot start: {exc} / 无法启动：{exc}", file=sys.stderr)
        return 1
    app = create_app(service)
    print(f"kidsafe device: http://{args.host}:{settings.api_port}/  (data: {settings.home})", flush=True)
    uvicorn.run(app, host=args.host, port=settings.api_port, log_level=args.log_level.lower())
    return 0
