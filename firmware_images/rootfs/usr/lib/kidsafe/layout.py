"""Where the device image keeps what (shared by firstboot.py, factory_reset.py and seal_guard.py).

The root file system is read-only; everything that changes lives on the data partition (/data).
`root` prefixes every path so the scripts can be tested in a temporary tree on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "kidsafe"


@dataclass(frozen=True)
class Layout:
    root: Path = Path("/")

    def p(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    # -- child data: wiped by a factory reset --------------------------------------------
    @property
    def home(self) -> Path:  # KIDSAFE_HOME: usage, events, policy, fleet sets, agent outbox
        return self.p("/data/kidsafe/home")

    @property
    def mirror_dir(self) -> Path:  # KIDSAFE_USAGE_MIRROR's folder
        return self.p("/data/kidsafe/mirror")

    @property
    def seal_dir(self) -> Path:  # KIDSAFE_TIME_SEAL's folder: written by the device service
        return self.p("/data/kidsafe/seal")

    @property
    def guard_dir(self) -> Path:  # root-only copy of the seal (seal_guard.py); the service cannot write it
        return self.p("/data/kidsafe/guard")

    @property
    def cache_dir(self) -> Path:  # KIDSAFE_CACHE_DIR: built word-pack matchers
        return self.p("/data/kidsafe/cache")

    @property
    def pairing_dir(self) -> Path:  # pairing code and the parent's portal key
        return self.p("/data/kidsafe/pairing")

    @property
    def journal_dir(self) -> Path:  # the system journal (may hold what the child searched)
        return self.p("/data/log/journal")

    def child_data(self) -> list[Path]:
        return [self.home, self.mirror_dir, self.seal_dir, self.guard_dir, self.cache_dir, self.pairing_dir,
                self.journal_dir]

    # -- kept by a factory reset: the device itself --------------------------------------
    @property
    def identity_dir(self) -> Path:  # device id, MQTT credentials, fleet root (root:kidsafe 0750)
        return self.p("/data/kidsafe/identity")

    @property
    def models_dir(self) -> Path:  # installed ASR models (`kidsafe models install-asr --home`)
        return self.p("/data/kidsafe/models")

    @property
    def state_dir(self) -> Path:  # provisioning marker and reports
        return self.p("/data/kidsafe/state")

    @property
    def provisioned_marker(self) -> Path:
        return self.state_dir / "provisioned.json"

    @property
    def reset_request(self) -> Path:  # `kidsafe-factory-reset` on the boot partition, or this file
        return self.state_dir / "factory-reset-requested"

    @property
    def boot_reset_flag(self) -> Path:
        return self.p("/boot/firmware/kidsafe-factory-reset")

    @property
    def provisioning_file(self) -> Path:
        return self.p("/boot/firmware/kidsafe-provisioning.json")
