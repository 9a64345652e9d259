"""The territories and freely associated states are places like any state (issue 19, part 6):
American Samoa, Guam, the Northern Marianas, the Virgin Islands, Puerto Rico, Micronesia, Palau
and the Marshall Islands are accepted by the importer, found by the place lookup (ZIP and town)
and by "use my location", and are a listing's state choices."""

import pytest

from programs import gazetteer, places
from programs.importers.sync import import_file
from programs.models import Program
from programs.places import Point
from programs.states import STATE_CHOICES
from tests.factories import ProgramFactory

# Each one's capital or main town, its centre as GeoNames (from USGS GNIS) publishes it, and a
# ZIP code the USPS delivers there.
CAPITALS = {
    "AS": ("Pago Pago", -14.27806, -170.70250, "96799"),
    "GU": ("Hagåtña", 13.47567, 144.74886, "96910"),
    "MP": ("Saipan", 15.21233, 145.75450, "96950"),
    "VI": ("Charlotte Amalie", 18.34190, -64.93070, "00802"),
    "PR": ("San Juan", 18.46633, -66.10572, "00901"),
    "FM": ("Palikir", 6.92477, 158.16109, "96941"),
    "PW": ("Koror", 7.33978, 134.47326, "96940"),
    "MH": ("Majuro", 7.08971, 171.38027, "96960"),
}
NAMES = {
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "VI": "U.S. Virgin Islands",
    "PR": "Puerto Rico",
    "FM": "Federated States of Micronesia",
    "PW": "Palau",
    "MH": "Marshall Islands",
}
HEADER = "name1,name2,street1,street2,city,state,zip,zip4,county,phone,website,latitude,longitude"


def test_every_territory_is_a_state_choice_with_its_name():
    choices = dict(STATE_CHOICES)
    assert {code: choices.get(code) for code in NAMES} == NAMES


def test_the_importer_accepts_a_program_in_every_territory_at_its_coordinates(db):
    rows = [
        f"{town} Recovery,,1 Main St,,{town},{state},{zip_code},,,,,{lat},{lon}"
        for state, (town, lat, lon, zip_code) in CAPITALS.items()
    ]
    result = import_file(_csv(rows), format="samhsa-locator", filename="territories.csv")

    assert result.rejected == []
    assert result.created == len(CAPITALS)
    stored = {p.state: (p.latitude, p.longitude) for p in Program.objects.all()}
    assert stored == {state: (lat, lon) for state, (_t, lat, lon, _z) in CAPITALS.items()}


def test_the_importer_places_a_territory_row_without_coordinates_at_its_zip(db):
    rows = [
        f"{town} Clinic,,1 Main St,,{town},{state},{zip_code},,,,,,"
        for state, (town, _lat, _lon, zip_code) in CAPITALS.items()
    ]
    result = import_file(_csv(rows), format="samhsa-locator", filename="territories.csv")

    assert result.rejected == []
    for program in Program.objects.all():
        town, lat, lon, _zip = CAPITALS[program.state]
        assert program.location_approximate
        where = Point(program.latitude, program.longitude)
        assert places.distance_miles(where, Point(lat, lon)) < 30, town


def test_the_importer_still_refuses_coordinates_abroad_or_with_a_sign_swapped(db):
    rows = [
        "Apia Clinic,,1 Main St,,Pago Pago,AS,96799,,,,,-13.83,-171.76",  # Apia, Samoa
        "Manila Clinic,,1 Main St,,Hagatna,GU,96910,,,,,14.60,120.98",
        "Swapped Clinic,,1 Main St,,Hagatna,GU,96910,,,,,13.47,-144.75",
        "Mexico Clinic,,1 Main St,,El Paso,TX,79901,,,,,19.43,-99.13",  # Mexico City
    ]
    result = import_file(_csv(rows), format="samhsa-locator", filename="abroad.csv")

    assert result.created == 0
    assert all(r.reason.startswith("coordinates outside the US") for r in result.rejected)
    assert len(result.rejected) == len(rows)


