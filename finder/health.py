"""How the site answers when a part of it is down.

/healthz is for a load balancer: 200 while the database answers (the cache being down only makes
the site "degraded": pages come from the database, see finder/cache.py), 503 when it does not.
It shows no data, sets no cookie, reads no session and is never cached.

While the database is unreachable every other page gets the friendly 503 page (or a JSON 503 from
the APIs) with Retry-After, rather than the 500 page: a visitor is told to try again in a minute
and still sees 988 and the overdose steps.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


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
    """Turns "the database cannot be reached" into a 503 with Retry-After instead of a 500."""

    api = re.compile(settings.API_URLS_REGEX)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
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
