"""Applying a fleet bundle on a device: stage, verify, swap atomically, canary, keep or roll back.

Layout under HOME/fleet/:  root.json (trusted root)  installed.json (version in force, failures)
journal.json (present only while a swap is under way)  sets/<version>/ (packs/, combos/, model.tflite,
labels.json)  current -> sets/<version> (a symlink replaced atomically; absent = the shipped set).

Steps: parse -> rotate root -> verify metadata (threshold, expiry, cohort, version) -> rollout
selection -> check every file's length and hash (files sent in chunks: gather them first, resuming
from the chunks already in HOME/fleet/chunks; see chunks.py) -> stage into sets/.staging -> packs parse ->
bundle-level weakening checks (every category in force still covered unless the signed metadata
drops it explicitly; no empty pack; no changed content under an unchanged pack version; the same for the
co-occurrence rule files, see combo_update.py) -> canary on
the staged set -> journal -> swap `current` -> load into the live filter -> canary on the live filter
-> commit. A failed canary swaps back; a process killed between journal and commit comes back on the
previous set at the next start (`recover()`), and that version is reported failed and never retried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mqtt_bridge import canary, combo_update
from mqtt_bridge.chunks import ChunkRefused, ChunkStore, Download
from mqtt_bridge.payloads import BundleMessage, BundleSigned, PackInfo, PayloadError, parse
from mqtt_bridge.trust import BundleRefused, TrustStore, check_files

log = logging.getLogger(__name__)
MODEL_NAME, LABELS_NAME = "model.tflite", "labels.json"


def rollout_bucket(device_id: str) -> int:
    """A stable number 0..9999 per device: the first `percent` of buckets take an update first."""
    return int(hashlib.sha256(device_id.encode()).hexdigest()[:8], 16) % 10000


def selected(device_id: str, percent: int) -> bool:
    return rollout_bucket(device_id) < percent * 100


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FleetUpdater:
    """`live` is the device side (LiveFilter) or None for a simulated device (no filter, no canary)."""

    def __init__(self, home: Path, device_id: str, cohort: str, live: Any = None,
                 now: Callable[[], float] = time.time, crash_at: str | None = None,
                 self_test: Callable[[Path], None] | None = None) -> None:
        self.folder = Path(home) / "fleet"
        self.sets = self.folder / "sets"
        self.sets.mkdir(parents=True, exist_ok=True)
        self.current = self.folder / "current"
        self.journal = self.folder / "journal.json"
        self.installed_path = self.folder / "installed.json"
        self.trust = TrustStore(self.folder)
        self.device_id, self.cohort, self.live, self.now = device_id, cohort, live, now
        self.self_test = self_test  # an extra check of a staged set (raises BundleRefused)
        self.crash_at = crash_at or os.environ.get("KIDSAFE_FLEET_CRASH_AT")
        self.installed = self._load_installed()
        self.on_change: Callable[[], None] = lambda: None
        self.download = Download(ChunkStore(self.folder / "chunks"), cohort)
        self._chunks_stored = 0
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.recover()

    # -- persistent facts ---------------------------------------------------------------------------
    def _load_installed(self) -> dict[str, Any]:
        try:
            doc = json.loads(self.installed_path.read_text())
            if isinstance(doc, dict):
                return doc
        except (OSError, ValueError):
            pass
        return {"version": 0, "status": "idle", "error": None, "failed": []}

    def _save_installed(self, **changes: Any) -> None:
        self.installed.update(changes)
        _write_json(self.installed_path, self.installed)
        self.on_change()

    def active_set(self) -> Path | None:
        return self.current.resolve() if self.current.is_symlink() and self.current.exists() else None

    def state_fields(self) -> dict[str, Any]:
        inst = self.installed
        out: dict[str, Any] = {"bundle_version": int(inst.get("version", 0)), "bundle_status": inst.get("status",
                               "idle"), "bundle_error": inst.get("error"),
                               "bundle_failed_version": inst.get("failed_version")}
        progress = self.download.progress()
        if progress is not None:
            out.update(bundle_status="downloading", bundle_progress=round(progress, 3))
        if self.live is not None:
            out["packs"] = {k: PackInfo(**v) for k, v in self.live.pack_info().items()}
            out["model_sha256"] = self.live.model_sha256()
            out["combos"] = {k: PackInfo(**v) for k, v in self.live.combo_info().items()}
        return out

    # -- crash recovery ------------------------------------------------------------------------------
    def recover(self) -> None:
        """Called at start: a journal means a swap was interrupted: go back to the previous set."""
        if not self.journal.exists():
            return
        try:
            doc = json.loads(self.journal.read_text())
        except (OSError, ValueError):
            doc = {}
        self._point_current(doc.get("from"))
        failed = int(doc.get("to") or 0)
        log.error("bundle v%s was interrupted mid-apply; back on %s", failed, doc.get("from") or "the shipped set")
        self.journal.unlink(missing_ok=True)
        self._save_installed(status="rolled_back", error="interrupted during apply (power cut or crash)",
                             failed_version=failed, failed=sorted({*self.installed.get("failed", []), failed}))

    def _point_current(self, target: str | None) -> None:
        if target is None:
            self.current.unlink(missing_ok=True)
        else:
            tmp = self.folder / "current.tmp"
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(Path("sets") / target)
            os.replace(tmp, self.current)
        _fsync_dir(self.folder)

    # -- the worker ------------------------------------------------------------------------------------
    def start(self) -> FleetUpdater:
        self._thread = threading.Thread(target=self._run, name="fleet-updater", daemon=True)
        self._thread.start()
        return self

    def offer(self, raw: bytes) -> None:
        """Hand over a retained bundle message (called from the network thread; never blocks)."""
        self._queue.put(("bundle", bytes(raw)))

    def offer_chunk(self, raw: bytes) -> None:
        """Hand over a chunk message (network thread; never blocks)."""
        self._queue.put(("chunk", bytes(raw)))

    def chunk_topics(self) -> set[str]:
        """The chunk topics the agent should be subscribed to now (a window of the missing ones)."""
        return self.download.topics()

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self.handle(item[1]) if item[0] == "bundle" else self.handle_chunk(item[1])
            except Exception:
                log.exception("bundle handling failed")

    def handle_chunk(self, raw: bytes) -> str:
        """Keep one chunk of the bundle being downloaded; apply the bundle once it is complete."""
        try:
            complete = self.download.put(raw)
        except ChunkRefused as exc:
            log.warning("chunk refused: %s", exc)
            return "chunk_refused"
        self._chunks_stored += 1
        if self.crash_at == f"after_chunk:{self._chunks_stored}":
            os.kill(os.getpid(), 9)  # fault injection for the resume test: killed mid-download
        self.on_change()
        return self.handle(self.download.raw) if complete and self.download.raw else "downloading"

    def handle(self, raw: bytes) -> str:
        """Apply one bundle message; returns the outcome ("applied", "downloading", "not selected", or a
        refusal code)."""
        if not raw:
            self.download.finish()  # withdrawn (a halt): stop fetching its chunks
            self.on_change()
            return "cleared"
        try:
            result = self._apply(raw)
        except BundleRefused as exc:
            if exc.code in ("replayed", "failed_before"):
                return exc.code  # the retained copy of what is in force / already reported: nothing new
            self.download.finish()
            log.warning("bundle refused: %s", exc)
            if exc.version is not None:  # it verified but does not work here: never retried
                failed = sorted({*self.installed.get("failed", []), exc.version})
                self._save_installed(status="failed", error=str(exc)[:500], failed_version=exc.version,
                                     failed=failed)
            else:
                self._save_installed(status="refused", error=str(exc)[:500])
            if self.live is not None:
                self.live.event({"kind": "bundle_refused", "code": exc.code, "detail": exc.detail[:300]})
            return exc.code
        return result

    def _apply(self, raw: bytes) -> str:
        try:
            msg = parse(BundleMessage, raw)
        except PayloadError as exc:
            raise BundleRefused("malformed", exc.en) from exc
        now = self.now()
        self.trust.update_root(msg.roots, now)
        meta = self.trust.verify(msg.bundle, now, self.cohort, int(self.installed.get("version", 0)))
        if meta.version in self.installed.get("failed", []):
            raise BundleRefused("failed_before", f"bundle v{meta.version} failed here before; waiting for a newer one")
        if not selected(self.device_id, meta.rollout_percent):
            return "not selected"
        files = check_files(meta, msg.files)
        chunked = {name: spec for name, spec in meta.files.items() if spec.chunk_size is not None}
        if chunked:
            try:
                got = self.download.begin(raw, list(chunked.values()))
            except ChunkRefused as exc:
                raise BundleRefused("forged", str(exc), version=meta.version) from exc
            if got is None:
                self.on_change()
                return "downloading"
            files.update({name: got[spec.sha256] for name, spec in chunked.items()})
            self.download.finish()
        staged = self._stage(meta, files)
        try:
            self._check_weakening(meta, staged)
            if self.live is not None:
                canary.run_on_set(staged, meta.categories)
            if self.self_test is not None:
                self.self_test(staged)
        except BundleRefused as exc:
            shutil.rmtree(staged, ignore_errors=True)
            if exc.code == "canary_failed":
                exc.version = meta.version
            raise
        return self._swap(meta, staged)

    def _stage(self, meta: BundleSigned, files: dict[str, bytes]) -> Path:
        staging = self.sets / ".staging"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "packs").mkdir(parents=True)
        for name, data in files.items():
            kind = meta.files[name].kind
            if kind == "pack":
                target = staging / "packs" / name
            elif kind == "combos":
                target = staging / combo_update.SUBDIR / combo_update.staged_name(name)
                target.parent.mkdir(exist_ok=True)
            else:
                target = staging / {"model": MODEL_NAME, "labels": LABELS_NAME}.get(kind, name)
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        # a bundle without rule files keeps the rules in force, without a model the model in force
        combo_update.carry_forward(staging, self._combos_dir(), self.sets)
        if not (staging / MODEL_NAME).exists() and self.live is not None:
            model, labels = self.live.model_files()
            for src, name in ((model, MODEL_NAME), (labels, LABELS_NAME)):
                if src is not None and Path(src).exists() and not (staging / name).exists():
                    shutil.copyfile(src, staging / name)
        return staging

    def _check_weakening(self, meta: BundleSigned, staged: Path) -> None:
        canary.check_packs(staged / "packs", meta.categories,
                           self.live.packs() if self.live is not None else self._set_packs())
        in_force_rules = self.live.combo_files() if self.live is not None else self._set_combos()
        combo_update.check(staged, in_force_rules, meta.drops_categories)
        in_force = self.live.categories() if self.live is not None else set(self._set_categories())
        missing = sorted(in_force - set(meta.categories) - set(meta.drops_categories))
        if missing:
            raise BundleRefused("weakening", f"bundle stops covering {missing} without saying so")

    def _set_packs(self) -> list[Any]:
        """The packs of the set in force (a simulated device has no live filter to ask)."""
        from filters.lexicon import LexiconError, load_packs

        active = self.active_set()
        try:
            return load_packs(active / "packs") if active else []
        except LexiconError:
            return []

    def _combos_dir(self) -> Path:
        """The rule folder in force (the live filter's, or for a simulated device its set's)."""
        return self.live.combos_dir() if self.live is not None else combo_update.rules_dir_of(self.active_set())

    def _set_combos(self) -> tuple[Any, ...]:
        """The rule files of the set in force (a simulated device has no live filter to ask)."""
        from filters.combo_rules import ComboError, read_dir

        try:
            return read_dir(self._combos_dir())
        except ComboError:
            return ()

    def _set_categories(self) -> set[str]:
        active = self.active_set()
        path = active / "categories.json" if active else None
        return set(json.loads(path.read_text())) if path and path.exists() else set()

    def _swap(self, meta: BundleSigned, staged: Path) -> str:
        (staged / "categories.json").write_text(json.dumps(sorted(meta.categories)))
        final = self.sets / str(meta.version)
        shutil.rmtree(final, ignore_errors=True)
        os.rename(staged, final)
        _fsync_dir(self.sets)
        previous = self.active_set()
        prev_name = previous.name if previous else None
        _write_json(self.journal, {"from": prev_name, "to": meta.version, "at": self.now()})
        self._point_current(str(meta.version))
        if self.crash_at == "after_swap":
            os.kill(os.getpid(), 9)  # fault injection for the kill -9 test: the journal must bring us back
        if self.live is not None:
            try:
                self.live.activate(final)
                canary.run_on_filter(self.live.filter(), meta.categories)
            except (BundleRefused, Exception) as exc:
                self._point_current(prev_name)
                self.live.activate(previous)
                self.journal.unlink(missing_ok=True)
                failed = sorted({*self.installed.get("failed", []), meta.version})
                self._save_installed(status="rolled_back", error=f"live canary failed: {exc}"[:500],
                                     failed_version=meta.version, failed=failed)
                self.live.event({"kind": "bundle_failed", "version": meta.version, "error": str(exc)[:300]})
                return "canary_failed"
        self.journal.unlink(missing_ok=True)
        _fsync_dir(self.folder)
        self._save_installed(version=meta.version, status="applied", error=None)
        self._prune(keep={final.name, prev_name})
        if self.live is not None:
            self.live.event({"kind": "bundle_applied", "version": meta.version})
        log.info("bundle v%s applied", meta.version)
        return "applied"

    def _prune(self, keep: set[str | None]) -> None:
        for child in self.sets.iterdir():
            if child.name not in keep and not child.name.startswith("."):
                shutil.rmtree(child, ignore_errors=True)
