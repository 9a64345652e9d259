"""The benchmark's search mix on a small synthetic directory: exactly the right programs, through
the page and the API, in a few queries; and the in-memory taxonomy follows staff edits."""

from collections import defaultdict

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import directory as benchmark
from programs import places, taxonomy
from programs.models import Program, Term

pytestmark = pytest.mark.django_db
MIX = benchmark.search_mix(per_kind=2)


@pytest.fixture
def directory():
    # Dense enough that every search of the mix finds some programs and most fill a page.
    benchmark.load(1200, progress=lambda message: None)


def expected_ids(params: dict, programs: list[Program]) -> tuple[list[int], int]:
    """The search worked out in plain Python from coordinates and term codes: (page 1, count)."""
    wanted_by_facet = [
        {code, *Term.objects.filter(parent__code=code).values_list("code", flat=True)}
        for name, code in params.items()
        if name not in {"location", "radius", "facets"}
    ]
    found = [p for p in programs if all(p.codes & wanted for wanted in wanted_by_facet)]
    if "location" in params:
        point = places.resolve(params["location"]).point
        miles = int(params.get("radius", settings.SEARCH_DEFAULT_RADIUS))
        for p in found:
            p.miles = places.distance_miles(point, places.Point(p.latitude, p.longitude))
        found = sorted(
            (p for p in found if p.miles <= miles), key=lambda p: (p.miles, p.name, p.pk)
        )
    else:
        found = sorted(found, key=lambda p: (p.name, p.pk))
    return [p.pk for p in found[: settings.SEARCH_PAGE_SIZE]], len(found)


def test_page_and_api_find_exactly_the_programs_a_plain_search_finds(client, directory):
    programs = list(Program.objects.filter(status="published").prefetch_related("terms"))
    for program in programs:
        program.codes = {term.code for term in program.terms.all()}
    for kind, params in MIX:
        if "q" in params:
            continue  # keywords: test_keyword_search.py, and the name searches below
        expected = expected_ids(params, programs)
        assert expected[1] > 0, f"{kind}: an empty result would prove nothing"
        page = client.get(benchmark.search_url(params)).context["page"]
        assert ([p.pk for p in page], page.count) == expected, kind
        body = client.get(benchmark.search_url(params, api=True)).json()
        assert ([p["id"] for p in body["results"]], body["count"]) == expected, kind


def test_every_search_of_the_mix_costs_the_same_few_queries(client, directory):
    """The same number for every search of a kind, however many programs it finds.

    A search by location counts its matches in the query that pages them; one by name counts
    in a query of its own (ProgramQuerySet.page_ids): one query more, the same for all. A page
    first asks the directory's last edit, for its cache key (finder/page_cache.py): two more.
    The counts beside the filters take one more query on every page, and on the API with
    facets=true.
    """
    taxonomy.current()  # as after a process's first request
    counts = defaultdict(set)
    for kind, params in MIX:
        for surface in ("page", "api"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(benchmark.search_url(params, api=surface == "api"))
            assert response.status_code == 200
            counts[surface, kind].add(len(queries))
    assert all(len(found) == 1 and max(found) <= 7 for found in counts.values()), counts
    for kind in benchmark.SEARCH_KINDS:
        # nationwide without keywords: no counts (finder.views._facet_counts)
        expected = {6} if kind.startswith(("zip", "rural", "nolocation")) else {7}
        assert counts["page", kind] == expected, kind


def test_a_programs_name_finds_it_first(client, directory):
    for kind, params in MIX:
        if kind == "name":
            page = client.get(benchmark.search_url(params)).context["page"]
            assert page[0].name == params["q"]
            body = client.get(benchmark.search_url(params, api=True)).json()
            assert body["results"][0]["name"] == params["q"]


def test_a_programs_name_finds_it_first_among_10k(client):
    benchmark.load(10_000, progress=lambda message: None)
    programs = list(Program.objects.published().order_by("pk"))
    for program in programs[7::1999]:  # "Harbor Hope Clinic 8": also in "... 80", "... 800"
        page = client.get(benchmark.search_url({"q": program.name})).context["page"]
        assert page[0] == program, program.name


def test_a_renamed_term_shows_on_the_next_search(client):
    client.get("/")
    medicaid = Term.objects.get(code="medicaid")
    medicaid.label_en = "Medicaid (all state plans)"
    medicaid.save()
    assert "Medicaid (all state plans)" in client.get("/").content.decode()


def test_terms_come_from_memory_until_another_process_says_they_changed(client):
    client.get("/")
    # A write no signal sees, like a bulk update: this process keeps what it read...
    Term.objects.filter(code="medicaid").update(label_en="Medicaid, renamed elsewhere")
    assert "Medicaid, renamed elsewhere" not in client.get("/").content.decode()
    # ...until the shared version changes, as another process's save does.
    cache.set(taxonomy.VERSION_KEY, "another process saved a term")
    assert "Medicaid, renamed elsewhere" in client.get("/").content.decode()


def test_an_emptied_cache_reloads_the_terms(client):
    client.get("/")
    Term.objects.filter(code="medicaid").update(label_en="Medicaid after a cache restart")
    cache.clear()
    assert "Medicaid after a cache restart" in client.get("/").content.decode()
