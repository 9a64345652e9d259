import re

import pytest
from django.urls import reverse

from programs.models import Program
from tests.factories import OAKLAND, SACRAMENTO, ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def result_names(response) -> list[str]:
    return [p.name for p in response.context["page"]]


def test_home_page_shows_the_form_and_no_results_until_asked(client):
    ProgramFactory()
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert 'name="location"' in response.content.decode()


def test_zip_search_lists_programs_nearest_first_with_miles(client):
    ProgramFactory(name="Sacramento Recovery", **SACRAMENTO)
    ProgramFactory(name="Oakland Recovery", **OAKLAND)
    ProgramFactory(name="Mission Recovery")
    response = client.get(SEARCH, {"location": "94110", "radius": "100"})
    assert result_names(response) == ["Mission Recovery", "Oakland Recovery", "Sacramento Recovery"]
    html = response.content.decode()
    assert "3 programs within 100 miles of 94110 (San Francisco, CA)" in html
    assert re.search(r"\d+\.\d miles away", html)


def test_default_radius_is_25_miles(client):
    ProgramFactory(name="Oakland Recovery", **OAKLAND)
    ProgramFactory(name="Sacramento Recovery", **SACRAMENTO)
    response = client.get(SEARCH, {"location": "San Francisco, CA"})
    assert result_names(response) == ["Oakland Recovery"]
    assert '<option value="25" selected>' in response.content.decode()


def test_facet_filters_live_in_the_url_and_stay_checked(client):
    ProgramFactory(name="Medicaid Residential", terms=["residential-long", "medicaid"])
    ProgramFactory(name="Cash Residential", terms=["residential-short", "cash"])
    response = client.get(
        SEARCH, {"location": "94110", "level": "residential", "payment": ["medicaid", "medicare"]}
    )
    assert result_names(response) == ["Medicaid Residential"]
    html = response.content.decode()
    assert re.search(r'value="medicaid"[^>]*checked', html)
    assert re.search(r'value="residential"[^>]*checked', html)
    assert not re.search(r'value="cash"[^>]*checked', html)


def test_facets_are_labelled_checkboxes_in_plain_words(client):
    html = client.get(SEARCH).content.decode()
    for label in [
        "Level of care",
        "Residential (live-in) treatment",
        "Medicaid",
        "Buprenorphine",
        "Sliding fee (based on income)",
        "Veterans",
        "Spanish",
    ]:
        assert label in html
    for match in re.finditer(r'<input type="checkbox"[^>]*id="([^"]+)"', html):
        assert f'<label for="{match.group(1)}">' in html


def test_search_without_location_filters_nationwide_by_name(client):
    ProgramFactory(name="B Detox", terms=["detox-hospital"])
    ProgramFactory(name="A Detox", terms=["detox-residential"], **SACRAMENTO)
    ProgramFactory(name="Outpatient Only", terms=["outpatient-regular"])
    response = client.get(SEARCH, {"level": "detox"})
    assert result_names(response) == ["A Detox", "B Detox"]


def test_results_come_20_a_page_and_links_keep_the_filters(client):
    ProgramFactory.create_batch(45, terms=["medicaid"])
    response = client.get(SEARCH, {"location": "94110", "payment": "medicaid"})
    assert len(result_names(response)) == 20
    html = response.content.decode()
    assert "Page 1 of 3" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "payment=medicaid" in next_link and "location=94110" in next_link
    last = client.get(SEARCH, {"location": "94110", "payment": "medicaid", "page": "3"})
    assert len(result_names(last)) == 5


def test_page_past_the_end_is_a_404_that_shows_the_last_page_with_a_notice(client):
    ProgramFactory.create_batch(3)
    response = client.get(SEARCH, {"location": "94110", "page": "9999"})
    assert response.status_code == 404
    assert response.context["page"].number == 1
    assert "There is no page “9999”" in response.content.decode()


@pytest.mark.parametrize(
    "asked, shown",
    [("9999", 3), ("99999999999999999999", 3), ("0", 1), ("-2", 1), ("two", 1), ("²", 1)],
)
def test_a_page_that_is_not_there_shows_the_nearest_one_with_its_results(client, asked, shown):
    ProgramFactory.create_batch(45)
    response = client.get(SEARCH, {"location": "94110", "page": asked})
    assert response.status_code == 404
    page = response.context["page"]
    assert (page.number, len(page), page.count) == (
        shown,
        20 if shown == 1 else 5,
        45,
    )
    assert f"There is no page “{asked}”" in response.content.decode()


