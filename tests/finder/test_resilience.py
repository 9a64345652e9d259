"""The site keeps answering from the database when the shared cache (Redis) is down or hung, and
says so at /healthz; when the database is down, visitors get the friendly 503 page."""

import contextlib
import logging
import socket
import sqlite3
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.db.utils import ConnectionHandler
from django.test import Client
from django.urls import reverse

from finder import cache as resilient
from finder.health import database_unreachable
from programs import taxonomy
from programs.models import Program
from reports.models import ProblemReport
from tests.factories import ProgramFactory
from tests.public_urls import public_routes

pytestmark = pytest.mark.django_db

SEARCH = {"location": "94110", "payment": "medicaid"}


def _closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_server():
    """A Redis that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)  # never accept()ed: the kernel completes the handshake, nobody replies
    yield server.getsockname()[1]
    server.close()


def redis_at(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "finder.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    resilient._down_until.clear()  # every test meets the failure itself


@pytest.fixture(params=["refused", "hung"])
def broken_redis(request, settings):
    port = _closed_port() if request.param == "refused" else request.getfixturevalue("hung_server")
    redis_at(settings, port)
    yield request.param
    resilient._down_until.clear()


@pytest.fixture
def empty_cache():
    """Overrides the suite's: clearing a broken Redis is exactly what cannot be done."""
    yield


@pytest.fixture
def published_program(db):
    return ProgramFactory(terms=["outpatient", "medicaid", "buprenorphine", "spanish"])


def test_every_public_page_answers_from_the_database_with_redis_broken(
    client, broken_redis, published_program
):
    for route in public_routes():
        for url in route.urls(published_program):
            response = client.get(url, SEARCH if route.name == "search" else {})
            assert response.status_code < 500, (url, response.status_code)
            if route.name in {"search", "program-detail", "guide-index"}:
                assert response.status_code == 200, url


def test_search_and_api_results_still_list_programs_with_redis_broken(
    client, broken_redis, published_program
):
    page = client.get("/", SEARCH)
    assert published_program.name in page.content.decode()
    again = client.get("/", SEARCH)  # nothing was cached: worked out again, the same
    assert published_program.name in again.content.decode()
    api = client.get("/api/v1/programs/", SEARCH)
    assert api.status_code == 200 and api.json()["count"] == 1
    assert client.get(f"/api/v1/programs/{published_program.pk}/").status_code == 200
    hsds = client.get("/hsds/services")
    assert hsds.status_code == 200 and hsds.json()["total_items"] == 1
    assert client.get("/hsds/organizations").status_code == 200


def test_a_report_is_stored_with_redis_broken(client, broken_redis, published_program):
    url = reverse("report-problem", kwargs={"slug": published_program.slug})
    response = client.post(url, {"kind": "phone", "details": "Number disconnected"})
    assert response.status_code == 302
    assert ProblemReport.objects.get().details == "Number disconnected"


def test_a_broken_redis_is_logged_once_not_on_every_request(
    client, settings, caplog, published_program, monkeypatch
):
    redis_at(settings, _closed_port())
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 3600)  # however slow this machine is
    with caplog.at_level(logging.WARNING, logger="finder.cache"):
        for _ in range(3):
            assert client.get("/", SEARCH).status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.name == "finder.cache"]
    assert len(warnings) == 1 and "Shared cache unavailable" in warnings[0]


def test_the_cache_answers_as_a_miss_and_refuses_to_count_when_redis_is_down(settings):
    redis_at(settings, _closed_port())
    from django.core.cache import cache

    assert cache.get("anything", "default") == "default"
    assert cache.add("key", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ConnectionError):
        cache.incr("key")


