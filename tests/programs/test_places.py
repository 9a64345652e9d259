import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from programs import places
from programs.places import Point
from tests.programs.places_table import PLACES


@pytest.mark.parametrize("text, latitude, longitude", PLACES, ids=[row[0] for row in PLACES])
def test_resolves_within_12_miles_of_the_places_published_centre(text, latitude, longitude):
    place = places.resolve(text)
    assert places.distance_miles(place.point, Point(latitude, longitude)) < 12, place


def test_the_table_covers_the_cases_the_issue_names():
    assert len(PLACES) >= 150
    typed = {row[0] for row in PLACES}
    assert {"Brooklyn", "Bayamón, PR", "Utqiagvik, AK", "20500-0003", "Saint Louis MO"} <= typed


@pytest.mark.parametrize(
    "text, label",
    [
        ("94110", "94110 (San Francisco, CA)"),
        ("94110-1234", "94110 (San Francisco, CA)"),
        (" 94110 ", "94110 (San Francisco, CA)"),
        ("San Francisco, CA", "San Francisco, CA"),
        ("san francisco ca", "San Francisco, CA"),
        ("SAN FRANCISCO,CA", "San Francisco, CA"),
        ("Austin, Texas", "Austin, TX"),
        ("New York NY", "New York City, NY"),
        ("St. Louis, MO", "St. Louis, MO"),
        ("Saint Louis, MO", "St. Louis, MO"),
        ("bayamon, pr", "Bayamón, PR"),
        ("Barrow, AK", "Utqiagvik, AK"),
        ("Hagatna, Guam", "Hagåtña, GU"),
    ],
)
def test_resolves_zips_and_towns_to_a_readable_label(text, label):
    assert places.resolve(text).label == label


@pytest.mark.parametrize(
    "text, label",
    [
        (
            "1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102",
            "94102 (San Francisco, CA) (from your address)",
        ),
        (
            "5000 Parkside Ave, Philadelphia, PA 19131-4727",
            "19131 (Philadelphia, PA) (from your address)",
        ),
        ("12 Main St, Springfield, IL", "Springfield, IL (from your address)"),
        ("1600 Pennsylvania Ave, Washington DC", "Washington, DC (from your address)"),
        ("PO Box 12, Barrow AK 99723", "99723 (Barrow, AK) (from your address)"),
    ],
)
def test_an_address_is_searched_from_its_zip_or_town_and_says_so(text, label):
    assert places.resolve(text).label == label


def test_an_address_with_no_town_or_zip_asks_for_them():
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve("123 Main St")
    assert "city or ZIP code" in exc.value.message


def test_zip_resolves_to_its_own_coordinates():
    place = places.resolve("94110")
    assert place.point == Point(37.7509, -122.4153)
    assert place.state == "CA"


def test_a_big_citys_zip_keeps_its_own_centre_far_from_downtown():
    # 77084 is in west Houston, ~18 miles out: pulling it to the city centre would be wrong.
    houston = places.resolve("Houston, TX").point
    assert places.distance_miles(places.resolve("77084").point, houston) > 12


def test_a_rural_zip_far_from_its_small_town_is_searched_from_the_town():
    utqiagvik = places.resolve("Utqiagvik, AK").point
    assert places.distance_miles(places.resolve("99723").point, utqiagvik) < 1


def test_zip_centroid_gives_the_cleaned_centre_and_none_when_unknown():
    assert places.zip_centroid("94110-1234") == Point(37.7509, -122.4153)
    majuro = places.zip_centroid("96960")  # listed at 171° W, on the wrong side of the world
    assert majuro.longitude > 170
    assert places.zip_centroid("00000") is None
    assert places.zip_centroid("56935") is None  # a unique ZIP at 0,0, of no town
    # Pohnpei, listed at 0,0: the centre of its capital, Kolonia (places_data/SOURCE.md)
    assert places.zip_centroid("96941") == places.resolve("Kolonia, FM").point


def test_a_bare_name_that_is_overwhelmingly_one_city_resolves_to_it_and_offers_the_others():
    place = places.resolve("Portland")
    assert place.label == "Portland, OR"
    assert place.ambiguous_name == "Portland"
    assert place.alternatives[0] == "Portland, ME"  # the next largest

    brooklyn = places.resolve("brooklyn")
    assert brooklyn.label == "Brooklyn, NY"
    assert "Brooklyn, OH" in brooklyn.alternatives


