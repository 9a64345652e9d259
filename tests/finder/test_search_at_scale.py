"""The benchmark's search mix on a small synthetic directory: exactly the right programs, counts
and facet counts, through the page and the API, in a few queries; and the in-memory taxonomy
follows staff edits.

Run on PostgreSQL too (DATABASE_URL=postgres://...): there the searches go through the indexes
of migration 0014 (nearest first from the earthdistance GiST index, terms from each program's
row), and this is what shows those paths give the plain search's answers.
"""

from collections import defaultdict

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import directory as benchmark
from finder.filters import FACET_PARAMS
from programs import keywords, places, search, taxonomy
from programs.models import Program, Term
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
MIX = benchmark.search_mix(per_kind=2)


@pytest.fixture
def directory():
    # Dense enough that every search of the mix finds some programs and most fill a page.
    benchmark.load(1200, progress=lambda message: None)


def published_with_codes() -> list[Program]:
    programs = list(Program.objects.filter(status="published").prefetch_related("terms"))
    for program in programs:
        program.codes = {term.code for term in program.terms.all()}
    return programs


def with_narrower_codes(code: str) -> set[str]:
    return {code, *Term.objects.filter(parent__code=code).values_list("code", flat=True)}


def expected_ids(params: dict, programs: list[Program]) -> list[int]:
    """The whole search worked out in plain Python from coordinates and term codes, in order.

    Keywords: which programs match a text is test_keyword_search.py's business (full-text and
    close spellings on PostgreSQL); here the ORM's matching() over every program is the oracle
    for which match, and the place, facets, order, pages and counts are worked out in Python.
    """
    wanted_by_facet = [
        with_narrower_codes(code)
        for name, code in params.items()
        if name not in {"location", "radius", "facets", "q"}
    ]
    found = [p for p in programs if all(p.codes & wanted for wanted in wanted_by_facet)]
    if "q" in params:
        text = params["q"]
        matching = Program.objects.published().matching(text, keywords.search_words(text))
        if "location" not in params:  # best match first: the ORM's order over every match
            order = list(matching.by_relevance(text).values_list("pk", flat=True))
            ids = {p.pk for p in found}
            return [pk for pk in order if pk in ids]
        ids = set(matching.values_list("pk", flat=True))
        found = [p for p in found if p.pk in ids]
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
    return [p.pk for p in found]


def test_page_and_api_find_exactly_the_programs_a_plain_search_finds(client, directory):
    programs = published_with_codes()
    size = settings.SEARCH_PAGE_SIZE
    for kind, params in MIX:
        expected = expected_ids(params, programs)
        assert expected, f"{kind}: an empty result would prove nothing"
        page = client.get(benchmark.search_url(params)).context["page"]
        assert ([p.pk for p in page], page.count) == (expected[:size], len(expected)), kind
        body = client.get(benchmark.search_url(params, api=True)).json()
        assert [p["id"] for p in body["results"]] == expected[:size], kind
        assert (body["count"], body["count_is_exact"]) == (len(expected), True), kind


def test_capped_counts_and_pages_past_the_cap_match_a_plain_search(client, directory, monkeypatch):
    """With the cap at 30: "30+" above it, exact at or below, and every page still there."""
    monkeypatch.setattr(search, "COUNT_CAP", 30)
    programs = published_with_codes()
    size = settings.SEARCH_PAGE_SIZE
    capped = 0
    for kind, params in MIX:
        expected = expected_ids(params, programs)
        for number in (1, 2, 3):
            rows = expected[(number - 1) * size : number * size]
            if not rows:
                continue
            query = {**params, "page": number}
            page = client.get(benchmark.search_url(query)).context["page"]
            assert [p.pk for p in page] == rows, (kind, number)
            exact = len(expected) <= 30 or len(expected) <= number * size
            assert page.count_is_exact == exact, (kind, number)
            assert page.count == (len(expected) if exact else 30), (kind, number)
            assert page.has_next == (len(expected) > number * size), (kind, number)
            body = client.get(benchmark.search_url(query, api=True)).json()
            assert [p["id"] for p in body["results"]] == rows, (kind, number)
            assert (body["count"], body["count_is_exact"]) == (page.count, exact)
            assert bool(body["next"]) == page.has_next, (kind, number)
            capped += not exact
    assert capped, "no search went past the cap: nothing proved"


