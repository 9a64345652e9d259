import math
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from programs import querysets
from programs.models import Program
from programs.places import Point, distance_miles
from programs.taxonomy import with_narrower
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

# ZIP centroids from the bundled gazetteer.
ZIP_POINTS = {
    "94110": Point(37.7509, -122.4153),  # San Francisco
    "94612": Point(37.8085, -122.2668),  # Oakland
    "95814": Point(38.5804, -121.4922),  # Sacramento
    "10001": Point(40.7484, -73.9967),  # New York
    "19103": Point(39.9513, -75.1741),  # Philadelphia
    "60614": Point(41.9229, -87.6483),  # Chicago
}


def law_of_cosines_miles(a: Point, b: Point) -> float:
    """An independent hand formula (spherical law of cosines), not the code under test."""
    la1, la2 = math.radians(a.latitude), math.radians(b.latitude)
    dlon = math.radians(b.longitude - a.longitude)
    cos_c = math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(dlon)
    return 3958.8 * math.acos(cos_c)


def at(zip_code: str, **kwargs) -> Program:
    point = ZIP_POINTS[zip_code]
    return ProgramFactory(
        zip_code=zip_code, latitude=point.latitude, longitude=point.longitude, **kwargs
    )


@pytest.mark.parametrize(
    "origin, destination",
    [("94110", "94612"), ("94110", "95814"), ("10001", "19103"), ("10001", "60614")],
)
def test_near_matches_hand_computed_distance_for_real_zip_pairs(origin, destination):
    program = at(destination)
    expected = law_of_cosines_miles(ZIP_POINTS[origin], ZIP_POINTS[destination])
    found = Program.objects.near(ZIP_POINTS[origin], miles=expected + 5).get(pk=program.pk)
    assert found.distance == pytest.approx(expected, rel=0.005)


def test_near_excludes_programs_outside_radius():
    oakland, sacramento = at("94612"), at("95814")
    ids = set(Program.objects.near(ZIP_POINTS["94110"], miles=25).values_list("pk", flat=True))
    assert oakland.pk in ids
    assert sacramento.pk not in ids


def test_near_sorts_nearest_first():
    sacramento, oakland, here = at("95814"), at("94612"), at("94110")
    names = list(Program.objects.near(ZIP_POINTS["94110"], miles=100))
    assert names == [here, oakland, sacramento]


def test_near_skips_programs_without_coordinates():
    ProgramFactory(latitude=None, longitude=None)
    assert not Program.objects.near(ZIP_POINTS["94110"], miles=100).exists()


def test_with_distance_annotates_without_filtering():
    at("60614")
    (program,) = Program.objects.with_distance(ZIP_POINTS["94110"])
    assert program.distance > 1800


def test_published_hides_drafts_and_archived():
    shown = ProgramFactory(status=Program.Status.PUBLISHED)
    ProgramFactory(status=Program.Status.DRAFT)
    ProgramFactory(status=Program.Status.ARCHIVED)
    assert list(Program.objects.published()) == [shown]


def test_offering_matches_any_term_within_a_facet(term):
    medicaid = ProgramFactory(terms=["medicaid"])
    medicare = ProgramFactory(terms=["medicare"])
    ProgramFactory(terms=["cash"])
    found = Program.objects.offering(with_narrower([term("medicaid"), term("medicare")]))
    assert set(found) == {medicaid, medicare}


def test_offering_requires_every_facet_chosen(term):
    both = ProgramFactory(terms=["residential", "medicaid"])
    ProgramFactory(terms=["residential", "cash"])
    ProgramFactory(terms=["outpatient-regular", "medicaid"])
    found = Program.objects.offering(
        with_narrower([term("residential"), term("medicaid"), term("medicare")])
    )
    assert list(found) == [both]


def test_broad_term_finds_programs_with_a_narrower_term(term):
    short_stay = ProgramFactory(terms=["residential-short"])
    ProgramFactory(terms=["residential-long"])
    assert short_stay in Program.objects.offering(with_narrower([term("residential")]))
    assert list(Program.objects.offering(with_narrower([term("residential-long")]))) != [short_stay]


def test_offering_returns_each_program_once(term):
    program = ProgramFactory(terms=["medicaid", "medicare", "cash"])
    found = Program.objects.offering(
        with_narrower([term("medicaid"), term("medicare"), term("cash")])
    )
    assert list(found) == [program]


