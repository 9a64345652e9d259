"""Search pages from the shared cache: the same page for the same question, until the directory,
the taxonomy, the language or the day changes."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import RequestFactory
from django.utils import timezone

from finder.page_cache import page_key
from programs import services
from programs.models import Term
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
SEARCH = "/?location=94110"


def test_a_repeated_search_is_answered_from_the_cache(client, django_assert_num_queries):
    ProgramFactory(name="Mission Recovery")
    first = client.get(SEARCH)
    with django_assert_num_queries(2):  # the directory's last edit: programs, organizations
        again = client.get(SEARCH)
    assert again.content == first.content and "Mission Recovery" in again.content.decode()
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_staff_edit_shows_on_the_next_search(client):
    program = ProgramFactory(name="Mission Recovery")
    client.get(SEARCH)
    program.name = "Mission Recovery Center"
    program.save()
    assert "Mission Recovery Center" in client.get(SEARCH).content.decode()


def test_an_archived_listing_leaves_the_next_search(client):
    program = ProgramFactory(name="Mission Recovery")
    assert "Mission Recovery" in client.get(SEARCH).content.decode()
    services.set_status(programs=type(program).objects.filter(pk=program.pk), status="archived")
    assert "Mission Recovery" not in client.get(SEARCH).content.decode()


def test_a_renamed_term_shows_on_the_next_search(client):
    ProgramFactory(terms=["medicaid"])
    client.get(SEARCH)
    medicaid = Term.objects.get(code="medicaid")
    medicaid.label_en = "Medicaid (any state plan)"
    medicaid.save()
    assert "Medicaid (any state plan)" in client.get(SEARCH).content.decode()


def test_each_language_and_each_day_has_its_own_page(client):
    ProgramFactory(last_verified=timezone.localdate())
    english = client.get(SEARCH).content.decode()
    assert "Listing verified today" in english
    assert "Listing verified today" not in client.get("/es" + SEARCH).content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with mock.patch.object(timezone, "localdate", return_value=tomorrow):
        assert "Listing verified 1\xa0day ago" in client.get(SEARCH).content.decode()


def test_the_cache_can_be_turned_off(client, settings, django_assert_max_num_queries):
    settings.SEARCH_CACHE_SECONDS = 0
    ProgramFactory()
    client.get(SEARCH)
    with django_assert_max_num_queries(10) as again:
        client.get(SEARCH)
    assert len(again.captured_queries) > 2  # the search itself ran again


def test_the_key_holds_no_search_in_the_clear():
    key = page_key(RequestFactory().get(SEARCH + "&payment=medicaid"))
    assert "94110" not in key and "medicaid" not in key
