"""Portal settings from the environment (prefix KIDSAFE_PORTAL_, plus DATABASE_URL), via pydantic-settings."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    """Everything the portal reads from outside. Defaults suit one home server and the tests."""

    model_config = SettingsConfigDict(env_prefix="KIDSAFE_PORTAL_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/portal/portal.db",
        validation_alias=AliasChoices("DATABASE_URL", "KIDSAFE_PORTAL_DATABASE_URL"),
        description="SQLAlchemy URL; postgresql://... uses psycopg 3",
    )
    secret_key: SecretStr | None = None  # signs CSRF tokens; default: data_dir/secret_key, made once (0600)
    cookie_secure: bool = True  # set false only for plain-HTTP home networks that are not localhost
    session_days: int = 30
    default_language: str = "zh"
    timezone: str = "Asia/Shanghai"  # the zone a new child starts with (each child then has its own)
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    mqtt_username: str | None = None
    mqtt_password: SecretStr | None = None
    mqtt_enabled: bool = True
    mqtt_timeout_s: float = 5.0  # how long a save waits for the broker before saying "not sent yet"
    # Device accounts on the broker (parent_portal/broker_accounts.py); unset: pairing leaves the broker alone.
    broker_passwd_file: Path | None = None  # mosquitto password_file: pairing adds the device, unpairing removes it
    broker_acl_file: Path | None = None  # mosquitto acl_file, rewritten by mqtt_bridge's generator
    broker_pid_file: Path | None = None  # mosquitto pid_file: SIGHUP after a change (reload passwords and ACL)
    broker_operator_users: list[str] = ["operator"]  # roles kept in the rewritten ACL
    broker_cohort: str = "default"  # the update cohort paired devices read bundles from
    # Where devices reach the broker (the pairing answer); unset: mqtt_host / mqtt_port (the portal's own
    # address, right only when devices and portal use the same listener).
    device_broker_host: str | None = None
    device_broker_port: int | None = None
    public_url: str = "http://127.0.0.1:8000"  # what the pairing QR code points at
    password_hashing: Literal["strong", "cheapest"] = "strong"  # cheapest: tests only
    login_max_failures: int = 5  # per account and per address, within login_window_s
    login_window_s: int = 900
    retention_days: int = 90  # reports and events older than this are deleted
    pairing_ttl_s: int = 600
    pairing_starts_per_address: int = 30  # pairing codes one address may ask for in 10 minutes
    data_dir: Path = Path("var/portal")
    signing_key: Path | None = None  # the portal's Ed25519 key (default: data_dir/portal_ed25519.key)

    def secret(self) -> bytes:
        """The CSRF signing secret: the configured one, or one kept in data_dir so every worker shares it."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another worker made it first
                return path.read_text().strip().encode()
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32))
        return path.read_text().strip().encode()

    def signing_key_file(self) -> Path:
        return self.signing_key or self.data_dir / "portal_ed25519.key"

    def sqlalchemy_url(self) -> str:
        """DATABASE_URL as SQLAlchemy wants it: postgres:// and postgresql:// use the psycopg 3 driver."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
