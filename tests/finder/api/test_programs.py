import pytest
from django.urls import reverse

from programs import places, taxonomy
from programs.models import Program
from tests.factories import OAKLAND, SACRAMENTO, OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAMS = reverse("api-program-list")


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [program["name"] for program in response.json()["results"]]


def test_location_search_lists_programs_within_radius_nearest_first_with_miles(client):
    ProgramFactory(name="Sacramento Recovery", **SACRAMENTO)
    ProgramFactory(name="Oakland Recovery", **OAKLAND)
    ProgramFactory(name="Mission Recovery")
    response = client.get(PROGRAMS, {"location": "94110", "radius": "50"})
    assert names(response) == ["Mission Recovery", "Oakland Recovery"]
    body = response.json()
    assert body["count"] == 2
    oakland = places.distance_miles(places.resolve("94110").point, places.Point(37.8085, -122.2668))
    assert [p["distance"] for p in body["results"]] == [0.0, pytest.approx(oakland, abs=0.01)]
    assert body["location"] == {
        "label": "94110 (San Francisco, CA)",
        "latitude": pytest.approx(37.75, abs=0.01),
        "longitude": pytest.approx(-122.42, abs=0.01),
        "radius": 50,
    }


def test_default_radius_is_25_miles(client):
    ProgramFactory(name="Oakland Recovery", **OAKLAND)
    ProgramFactory(name="Sacramento Recovery", **SACRAMENTO)
    response = client.get(PROGRAMS, {"location": "San Francisco, CA"})
    assert names(response) == ["Oakland Recovery"]
    assert response.json()["location"]["radius"] == 25


def test_without_location_all_published_programs_by_name_then_id_with_no_distance(client):
    second = ProgramFactory(name="Same Name")
    first = ProgramFactory(name="Same Name")
    ProgramFactory(name="A First", **SACRAMENTO)
    ProgramFactory(name="Draft", status=Program.Status.DRAFT)
    body = client.get(PROGRAMS).json()
    assert [p["name"] for p in body["results"]] == ["A First", "Same Name", "Same Name"]
    assert [p["id"] for p in body["results"][1:]] == sorted([first.pk, second.pk])
    assert body["location"] is None
    assert {p["distance"] for p in body["results"]} == {None}


def test_equal_distances_are_ordered_by_name_then_id(client):
    ProgramFactory(name="Zeta")
    ProgramFactory(name="Alpha")
    assert names(client.get(PROGRAMS, {"location": "94110"})) == ["Alpha", "Zeta"]


def test_facet_filters_repeat_like_the_search_page_any_within_a_facet_every_facet(client):
    ProgramFactory(name="Medicaid Long Residential", terms=["residential-long", "medicaid"])
    ProgramFactory(name="Medicaid Detox", terms=["detox-hospital", "medicaid"])
    ProgramFactory(name="Cash Residential", terms=["residential-short", "cash"])
    ProgramFactory(name="Medicaid Outpatient", terms=["outpatient-regular", "medicaid"])
    response = client.get(
        f"{PROGRAMS}?level=residential&level=detox&payment=medicaid&payment=medicare"
    )
    assert names(response) == ["Medicaid Detox", "Medicaid Long Residential"]


def test_unpublished_programs_are_neither_listed_nor_shown(client):
    for status in [Program.Status.DRAFT, Program.Status.ARCHIVED]:
        hidden = ProgramFactory(status=status)
        assert client.get(reverse("api-program-detail", args=[hidden.pk])).status_code == 404
    assert client.get(PROGRAMS).json()["count"] == 0


