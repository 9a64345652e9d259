"""A deployment's first steps: `check --deploy` before the first migrate, strict numbers in the
environment, one definition of each setting, a sensible page after a staff login."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.security.test_production_settings import PRODUCTION, run

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_passes_on_an_empty_database(tmp_path):
    """The API schema's check reads the taxonomy; before migrate there is no table to read."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "CONN_MAX_AGE",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_AGE",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_MINUTES",
        "REDIS_TIMEOUT",
    ],
)
def test_a_number_setting_that_is_not_a_number_is_named_in_the_error(name):
    result = run("manage.py", "check", **PRODUCTION, **{name: "ten"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_each_setting_is_defined_once():
    source = (ROOT / "finder" / "settings.py").read_text()
    assert source.count("\nMAP_TILES_URL =") == 1
    assert source.count("\nMAP_TILES_ATTRIBUTION =") == 1


@pytest.mark.django_db
def test_a_staff_login_with_an_off_site_next_lands_on_the_admin(client, django_user_model):
    django_user_model.objects.create_user("editor", password="a-long-pass-phrase-1", is_staff=True)
    login = f"/{django_settings.ADMIN_URL_PATH}login/"
    response = client.post(
        f"{login}?next=//evil.example/",
        {"username": "editor", "password": "a-long-pass-phrase-1"},
    )
    assert response.status_code == 302
    assert response.url == f"/{django_settings.ADMIN_URL_PATH}"
    assert client.get(response.url).status_code == 200


def gunicorn_config(**env: str) -> dict[str, str]:
    result = run("-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config", "finder.wsgi", **env)
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_gunicorn_runs_several_threaded_workers_sized_from_the_machine():
    config = gunicorn_config()
    assert int(config["workers"]) == 2 * os.cpu_count()
    assert int(config["threads"]) > 1 and config["worker_class"] == "gthread"
    assert int(config["graceful_timeout"]) > 0 and int(config["max_requests"]) > 0
    assert 0 < int(config["max_requests_jitter"]) < int(config["max_requests"])


def test_gunicorn_sizes_can_be_set_in_the_environment():
    config = gunicorn_config(GUNICORN_WORKERS="3", GUNICORN_THREADS="2", GUNICORN_TIMEOUT="45")
    assert (config["workers"], config["threads"], config["timeout"]) == ("3", "2", "45")


@pytest.mark.django_db
def test_the_health_check_answers_plain_http_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
