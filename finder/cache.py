"""The shared cache (Redis) as something the site can lose.

Everything the cache holds can be worked out again from the database: search pages, the
taxonomy's version, the API's request counts, the report form's counts. So when Redis refuses,
or accepts and never answers, each operation answers as a miss (get → the default, add/set →
False) after at most the short socket timeouts set in settings, and the pages are served from
the database. One place decides this, so the callers need no try/except of their own.

After a failure this process stops asking Redis for RETRY_SECONDS: a hung Redis then costs one
timeout per process every few seconds, not one per cache call (a search page makes several).
The failure is logged once per retry interval, not once per request.

Who uses it: the search page cache (finder/page_cache.py), the taxonomy's version
(programs/taxonomy.py: without it a process keeps its copy a few seconds), DRF's API throttle
(a miss reads as "no requests yet", so the API answers, unthrottled, while Redis is down) and the
report form's limit. django-axes keeps its login failures in the database and sessions are in
the database, so neither depends on Redis.

incr() is the exception: a count that cannot be kept must not read as "1", so it raises
CacheUnavailable, a ConnectionError, which the report form's limiter catches (reports cannot
import the project package) and counts in this process instead.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# How long a process leaves Redis alone after a failure before trying it again.
RETRY_SECONDS = 5.0

# What "Redis is down or hung" looks like from redis-py; OSError covers a reset socket.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class CacheUnavailable(ConnectionError):
    """The cache could not be reached, so it could not count."""


# Shared by the backend instances of one process (Django makes one per thread), keyed by the
# server's address: the monotonic time until which that server is left alone.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def _location(servers) -> str:
    return ",".join(servers)


class _OneClientPerPool(RedisCacheClient):
    """Django's Redis client, which makes a new redis.Redis for every cache call; building one
    (its table of ~160 reply handlers) was a tenth of a page-cache hit. One per connection pool
    is kept instead: a redis.Redis is safe to share, the pool hands each call its connection."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as a miss while Redis is down or hung."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def is_available(self) -> bool:
        """False while this process is leaving Redis alone after a failure."""
        return time.monotonic() >= _down_until.get(_location(self._servers), 0.0)

    def _failed(self, error: Exception) -> None:
        location = _location(self._servers)
        with _lock:
            already_down = time.monotonic() < _down_until.get(location, 0.0)
            _down_until[location] = time.monotonic() + RETRY_SECONDS
        if not already_down:
            logger.warning(
                "Shared cache unavailable (%s: %s); serving from the database, retrying in %ss",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )

    def _attempt(self, operation, miss, *args, **kwargs):
        if not self.is_available():
            return miss
        try:
            return operation(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(error)
            return miss

    def ping(self) -> bool:
        """True if Redis answers now (the health check); always asks, even while backing off."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNAVAILABLE as error:
            self._failed(error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().set, False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to be set.
        return self._attempt(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._attempt(super().delete_many, None, keys, version)

    def clear(self):
        return self._attempt(super().clear, False)

    def incr(self, key, delta=1, version=None):
        if not self.is_available():
            raise CacheUnavailable("the shared cache is unavailable")
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._failed(error)
            raise CacheUnavailable(str(error)) from error
