"""Counts that stop at programs.search.COUNT_CAP: "1,000+ programs" on the page, `count` and
`count_is_exact` in the API, pages past the cap still reachable; HSDS's total stays exact.

The cap is lowered to 3 and the page size to 2 so that five programs go past it.
"""

import html

import pytest
from django.urls import reverse

from programs import search
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
API = "/api/v1/programs/"


@pytest.fixture
def five_programs(settings, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    settings.SEARCH_PAGE_SIZE = 2
    settings.SEARCH_CACHE_SECONDS = 0
    # Nearest first: the first four a few hundred yards apart, the last two miles away.
    return [
        ProgramFactory(name=f"Recovery {n}", latitude=37.7509 + n * 0.004, longitude=-122.4153)
        for n in range(4)
    ] + [ProgramFactory(name="Recovery far", latitude=37.80, longitude=-122.4153)]


def test_page_says_more_than_the_cap_and_keeps_paging(client, five_programs):
    response = client.get(SEARCH, {"location": "94110"})
    text = html.unescape(response.content.decode())
    assert "3+ programs within 25 miles of 94110 (San Francisco, CA)" in text
    assert [p.pk for p in response.context["page"]] == [p.pk for p in five_programs[:2]]
    assert 'rel="next"' in text and "Page 1 of" not in text

    second = client.get(SEARCH, {"location": "94110", "page": 2})
    assert [p.pk for p in second.context["page"]] == [p.pk for p in five_programs[2:4]]
    assert 'rel="next"' in second.content.decode()

    # The last page knows how many there are.
    last = client.get(SEARCH, {"location": "94110", "page": 3})
    text = html.unescape(last.content.decode())
    assert [p.pk for p in last.context["page"]] == [five_programs[4].pk]
    assert "5 programs within 25 miles" in text and "Page 3 of 3" in text
    assert 'rel="next"' not in text


def test_a_count_within_the_cap_is_exact(client, five_programs):
    response = client.get(SEARCH, {"location": "94110", "q": "far"})
    assert "1 program within 25 miles" in response.content.decode()
    page = client.get(SEARCH, {"q": "far"}).context["page"]
    assert (page.count, page.count_is_exact) == (1, True)


def test_page_past_the_end_still_says_where_the_end_is(client, five_programs):
    response = client.get(SEARCH, {"location": "94110", "page": 9})
    assert response.status_code == 404
    assert response.context["page"].number == 3


def test_api_count_stops_at_the_cap_and_next_follows_the_results(client, five_programs):
    body = client.get(API, {"location": "94110", "page_size": 2}).json()
    assert (body["count"], body["count_is_exact"]) == (3, False)
    pages = [[r["id"] for r in body["results"]]]
    while body["next"]:
        body = client.get(body["next"]).json()
        pages.append([r["id"] for r in body["results"]])
    assert pages == [[p.pk for p in five_programs[i : i + 2]] for i in (0, 2, 4)]
    assert (body["count"], body["count_is_exact"]) == (5, True)


def test_api_schema_documents_the_capped_count(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    page = schema["components"]["schemas"]["ProgramPage"]
    assert page["properties"]["count_is_exact"]["type"] == "boolean"
    assert "count_is_exact" in page["required"]


def test_hsds_total_items_stays_exact(client, five_programs):
    body = client.get(reverse("hsds-services"), {"per_page": 2}).json()
    assert (body["total_items"], body["total_pages"]) == (5, 3)
