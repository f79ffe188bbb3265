"""Production settings: with HIPCOACH_SECURE=true, Django's deployment checklist finds nothing to warn about."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the checklist rightly refuses.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "HIPCOACH_")) and name not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "hipcoach.settings",
        "HIPCOACH_DATA_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_secure_settings_pass_the_deployment_checklist(tmp_path: Path) -> None:
    result = check_deploy(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org",
        HIPCOACH_SECURE="true",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    # The one silenced: django-ratelimit's "cache backend not officially supported" (settings, test_rate_limits).
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_without_the_switch_the_checklist_names_what_is_missing(tmp_path: Path) -> None:
    # `make run` on http://127.0.0.1 must work, so HTTPS-only settings stay off by default.
    result = check_deploy(tmp_path, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr
