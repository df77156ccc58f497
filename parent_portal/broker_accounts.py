"""Device accounts on the broker: pairing adds the device's user name and password to mosquitto's
password file, rewrites the ACL (mqtt_bridge's generator: a device reads and writes only its own
topics) and makes mosquitto reload both (SIGHUP to the pid in its pid file); unpairing removes the
user, so the device is refused from then on.

Off when `KIDSAFE_PORTAL_BROKER_PASSWD_FILE` is not set (an anonymous test broker, the demo's
embedded broker). Several portal workers may pair at once: a lock file serialises the writes.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mqtt_bridge.broker.acl import remove_password, set_password, write_acl
from parent_portal.settings import PortalSettings

log = logging.getLogger(__name__)


class BrokerAccountError(RuntimeError):
    """The broker's files could not be written; the pairing or unpairing did not happen."""


class BrokerAccounts:
    def __init__(self, passwd_file: Path, acl_file: Path | None, pid_file: Path | None, portal_users: list[str],
                 operator_users: list[str], cohort: str) -> None:
        self.passwd_file = passwd_file
        self.acl_file = acl_file
        self.pid_file = pid_file
        self.portal_users = portal_users
        self.operator_users = operator_users
        self.cohort = cohort

    @classmethod
    def from_settings(cls, settings: PortalSettings) -> BrokerAccounts | None:
        if settings.broker_passwd_file is None:
            return None
        return cls(settings.broker_passwd_file, settings.broker_acl_file, settings.broker_pid_file,
                   [settings.mqtt_username or "portal"], list(settings.broker_operator_users), settings.broker_cohort)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.passwd_file.with_name(self.passwd_file.name + ".lock")
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def add(self, device_id: str, password: str, paired_ids: Iterable[str]) -> None:
        """Give the device its broker login; `paired_ids` are every paired device (this one included)."""
        try:
            with self._locked():
                set_password(self.passwd_file, device_id, password)
                self._write_acl(paired_ids)
        except Exception as exc:  # OSError, subprocess.CalledProcessError, RuntimeError (no mosquitto_passwd)
            raise BrokerAccountError(f"could not add {device_id} to the broker: {exc}") from exc
        self.reload()

    def remove(self, device_ids: Iterable[str], paired_ids: Iterable[str]) -> None:
        """Take the devices' logins away; `paired_ids` are the devices that stay."""
        try:
            with self._locked():
                for device_id in device_ids:
                    remove_password(self.passwd_file, device_id)
                self._write_acl(paired_ids)
        except Exception as exc:  # OSError, subprocess.CalledProcessError, RuntimeError
            raise BrokerAccountError(f"could not remove devices from the broker: {exc}") from exc
        self.reload()

    def _write_acl(self, paired_ids: Iterable[str]) -> None:
        if self.acl_file is None:
            return
        devices = {device_id: self.cohort for device_id in paired_ids}
        tmp = self.acl_file.with_name(self.acl_file.name + ".tmp")
        write_acl(tmp, devices, portal_users=self.portal_users, operator_users=self.operator_users)
        os.replace(tmp, self.acl_file)  # mosquitto never reads a half-written ACL

    def reload(self) -> bool:
        """SIGHUP: mosquitto re-reads the password and ACL files (and drops clients they no longer allow)."""
        if self.pid_file is None:
            log.warning("broker accounts changed; no broker pid file configured, so the broker was not reloaded")
            return False
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, signal.SIGHUP)
        except (OSError, ValueError) as exc:
            log.error("broker accounts changed but the broker could not be reloaded (%s): %s", self.pid_file, exc)
            return False
        return True