def test_pages_of_20_by_default_and_page_size_up_to_100(client):
    ProgramFactory.create_batch(45, terms=["medicaid"])
    first = client.get(PROGRAMS, {"payment": "medicaid"}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (45, 20, None)
    assert "payment=medicaid" in first["next"] and "page=2" in first["next"]
    last = client.get(PROGRAMS, {"payment": "medicaid", "page": "3"}).json()
    assert len(last["results"]) == 5 and last["next"] is None
    big = client.get(PROGRAMS, {"page_size": "100"}).json()
    assert len(big["results"]) == 45
    everyone = [p["id"] for p in first["results"]] + [
        p["id"] for p in client.get(first["next"]).json()["results"]
    ]
    assert everyone == [p["id"] for p in big["results"][:40]]  # pages do not overlap or skip


def test_program_shows_what_a_partner_needs(client):
    program = ProgramFactory(
        name="Mission Recovery",
        organization=OrganizationFactory(name="Mission Health", website="https://mh.example.org"),
        street2="Suite 2",
        phone="(415) 555-0100",
        phone_extension="12",
        intake_phone="",
        website="https://mission.example.org",
        hours="Mon–Fri 8am–6pm",
        accepting=Program.Accepting.WAITLIST,
        terms=["residential", "residential-short", "buprenorphine", "medicaid"],
    )
    body = client.get(reverse("api-program-detail", args=[program.pk])).json()
    assert body["organization"] == {
        "id": program.organization.pk,
        "name": "Mission Health",
        "website": "https://mh.example.org",
    }
    assert body["phone"] == {"e164": "+14155550100", "display": "(415) 555-0100"}
    assert body["phone_extension"] == "12"
    assert body["intake_phone"] is None
    assert (body["street"], body["street2"], body["city"], body["state"], body["zip_code"]) == (
        "1 Valencia Street",
        "Suite 2",
        "San Francisco",
        "CA",
        "94110",
    )
    assert (body["latitude"], body["longitude"]) == (37.7509, -122.4153)
    assert body["location_approximate"] is False
    assert body["accepting"] == "waitlist" and body["accepting_label"] == "Waitlist"
    assert body["is_stale"] is False and body["last_verified"] == str(program.last_verified)
    assert body["url"] == f"http://testserver/programs/{program.slug}/"
    assert body["distance"] is None
    assert body["terms"]["level"] == [
        {
            "code": "residential",
            "label_en": "Residential (live-in) treatment",
            "label_es": "Tratamiento residencial (internado)",
        },
        {
            "code": "residential-short",
            "label_en": "Short-term residential (30 days or less)",
            "label_es": "Residencial a corto plazo (30 días o menos)",
        },
    ]
    assert [t["code"] for t in body["terms"]["payment"]] == ["medicaid"]
    assert [t["code"] for t in body["terms"]["medication"]] == ["buprenorphine"]


def test_what_a_program_lacks_is_null_not_empty(client):
    program = ProgramFactory(last_verified=None, organization=None, phone="", website="")
    body = client.get(reverse("api-program-detail", args=[program.pk])).json()
    assert (body["is_stale"], body["last_verified"], body["organization"]) == (True, None, None)
    assert (body["phone"], body["website"]) == (None, None)


def test_list_page_makes_the_same_queries_for_1_and_100_programs(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    terms = ["residential", "medicaid", "methadone", "veterans", "spanish"]
    ProgramFactory(terms=terms)
    params = {"location": "94110", "level": "residential", "page_size": "100"}
    client.get(PROGRAMS, params)  # a process reads the taxonomy once, at its first request
    with django_assert_max_num_queries(8) as one:
        assert len(names(client.get(PROGRAMS, params))) == 1
    ProgramFactory.create_batch(99, terms=terms, organization=None)
    ProgramFactory.create_batch(10, terms=terms)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(names(client.get(PROGRAMS, params))) == 100


def test_one_program_costs_two_queries(client, django_assert_num_queries):
    program = ProgramFactory(terms=["residential", "medicaid", "methadone"])
    taxonomy.current()  # as after a process's first request
    with django_assert_num_queries(2):  # the program with its organization; its terms
        client.get(reverse("api-program-detail", args=[program.pk]))
