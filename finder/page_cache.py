"""Search pages are the same for everyone who asks the same thing on the same day, until staff
change the directory. So a page is kept in the shared cache under a key made of exactly those,
and a popular search (a city's ZIP code, "Medicaid") is worked out once rather than on every
request. Nothing in the page is personal: no CSRF token, no user, no per-request nonce.

The key holds a hash of the path and query, never the query itself; no address is stored.

Only canonical search URLs get a key, so junk cannot fill the cache. Before the cache, the query
is reduced to the search's own parameters (those of finder.filters.ProgramFilter, plus "page";
a new search parameter is picked up from there) in the FilterSet's order, each list sorted
without repeats, each single value its last one (as the search reads it); the view then renders
from that same canonical query, so a stored page never carries a stranger's junk parameter in
its links.
Unknown parameters are dropped rather than answered 400: links shared from other sites carry
tracking parameters (utm_source, fbclid) and a person following one should get the page.

The bound: a page is stored only if the view answered 200 (a valid search), its canonical query
is under MAX_QUERY_LENGTH with at most MAX_VALUES values per parameter, and its client has stored
fewer than SEARCH_CACHE_NEW_PAGES_PER_CLIENT new pages this minute (a client as the API's
throttle sees it: set API_NUM_PROXIES behind a load balancer). So one client holds at most
SEARCH_CACHE_NEW_PAGES_PER_CLIENT × SEARCH_CACHE_SECONDS / 60 pages at any time (60 × 2 = 120
pages of 20–50 KB, under 6 MB at the defaults) whatever it sends; beyond that its pages are
worked out and served but not kept. Redis's own maxmemory with allkeys-lru bounds all clients
together (see docs/deploying.md).

A page is kept gzipped (a results page: ~60 KB, ~10 KB gzipped) and sent as it is kept to the
browsers that accept gzip, all of them: compressing it again on every hit was a third of a
hit's time. A client that does not accept gzip gets it unzipped.
"""

import gzip
import hashlib
import re
from functools import wraps

import django_filters
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from rest_framework.throttling import BaseThrottle

from finder.filters import ProgramFilter
from programs import taxonomy
from programs.querysets import directory_last_modified

MAX_QUERY_LENGTH = 1000  # characters of canonical query; a person's search is far shorter
MAX_VALUES = 30  # values of one parameter: every term of the largest facet, with room to spare


def cached_search_page(view):
    """Serve the view's 200 answers to GETs from the cache for SEARCH_CACHE_SECONDS (0: off)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.SEARCH_CACHE_SECONDS
        if not seconds or request.method != "GET":
            return view(request, *args, **kwargs)
        query = canonical_query(request.GET)
        if query is None:  # past the bound: answered, not kept
            return view(request, *args, **kwargs)
        request.GET, request.META["QUERY_STRING"] = QueryDict(query), query
        key = page_key(request)
        kept = cache.get(key)
        if kept is not None:
            return _answer(request, kept)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and _may_store_one_more(request):
            cache.set(key, gzip.compress(response.content, mtime=0), seconds)
        return response

    return wrapper


ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as django.middleware.gzip reads Accept-Encoding


def _answer(request, kept: bytes) -> HttpResponse:
    """A kept page, gzipped as kept when the client accepts it (GZipMiddleware then leaves it)."""
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(gzip.decompress(kept))
    else:
        response = HttpResponse(kept, headers={"Content-Encoding": "gzip"})
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def page_key(request) -> str:
    """What a page depends on: the URL, the language, the day ("verified 3 days ago"), the last
    edit of any listing (publishing and archiving are edits) and the taxonomy's version."""
    parts = [
        request.path + "?" + (canonical_query(request.GET) or ""),
        get_language(),
        timezone.localdate().isoformat(),
        str(directory_last_modified()),
        str(taxonomy.current().version),
    ]
    return "page-gz:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def canonical_query(query: QueryDict) -> str | None:
    """The search's own parameters, sorted and without repeats; None past the bound."""
    filters = ProgramFilter.base_filters
    canonical = QueryDict(mutable=True)
    # In the search form's order (location first, as a person reads it), then the page.
    for name in [name for name in [*filters, "page"] if name in query]:
        values = query.getlist(name)
        if isinstance(filters.get(name), django_filters.MultipleChoiceFilter):
            values = sorted(set(values))  # "any of these": order and repeats change nothing
            if len(values) > MAX_VALUES:
                return None
        else:
            values = values[-1:]  # the one the search reads
        canonical.setlist(name, values)
    encoded = canonical.urlencode()
    return encoded if len(encoded) <= MAX_QUERY_LENGTH else None


def _may_store_one_more(request) -> bool:
    """Count a new page from this client this minute; False past the limit (or when
    the cache cannot count: nothing is stored then anyway)."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"page-adds:{BaseThrottle().get_ident(request)}:{minute}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) <= settings.SEARCH_CACHE_NEW_PAGES_PER_CLIENT
    except (ValueError, ConnectionError):
        return False
