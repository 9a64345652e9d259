"""Logs never hold what a visitor searched for: the query string is the search itself."""

import logging

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_log(caplog):
    """runserver's access log does not reach the root logger, so listen on it directly."""
    logger = logging.getLogger("django.server")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_a_not_found_page_is_logged_without_the_search(client, caplog):
    client.get("/programs/no-such-program/", {"location": "Bend, OR", "payment": "medicaid"})
    messages = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert messages == ["Not Found: /programs/no-such-program/"]


def test_the_development_servers_access_log_keeps_the_path_but_not_the_search(server_log):
    # What WSGIRequestHandler.log_request passes for "GET /?location=94110&payment=medicaid".
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.requestline = "GET /?location=94110&payment=medicaid HTTP/1.1"
    handler.log_request(200, 1234)
    assert [record.getMessage() for record in server_log.records] == ['"GET / HTTP/1.1" 200 1234']


def test_every_other_log_line_printed_to_the_console_drops_query_strings():
    """Records from any logger (CSRF failures, apps' own warnings) pass the console's filter."""
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    record = logging.LogRecord(
        "django.security.csrf",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (%s): %s",
        ("no token", "/report/?location=94110"),
        None,
    )
    assert console.filter(record)
    assert record.getMessage() == "Forbidden (no token): /report/"
