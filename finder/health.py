"""How the site answers when a part of it is down.

/healthz is for a load balancer: 200 while the database answers (the cache being down only makes
the site "degraded": pages come from the database, see finder/cache.py), 503 when it does not.
It shows no data, sets no cookie, reads no session and is never cached.

While the database is unreachable every other page gets the friendly 503 page (or a JSON 503 from
the APIs) with Retry-After, rather than the 500 page: a visitor is told to try again in a minute
and still sees 988 and the overdose steps. Only an unreachable or lost database gets it: other
operational errors (SQLite's "no such column" after a missed migration, a lock PostgreSQL refuses)
are bugs that waiting will not fix, so they stay 500s, logged with their traceback.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# PostgreSQL's SQLSTATEs for "the server cannot be reached or will not take us now": class 08
# (connection exception), class 53 (insufficient resources: 53300 too many connections), and
# 57P01-57P05 (admin or crash shutdown, "cannot connect now" while starting, database dropped,
# idle session timeout). Not 57014, a statement timeout: that is one slow query, not an outage.
_UNREACHABLE_SQLSTATE = re.compile(r"^(08|53|57P0[1-5])")
# SQLite's primary result codes for the same: SQLITE_BUSY (another writer held the file past the
# busy timeout), SQLITE_IOERR, SQLITE_CANTOPEN. "no such column" is SQLITE_ERROR (1): a bug.
_UNREACHABLE_SQLITE_CODES = {5, 10, 14}


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_state() -> str:
    ping = getattr(cache, "ping", None)
    if ping is None:  # this process's memory (development, tests): nothing to lose
        return "local"
    return "ok" if ping() else "down"


def database_unreachable(error: BaseException) -> bool:
    """Whether a database error means the database is down or lost, rather than a bug.

    Reads the driver's own error, which Django keeps as the cause: psycopg's SQLSTATE, where a
    failure with none is libpq's own (connection refused, server closed the connection, connect
    timeout), or SQLite's result code. An error without a driver's cause is not assumed to be an
    outage.
    """
    if not isinstance(error, OperationalError):
        return False  # InterfaceError is psycopg's "the cursor is closed": a programming error
    cause = error.__cause__
    if hasattr(cause, "sqlite_errorcode"):
        return cause.sqlite_errorcode & 0xFF in _UNREACHABLE_SQLITE_CODES
    if hasattr(cause, "sqlstate"):  # psycopg
        return cause.sqlstate is None or bool(_UNREACHABLE_SQLSTATE.match(cause.sqlstate))
    return False


@never_cache
def healthz(request):
    """{"status": "ok" | "degraded" | "down", "database": …, "cache": …}; 503 only when down."""
    database = "ok" if _database_ok() else "down"
    cache_state = _cache_state()
    status = "down" if database == "down" else "degraded" if cache_state == "down" else "ok"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache_state},
        status=503 if status == "down" else 200,
    )


class DatabaseUnavailableMiddleware:
    """Turns "the database cannot be reached" into a 503 with Retry-After instead of a 500.

    Any other error passes on to Django's 500 handling (logged by django.request).
    """

    api = re.compile(settings.API_URLS_REGEX)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        # Django drops the broken connection when the request ends; the next one reconnects.
        logger.error("Database unavailable: %s", exception)
        if self.api.match(request.path_info):
            response = JsonResponse(
                {"detail": _("The directory is briefly unavailable. Please try again soon.")},
                status=503,
            )
        else:
            try:
                response = render(request, "503.html", status=503)
            except Exception:  # the page itself needed the database: plain words still help
                response = HttpResponse(
                    "The directory is briefly unavailable. Please try again in a minute. "
                    "In crisis? Call or text 988.",
                    content_type="text/plain; charset=utf-8",
                    status=503,
                )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
