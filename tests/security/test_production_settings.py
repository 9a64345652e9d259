"""Production settings, checked the way a deployment starts: in a fresh process, from the
environment variables the README documents."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Kq-2vLp9_Rm4Tz8Wc1Yb6Nd3Hf5Jg0Sa-Ue7Io2Pk9Ql4Xr1Vt8My6Bn3Cw5Dz0",
    "ALLOWED_HOSTS": "finder.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://finder.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION and not key.startswith(("DJANGO_", "SECURE_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_no_warning_under_production_settings(tmp_path):
    # A migrated database, as in a deployment: the API's schema check reads the taxonomy.
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}"}
    assert run("manage.py", "migrate", **env).returncode == 0
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_deploy_check_warns_when_https_protections_are_turned_off():
    """The check above can fail: switching the defaults off shows the warnings it looks for."""
    result = run(
        "manage.py",
        "check",
        "--deploy",
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
    )
    assert "security.W008" in result.stderr  # SSL redirect
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W012" in result.stderr  # session cookie


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "Set SECRET_KEY: the development key is refused when DEBUG is off."),
        ("ALLOWED_HOSTS", "Set ALLOWED_HOSTS (comma-separated) when DEBUG is off."),
    ],
)
def test_production_refuses_to_start_without_a_secret_key_or_allowed_hosts(missing, message):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = run("manage.py", "check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_admin_is_served_under_the_path_the_setting_names():
    result = run(
        "-c",
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))",
        DJANGO_SETTINGS_MODULE="finder.settings",
        ADMIN_URL_PATH="staff-7f3a",
    )
    assert result.stdout.strip() == "/staff-7f3a/", result.stderr