def test_near_and_offering_chain(term):
    near_match = at("94612", terms=["buprenorphine"])
    at("94612", terms=["methadone"])
    at("60614", terms=["buprenorphine"])
    found = (
        Program.objects.published()
        .near(ZIP_POINTS["94110"], miles=25)
        .offering(with_narrower([term("buprenorphine")]))
    )
    assert list(found) == [near_match]


def test_stale_is_never_verified_or_not_for_a_year():
    today = timezone.localdate()
    never = ProgramFactory(last_verified=None)
    old = ProgramFactory(last_verified=today - timedelta(days=366))
    fresh = ProgramFactory(last_verified=today - timedelta(days=30))
    assert set(Program.objects.stale()) == {never, old}
    assert list(Program.objects.recently_verified()) == [fresh]
    assert [p.is_stale for p in (never, old, fresh)] == [True, True, False]


def test_page_ids_gives_a_page_in_the_queryset_order_and_the_whole_count(term):
    programs = [ProgramFactory(name=f"Program {n:02}", terms=["medicaid"]) for n in range(7)]
    ProgramFactory(name="Program without Medicaid")
    matching = Program.objects.offering(with_narrower([term("medicaid")])).order_by("name")
    assert matching.page_ids(2, 3) == ([p.pk for p in programs[3:6]], 7, True, None)
    assert matching.page_ids(3, 3) == ([programs[6].pk], 7, True, None)
    assert matching.page_ids(4, 3) == ([], None, True, None)  # past the end: nothing to count


def test_page_ids_counts_no_further_than_the_cap():
    ids = [ProgramFactory(name=f"Program {n:02}").pk for n in range(7)]
    programs = Program.objects.order_by("name")
    # Within the cap: more than 5 found is "5 or more", not exact.
    assert programs.page_ids(1, 2, cap=5) == (ids[:2], 5, False, None)
    # Every match counted: their ids come too (the facet counts read them, not the search).
    assert programs.page_ids(1, 2, cap=7) == (ids[:2], 7, True, ids)
    # Past the cap a page is still there, and says whether another follows (not exact)...
    assert programs.page_ids(3, 2, cap=5) == (ids[4:6], 5, False, None)
    # ...until the last page, which knows exactly how many there are.
    assert programs.page_ids(4, 2, cap=5) == (ids[6:], 7, True, None)
    assert programs.page_ids(5, 2, cap=5) == ([], None, True, None)


def test_page_ids_of_a_search_by_distance_counts_in_the_same_query(django_assert_num_queries):
    origin = Point(37.7599, -122.4148)
    programs = [ProgramFactory(latitude=37.76 + n / 100, longitude=-122.41) for n in range(5)]
    ProgramFactory(latitude=39.0, longitude=-122.41)  # 85 miles away
    with django_assert_num_queries(1):
        assert Program.objects.near(origin, miles=25).page_ids(2, 2, cap=1000) == (
            [programs[2].pk, programs[3].pk],
            5,
            True,
            [program.pk for program in programs],
        )


def test_near_orders_programs_at_one_spot_by_name_then_id():
    origin = Point(37.7599, -122.4148)
    farther = ProgramFactory(name="Aardvark", latitude=37.80, longitude=-122.41)
    same_spot = [
        ProgramFactory(name=name, latitude=37.77, longitude=-122.41)
        for name in ["Cedar", "Beacon", "Cedar"]
    ]
    found = list(Program.objects.near(origin, miles=25))
    assert found == [same_spot[1], same_spot[0], same_spot[2], farther]


def test_near_finds_the_same_programs_in_the_same_order_as_the_haversine():
    """Nearest first by the great-circle distance, whichever index PostgreSQL walks."""
    origin = Point(40.7484, -73.9967)
    rng = random.Random(4)
    for n in range(120):
        ProgramFactory(
            name=f"Program {n % 7}",
            latitude=origin.latitude + rng.uniform(-1.2, 1.2),
            longitude=origin.longitude + rng.uniform(-1.5, 1.5),
        )
    expected = sorted(
        (
            (distance_miles(origin, Point(p.latitude, p.longitude)), p.name, p.pk)
            for p in Program.objects.all()
        ),
    )
    expected = [pk for miles, _, pk in expected if miles <= 50]
    assert 20 < len(expected) < 120
    found = Program.objects.published().near(origin, miles=50)
    assert [p.pk for p in found] == expected
    assert found.page_ids(2, 10, cap=1000) == (expected[10:20], len(expected), True, expected)