@pytest.mark.parametrize("state", CAPITALS)
def test_a_territory_zip_resolves_inside_that_territory(state):
    town, lat, lon, zip_code = CAPITALS[state]
    place = places.resolve(zip_code)
    assert place.state == state
    assert place.label.startswith(f"{zip_code} (")
    assert gazetteer.in_region(place.point.latitude, place.point.longitude, state)
    assert places.distance_miles(place.point, Point(lat, lon)) < 30, town


@pytest.mark.parametrize(
    "zip_code, state",
    [
        ("96913", "GU"),
        ("96929", "GU"),
        ("96951", "MP"),  # Rota
        ("96952", "MP"),  # Tinian
        ("96939", "PW"),
        ("96942", "FM"),  # Chuuk
        ("96943", "FM"),  # Yap
        ("96944", "FM"),  # Kosrae
        ("96970", "MH"),  # Ebeye
        ("00820", "VI"),  # Christiansted
    ],
)
def test_every_island_groups_zips_resolve_in_their_own_territory(zip_code, state):
    place = places.resolve(zip_code)
    assert place.state == state
    assert gazetteer.in_region(place.point.latitude, place.point.longitude, state)


@pytest.mark.parametrize(
    "text, label",
    [
        ("Pago Pago, AS", "Pago Pago, AS"),
        ("pago pago american samoa", "Pago Pago, AS"),
        ("Hagåtña, GU", "Hagåtña, GU"),
        ("Hagatna, GU", "Hagåtña, GU"),
        ("Agana, Guam", "Hagåtña, GU"),
        ("Saipan, MP", "Saipan, MP"),
        ("Saipan, CNMI", "Saipan, MP"),
        ("Koror, PW", "Koror, PW"),
        ("Koror, Palau", "Koror, PW"),
        ("Majuro, MH", "Majuro, MH"),
        ("Majuro, Marshall Islands", "Majuro, MH"),
        ("Palikir, FM", "Palikir, FM"),
        ("Palikir Federated States of Micronesia", "Palikir, FM"),
        ("Kolonia, FM", "Kolonia, FM"),
        ("Charlotte Amalie, VI", "Charlotte Amalie, VI"),
        ("Charlotte Amalie, Virgin Islands", "Charlotte Amalie, VI"),
        ("San Juan, PR", "San Juan, PR"),
    ],
)
def test_territory_towns_resolve_by_code_and_by_name(text, label):
    place = places.resolve(text)
    assert place.label == label
    assert places.in_us(place.point)


@pytest.mark.parametrize("state", CAPITALS)
def test_use_my_location_is_accepted_at_every_territorys_capital(state):
    town, lat, lon, _zip = CAPITALS[state]
    # What the browser sends: three decimals.
    place = places.resolve(f"{lat:.3f},{lon:.3f}")
    assert place.point == Point(round(lat, 3), round(lon, 3)), town


@pytest.mark.parametrize(
    "position",
    [
        "-13.833,-171.760",  # Apia, Samoa: next to American Samoa, not the US
        "14.600,120.980",  # Manila
        "19.430,-99.130",  # Mexico City, inside one box around the 50 states
        "23.110,-82.370",  # Havana
        "-17.540,-149.570",  # Papeete, Tahiti
    ],
)
def test_use_my_location_abroad_is_refused_even_near_a_territory(position):
    with pytest.raises(places.PlaceNotFound) as exc:
        places.resolve(position)
    assert "outside the United States" in exc.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "position, state, lat, lon",
    [
        ("13.476,144.749", "GU", 13.4757, 144.7489),  # Hagåtña
        ("15.212,145.755", "MP", 15.2123, 145.7545),  # Saipan
        ("-14.278,-170.703", "AS", -14.2781, -170.7025),  # Pago Pago
    ],
)
def test_use_my_location_in_the_pacific_lists_the_programs_there(client, position, state, lat, lon):
    here = ProgramFactory(state=state, zip_code=CAPITALS[state][3], latitude=lat, longitude=lon)
    ProgramFactory()  # San Francisco: far beyond any radius
    page = client.get("/", {"location": position})

    assert page.status_code == 200
    html = page.content.decode()
    assert "outside the United States" not in html
    assert here.name in html
    api = client.get("/api/v1/programs/", {"location": position})
    assert [row["name"] for row in api.json()["results"]] == [here.name]


def _csv(rows: list[str]) -> bytes:
    return "\n".join([HEADER, *rows]).encode() + b"\n"
