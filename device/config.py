"""Device settings: where the device keeps its data, models and policy.

Values come from environment variables (KIDSAFE_*), else sensible defaults. The data folder
holds the usage database, the event log, the active policy and installed ASR models; it is created
0700 and its files 0600 (the child's data). KIDSAFE_USAGE_MIRROR and KIDSAFE_TIME_SEAL put the second
and third copies of the usage counters elsewhere (e.g. a partition the child-facing side cannot write).
KIDSAFE_PAIRING_FILE names the pairing state the page shows (default: the device image's
/data/kidsafe/pairing/pairing.json). KIDSAFE_HELP_LINES (an operator's help-line file) and KIDSAFE_REGION
(e.g. CN, GB, US) choose the help lines shown to a child at risk (device/care.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Where the device image's firstboot.py / pair.py write the pairing state (firmware_images Layout.pairing_dir).
PAIRING_FILE_ON_DEVICE = Path("/data/kidsafe/pairing/pairing.json")


def _default_home() -> Path:
    env = os.environ.get("KIDSAFE_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "kidsafe"


@dataclass(slots=True)
class DeviceSettings:
    home: Path = field(default_factory=_default_home)
    device_id: str = field(default_factory=lambda: os.environ.get("KIDSAFE_DEVICE_ID", "dev-0001"))
    asr_model_dir: Path | None = None
    policy_path: Path | None = None
    classifier_path: Path | None = None
    search_provider: str = field(default_factory=lambda: os.environ.get("KIDSAFE_SEARCH", "local"))
    searxng_url: str = field(
        default_factory=lambda: os.environ.get("KIDSAFE_SEARXNG_URL", "http://127.0.0.1:8888")
    )
    searxng_timeout_s: float = 3.0
    api_host: str = "127.0.0.1"
    api_port: int = field(default_factory=lambda: int(os.environ.get("KIDSAFE_DEVICE_PORT", "8090")))
    # Time zone of the device day when the policy names none (set by the firmware image, not the child).
    timezone: str | None = field(default_factory=lambda: os.environ.get("KIDSAFE_TZ") or None)
    usage_flush_s: float = field(default_factory=lambda: float(os.environ.get("KIDSAFE_USAGE_FLUSH_S", "5")))
    policy_poll_s: float = 1.0
    # Second copy of the usage counters; a firmware image may put it on another partition.
    usage_mirror_path: Path | None = field(
        default_factory=lambda: Path(os.environ["KIDSAFE_USAGE_MIRROR"]) if os.environ.get("KIDSAFE_USAGE_MIRROR")
        else None
    )

    # Rate limits of the child's API: 1 = the defaults in device/api.py, 0 = off (benchmarks only).
    api_rate_scale: float = field(default_factory=lambda: float(os.environ.get("KIDSAFE_API_RATE_SCALE", "1")))
    # Third copy (time high-water mark + today's usage): on a partition the child-facing side cannot write.
    time_seal_path: Path | None = field(
        default_factory=lambda: Path(os.environ["KIDSAFE_TIME_SEAL"]) if os.environ.get("KIDSAFE_TIME_SEAL")
        else None
    )

    # Help lines for a child at risk (device/care.py): an operator's file over the shipped ones, and the region
    # to use (else from the time zone, else the file's default). Checked at start: a bad file stops the device.
    help_lines_path: Path | None = field(
        default_factory=lambda: Path(os.environ["KIDSAFE_HELP_LINES"]) if os.environ.get("KIDSAFE_HELP_LINES")
        else None
    )
    region: str | None = field(default_factory=lambda: os.environ.get("KIDSAFE_REGION") or None)

    # pairing.json written by the device image's firstboot/pair scripts (read-only here; device/pairing.py)
    pairing_path: Path = field(default_factory=lambda: Path(
        os.environ.get("KIDSAFE_PAIRING_FILE") or PAIRING_FILE_ON_DEVICE))

    def __post_init__(self) -> None:
        self.home = Path(self.home)
        if self.asr_model_dir is None:
            env = os.environ.get("KIDSAFE_ASR_MODEL")
            self.asr_model_dir = Path(env) if env else self.home / "asr" / "current"
        if self.policy_path is None:
            env = os.environ.get("KIDSAFE_POLICY")
            self.policy_path = Path(env) if env else self.home / "policy.json"
        if self.classifier_path is None:
            env = os.environ.get("KIDSAFE_MODEL")
            if env:
                self.classifier_path = Path(env)
            else:
                from models import MODEL_PATH

                self.classifier_path = MODEL_PATH

    @property
    def usage_db(self) -> Path:
        return self.home / "usage.sqlite3"

    @property
    def usage_mirror_db(self) -> Path:
        return self.usage_mirror_path or self.home / ".usage-mirror.sqlite3"

    @property
    def time_seal(self) -> Path:
        return self.time_seal_path or self.home / ".time-seal.json"

    @property
    def policy_active(self) -> Path:
        """The last policy that validated; enforced after a restart when policy.json is broken."""
        return self.home / "policy.active.json"

    @property
    def events_db(self) -> Path:
        return self.home / "events.sqlite3"

    def ensure_dirs(self) -> None:
        """The data folder holds the child's data (usage, events, policy): owner only (0700)."""
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self.home.chmod(0o700)
        except OSError:  # e.g. a folder owned by another user: its owner decides
            pass
