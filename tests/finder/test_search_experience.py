"""The phone-first search page: filter chips, the announced count, the map's data, my location."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from programs import places
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def test_each_active_filter_is_a_link_to_the_same_search_without_it(client):
    ProgramFactory(terms=["residential", "medicaid"])
    html = client.get(
        SEARCH, {"location": "94110", "level": "residential", "payment": "medicaid", "page": "1"}
    ).content.decode()
    chips = dict(re.findall(r'<a class="chip" href="([^"]+)">.*?</span>([^<]+?) <', html))
    assert chips == {
        "?location=94110&amp;payment=medicaid": "Residential (live-in) treatment",
        "?location=94110&amp;level=residential": "Medicaid",
    }
    assert "Remove filter:" in html


def test_accepting_only_is_an_active_filter_too(client):
    ProgramFactory(accepting="yes")
    html = client.get(SEARCH, {"location": "94110", "accepting": "on"}).content.decode()
    chips = dict(re.findall(r'<a class="chip" href="([^"]+)">.*?</span>([^<]+?) <', html))
    assert chips == {"?location=94110": "Accepting new patients now"}


def test_result_count_is_a_heading_and_is_announced_after_load(client):
    ProgramFactory.create_batch(2)
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert re.search(r'<h2 id="results-heading"[^>]*>2 programs within 25 miles', html)
    assert re.search(r'role="status" data-announce="2 programs within 25 miles of 94110', html)


def test_filters_fold_into_one_panel_that_works_without_javascript(client):
    html = client.get(SEARCH).content.decode()
    assert re.search(r'<details class="filters" id="filters">\s*<summary>', html)
    assert "<fieldset>" in html and '<legend class="visually-hidden">Payment</legend>' in html


def test_results_map_data_numbers_each_program_like_the_list(client):
    ProgramFactory(name="Near", latitude=37.76, longitude=-122.42)
    ProgramFactory(name="Far", latitude=37.80, longitude=-122.27, zip_code="94612")
    ProgramFactory(name="No coordinates", latitude=None, longitude=None)
    response = client.get(SEARCH, {"location": "94110"})
    html = response.content.decode()
    points = json.loads(re.search(r'id="map-points"[^>]*>(.*?)</script>', html).group(1))
    assert [(p["number"], p["name"]) for p in points] == [(1, "Near"), (2, "Far")]
    assert points[0]["url"] == "/programs/" + points[0]["url"].split("/")[2] + "/"
    assert points[0]["distance"].endswith("miles away")
    assert 'aria-hidden="true">1</span>' in html
    assert 'data-tiles-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html


def test_map_script_is_served_from_our_own_static_files_only_when_needed(client):
    ProgramFactory()
    assert "js/map.js" not in client.get(SEARCH).content.decode()
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert '<script src="/static/js/map.js" defer' in html
    # Leaflet is named for map.js to fetch once the map is asked for, not loaded with the page.
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in html
    assert '<script src="/static/vendor/leaflet' not in html
    assert 'href="/static/vendor/leaflet' not in html


def test_detail_page_has_a_small_map_of_the_program(client):
    program = ProgramFactory(latitude=37.7509, longitude=-122.4153)
    html = client.get(program.get_absolute_url()).content.decode()
    assert re.search(r'id="program-map"[^>]*data-lat="37.750900" data-lon="-122.415300"', html)


def test_map_tiles_come_from_the_setting(client, settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    ProgramFactory()
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_my_location_searches_around_the_coordinates(client):
    ProgramFactory(name="Mission Recovery")
    ProgramFactory(name="Sacramento Recovery", latitude=38.58, longitude=-121.49)
    response = client.get(SEARCH, {"location": "37.751,-122.415", "radius": "10"})
    assert [p.name for p in response.context["page"]] == ["Mission Recovery"]
    assert "1 program within 10 miles of your location" in response.content.decode()


@pytest.mark.parametrize("location", ["51.507,-0.128", "0,0", "89,-100"])
def test_coordinates_outside_the_us_get_a_clear_message(client, location):
    response = client.get(SEARCH, {"location": location})
    assert response.status_code == 200
    assert "outside the United States" in response.content.decode()
    assert response.context["page"] is None


def test_coordinates_resolve_to_a_place_called_your_location():
    place = places.resolve("61.218, -149.900")  # Anchorage
    assert place.label == "your location"
    assert place.point == places.Point(61.218, -149.9)


def test_use_my_location_button_carries_its_plain_messages(client):
    html = client.get(SEARCH).content.decode()
    button = re.search(r'<button type="button" class="link-button locate"[^>]*>', html).group(0)
    assert " hidden" in button  # shown by finder.js only where the browser can locate
    assert "permission was not given" in button
    assert 'role="status"' in html


def test_home_page_form_starts_at_the_default_radius(client):
    assert '<option value="25" selected>' in client.get(SEARCH).content.decode()


# --- Results first (issue 15) ---


def test_result_links_carry_the_search_so_its_page_can_lead_back(client):
    program = ProgramFactory(terms=["residential"])
    html = client.get(SEARCH, {"location": "94110", "level": "residential"}).content.decode()
    link = f'href="{program.get_absolute_url()}?from=location%3D94110%26level%3Dresidential"'
    assert link in html


def test_back_to_results_returns_to_the_search_it_came_from(client):
    program = ProgramFactory()
    html = client.get(
        program.get_absolute_url(), {"from": "location=Denver, CO&level=residential&page=2"}
    ).content.decode()
    assert '<a class="back-link" id="back-to-results" href="/?location=Denver%2C+CO&amp;' in html
    assert "level=residential&amp;page=2" in html
    assert "Start a new search" not in html


@pytest.mark.parametrize(
    "sneaky", ["//evil.example/", "https://evil.example/?q=1", "\\\\evil.example", "x" * 3000]
)
def test_back_to_results_never_leaves_the_site(client, sneaky):
    html = client.get(ProgramFactory().get_absolute_url(), {"from": sneaky}).content.decode()
    back = re.search(r'class="back-link"[^>]*href="([^"]*)"', html).group(1)
    assert back.startswith("/") and not back.startswith("//") and "evil.example/" not in back


def test_without_a_search_the_detail_page_offers_a_new_one(client):
    html = client.get(ProgramFactory().get_absolute_url()).content.decode()
    assert '<a class="back-link" href="/">Start a new search</a>' in html


def test_detail_page_puts_call_directions_and_website_first(client):
    program = ProgramFactory(website="https://mission.example.org", intake_phone="+14155550199")
    html = client.get(program.get_absolute_url()).content.decode()
    start = html.index('<div class="actions">')
    actions = html[start : html.index("</div>", start)]
    assert 'href="tel:+14155550199"' in actions
    assert "Get directions" in actions and 'href="https://mission.example.org"' in actions
    assert html.index('<div class="actions">') < html.index('id="contact-heading"')


def test_each_card_has_directions_and_the_website_one_tap_away(client):
    ProgramFactory(website="https://mission.example.org")
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    card = html[html.index('<div class="card-actions">') :]
    assert "https://www.google.com/maps/dir/?api=1" in card
    assert 'class="button website" href="https://mission.example.org"' in card


def test_a_printed_list_says_the_place_radius_and_every_filter(client):
    ProgramFactory(terms=["residential", "medicaid"])
    html = client.get(
        SEARCH, {"location": "94110", "radius": "50", "level": "residential", "payment": "medicaid"}
    ).content.decode()
    printed = html[html.index('class="print-only print-search"') :]
    printed = printed[: printed.index("</div>")]
    assert "within 50 miles of 94110" in printed
    assert "Residential (live-in) treatment; Medicaid" in printed
    assert "Printed:" in printed


def test_the_phone_count_bar_links_to_the_filters_with_their_number(client):
    ProgramFactory(terms=["residential", "medicaid"])
    html = client.get(
        SEARCH, {"location": "94110", "level": "residential", "payment": "medicaid"}
    ).content.decode()
    edit = r'<a class="edit-filters" href="#filters"[^>]*>.*2 filters · </span>Edit'
    assert re.search(edit, html)
    assert '<span class="filters-title">Filters (2)</span>' in html
    assert ">Show 1 result</button>" in html


def test_a_facet_with_chosen_terms_stays_folded_and_says_how_many(client):
    query = {"location": "94110", "payment": ["medicaid", "cash"]}
    html = client.get(SEARCH, query).content.decode()
    assert re.search(r'<details class="facet" id="id_payment">\s*<summary>Payment', html)
    assert "· 2 chosen" in html


def test_the_header_carries_988_and_the_samhsa_helpline(client):
    html = client.get(SEARCH).content.decode()
    header = html[: html.index('<main id="main"')]
    assert 'href="tel:988"' in header and 'href="tel:+18006624357"' in header


def test_pages_link_a_favicon_that_exists_and_describe_themselves_for_link_previews(client):
    program = ProgramFactory(name="Mission Recovery", city="San Francisco", state="CA")
    html = client.get(program.get_absolute_url(), {"from": "location=94110"}).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html).group(1)
    assert finders.find(icon)
    assert '<meta property="og:title" content="Mission Recovery, San Francisco, CA">' in html
    # The shared link is the program's own page, not the search the sharer came from.
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', html).group(1)
    assert og_url == f"http://testserver{program.get_absolute_url()}"


def test_no_map_is_drawn_before_the_visitor_asks_and_the_privacy_note_names_the_tile_host(
    client,
):
    ProgramFactory()
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert re.search(r'<div class="map" id="results-map" hidden', html)
    assert re.search(r'<div class="map-consent" id="map-consent" hidden>', html)
    assert "downloads the map's pictures from tile.openstreetmap.org" in html


SPANISH_FIRST = "es-MX,es;q=0.9,en;q=0.5"


def test_a_browser_preferring_spanish_is_offered_the_spanish_home_page(client):
    response = client.get(SEARCH, HTTP_ACCEPT_LANGUAGE=SPANISH_FIRST)
    html = response.content.decode()
    assert response.status_code == 200  # an offer, not a redirect
    assert '<p class="notice language-offer" lang="es">' in html
    assert '<a href="/es/" hreflang="es">Léala en español</a>' in html
    assert "Accept-Language" in response["Vary"]
    assert not response.cookies


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "en-US,en;q=0.9,es;q=0.8"),  # English first
        ("/", ""),
        ("/es/", SPANISH_FIRST),  # already in Spanish
        ("/?location=94110", SPANISH_FIRST),  # a search asked for in English
        ("/guides/", SPANISH_FIRST),  # only where a visit starts
    ],
)
def test_the_spanish_offer_comes_only_once_at_the_english_home_page(client, path, accept):
    ProgramFactory()
    html = client.get(path, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert 'class="notice language-offer"' not in html


def test_the_conventional_favicon_address_leads_to_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