def test_empty_result_suggests_a_wider_radius_and_fewer_filters(client):
    ProgramFactory(**SACRAMENTO)
    response = client.get(SEARCH, {"location": "94110", "radius": "10"})
    html = response.content.decode()
    assert "No programs match" in html
    assert "radius=100" in html
    assert "Remove a filter" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"location": "94110", "radius": "abc"}, "Choose a distance from the list."),
        ({"location": "94110", "radius": "7"}, "Choose a distance from the list."),
        ({"location": "94110", "level": "no-such-term"}, "is not a choice we know"),
        ({"location": "<script>alert(1)</script>"}, "We could not find"),
        ({"location": "00000"}, "We could not find the ZIP code 00000"),
        ({"location": "Springfield"}, "There is more than one Springfield"),
        ({"location": "x" * 5000}, "at most 200 characters"),
    ],
)
def test_bad_query_strings_get_a_clear_message_not_an_error(client, params, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert response.context["page"] is None


def test_ambiguous_city_offers_links_to_each_state(client):
    html = client.get(SEARCH, {"location": "Springfield", "level": "detox"}).content.decode()
    assert "location=Springfield%2C+IL" in html


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_unpublished_programs_are_invisible(client, status):
    hidden = ProgramFactory(name="Hidden Program", status=status)
    response = client.get(SEARCH, {"location": "94110"})
    assert "Hidden Program" not in response.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_result_shows_what_a_searcher_needs(client):
    ProgramFactory(
        name="Mission Recovery",
        phone="(415) 555-0100",
        accepting=Program.Accepting.WAITLIST,
        terms=["iop", "buprenorphine", "medicaid", "sliding-fee"],
    )
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert 'href="tel:+14155550100"' in html
    assert "(415) 555-0100" in html
    assert "Intensive outpatient (several days a week)" in html
    assert "Buprenorphine" in html
    payment = re.search(r"<dt>Payment</dt><dd>([^<]*)</dd>", html).group(1)
    assert set(payment.split(", ")) == {"Medicaid", "Sliding fee (based on income)"}
    assert "Waitlist" in html
    assert "Listing verified" in html
    assert "1 Valencia Street, San Francisco, CA 94110" in html


def test_search_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    ProgramFactory.create_batch(2, terms=["residential", "medicaid", "methadone"])
    params = {"location": "94110", "level": "residential", "payment": "medicaid"}
    with django_assert_max_num_queries(20) as few:
        client.get(SEARCH, params)
    ProgramFactory.create_batch(25, terms=["residential", "medicaid", "methadone"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SEARCH, params)
    assert len(result_names(response)) == 20


def test_detail_page_has_contact_directions_and_everything_offered(client):
    program = ProgramFactory(
        name="Mission Recovery",
        phone="415-555-0100",
        intake_phone="415-555-0199",
        website="https://mission.example.org",
        hours="Mon–Fri 8am–6pm",
        description="Walk-in assessments every morning.",
        terms=["residential-short", "methadone", "medicaid", "veterans", "spanish"],
    )
    response = client.get(program.get_absolute_url())
    html = response.content.decode()
    assert 'href="tel:+14155550199"' in html  # intake first: that is who starts treatment
    assert "(415) 555-0100" in html
    assert 'href="https://mission.example.org" rel="noopener noreferrer"' in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=1+Valencia+Street" in html
    for text in [
        "Short-term residential (30 days or less)",
        "Methadone",
        "Medicaid",
        "Veterans",
        "Spanish",
        "Mon–Fri 8am–6pm",
        "Walk-in assessments",
        "Listing verified",
    ]:
        assert text in html


def test_stale_listing_warns_to_call_first(client):
    program = ProgramFactory(last_verified=None)
    assert (
        "Not yet verified: call first." in client.get(program.get_absolute_url()).content.decode()
    )


def test_unknown_program_is_a_friendly_404(client):
    response = client.get("/programs/no-such-program/")
    assert response.status_code == 404
    assert "Search for treatment near you" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/?location=94110", "/programs/no-such-program/"])
def test_every_public_page_shows_988_and_overdose_help(client, path):
    ProgramFactory()
    html = client.get(path).content.decode()
    assert 'href="tel:988"' in html
    assert "Call or text 988" in html
    assert 'href="tel:911"' in html
    assert "naloxone" in html


def test_detail_page_shows_988_too(client):
    html = client.get(ProgramFactory().get_absolute_url()).content.decode()
    assert 'href="tel:988"' in html


def test_public_pages_load_no_third_party_script_or_font(client):
    program = ProgramFactory()
    for path in [SEARCH + "?location=94110", program.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert not re.search(r'<script[^>]+src="(https?:)?//', html)
        assert not re.search(r'<link[^>]+href="(https?:)?//', html)


def _sorted_in_python(programs, sort: str, point=None):
    """The order `sort` promises, computed in Python (ties by name, then id)."""
    from programs import places

    def distance(p):
        return places.distance_miles(point, places.Point(p.latitude, p.longitude)) if point else 0

    keys = {
        "name": lambda p: (p.name, p.pk),
        "verified": lambda p: (
            p.last_verified is None,
            -(p.last_verified.toordinal() if p.last_verified else 0),
            p.name,
            p.pk,
        ),
        "accepting": lambda p: (p.accepting != "yes", round(distance(p), 6), p.name, p.pk),
        "nearest": lambda p: (round(distance(p), 6), p.name, p.pk),
    }
    return [p.name for p in sorted(programs, key=keys[sort])]


@pytest.mark.parametrize("sort", ["name", "verified", "accepting", "nearest"])
@pytest.mark.parametrize("with_place", [True, False])
def test_sort_orders_every_page_as_promised(client, settings, sort, with_place):
    import datetime
    import random

    from programs import places

    settings.SEARCH_PAGE_SIZE = 7
    rng = random.Random(sort)
    today = datetime.date(2026, 11, 1)
    for _ in range(30):
        ProgramFactory(
            name=rng.choice(["Harbor", "Summit", "Bridge"]) + f" {rng.randint(1, 5)}",
            accepting=rng.choice(["yes", "no", "unknown"]),
            last_verified=rng.choice([None, today - datetime.timedelta(days=rng.randint(0, 5))]),
            latitude=37.75 + rng.choice([0, 0.01, 0.02]),
            longitude=-122.41,
        )
    params = {"sort": sort, "accepting": ""}
    point = None
    if with_place:
        params["location"] = "94110"
        point = places.resolve("94110").point
    else:
        params["q"] = "community"  # every organization's name: results without a place
    shown = []
    for number in range(1, 6):
        shown += result_names(client.get(SEARCH, {**params, "page": number}))
    # Nearest means nothing without a place: a keyword search stays best match first, here all
    # equally good, so by name.
    expected_sort = sort if with_place or sort != "nearest" else "name"
    expected = _sorted_in_python(Program.objects.published(), expected_sort, point)
    assert shown == expected


def test_an_unknown_sort_is_a_clear_error_not_a_crash(client):
    ProgramFactory()
    response = client.get(SEARCH, {"location": "94110", "sort": "price"})
    assert response.status_code == 200
    assert "Choose an order from the list." in response.content.decode()
    response = client.get("/api/v1/programs/", {"sort": "price"})
    assert response.status_code == 400
    assert response.json()["errors"]["sort"] == ["Choose an order from the list."]


def test_empty_results_in_a_state_without_listings_say_so(client):
    ProgramFactory()  # San Francisco, CA only
    html = client.get(SEARCH, {"location": "21201"}).content.decode()  # Baltimore, MD
    assert "We have no listings in Maryland yet." in html
    assert "https://findtreatment.gov/" in html
    assert "1-800-662-4357" in html
    assert "Remove a filter" not in html
    html = client.get(SEARCH, {"location": "94110", "level": "detox"}).content.decode()
    assert "We have no listings" not in html
    assert "Remove a filter" in html


@pytest.mark.parametrize(
    "params, name, message",
    [
        ({"location": "94110", "radius": "7"}, "radius", "Choose a distance from the list."),
        ({"location": "94110", "sort": "cheapest"}, "sort", "Choose an order from the list."),
    ],
)
def test_a_refused_choice_is_tied_to_its_message_for_screen_readers(client, params, name, message):
    html = client.get(SEARCH, params).content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in select
    described_by = re.search(r'aria-describedby="([^"]+)"', select).group(1)
    assert re.search(rf'<p class="field-error" id="{described_by}">{message}</p>', html)