def test_a_town_with_a_namesake_in_its_state_offers_it_by_zip():
    # Two Bryn Mawrs in Pennsylvania: GeoNames' larger one near Pittsburgh, and the one on
    # Philadelphia's Main Line (Wikipedia: 40.0209, -75.3163), offered by its ZIP.
    place = places.resolve("Bryn Mawr, PA")
    assert place.alternatives == ("19010 (Bryn Mawr, PA)",)
    main_line = places.resolve(place.alternatives[0]).point
    assert places.distance_miles(main_line, Point(40.0209, -75.3163)) < 3


def test_a_big_citys_far_zips_are_not_offered_as_another_place_of_its_name():
    assert places.resolve("Houston, TX").alternatives == ()
    assert places.resolve("Bayamón, PR").alternatives == ()


def test_a_name_known_in_one_state_only_resolves_with_no_alternatives():
    place = places.resolve("Tuscaloosa")
    assert place.label == "Tuscaloosa, AL"
    assert place.alternatives == ()


def test_a_city_in_several_comparable_states_is_ambiguous_largest_first():
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve("Springfield")
    assert "more than one Springfield" in exc.value.message
    assert exc.value.suggestions[:3] == ["Springfield, MO", "Springfield, MA", "Springfield, IL"]
    assert exc.value.maybe_name is False

    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve("Kansas City")
    assert exc.value.suggestions[:2] == ["Kansas City, MO", "Kansas City, KS"]


@pytest.mark.parametrize(
    "text, first",
    [
        ("Sna Francisco, CA", "San Francisco, CA"),
        ("Phildelphia", "Philadelphia, PA"),
        ("Chicgo", "Chicago, IL"),
        ("pheonix az", "Phoenix, AZ"),
        ("maimi", "Miami, FL"),  # two letters swapped
    ],
)
def test_misspelt_city_suggests_the_real_one_first(text, first):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.suggestions[0] == first
    assert exc.value.maybe_name is False


@pytest.mark.parametrize(
    "text", ["Newport Academy", "Aletheia", "xyzzy", "women", "teen", "12 Oaks Recovery"]
)
def test_text_like_no_place_at_all_may_be_a_program_name(text):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.maybe_name is True


@pytest.mark.parametrize("text", ["Nowhereville, CA", "99999", "Sna Francisco, CA"])
def test_text_with_a_state_or_zip_is_never_taken_for_a_program_name(text):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.maybe_name is False


@pytest.mark.parametrize(
    "text, state",
    [("NY", "New York"), ("california", "California"), ("DC", "District of Columbia")],
)
def test_a_state_or_territory_alone_asks_for_a_city_or_zip(text, state):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.message.startswith(
        f"{state} is too large an area to search. Add a city or a ZIP code"
    )


@pytest.mark.parametrize(
    "latitude, longitude",
    [
        (13.48, 144.78),  # Guam
        (15.2, 145.75),  # Saipan, Northern Marianas
        (-14.28, -170.70),  # Pago Pago, American Samoa
        (18.34, -64.93),  # St. Thomas, Virgin Islands
        (7.34, 134.48),  # Koror, Palau
        (52.9, 173.2),  # Attu, Alaska, west of the 180th meridian
        (61.218, -149.9),  # Anchorage
    ],
)
def test_use_my_location_is_accepted_in_every_state_and_territory(latitude, longitude):
    place = places.resolve(f"{latitude}, {longitude}")
    assert place.point == Point(latitude, longitude)
    assert places.in_us(place.point)


@pytest.mark.parametrize("position", ["48.85, 2.35", "35.68, 139.69", "-33.87, 151.21"])
def test_use_my_location_outside_the_us_is_refused(position):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(position)
    assert "outside the United States" in exc.value.message


@pytest.mark.parametrize(
    "text", ["00000", "xyzzy", "<script>alert(1)</script>", "", "   ", "9" * 500, "Paris, France"]
)
def test_unknown_input_raises_a_readable_message(text):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.message
    assert "<script>" not in " ".join(exc.value.suggestions)


