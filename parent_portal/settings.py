"""Portal settings from the environment (prefix KIDSAFE_PORTAL_, plus DATABASE_URL), via pydantic-settings."""

from __future__ import annotations

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
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    cookie_secure: bool = True  # set false only for plain-HTTP home networks that are not localhost
    session_days: int = 30
    default_language: str = "zh"
    timezone: str = "Asia/Shanghai"  # the families' local time (night window, "today")
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    mqtt_username: str | None = None
    mqtt_password: SecretStr | None = None
    mqtt_enabled: bool = True
    public_url: str = "http://127.0.0.1:8000"  # what the pairing QR code points at
    password_hashing: Literal["strong", "cheapest"] = "strong"  # cheapest: tests only
    login_max_failures: int = 5  # per account and per address, within login_window_s
    login_window_s: int = 900
    retention_days: int = 90  # reports and events older than this are deleted
    pairing_ttl_s: int = 600
    data_dir: Path = Path("var/portal")

    def sqlalchemy_url(self) -> str:
        """DATABASE_URL as SQLAlchemy wants it: postgres:// and postgresql:// use the psycopg 3 driver."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
