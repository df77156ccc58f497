"""`kidsafe portal ...`: run the portal, migrate its database, run ingestion workers, apply retention,
and show the parents' feedback per rule for the pack maintainers."""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import signal
import threading

from parent_portal.settings import PortalSettings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("portal", help="the parent portal / 家长端 (run, migrate, ingest, retention, feedback)")
    cmds = p.add_subparsers(dest="portal_command", metavar="ACTION")
    run = cmds.add_parser("run", help="migrate the database and serve the portal (with one ingestion worker)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--no-ingest", action="store_true", help="do not consume telemetry in this process")
    run.add_argument("--workers", type=int, default=1,
                     help="web server processes (one per core; they share the database, secret and key)")
    run.set_defaults(func=cmd_run)
    cmds.add_parser("migrate", help="upgrade the database to the newest schema").set_defaults(func=cmd_migrate)
    ing = cmds.add_parser("ingest", help="telemetry consumers on the shared subscription")
    ing.add_argument("--workers", type=int, default=1)
    ing.set_defaults(func=cmd_ingest)
    cmds.add_parser("retention", help="delete reports older than the retention limit").set_defaults(
        func=cmd_retention)
    _feedback_parser(cmds)  # `kidsafe portal feedback`: kept as an alias of `kidsafe fleet feedback`
    _feedback_parser(_fleet_actions(sub))
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _feedback_parser(actions: argparse._SubParsersAction) -> None:
    fb = actions.add_parser("feedback", help="parents' wrongly-blocked / missed marks per rule, for the next pack "
                                             "/ 家长反馈（按规则汇总）")
    fb.add_argument("--json", action="store_true", help="one JSON object per rule")
    fb.add_argument("--min", type=int, default=1, help="only rules with at least this many marks")
    fb.set_defaults(func=cmd_feedback)


def _fleet_actions(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The `kidsafe fleet` actions mqtt_bridge registered (the operator's command), or a new `fleet`."""
    fleet = sub.choices.get("fleet") or sub.add_parser("fleet", help="the fleet operator's commands / 运营")
    for action in fleet._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return fleet.add_subparsers(dest="fleet_command", metavar="ACTION")


def _settings() -> PortalSettings:
    return PortalSettings()


def cmd_migrate(args: argparse.Namespace) -> int:
    from parent_portal.migrate import upgrade

    settings = _settings()
    upgrade(settings.sqlalchemy_url())
    print(f"database is at the newest schema / 数据库已是最新结构: {_safe_url(settings)}")
    return 0


def _safe_url(settings: PortalSettings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.sqlalchemy_url()).render_as_string(hide_password=True)


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from parent_portal.app import create_app
    from parent_portal.bridge_link import load_or_create_key
    from parent_portal.migrate import upgrade

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = _settings()
    upgrade(settings.sqlalchemy_url())
    settings.secret()  # made once here, before several processes would race for it
    load_or_create_key(settings.signing_key_file())
    worker = None
    if settings.mqtt_enabled and not args.no_ingest:
        from parent_portal.db import make_engine, session_factory
        from parent_portal.ingest import TelemetryWorker

        sessions = session_factory(make_engine(settings.sqlalchemy_url()))
        worker = TelemetryWorker(settings, name="portal-run", sessions=sessions)
        worker.start()
    print(f"parent portal / 家长端: http://{args.host}:{args.port}/  (database {_safe_url(settings)}, "
          f"broker mqtt://{settings.mqtt_host}:{settings.mqtt_port}, {max(1, args.workers)} process(es))", flush=True)
    try:
        if args.workers > 1:  # each process builds its app from the same environment
            uvicorn.run("parent_portal.app:create_app", factory=True, workers=args.workers, host=args.host,
                        port=args.port, log_level="info", proxy_headers=True)
        else:
            uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", proxy_headers=True)
    finally:
        if worker is not None:
            worker.stop()
    return 0


def _ingest_process(index: int) -> None:
    from parent_portal.ingest import TelemetryWorker

    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s ingest-{index} %(levelname)s: %(message)s")
    worker = TelemetryWorker(_settings(), name=f"ingest-{index}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    worker.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    worker.stop()


def cmd_ingest(args: argparse.Namespace) -> int:
    procs = [multiprocessing.Process(target=_ingest_process, args=(i,), name=f"ingest-{i}")
             for i in range(max(1, args.workers))]
    for proc in procs:
        proc.start()
    print(f"{len(procs)} ingestion worker(s) on the shared subscription $share/portal/... (Ctrl-C stops)")
    try:
        for proc in procs:
            proc.join()
    except KeyboardInterrupt:
        for proc in procs:
            proc.terminate()
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from parent_portal.db import make_engine, session_factory
    from parent_portal.privacy import apply_retention

    settings = _settings()
    with session_factory(make_engine(settings.sqlalchemy_url()))() as db:
        removed = apply_retention(db, settings.retention_days)
    print(f"removed {removed} rows older than {settings.retention_days} days / 已删除 {removed} 条过期记录")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from parent_portal.db import make_engine, session_factory
    from parent_portal.feedback import aggregate

    with session_factory(make_engine(_settings().sqlalchemy_url()))() as db:
        rows = aggregate(db, args.min)
    if args.json:
        for row in rows:
            print(json.dumps(row.to_json(), ensure_ascii=False))
        return 0
    if not rows:
        print("no feedback yet / 还没有反馈")
        return 0
    print(f"{'verdict':12s} {'marks':>5s} {'families':>8s}  {'category':16s} rule")
    for row in rows:
        print(f"{row.verdict:12s} {row.marks:5d} {row.families:8d}  {row.category:16s} {row.rule}")
    return 0


