"""Composition of the device: event log, usage store and clock, policy manager and watcher, the text
filter and the search / voice pipelines. `DeviceService` is what `kidsafe device run` and the API use.

Outside parts (the MQTT agent in the next issue) call:
    apply_policy(doc) -> PolicyResult     set_trusted_time(epoch)     grant_extra(minutes, ref=...)
    usage.store.requests(status="pending")  (the "more time" queue)   events.unsent() / mark_sent()
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from device.care import CareDesk
from device.config import DeviceSettings
from device.events import EventLog
from device.policy_manager import PolicyManager, PolicyResult, PolicyWatcher
from device.usage.clocks import SYSTEM_CLOCKS, Clocks
from device.usage.engine import UsageClock
from device.usage.store import UsageStore
from device.usage.timekeeper import Timekeeper

log = logging.getLogger(__name__)

SEARCH_MODULES = ("device.search.pipeline",)
VOICE_MODULES = ("device.voice.pipeline", "device.voice", "device.search.voice", "device.asr")


def to_plain(obj: Any) -> dict[str, Any]:
    """A pipeline answer as a JSON-able dict (dict, `.to_json()`, `.to_dict()` or a dataclass)."""
    if isinstance(obj, dict):
        return obj
    for name in ("to_json", "to_dict"):
        fn = getattr(obj, name, None)
        if callable(fn):
            out = fn()
            if isinstance(out, dict):
                return out
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    raise TypeError(f"cannot turn {type(obj).__name__} into a JSON object")


def call_with(fn: Callable[..., Any], *args: Any, **offered: Any) -> Any:
    """Call `fn` with the positional args plus those offered keywords its signature accepts."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(*args)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(*args, **offered)
    return fn(*args, **{k: v for k, v in offered.items() if k in params})


def _find(modules: tuple[str, ...], attr: str) -> Any | None:
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, attr):
            return getattr(module, attr)
    return None