ADDRESS_BITS = st.sampled_from(
    [*"0123456789 ,.-#'/", "Main St", "PO Box", "Apt 4", "Springfield", "IL", "99723", "é", "\x00"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(ADDRESS_BITS, max_size=12).map("".join)))
def test_any_text_resolves_or_gets_a_message_never_an_error(text):
    try:
        places.resolve(text)
    except places.PlaceNotFound as exc:
        assert exc.message


@pytest.mark.parametrize("text", ["99723", "Portland", "5000 Parkside Ave, Philadelphia, PA 19131"])
def test_a_label_typed_back_in_resolves_to_the_same_place(text):
    place = places.resolve(text)
    assert places.resolve(place.label).point == place.point


def test_distance_matches_the_published_great_circle_distance():
    lax, jfk = Point(33.9416, -118.4085), Point(40.6413, -73.7781)
    assert places.distance_miles(lax, jfk) == pytest.approx(2475, rel=0.005)


def test_bounding_box_contains_every_point_within_the_radius():
    center = Point(47.6, -122.3)
    box = places.bounding_box(center, 100)
    for bearing_point in [
        Point(49.04, -122.3),
        Point(46.16, -122.3),
        Point(47.6, -120.17),
        Point(47.6, -124.43),
    ]:
        assert places.distance_miles(center, bearing_point) < 100
        assert box.south <= bearing_point.latitude <= box.north
        assert box.west <= bearing_point.longitude <= box.east


# The optional online geocoder, against a fake Census geocoder on this machine (never the internet).

PARKSIDE = "5000 Parkside Ave, Philadelphia, PA 19131"
PARKSIDE_POINT = Point(39.98, -75.21)


class FakeCensusGeocoder(BaseHTTPRequestHandler):
    requests: list[str] = []
    mode = "match"  # "match", "no match", "error", "slow"

    def do_GET(self):
        address = parse_qs(urlparse(self.path).query)["address"][0]
        type(self).requests.append(address)
        if self.mode == "slow":
            time.sleep(1.5)
        if self.mode == "error":
            self.send_response(500)
            self.end_headers()
            return
        matches = [
            {
                "matchedAddress": "5000 PARKSIDE AVE, PHILADELPHIA, PA, 19131",
                "coordinates": {"x": PARKSIDE_POINT.longitude, "y": PARKSIDE_POINT.latitude},
                "addressComponents": {"state": "PA", "zip": "19131", "city": "PHILADELPHIA"},
            }
        ]
        body = json.dumps({"result": {"addressMatches": matches if self.mode == "match" else []}})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the "slow" answer finds the client gone: that is the point of the test


@pytest.fixture
def census_geocoder(settings):
    server = QuietServer(("127.0.0.1", 0), FakeCensusGeocoder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PLACES_CENSUS_GEOCODER = True
    settings.PLACES_CENSUS_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/locate"
    settings.PLACES_CENSUS_GEOCODER_TIMEOUT = 0.5
    FakeCensusGeocoder.requests = []
    FakeCensusGeocoder.mode = "match"
    cache.clear()
    yield FakeCensusGeocoder
    server.shutdown()
    server.server_close()
    cache.clear()


def test_the_geocoder_is_off_by_default(settings):
    assert settings.PLACES_CENSUS_GEOCODER is False
    assert places.resolve(PARKSIDE).label == "19131 (Philadelphia, PA) (from your address)"


def test_the_geocoder_places_an_address_exactly_and_is_asked_once(census_geocoder):
    place = places.resolve(PARKSIDE)
    assert place.point == PARKSIDE_POINT
    assert place.label == "5000 Parkside Ave, Philadelphia, PA, 19131"
    assert places.resolve(PARKSIDE).point == PARKSIDE_POINT  # from the cache
    assert census_geocoder.requests == [PARKSIDE]


def test_the_geocoder_is_not_asked_for_a_zip_or_a_town(census_geocoder):
    places.resolve("19131")
    places.resolve("Philadelphia, PA")
    assert census_geocoder.requests == []


@pytest.mark.parametrize("mode", ["no match", "error", "slow"])
def test_when_the_geocoder_fails_the_address_is_searched_offline(census_geocoder, mode):
    census_geocoder.mode = mode
    place = places.resolve(PARKSIDE)
    assert place.label == "19131 (Philadelphia, PA) (from your address)"
    assert census_geocoder.requests == [PARKSIDE]