def test_healthz_says_degraded_but_up_when_redis_is_down(client, broken_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_ok_with_the_local_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}
    assert not response.cookies


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch("finder.health._database_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def driver_error(settings_dict: dict, sql: str | None = None) -> OperationalError:
    """The OperationalError Django itself raises connecting to (or running `sql` on) a database."""
    handler = ConnectionHandler({"default": settings_dict})
    database = handler["default"]
    try:
        with pytest.raises(OperationalError) as caught:
            if sql is None:
                database.ensure_connection()
            else:
                with database.cursor() as cursor:
                    cursor.execute(sql)
    finally:
        database.close()
    return caught.value


def postgresql_refused() -> OperationalError:
    """What psycopg and Django raise when nothing listens on PostgreSQL's port."""
    return driver_error(
        {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": _closed_port(),
            "NAME": "finder",
            "USER": "postgres",
            "OPTIONS": {"connect_timeout": 2},
        }
    )


def sqlite_missing_column() -> OperationalError:
    """SQLite's answer to a query for a column a migration that was not run would have added."""
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    return driver_error(sqlite, "SELECT no_such_column FROM sqlite_master")


def sqlite_locked(tmp_path) -> OperationalError:
    """SQLite's "database is locked": another connection holds the write lock past the timeout."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": {"timeout": 0}}
        return driver_error(sqlite, "SELECT * FROM t")
    finally:
        holder.close()


def fails_with(error: OperationalError):
    """Every published-programs query fails with this error."""
    return mock.patch.object(Program.objects, "published", side_effect=error)


def database_down():
    """Every published-programs query fails as it does when PostgreSQL is unreachable."""
    return fails_with(postgresql_refused())


def test_a_database_outage_shows_the_friendly_503_page_not_a_500(client):
    with database_down():
        page = client.get("/", SEARCH)
    assert page.status_code == 503 and page["Retry-After"]
    html = page.content.decode()
    assert "briefly unavailable" in html and 'href="tel:988"' in html


def test_a_database_outage_gives_the_api_a_json_503(client):
    with database_down():
        response = client.get("/api/v1/programs/", SEARCH)
    assert response.status_code == 503
    assert "unavailable" in response.json()["detail"]


def test_an_error_that_is_not_an_outage_is_a_logged_500_not_the_503_page(caplog):
    """A missed migration ("no such column") must not pass for a database outage: waiting will
    not fix it, and the 503 page would hide it from the error log."""
    client = Client(raise_request_exception=False)
    with fails_with(sqlite_missing_column()), caplog.at_level(logging.ERROR):
        page = client.get("/", SEARCH)
        api = client.get("/api/v1/programs/", SEARCH)
    assert page.status_code == 500 and "Retry-After" not in page
    assert api.status_code == 500
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert any("no such column" in str(r.exc_info[1]) for r in logged)
    assert not any(r.name == "finder.health" for r in caplog.records)


def test_the_error_itself_reaches_the_error_handling(client):
    with fails_with(sqlite_missing_column()), pytest.raises(OperationalError, match="no such"):
        client.get("/", SEARCH)


def postgresql_lock_not_available() -> OperationalError:
    """PostgreSQL's 55P03 ("could not obtain lock", NOWAIT): an OperationalError in psycopg."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    raise_it = "DO $$ BEGIN RAISE EXCEPTION 'busy row' USING ERRCODE = '55P03'; END $$"
    with pytest.raises(OperationalError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(raise_it)
    return caught.value


def test_a_postgresql_operational_error_that_is_not_an_outage_is_a_500():
    client = Client(raise_request_exception=False)
    with fails_with(postgresql_lock_not_available()):
        assert client.get("/", SEARCH).status_code == 500


def test_a_refused_postgresql_connection_is_an_outage():
    assert database_unreachable(postgresql_refused())


def test_a_postgresql_connection_lost_mid_request_is_an_outage():
    """The server going away under an open connection ("server closed the connection
    unexpectedly"): here the connection runs through a relay that is then cut."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    real = connection.settings_dict
    relay, sockets = socket.create_server(("127.0.0.1", 0)), []

    def forward(source, target):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)

    def accept_one():
        client, _address = relay.accept()
        server = socket.create_connection((real["HOST"] or "127.0.0.1", real["PORT"] or 5432))
        sockets.extend([client, server])
        for pair in ((client, server), (server, client)):
            threading.Thread(target=forward, args=pair, daemon=True).start()

    threading.Thread(target=accept_one, daemon=True).start()
    database = ConnectionHandler(
        {"default": {**real, "HOST": "127.0.0.1", "PORT": relay.getsockname()[1]}}
    )["default"]
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
        for end in sockets:
            end.shutdown(socket.SHUT_RDWR)
        with pytest.raises(OperationalError) as lost, database.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        database.close()
        relay.close()
    assert database_unreachable(lost.value)


def test_a_locked_sqlite_file_is_an_outage(tmp_path):
    assert database_unreachable(sqlite_locked(tmp_path))


def test_a_missing_column_is_not_an_outage():
    assert not database_unreachable(sqlite_missing_column())


def test_an_error_without_the_drivers_cause_is_not_taken_for_an_outage():
    """Words in a message are not evidence: only the driver's own codes are read."""
    assert not database_unreachable(OperationalError("connection refused"))


@pytest.mark.parametrize(
    ("driver_class", "outage"),
    [
        ("AdminShutdown", True),  # 57P01: the server is shutting down
        ("CannotConnectNow", True),  # 57P03: the server is starting
        ("TooManyConnections", True),  # 53300
        ("ConnectionFailure", True),  # 08006
        ("QueryCanceled", False),  # 57014: one statement ran past statement_timeout
        ("LockNotAvailable", False),  # 55P03
        ("SerializationFailure", False),  # 40001
    ],
)
def test_postgresql_errors_count_as_an_outage_by_their_sqlstate(driver_class, outage):
    psycopg_errors = pytest.importorskip("psycopg.errors")
    error = OperationalError("wrapped")
    error.__cause__ = getattr(psycopg_errors, driver_class)("from the server")
    assert database_unreachable(error) is outage


def test_without_the_cache_a_search_page_reads_the_taxonomy_once(
    client, settings, published_program, django_assert_max_num_queries
):
    """The taxonomy's version lives in the cache; without it a process keeps what it read for a
    few seconds, rather than reading every term again each time a page asks (~30 times)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.get("/", SEARCH)
    with django_assert_max_num_queries(12) as page:
        response = client.get("/", SEARCH)
    assert published_program.name in response.content.decode()
    assert sum("programs_term" in query["sql"] for query in page.captured_queries) <= 1


def test_a_process_started_while_redis_is_down_still_knows_every_term(
    client, broken_redis, published_program, monkeypatch
):
    # As in a new process: nothing read yet. It used to keep its empty taxonomy for the first
    # few seconds, refusing every filter ("medicaid is not a choice we know").
    monkeypatch.setattr(taxonomy, "_current", None)
    page = client.get("/", SEARCH)
    assert "not a choice we know" not in page.content.decode()
    assert published_program.name in page.content.decode()