def test_facet_counts_match_a_plain_count(client, directory):
    """Each option's count: the search's programs (other facets' choices applied, its own
    facet's cleared) offering the term or a narrower one."""
    programs = published_with_codes()
    facet_of = dict(Term.objects.values_list("code", "facet__code"))
    param_of = {facet: param for param, facet in FACET_PARAMS.items()}
    checked = 0
    for kind, params in MIX:
        if "facets" not in params:
            continue
        chosen = {
            FACET_PARAMS[name]: with_narrower_codes(code)
            for name, code in params.items()
            if name in FACET_PARAMS
        }
        place_only = {k: v for k, v in params.items() if k in {"location", "radius", "q"}}
        searched = set(expected_ids(place_only, programs))
        body = client.get(benchmark.search_url(params, api=True)).json()
        for code, facet in facet_of.items():
            if facet not in param_of:
                continue  # a facet the search form does not offer
            others = [wanted for other, wanted in chosen.items() if other != facet]
            codes = with_narrower_codes(code)
            count = sum(
                1
                for p in programs
                if p.pk in searched and p.codes & codes and all(p.codes & w for w in others)
            )
            shown = {item["code"]: item["count"] for item in body["facets"][param_of[facet]]}
            assert shown[code] == count, (kind, code)
            checked += count > 0
    assert checked, "every count was 0: nothing proved"


def test_every_search_of_the_mix_costs_the_same_few_queries(client, directory):
    """The same number for every search of a kind, however many programs it finds.

    The page's ids and the count come in one query (the count stops at COUNT_CAP), then the
    rows with their term ids (on SQLite a third reads their terms). A page first asks the
    directory's last edit, for its cache key (finder/page_cache.py): one more. The counts
    beside the filters take one more query on a page whose search finds no more than
    COUNT_CAP programs (every search of this directory; two on SQLite), and on the API with
    facets=true. On PostgreSQL a search by relevance (words,
    no place) first asks the planner how many it expects (ProgramQuerySet._ids, EXPLAIN): one
    more; in two parts, when many, another.
    """
    taxonomy.current()  # as after a process's first request
    counts = defaultdict(set)
    for kind, params in MIX:
        for surface in ("page", "api"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(benchmark.search_url(params, api=surface == "api"))
            assert response.status_code == 200
            counts[surface, kind].add(len(queries))
    assert all(len(found) == 1 and max(found) <= 8 for found in counts.values()), counts
    for kind in benchmark.SEARCH_KINDS:
        # Whether any program holds every word (else close spellings) is asked only when a
        # search by words finds nothing. Elsewhere the counts read the term links in a second
        # query.
        postgres = connection.vendor == "postgresql"
        by_relevance = postgres and kind in ("keyword", "name")
        assert counts["page", kind] == {4 + by_relevance + 2 * (not postgres)}, kind


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


def test_a_search_asks_the_shared_cache_for_the_version_once(client, monkeypatch):
    # Each ask is a round trip to Redis; a results page uses the terms ~20 times.
    ProgramFactory(terms=["medicaid"])
    client.get("/", {"location": "94110"})
    asked = []
    get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: asked.append(key) or get(key, *a, **k), raising=False
    )
    response = client.get("/", {"location": "94110", "payment": "medicaid", "sort": "name"})
    assert response.status_code == 200 and response.context["page"].count == 1
    assert asked.count(taxonomy.VERSION_KEY) == 1


def test_an_emptied_cache_reloads_the_terms(client):
    client.get("/")
    Term.objects.filter(code="medicaid").update(label_en="Medicaid after a cache restart")
    cache.clear()
    assert "Medicaid after a cache restart" in client.get("/").content.decode()
