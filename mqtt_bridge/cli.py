"""`kidsafe device agent` and `kidsafe fleet ...` (operator tools). See mqtt_bridge/README.md.

    kidsafe device agent --broker mqtt://host:1883 [--device-id ID --cohort C --password-file F
                         --portal-key HEX|FILE --root root.json --home DIR --serve --port N]
    kidsafe fleet keygen DIR                  root + bundle keys, root-1.json (keep DIR offline)
    kidsafe fleet rotate-root DIR             root v+1 with new root keys (old and new sign it)
    kidsafe fleet build --keys DIR --version N --cohort C [--packs DIR] [--combos DIR | --no-combos] [--model F]
                        [--chunk-size B] -o bundle.json
    kidsafe fleet sign bundle.json --key FILE add one more signature (keys on separate machines)
    kidsafe fleet publish bundle.json --broker URL      retained on fleet/{cohort}/bundles
    kidsafe fleet rollout --keys DIR --version N --cohort C --steps 10,50,100 --halt-at 0.2 --broker URL
    kidsafe fleet status --version N --broker URL [--json]
    kidsafe fleet halt --cohort C --broker URL          withdraw the retained bundle
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any


def _broker_args(p: argparse.ArgumentParser, user_default: str | None = None) -> None:
    p.add_argument("--broker", default=os.environ.get("KIDSAFE_MQTT_URL"),
                   help="mqtt://host:port or mqtts://host:port?ca=FILE (default $KIDSAFE_MQTT_URL)")
    p.add_argument("--username", default=os.environ.get("KIDSAFE_MQTT_USERNAME", user_default))
    p.add_argument("--password-file", type=Path, default=None, help="file holding the password "
                   "(or $KIDSAFE_MQTT_PASSWORD)")
    p.add_argument("--protocol", choices=("auto", "5", "3.1.1"), default="auto")


def _broker(args: argparse.Namespace, username: str | None = None) -> Any:
    from mqtt_bridge.client import BrokerConfig, BrokerError

    if not args.broker:
        raise BrokerError("no broker: pass --broker mqtt://HOST:PORT or set KIDSAFE_MQTT_URL / 未指定消息代理")
    password = os.environ.get("KIDSAFE_MQTT_PASSWORD")
    if args.password_file is not None:
        password = args.password_file.read_text().strip()
    return BrokerConfig.from_url(args.broker, username=username or args.username, password=password,
                                 protocol=args.protocol)


def add_parser(sub: argparse._SubParsersAction) -> None:
    device = sub.choices.get("device")
    if device is not None and device._subparsers is not None:
        device_sub = device._subparsers._group_actions[0]
        add_agent_parser(device_sub)
        _broker_for_run(device_sub.choices.get("run"))
    fleet = sub.add_parser("fleet", help="signed word-pack/model updates for devices / 设备批量更新")
    fsub = fleet.add_subparsers(dest="fleet_command", metavar="ACTION")
    p = fsub.add_parser("keygen", help="create root and bundle keys and root-1.json / 生成密钥")
    p.add_argument("dir", type=Path)
    p.add_argument("--root-keys", type=int, default=3)
    p.add_argument("--root-threshold", type=int, default=2)
    p.add_argument("--bundle-keys", type=int, default=2)
    p.add_argument("--bundle-threshold", type=int, default=2)
    p.set_defaults(func=cmd_keygen)
    p = fsub.add_parser("rotate-root", help="new root keys, signed by old and new / 轮换根密钥")
    p.add_argument("dir", type=Path)
    p.add_argument("--new-keys", type=int, default=3)
    p.add_argument("--threshold", type=int, default=2)
    p.set_defaults(func=cmd_rotate)
    for name, func in (("build", cmd_build), ("rollout", cmd_rollout)):
        p = fsub.add_parser(name, help="build and sign a bundle / 构建并签名" if name == "build"
                            else "publish in stages, halt on failures / 分阶段发布")
        p.add_argument("--keys", type=Path, required=True, help="folder from `kidsafe fleet keygen`")
        p.add_argument("--version", type=int, required=True)
        p.add_argument("--cohort", required=True)
        p.add_argument("--packs", type=Path, default=None, help="folder of word packs (default: shipped)")
        p.add_argument("--combos", type=Path, default=None,
                       help="folder of co-occurrence rule files (default: shipped) / 组合规则目录")
        p.add_argument("--no-combos", action="store_true",
                       help="ship no rule files: devices keep the rules in force / 不含组合规则")
        p.add_argument("--model", dest="model_file", type=Path, default=None, help="classifier .tflite to ship")
        p.add_argument("--labels", type=Path, default=None, help="its labels.json (default: beside the model)")
        p.add_argument("--expires-days", type=float, default=30)
        p.add_argument("--drop-category", action="append", default=[], help="stop covering a category (explicit)")
        p.add_argument("--chunk-size", type=int, default=512 * 1024,
                       help="files larger than this travel in hashed, resumable chunks (bytes; 0 = all inline)")
        if name == "build":
            p.add_argument("--percent", type=int, default=100)
            p.add_argument("-o", "--output", type=Path, required=True)
        else:
            p.add_argument("--steps", default="10,50,100")
            p.add_argument("--halt-at", type=float, default=0.2, help="failure rate that halts (default 0.2)")
            p.add_argument("--wait", type=float, default=600, help="seconds to wait per step")
            _broker_args(p, "operator")
        p.set_defaults(func=func)
    p = fsub.add_parser("sign", help="add a signature to a built bundle / 追加签名")
    p.add_argument("bundle", type=Path)
    p.add_argument("--key", type=Path, required=True)
    p.set_defaults(func=cmd_sign)
    p = fsub.add_parser("publish", help="publish a built bundle (retained) / 发布")
    p.add_argument("bundle", type=Path)
    _broker_args(p, "operator")
    p.set_defaults(func=cmd_publish)
    p = fsub.add_parser("status", help="which device runs which version / 设备版本状态")
    p.add_argument("--version", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.add_argument("--wait", type=float, default=2.0, help="seconds to collect retained states")
    _broker_args(p, "operator")
    p.set_defaults(func=cmd_status)
    p = fsub.add_parser("halt", help="withdraw the retained bundle of a cohort / 停止发布")
    p.add_argument("--cohort", required=True)
    _broker_args(p, "operator")
    p.set_defaults(func=cmd_halt)
    fleet.set_defaults(func=lambda args: (fleet.print_help(), 2)[1])


def _fail(exc: Exception) -> int:
    print(f"kidsafe fleet: {exc}", file=sys.stderr)
    return 1


def cmd_keygen(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        root = fleet.init_keys(args.dir, args.root_keys, args.root_threshold, args.bundle_keys, args.bundle_threshold)
    except (FileExistsError, ValueError) as exc:
        return _fail(exc)
    print(f"keys and root v{root.signed.version} in {args.dir}; install {args.dir}/root-1.json on devices "
          f"(--root) / 请将 root-1.json 装入设备镜像")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet, signing

    new = [signing.generate() for _ in range(args.new_keys)]
    root = fleet.rotate_root(args.dir, new, args.threshold)
    stamp = root.signed.version
    old = args.dir / f"retired-v{stamp - 1}"
    old.mkdir(exist_ok=True)
    for path in sorted(args.dir.glob("root-*.key")):
        path.rename(old / path.name)
    for i, k in enumerate(new, 1):
        signing.save_private(k, args.dir / f"root-{i}.key")
    print(f"root v{stamp} written; publish bundles with it so devices rotate / 根密钥已轮换")
    return 0


def _build_steps(args: argparse.Namespace, percents: list[int]) -> list[Any]:
    from filters.combo_rules import COMBOS_DIR
    from filters.lexicon import PACKS_DIR
    from mqtt_bridge import fleet

    packs = sorted((args.packs or PACKS_DIR).glob("*.json"))
    combos = [] if args.no_combos else sorted((args.combos or COMBOS_DIR).glob("*.json"))
    keys = fleet._keys_in(args.keys, "bundle")
    roots = fleet.roots_in(args.keys)
    out = []
    for pct in percents:
        built = fleet.build_bundle(args.version, args.cohort, packs, args.model_file, args.labels, pct,
                                   args.expires_days, args.drop_category, chunk_size=args.chunk_size or None,
                                   combos=combos)
        out.append(fleet.bundle_message(fleet.sign_bundle(built.meta, keys), built.files, roots))
    return out


def cmd_build(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        msg = _build_steps(args, [args.percent])[0]
    except Exception as exc:
        return _fail(exc)
    fleet.save_message(msg, args.output)
    meta = msg.bundle.signed
    print(f"bundle v{meta.version} for {meta.cohort}: {len(meta.files)} files, {len(msg.bundle.signatures)} "
          f"signature(s), categories {', '.join(meta.categories)} -> {args.output}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet, signing

    msg = fleet.load_message(args.bundle)
    signed = fleet.sign_bundle(msg.bundle.signed, [signing.load_private(args.key)], msg.bundle.signatures)
    fleet.save_message(msg.model_copy(update={"bundle": signed}), args.bundle)
    print(f"{args.bundle}: {len(signed.signatures)} signature(s)")
    return 0


def _operator(args: argparse.Namespace) -> Any:
    from mqtt_bridge.client import Connection

    return Connection(_broker(args), f"operator-{os.getpid()}").start()


def cmd_publish(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        msg = fleet.load_message(args.bundle)
        conn = _operator(args)
    except Exception as exc:
        return _fail(exc)
    try:
        fleet.publish(conn, msg)
    except Exception as exc:  # e.g. the broker refused a packet past its max_packet_size
        return _fail(exc)
    finally:
        conn.stop()
    meta = msg.bundle.signed
    big = [spec for spec in meta.files.values() if spec.chunk_size is not None]
    print(f"published bundle v{meta.version} to {meta.cohort}: {len(meta.files) - len(big)} file(s) inline, "
          f"{len(big)} in {sum(len(s.chunks) for s in big)} chunk(s) / 已发布")
    return 0


def cmd_halt(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        conn = _operator(args)
    except Exception as exc:
        return _fail(exc)
    withdrawn = fleet.retained_bundle(conn, args.cohort)
    fleet.clear(conn, args.cohort, withdrawn)
    conn.stop()
    chunks = sum(len(s.chunks) for s in withdrawn.bundle.signed.files.values()) if withdrawn else 0
    print(f"bundle for {args.cohort} withdrawn ({chunks} retained chunk(s) cleared) / 已停止发布")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        watcher = fleet.StateWatcher(_broker(args), f"fleet-status-{os.getpid()}").start()
    except Exception as exc:
        return _fail(exc)
    time.sleep(args.wait)
    states = watcher.snapshot()
    watcher.stop()
    status = fleet.fleet_status(states, args.version)
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{len(states)} device(s); on v{args.version}+: {len(status.on_version)}; failed: {len(status.failed)}")
    for device, st in sorted(states.items()):
        line = f"  {device:20s} {'online ' if st.online else 'offline'} bundle v{st.bundle_version} {st.bundle_status}"
        print(line + (f"  ({st.bundle_error})" if st.bundle_error else ""))
    return 0


def cmd_rollout(args: argparse.Namespace) -> int:
    from mqtt_bridge import fleet

    try:
        percents = [int(x) for x in args.steps.split(",") if x.strip()]
        steps = _build_steps(args, percents)
        conn = _operator(args)
        watcher = fleet.StateWatcher(_broker(args), f"fleet-rollout-{os.getpid()}").start()
    except Exception as exc:
        return _fail(exc)
    time.sleep(1.0)
    devices = [d for d, st in watcher.snapshot().items()]
    report = fleet.run_rollout(conn, watcher, steps, devices, args.halt_at, args.wait)
    watcher.stop()
    conn.stop()
    print(json.dumps(report, indent=1))
    return 3 if report["halted"] else 0


# -- kidsafe device agent ----------------------------------------------------------------------------
def _agent_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device-id", default=None, help="default $KIDSAFE_DEVICE_ID")
    p.add_argument("--cohort", default=os.environ.get("KIDSAFE_COHORT", "default"))
    p.add_argument("--portal-key", action="append", default=None, help="portal public key (hex or file); repeat")
    p.add_argument("--root", type=Path, default=None, help="fleet root metadata (first install)")


def _broker_for_run(run_p: argparse.ArgumentParser | None) -> None:
    """`kidsafe device run` also runs the agent when a broker is configured (--broker / KIDSAFE_MQTT_URL)."""
    if run_p is None:
        return
    _broker_args(run_p)
    _agent_args(run_p)
    plain = run_p.get_default("func")

    def run(args: argparse.Namespace) -> int:
        if not args.broker:
            return plain(args)
        args.serve = True
        return cmd_agent(args)

    run_p.set_defaults(func=run)


def add_agent_parser(device_sub: argparse._SubParsersAction) -> None:
    p = device_sub.add_parser("agent", help="connect this device to its parent and fleet over MQTT / 设备联网代理")
    _broker_args(p)
    _agent_args(p)
    p.add_argument("--home", type=Path, default=None)
    p.add_argument("--tz", default=None)
    p.add_argument("--serve", action="store_true", help="also serve the child's page on 127.0.0.1")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_agent)


def cmd_agent(args: argparse.Namespace) -> int:
    from device.config import DeviceSettings
    from device.service import DeviceService
    from mqtt_bridge.agent import AgentSettings
    from mqtt_bridge.runner import build_agent, read_keys

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    kwargs: dict[str, Any] = {}
    if args.home is not None:
        kwargs["home"] = args.home
    if args.tz:
        kwargs["timezone"] = args.tz
    if getattr(args, "policy", None) is not None:
        kwargs["policy_path"] = args.policy
    settings = DeviceSettings(**kwargs)
    device_id = args.device_id or settings.device_id
    try:
        broker = _broker(args, username=args.username or device_id)
        service = DeviceService(settings)
        agent_settings = AgentSettings(device_id=device_id, broker=broker, home=settings.home, cohort=args.cohort,
                                       portal_keys=read_keys(args.portal_key))
        agent = build_agent(service, agent_settings, root_file=args.root)
    except Exception as exc:
        print(f"kidsafe device agent: cannot start: {exc} / 无法启动：{exc}", file=sys.stderr)
        return 1
    if not args.serve:
        service.start()  # with --serve the device app starts it
    agent.start()
    print(f"kidsafe device agent: {device_id} -> {broker.url()} (cohort {args.cohort}, data {settings.home})",
          flush=True)
    try:
        if args.serve:
            import uvicorn

            from device.api import create_app

            port = args.port or settings.api_port
            uvicorn.run(create_app(service), host=getattr(args, "host", "127.0.0.1"), port=port,
                        log_level="warning")
        else:
            while True:
                time.sleep(3600)
    finally:
        agent.stop()
        if agent.updater is not None:
            agent.updater.stop()
        service.stop()
    return 0
