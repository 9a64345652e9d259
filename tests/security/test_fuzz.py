"""Never a server error on input: generated query strings, path segments and form posts against
every public URL in the URLconf (the search, program pages, and whatever API, guidance or form
pages are added later) get a page or a clear 4xx, never a 500.

The number of generated cases is fixed (BUDGET, shared among the URLs) and derandomized, so a run
is bounded and the same everywhere: a failure here is reproducible with the same command.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finder.filters import ProgramFilter
from tests.public_urls import public_routes

pytestmark = pytest.mark.django_db

ROUTES = public_routes()
# Generated cases per kind of input, shared among the public URLs (at least MINIMUM each).
BUDGET = {"query": 1500, "path": 300, "post": 700}
MINIMUM = 25

# Names the search, the API and common pagination read, and values they accept, so the
# generated input mixes real criteria with garbage and reaches the result pages too.
PARAMETERS = sorted(
    {*ProgramFilter.base_filters, "page", "page_size", "format", "limit", "offset", "cursor"}
    | {"ordering", "search", "q", "lang", "language", "next", "lat", "lng", "latitude", "longitude"}
)
GOOD_VALUES = ["94110", "Denver, CO", "San Francisco", "25", "100", "2", "json", "medicaid"]
GOOD_VALUES += ["outpatient", "residential", "buprenorphine", "spanish", "-1", "0", "1e9"]
# Page numbers past any list, and past PostgreSQL's bigint (an OFFSET once overflowed there).
GOOD_VALUES += ["99999999999999999999", "9223372036854775808", "1000001"]
NASTY_VALUES = ["", "\x00", "%", "%zz", "%00", "%C0%AE", "../../etc/passwd", "' OR 1=1 --"]
NASTY_VALUES += ["<script>alert(1)</script>", "NaN", "inf", "9" * 400, "🙂" * 50, "\u202e\ufeff"]
NASTY_VALUES += ["[]", "{}", "null", "true", "-0", "1.5", "0x1A", "\r\nSet-Cookie: x=1"]


def values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(GOOD_VALUES),
        st.sampled_from(NASTY_VALUES),
        st.text(max_size=40),
        # Long values (up to ~5,000 characters), cheap to generate.
        st.tuples(st.text(min_size=1, max_size=10), st.integers(50, 500)).map(
            lambda t: t[0] * t[1]
        ),
    )


def keys(page_names: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PARAMETERS + page_names), st.text(max_size=20), st.sampled_from(["", "["])
    )


def query_strings(page_names: list[str]) -> st.SearchStrategy[str]:
    """Encoded properly, or raw as a careless client would send it (unicode, stray %, NUL)."""
    pairs = st.lists(st.tuples(keys(page_names), values()), max_size=12)
    encoded = pairs.map(lambda items: urlencode(items))
    raw = pairs.map(lambda items: "&".join(f"{k}={v}" for k, v in items).replace("#", "%23"))
    return st.one_of(encoded, raw)


def path_segments() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(values(), st.sampled_from(["..", ".", "%2F", "%2e%2e"])), max_size=4)


def form_data(page_names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """Form fields by the names the page's own form uses, and others, each maybe repeated."""
    return st.dictionaries(keys(page_names), st.lists(values(), min_size=1, max_size=3))


def field_names(html: bytes) -> list[str]:
    return sorted(set(re.findall(r'name="([^"]+)"', html.decode(errors="replace"))))


def examples(kind: str) -> int:
    return max(MINIMUM, BUDGET[kind] // len(ROUTES))


def fuzz_settings(kind: str):
    return settings(
        max_examples=examples(kind),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def assert_handled(response, request: str) -> None:
    """2xx/3xx, or a 4xx that says what went wrong: never a server error, never a blank page."""
    assert response.status_code < 500, request
    if response.status_code >= 400:
        text = re.sub(r"<[^>]*>", " ", response.content.decode(errors="replace"))
        assert len("".join(text.split())) >= 8, f"{response.status_code}, no message: {request}"


def forget_rate_limits(fresh: bool) -> None:
    """Rate limits and throttles count in the cache: half the cases start afresh, so the
    validation behind a limit is fuzzed as well as the over-the-limit answer."""
    if fresh:
        cache.clear()


@pytest.fixture
def page(client, published_program):
    """The URL of a route with real path parameters, and the field names its page shows."""

    def visit(route):
        url = route.url(published_program)
        return url, field_names(client.get(url).content)

    return visit


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_any_query_string_gets_a_page_or_a_clear_error(client, page, route):
    url, names = page(route)

    @fuzz_settings("query")
    @given(query=query_strings(names), fresh=st.booleans())
    def check(query, fresh):
        forget_rate_limits(fresh)
        assert_handled(client.get(f"{url}?{query}"), f"GET {url}?{query}")

    check()


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_any_path_below_or_instead_of_a_page_gets_a_page_or_a_clear_error(client, page, route):
    url, _names = page(route)
    parent = url.rstrip("/").rsplit("/", 1)[0] + "/"

    @fuzz_settings("path")
    @given(segments=path_segments(), replace=st.booleans(), raw=st.booleans(), fresh=st.booleans())
    def check(segments, replace, raw, fresh):
        forget_rate_limits(fresh)
        tail = "/".join(s if raw else quote(s) for s in segments).replace("?", "%3F")
        target = (parent if replace else url) + tail.replace("#", "%23")
        assert_handled(client.get(target), f"GET {target!r}")

    check()


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_any_form_post_gets_a_page_or_a_clear_error(client, page, route):
    url, names = page(route)

    @fuzz_settings("post")
    @given(data=form_data(names), urlencoded=st.booleans(), fresh=st.booleans())
    def check(data, urlencoded, fresh):
        forget_rate_limits(fresh)
        if urlencoded:
            response = client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
            )
        else:
            response = client.post(url, data)
        assert_handled(response, f"POST {url} {data!r}")

    check()


def test_a_request_with_too_many_fields_gets_our_page_that_says_so(client):
    response = client.get("/?" + "&".join(f"payment={n}" for n in range(2000)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>We could not read that request</h1>" in html
    assert 'href="tel:988"' in html  # our own page, with the crisis line


def test_junk_parameters_add_no_page_to_the_cache(client, published_program):
    """However a search is dressed up with parameters the search does not read, in any order and
    repeated, the shared cache holds one page for it: junk cannot fill Redis."""
    search = [("location", "94110"), ("payment", "medicaid"), ("level", "outpatient")]
    known = {*ProgramFilter.base_filters, "page"}
    junk = st.lists(
        st.tuples(st.text(min_size=1, max_size=20).filter(lambda k: k not in known), values()),
        max_size=8,
    )

    @fuzz_settings("query")
    @given(extra=junk, order=st.permutations(search), repeat=st.integers(1, 3))
    def check(extra, order, repeat):
        query = urlencode([*order * repeat, *extra])
        response = client.get(f"/?{query}")
        assert_handled(response, f"GET /?{query}")
        assert response.status_code == 200
        assert len([key for key in cache._cache if ":page-gz:" in key]) == 1, query

    check()
