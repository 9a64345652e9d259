"""Search pages from the shared cache: the same page for the same question, until the directory,
the taxonomy, the language or the day changes."""

import gzip
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
    with django_assert_num_queries(1):  # the directory's last edit, programs and organizations
        again = client.get(SEARCH)
    assert again.content == first.content and "Mission Recovery" in again.content.decode()
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_kept_page_is_sent_gzipped_as_kept_or_unzipped(client):
    ProgramFactory(name="Mission Recovery")
    first = client.get(SEARCH, headers={"Accept-Encoding": "gzip, deflate, br"})
    zipped = client.get(SEARCH, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(SEARCH)
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == gzip.decompress(first.content) == plain.content
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
    assert "Mission Recovery" in plain.content.decode()


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


def test_junk_parameters_and_their_order_make_no_new_entry(client):
    """A search asked with tracking parameters, repeats or another order is the same page."""
    ProgramFactory(name="Mission Recovery", terms=["medicaid", "outpatient"])
    client.get("/?location=94110&payment=medicaid&level=outpatient")
    before = len(_stored_pages())
    for variant in [
        "/?level=outpatient&payment=medicaid&location=94110",
        "/?location=94110&payment=medicaid&level=outpatient&utm_source=x&fbclid=abc",
        "/?location=94110&payment=medicaid&payment=medicaid&level=outpatient",
        "/?junk1=1&location=94110&level=outpatient&junk2=2&payment=medicaid",
    ]:
        response = client.get(variant)
        assert response.status_code == 200 and "Mission Recovery" in response.content.decode()
    assert len(_stored_pages()) == before


def test_a_stored_page_never_links_to_a_strangers_junk_parameter(client):
    ProgramFactory(terms=["medicaid"])
    first = client.get("/?location=94110&payment=medicaid&evil=planted").content.decode()
    again = client.get("/?location=94110&payment=medicaid").content.decode()
    assert "planted" not in first and "planted" not in again


def test_the_last_of_repeated_single_values_is_the_one_searched(client):
    """radius=5&radius=100 searches 100 miles, as the search reads it; no reordering changes it."""
    wide = page_key(RequestFactory().get("/?location=94110&radius=5&radius=100"))
    assert wide == page_key(RequestFactory().get("/?radius=100&location=94110"))
    assert wide != page_key(RequestFactory().get("/?location=94110&radius=5"))


def test_a_new_search_parameter_is_part_of_the_key_without_editing_the_cache(monkeypatch):
    from finder.filters import ProgramFilter

    monkeypatch.setitem(ProgramFilter.base_filters, "sort", ProgramFilter.base_filters["location"])
    assert page_key(RequestFactory().get("/?location=94110&sort=name")) != page_key(
        RequestFactory().get("/?location=94110")
    )


def test_one_client_adds_a_bounded_number_of_pages(client, settings):
    settings.SEARCH_CACHE_NEW_PAGES_PER_CLIENT = 3
    ProgramFactory(name="Mission Recovery")
    for radius in [5, 10, 25, 50, 100]:
        response = client.get(f"/?location=94110&radius={radius}")
        assert response.status_code == 200 and "Mission Recovery" in response.content.decode()
    assert len(_stored_pages()) == 3
    # Another client's searches are still kept.
    client.get("/?location=94110&radius=100", REMOTE_ADDR="203.0.113.7")
    assert len(_stored_pages()) == 4


def test_an_absurdly_long_search_is_answered_but_not_kept(client):
    ProgramFactory()
    before = len(_stored_pages())
    response = client.get("/?location=94110&level=" + "&level=".join(["outpatient"] * 40))
    assert response.status_code == 200
    many = "&".join(f"payment=x{i}" for i in range(40))
    assert client.get(f"/?location=94110&{many}").status_code < 500
    assert len(_stored_pages()) == before + 1  # the repeats were one value: that one was kept


def _stored_pages() -> list[str]:
    """The page entries in the test cache (local memory)."""
    from django.core.cache import cache

    return [key for key in cache._cache if ":page-gz:" in key]
