"""Builds the shared service from a profile, for the TUI and the headless CLI alike."""

from __future__ import annotations

from pathlib import Path

from queuetui.api.client import ClientSettings, DeepCallClient
from queuetui.api.models import SessionAuth, TokenAuth
from queuetui.core.audit import AuditLog
from queuetui.core.config import Profile
from queuetui.core.service import BargeService, RateGuard, RetryPolicy


def client_settings(profile: Profile, base_url: str | None = None) -> ClientSettings:
    return ClientSettings(
        base_url=profile.base_url if base_url is None else base_url,
        connect_timeout=profile.connect_timeout,
        read_timeout=profile.read_timeout,
        ca_bundle=profile.ca_bundle or None,
        allow_insecure_http=profile.allow_insecure_http,
    )


def open_service(
    profile_name: str,
    profile: Profile,
    credentials: SessionAuth | TokenAuth,
    audit_path: Path | None,
    *,
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    rate: RateGuard | None = None,
) -> BargeService:
    """Raises UnsafeUrl when the base URL is refused; nothing is sent by building."""
    client = DeepCallClient(client_settings(profile, base_url))
    return BargeService(
        client,
        credentials,
        profile=profile_name,
        audit=AuditLog(audit_path) if audit_path else None,
        retry=retry,
        rate=rate,
        allowed_modes=frozenset(profile.allowed_modes),
    )
