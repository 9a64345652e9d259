"""Search pages are the same for everyone who asks the same thing on the same day, until staff
change the directory. So a page is kept in the shared cache under a key made of exactly those,
and a popular search (a city's ZIP code, "Medicaid") is worked out once rather than on every
request. Nothing in the page is personal: no CSRF token, no user, no per-request nonce.

The key holds a hash of the path and query, never the query itself; no address is stored.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from programs import taxonomy
from programs.querysets import directory_last_modified


def shared_page(view):
    """Serve the view's 200 answers to GETs from the cache for SEARCH_CACHE_SECONDS (0: off)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.SEARCH_CACHE_SECONDS
        if not seconds or request.method != "GET":
            return view(request, *args, **kwargs)
        key = page_key(request)
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, seconds)
        return response

    return wrapper


def page_key(request) -> str:
    """What a page depends on: the URL, the language, the day ("verified 3 days ago"), the last
    edit of any listing (publishing and archiving are edits) and the taxonomy's version."""
    parts = [
        request.get_full_path(),
        get_language(),
        timezone.localdate().isoformat(),
        str(directory_last_modified()),
        str(taxonomy.current().version),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
