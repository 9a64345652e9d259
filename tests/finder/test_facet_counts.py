"""Counts beside the filter options: each checked against a plain-Python recount."""

import random

import pytest
from django.db import connection
from django.urls import reverse

from finder.filters import FACET_PARAMS
from programs import search, taxonomy
from programs.models import Program, Term
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
API = "/api/v1/programs/"
CODES = [
    "residential",
    "residential-short",
    "detox",
    "outpatient",
    "iop",
    "medicaid",
    "medicare",
    "cash",
    "buprenorphine",
    "buprenorphine-naloxone",
    "methadone",
    "women",
    "adolescents",
    "spanish",
]


@pytest.fixture
def directory():
    """Forty programs with seeded random terms, some far from San Francisco, some unpublished."""
    rng = random.Random(14)
    for i in range(40):
        far = rng.random() < 0.25
        ProgramFactory(
            name=f"Program {i:02}",
            terms=rng.sample(CODES, rng.randint(0, 6)),
            accepting=rng.choice(["yes", "no", "unknown"]),
            status="draft" if rng.random() < 0.1 else "published",
            **({"latitude": 38.5804, "longitude": -121.4922, "city": "Sacramento"} if far else {}),
        )


def recount(params: dict) -> dict[str, dict[str, int]]:
    """Per facet parameter, per term code: the programs the search would give with that term
    ticked and the facet's own other choices cleared, counted in Python."""
    snapshot = taxonomy.current()

    def offers(program, codes) -> bool:
        terms = [snapshot.by_pk[pk] for pk in program.term_pks]
        wanted = set()
        for term in Term.objects.filter(code__in=codes):
            wanted |= {term.pk, *snapshot.children.get(term.pk, [])}
        return not codes or any(term.pk in wanted for term in terms)

    programs = list(Program.objects.published().prefetch_related("terms"))
    for program in programs:
        program.term_pks = [term.pk for term in program.terms.all()]
    if params.get("location"):  # the fixture's places: 25 miles of 94110 holds San Francisco only
        programs = [p for p in programs if p.city != "Sacramento"]
    if params.get("accepting"):
        programs = [p for p in programs if p.accepting == "yes"]
    counts = {}
    for param, facet in FACET_PARAMS.items():
        others = [
            p
            for p in programs
            if all(offers(p, params.get(other, [])) for other in FACET_PARAMS if other != param)
        ]
        counts[param] = {
            term.code: sum(offers(p, [term.code]) for p in others)
            for term in snapshot.by_facet.get(facet, [])
        }
    return counts


SEARCHES = [
    {"location": "94110"},
    {"location": "94110", "level": ["residential"]},
    {"location": "94110", "level": ["residential", "outpatient"], "payment": ["medicaid"]},
    {"location": "94110", "payment": ["medicaid", "cash"], "medication": ["buprenorphine"]},
    {"location": "94110", "accepting": "on", "population": ["women"], "level": ["detox"]},
]


@pytest.mark.parametrize("params", SEARCHES)
def test_each_options_count_is_what_ticking_it_would_give(client, directory, params):
    response = client.get(SEARCH, params)
    counts = response.context["facet_counts"]
    by_code = {term.code: counts.get(term.pk, 0) for term in taxonomy.current().by_pk.values()}
    expected = recount(params)
    for param, codes in expected.items():
        assert {code: by_code[code] for code in codes} == codes, param


def test_an_unchosen_options_count_is_the_results_it_would_leave(client, directory):
    params = {"location": "94110", "level": ["residential"]}
    response = client.get(SEARCH, params)
    total, counts = response.context["page"].count, response.context["facet_counts"]
    medicaid = taxonomy.current().by_facet["payment"][0]
    narrowed = client.get(SEARCH, {**params, "payment": [medicaid.code]}).context["page"].count
    assert counts.get(medicaid.pk, 0) == narrowed <= total


@pytest.mark.parametrize(
    "params", [{"q": "Program 1"}, {"accepting": "on"}, {"location": "94110", "accepting": "on"}]
)
def test_with_nothing_ticked_each_count_is_the_search_with_that_option(client, directory, params):
    # Read from the ids the page already has, not by running the search again.
    counts = client.get(SEARCH, params).context["facet_counts"]
    assert counts is not None
    for param, code in [("level", "residential"), ("level", "detox"), ("payment", "medicaid")]:
        term = Term.objects.get(code=code)
        ticked = client.get(SEARCH, {**params, param: [code]}).context["page"].count
        assert counts.get(term.pk, 0) == ticked, code


def test_counts_show_beside_options_and_zero_stays_visible(client):
    ProgramFactory(terms=["medicaid"])
    ProgramFactory(terms=["medicaid", "cash"])
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    assert 'Medicaid <span class="option-count">(2)</span>' in html
    assert 'Cash or self-payment <span class="option-count">(1)</span>' in html
    assert 'Medicare <span class="option-count">(0)</span>' in html


def test_counts_take_one_query(directory, django_assert_num_queries):
    medicaid = Term.objects.get(code="medicaid")
    programs = Program.objects.published().offering([[medicaid.pk]])
    taxonomy.current()  # read once per process, as after the first request
    # On PostgreSQL the term ids come in each program's row; elsewhere from the term links.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        search.facet_counts(programs, {medicaid.facet_id: [medicaid.pk]})


def test_api_gives_the_same_counts_with_facets_true(client, directory):
    params = {"location": "94110", "level": ["residential", "outpatient"], "payment": ["medicaid"]}
    page = client.get(SEARCH, params).context["facet_counts"]
    response = client.get(API, {**params, "facets": "true"})
    assert response.status_code == 200
    facets = response.json()["facets"]
    for param, options in facets.items():
        for option in options:
            term = Term.objects.get(code=option["code"])
            assert option["count"] == page.get(term.pk, 0), (param, option)
    assert "facets" not in client.get(API, params).json()
    assert client.get(API, {**params, "facets": "maybe"}).status_code == 400


def test_a_search_finding_more_than_the_cap_shows_no_counts(
    client, directory, monkeypatch, settings
):
    settings.SEARCH_CACHE_SECONDS = 0  # the same search asked twice, under two caps
    # Counting every match was most of the page's time for dense searches (docs/performance.md).
    published = Program.objects.published().count()
    monkeypatch.setattr(search, "COUNT_CAP", published - 1)
    nationwide = client.get(SEARCH, {"level": ["residential"]})
    assert nationwide.context["facet_counts"] is None
    assert 'class="option-count"' not in nationwide.content.decode()
    monkeypatch.setattr(search, "COUNT_CAP", published)
    assert client.get(SEARCH, {"level": ["residential"]}).context["facet_counts"] is not None


def test_api_facets_are_null_above_the_cap(client, directory, monkeypatch):
    params = {"location": "94110", "payment": ["medicare"], "facets": "true"}
    counted = client.get(API, params).json()
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    uncounted = client.get(API, {**params, "page_size": 1}).json()
    assert counted["facets"]["payment"] and uncounted["facets"] is None


def test_the_cap_applies_to_the_search_without_its_facets(client, directory, monkeypatch, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    # The page's own results are few, but ticking another option would be counted among the
    # whole unfaceted search, which is more than the cap: no counts.
    params = {"location": "94110", "payment": ["medicare"], "level": ["detox"]}
    page = client.get(SEARCH, params).context["page"]
    unfaceted = client.get(SEARCH, {"location": "94110"}).context["page"].count
    monkeypatch.setattr(search, "COUNT_CAP", unfaceted - 1)
    assert page.count < unfaceted - 1
    assert client.get(SEARCH, params).context["facet_counts"] is None