def test_offering_follows_every_change_to_a_programs_terms(term):
    """On PostgreSQL the terms are read from the program's row, kept by triggers."""
    program = ProgramFactory(terms=["medicaid"])
    medicaid, medicare = with_narrower([term("medicaid")]), with_narrower([term("medicare")])
    assert list(Program.objects.offering(medicaid)) == [program]
    program.terms.add(term("medicare"))
    assert list(Program.objects.offering(medicare)) == [program]
    program.terms.remove(term("medicaid"))
    assert list(Program.objects.offering(medicaid)) == []
    program.terms.set([term("medicaid")])
    assert list(Program.objects.offering(medicaid)) == [program]
    assert list(Program.objects.offering(medicare)) == []
    program.terms.clear()
    assert list(Program.objects.offering(medicaid)) == []


# Programs found by "harbor", in by_relevance()'s order: named it (ties by id), named starting
# with it, holding it, then only described by it, each part by name. A sort by name alone
# differs, and each part holds programs on both sides of the others' names.
BY_RELEVANCE = [
    ("Harbor", ""),
    ("harbor", ""),
    ("Harbor House", ""),
    ("harbor hope", ""),
    ("Aaron Safe Harbor", ""),
    ("Zed Harbor Annex", ""),
    ("Aaron Clinic", "By the harbor."),
    ("Bay Recovery", "Ferry to the harbor."),
    ("Cove Counseling", "Harbor district."),
    ("Mission Recovery", "Near the harbor."),
    ("Open Door", "Harbor district."),
    ("Pier Point", "Harbor district."),
    ("Quay Center", "Harbor district."),
    ("Zeta House", "Harbor view."),
]


@pytest.fixture
def harbor_search():
    programs = [ProgramFactory(name=name, description=text) for name, text in BY_RELEVANCE]
    ProgramFactory(name="Bay Clinic", description="Downtown.")
    ProgramFactory(name="Harbor Draft", status="draft")
    search = Program.objects.published().matching("harbor").by_relevance("harbor")
    return search, [program.pk for program in programs]


def test_by_relevance_orders_the_name_first_then_names_starting_holding_it_then_the_rest(
    harbor_search,
):
    search, expected = harbor_search
    assert list(search.values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("in_parts", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3])
@pytest.mark.parametrize("cap", [None, 3, 4, 6, 7, 100])
def test_page_ids_by_relevance_gives_every_page_of_the_one_sorted_query(
    harbor_search, cap, size, in_parts, monkeypatch
):
    # in_parts: as a search the planner expects to find many (PostgreSQL reads it in parts).
    monkeypatch.setattr(querysets, "RANK_IN_ONE_QUERY_UP_TO", -1 if in_parts else 2_000)
    search, expected = harbor_search
    for number in range(1, len(expected) // size + 3):
        page, count, exact, every = search.page_ids(number, size, cap)
        assert page == expected[(number - 1) * size : number * size], (cap, number)
        if page and (cap is None or exact):
            assert count == len(expected), (cap, number)
        assert every in (None, expected), (cap, number)
        if page and cap and number * size <= cap and exact:
            assert every == expected, (cap, number)


def test_an_explicit_sort_or_a_place_wins_over_relevance(harbor_search):
    search, expected = harbor_search
    names = dict(Program.objects.values_list("pk", "name"))
    by_name = sorted(expected, key=lambda pk: (names[pk], pk))
    assert by_name != expected
    assert search.sorted_by("name").page_ids(1, 20, cap=5)[0] == by_name
    # The least relevant nearest, each a mile further than the next.
    for miles, pk in enumerate(reversed(expected)):
        Program.objects.filter(pk=pk).update(latitude=37.7509 + miles / 69, longitude=-122.4153)
    nearest_first = search.near(ZIP_POINTS["94110"], miles=25)
    assert nearest_first.page_ids(1, 20, cap=5)[0] == expected[::-1]
