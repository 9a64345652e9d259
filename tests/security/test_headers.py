"""Every public page tells the browser to load nothing from third parties but the map tiles, to
never be framed, and to keep location, camera and microphone off limits; and sets no cookie."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from finder.settings import _source
from tests.public_urls import public_routes

pytestmark = pytest.mark.django_db

ROUTES = public_routes()
SEARCH = {"location": "94110", "payment": "medicaid"}


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def visits(client, route, program):
    """GET a route in each language, with a search's query string, as an anonymous visitor."""
    return [client.get(url, SEARCH) for url in route.urls(program)]


def test_the_url_walker_finds_the_search_and_the_program_pages_but_not_the_admin():
    names = {route.name for route in ROUTES}
    assert {"search", "program-detail"} <= names
    assert not any(route.route.startswith(settings.ADMIN_URL_PATH) for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_every_public_page_sends_a_strict_content_security_policy(client, published_program, route):
    for response in visits(client, route, published_program):
        assert_strict_policy(csp_directives(response))


def assert_strict_policy(directives):
    tiles = "{0.scheme}://{0.netloc}".format(urlsplit(settings.MAP_TILES_URL))
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:", tiles]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] in (["'none'"], ["'self'"])
    everything = " ".join(value for values in directives.values() for value in values)
    assert "unsafe-inline" not in everything
    assert "unsafe-eval" not in everything
    # Only our own origin and the tile host: no analytics, fonts or script CDNs.
    hosts = {value for value in everything.split() if "://" in value or value.endswith(":")}
    assert hosts <= {tiles, "data:"}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_every_public_page_sends_the_privacy_and_framing_headers(client, published_program, route):
    for response in visits(client, route, published_program):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
        permissions = dict(
            item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
        )
        assert permissions["geolocation"] == "(self)"
        assert permissions["camera"] == permissions["microphone"] == "()"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route)
def test_public_pages_set_no_cookie_but_a_forms_csrf_token(client, published_program, route):
    """No session, no tracking: a visit leaves nothing behind that links it to the next one.

    The only cookie allowed is the CSRF token of a page with a form to post, and it lasts only
    as long as the browser is open.
    """
    for response in visits(client, route, published_program):
        has_post_form = re.search(rb"<form[^>]*method=[\"']?post", response.content, re.I)
        allowed = {settings.CSRF_COOKIE_NAME} if has_post_form else set()
        assert set(response.cookies) <= allowed
        for cookie in response.cookies.values():
            assert not cookie["max-age"] and not cookie["expires"]


def test_a_configured_tile_server_becomes_the_only_image_host_allowed():
    assert _source("https://tiles.example.org/{z}/{x}/{y}.png") == "https://tiles.example.org"
    assert _source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