class DeviceService:
    def __init__(
        self,
        settings: DeviceSettings,
        clocks: Clocks = SYSTEM_CLOCKS,
        search_factory: Callable[[DeviceService], Any] | None = None,
        voice_factory: Callable[[DeviceService], Any] | None = None,
    ) -> None:
        self.settings = settings
        settings.ensure_dirs()
        # help lines for a child at risk, checked first: a bad operator file stops the device at start (HelpLineError)
        self.care = CareDesk.from_settings(settings, zone=self._zone)
        self.events = EventLog(settings.events_db)
        self.store = UsageStore(settings.usage_db, settings.usage_mirror_db, settings.time_seal)
        self.timekeeper = Timekeeper(self.store, clocks, event_sink=self.events.record)
        self.events.now = self.timekeeper.now
        self.policies = PolicyManager(settings.policy_active, settings.timezone, self.events.record)
        self.watcher = PolicyWatcher(Path(settings.policy_path or settings.home / "policy.json"), self.policies,
                                     settings.policy_poll_s)
        self.usage = UsageClock(self.store, self.timekeeper, lambda: self.policies.current.time,
                                settings.usage_flush_s, self.events.record)
        self._search_factory = search_factory or _default_search
        self._voice_factory = voice_factory or _default_voice
        self._search_lock = threading.Lock()
        self._voice_lock = threading.Lock()  # never held while building search (voice needs it)
        self._search: Any = None
        self._modes: dict[str, Any] = {}  # exempt feature -> its own pipeline (device/modes.py)
        self._voice: Any = None
        self.search_error: str | None = None
        self.voice_error: str | None = None
        self._voice_stamp: Any = None  # the model folder's state when voice last failed
        self.text_filter: Any = None
        self.policies.subscribe(self._policy_changed)

    def _zone(self) -> str | None:
        """The device's time zone now: the parent's policy, else the device's setting."""
        return self.policies.current.model.timezone or self.settings.timezone

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        self.watcher.start()
        self.usage.start()

    def stop(self) -> None:
        for pipeline in (self._search, *self._modes.values()):
            stop_warming = getattr(pipeline, "stop_warming", None)
            if callable(stop_warming):
                stop_warming()
        self.watcher.stop()
        self.usage.stop()
        self.store.close()
        self.events.close()

    # -- entry points for the portal / MQTT agent ----------------------------------------------
    def apply_policy(self, doc: Any) -> PolicyResult:
        return self.policies.apply_policy(doc, source="mqtt")

    def set_trusted_time(self, epoch: float) -> dict[str, Any]:
        return self.usage.set_trusted_time(epoch)

    def grant_extra(self, minutes: int, ref: str | None = None, day: str | None = None) -> bool:
        return self.usage.grant_extra(minutes, day=day, ref=ref)

    def _policy_changed(self, policy: Any) -> None:
        """Pipelines that hold a filter policy get the new one (those taking `policy=` per call need nothing)."""
        for part in (self._search, self._voice):
            setter = getattr(part, "set_policy", None)
            if callable(setter):
                setter(policy.filter)

    # -- pipelines (built on first use; a broken part leaves the rest working) -------------------
    def search_pipeline(self) -> Any:
        with self._search_lock:
            if self._search is None and self.search_error is None:
                try:
                    self._search = self._search_factory(self)
                except Exception as exc:
                    log.exception("search pipeline unavailable")
                    self.search_error = f"{type(exc).__name__}: {exc}"
            return self._search

    def voice_search(self) -> Any:
        """The voice pipeline, or None. A failure is retried once the model folder changes (a model
        was installed), so no restart is needed; it is logged once per state, as one line."""
        self.search_pipeline()
        with self._voice_lock:
            if self._voice is None and (self.voice_error is None or self._voice_stamp != self._model_stamp()):
                stamp = self._model_stamp()
                try:
                    self._voice = self._voice_factory(self)
                    self.voice_error = None
                except Exception as exc:
                    log.warning("voice search unavailable: %s", str(exc).replace("\n", " "))
                    self.voice_error = f"{type(exc).__name__}: {exc}"
                    self._voice_stamp = stamp
            return self._voice

    def _model_stamp(self) -> Any:
        from device.voice.model import model_stamp

        return model_stamp(self.settings.asr_model_dir)

    def mode_pipeline(self, feature: str) -> Any:
        """The pipeline of an exempt mode: the same query gate and result filter, over the mode's only source."""
        from device.modes import MODES

        with self._search_lock:
            if feature not in self._modes:
                from device.search.pipeline import SearchPipeline

                self._modes[feature] = SearchPipeline(self.get_text_filter(), MODES[feature](self.settings),
                                                      lambda: self.policies.current.filter, self.events.record,
                                                      care=self.care)
            return self._modes[feature]

    def search(self, query: str, lang: str, feature: str = "search") -> dict[str, Any]:
        """Search, or an exempt mode's lookup (`feature` "dictionary" / "homework"): the device picks the source."""
        from device.modes import MODES

        pipeline = self.mode_pipeline(feature) if feature in MODES else self.search_pipeline()
        if pipeline is None:
            raise RuntimeError(self.search_error or "search pipeline unavailable")
        out = to_plain(call_with(pipeline.search, query, policy=self.policies.current.filter, lang=lang))
        return {**out, "mode": feature if feature in MODES else "search"}

    def listen(self, wav: Path, lang: str) -> dict[str, Any]:
        voice = self.voice_search()
        if voice is None:
            from device.voice.model import VoiceUnavailable

            raise VoiceUnavailable(self.voice_error or "voice search unavailable")
        return to_plain(call_with(voice.listen_file, wav, policy=self.policies.current.filter, lang=lang))

    def get_text_filter(self) -> Any:
        if self.text_filter is None:
            from filters.engine import TextFilter

            model = self.settings.classifier_path
            self.text_filter = TextFilter.load(model_path=model if model and Path(model).exists() else None)
        return self.text_filter


def _offered(svc: DeviceService) -> dict[str, Any]:
    s = svc.settings
    return {
        "text_filter": svc.get_text_filter(),
        "settings": s,
        "event_sink": svc.events.record,
        "policy": svc.policies.current.filter,
        "provider": s.search_provider,
        "searxng_url": s.searxng_url,
        "timeout_s": s.searxng_timeout_s,
        "model_dir": s.asr_model_dir,
        "care": svc.care,
    }


def _default_search(svc: DeviceService) -> Any:
    cls = _find(SEARCH_MODULES, "SearchPipeline")
    if cls is None:
        raise RuntimeError("device.search.pipeline.SearchPipeline is not installed")
    builder = getattr(cls, "from_settings", None)
    if callable(builder):
        return call_with(builder, **_offered(svc))
    return call_with(cls, **_offered(svc))


def _default_voice(svc: DeviceService) -> Any:
    cls = _find(VOICE_MODULES, "VoiceSearch")
    if cls is None:
        raise RuntimeError("VoiceSearch is not installed")
    offered = {**_offered(svc), "pipeline": svc.search_pipeline(), "search": svc.search_pipeline()}
    builder = getattr(cls, "from_settings", None)
    if callable(builder):
        return call_with(builder, **offered)
    return call_with(cls, **offered)
