"""Settings read from the environment: the shared cache."""

import importlib

import pytest

import finder.settings


@pytest.fixture
def settings_with(monkeypatch):
    """The settings module as it would load with these environment variables."""

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(finder.settings)

    yield load
    monkeypatch.undo()
    importlib.reload(finder.settings)


def test_redis_url_makes_the_cache_shared_redis(settings_with):
    cache = settings_with(REDIS_URL="redis://127.0.0.1:6379/3").CACHES["default"]
    assert cache == {
        # Django's Redis cache, answering as a miss while Redis is down (finder/cache.py).
        "BACKEND": "finder.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


def test_without_redis_url_the_cache_is_local_memory(settings_with, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    cache = settings_with().CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
