import pytest

from programs import places
from programs.places import Point


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
        ("New York NY", "New York, NY"),
        ("St. Louis, MO", "Saint Louis, MO"),
        ("1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102", "94102 (San Francisco, CA)"),
        ("12 Main St, Springfield, IL", "Springfield, IL"),
    ],
)
def test_resolves_zips_cities_and_addresses_offline(text, label):
    assert places.resolve(text).label == label


def test_zip_resolves_to_its_own_coordinates():
    place = places.resolve("94110")
    assert place.point == Point(37.7509, -122.4153)
    assert place.state == "CA"


def test_city_resolves_near_the_city_centre():
    place = places.resolve("Denver, CO")
    assert places.distance_miles(place.point, Point(39.7392, -104.9903)) < 10


def test_city_in_several_states_is_ambiguous_with_suggestions():
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve("Springfield")
    assert "more than one Springfield" in exc.value.message
    assert "Springfield, IL" in exc.value.suggestions
    assert "Springfield, MA" in exc.value.suggestions


def test_city_in_one_state_needs_no_state():
    assert places.resolve("Tuscaloosa").label == "Tuscaloosa, AL"


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


def test_misspelt_city_suggests_the_real_one():
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve("Sna Francisco, CA")
    assert "San Francisco, CA" in exc.value.suggestions


@pytest.mark.parametrize(
    "text", ["00000", "xyzzy", "<script>alert(1)</script>", "", "   ", "9" * 500, "Paris, France"]
)
def test_unknown_input_raises_a_readable_message(text):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(text)
    assert exc.value.message
    assert "<script>" not in " ".join(exc.value.suggestions)


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
