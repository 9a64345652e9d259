"""The phone-first search page: filter chips, the announced count, the map's data, my location."""

import json
import re

import pytest
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
    assert "vendor/leaflet/leaflet.js" not in client.get(SEARCH).content.decode()
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer>' in html


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
