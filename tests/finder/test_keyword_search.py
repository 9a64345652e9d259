"""The keyword box (q=): names, organizations, words for services in English and Spanish."""

import pytest
from django.db import connection
from django.urls import reverse

from finder.filters import ProgramFilter
from programs import keywords, querysets, search, taxonomy
from programs.models import Program, Term
from tests.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
API = "/api/v1/programs/"
SACRAMENTO = {
    "zip_code": "95814",
    "city": "Sacramento",
    "latitude": 38.5804,
    "longitude": -121.4922,
}
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="close spellings need pg_trgm"
)


def names(response) -> list[str]:
    return [program.name for program in response.context["page"]]


def api_names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [program["name"] for program in response.json()["results"]]


def test_a_programs_name_finds_it_first_without_a_place(client):
    ProgramFactory(name="Aletheia House Annex")
    ProgramFactory(name="House of Hope")
    ProgramFactory(name="Aletheia House")
    ProgramFactory(name="Mission Recovery", description="Near Aletheia House on 5th.")
    response = client.get(SEARCH, {"q": "Aletheia House"})
    assert names(response) == [
        "Aletheia House",
        "Aletheia House Annex",
        "Mission Recovery",
    ]


def test_keyword_search_without_a_place_searches_the_whole_directory(client):
    ProgramFactory(name="Newport Academy", **SACRAMENTO)
    ProgramFactory(name="Newport Academy East", state="NY", city="Albany", zip_code="12207")
    assert names(client.get(SEARCH, {"q": "newport academy"})) == [
        "Newport Academy",
        "Newport Academy East",
    ]


def test_keyword_search_with_a_place_stays_within_the_radius_nearest_first(client):
    ProgramFactory(name="Harbor Recovery Sacramento", **SACRAMENTO)
    ProgramFactory(name="Harbor Recovery Mission")
    ProgramFactory(name="Mission Clinic")
    response = client.get(SEARCH, {"q": "harbor", "location": "94110", "radius": "100"})
    assert names(response) == ["Harbor Recovery Mission", "Harbor Recovery Sacramento"]
    response = client.get(SEARCH, {"q": "harbor", "location": "94110", "radius": "25"})
    assert names(response) == ["Harbor Recovery Mission"]


def test_keyword_combines_with_filters(client):
    ProgramFactory(name="Bridge Medicaid", terms=["medicaid"])
    ProgramFactory(name="Bridge Cash", terms=["cash"])
    assert names(client.get(SEARCH, {"q": "bridge", "payment": "medicaid"})) == ["Bridge Medicaid"]


def test_organization_city_and_description_are_searched(client):
    ProgramFactory(name="Clinic A", organization=OrganizationFactory(name="Tarzana Treatment"))
    ProgramFactory(name="Clinic B", **SACRAMENTO)
    ProgramFactory(name="Clinic C", description="Equine therapy on a working ranch.")
    ProgramFactory(name="Clinic D")
    assert names(client.get(SEARCH, {"q": "tarzana"})) == ["Clinic A"]
    assert names(client.get(SEARCH, {"q": "sacramento"})) == ["Clinic B"]
    assert names(client.get(SEARCH, {"q": "equine"})) == ["Clinic C"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("women", "For Women"),
        ("programs for women", "For Women"),
        ("mujeres", "For Women"),
        ("teen", "For Teens"),
        ("adolescentes", "For Teens"),
        ("suboxone", "Bupe Clinic"),
        ("buprenorfina", "Bupe Clinic"),
        ("Buprenorphine", "Bupe Clinic"),
    ],
)
def test_words_for_services_find_programs_offering_them(client, typed, found):
    ProgramFactory(name="For Women", terms=["women"])
    ProgramFactory(name="For Teens", terms=["adolescents"])
    # A narrower term is found by its broader one's word.
    ProgramFactory(name="Bupe Clinic", terms=["buprenorphine-naloxone"])
    ProgramFactory(name="For Men", terms=["men"])
    assert names(client.get(SEARCH, {"q": typed})) == [found]
    assert names(client.get("/es" + SEARCH, {"q": typed})) == [found]
    assert api_names(client.get(API, {"q": typed})) == [found]


def test_men_does_not_find_programs_for_women(client):
    ProgramFactory(name="Harbor House", terms=["women"])
    ProgramFactory(name="Bay House", terms=["men"])
    assert names(client.get(SEARCH, {"q": "men"})) == ["Bay House"]


def test_female_finds_programs_for_women_not_every_program_accepting_women(client):
    ProgramFactory(name="Her Place", terms=["women", "accepts-women"])
    ProgramFactory(name="Coed Recovery", terms=["accepts-women", "accepts-men"])
    assert names(client.get(SEARCH, {"q": "female"})) == ["Her Place"]


def test_every_word_must_match(client):
    ProgramFactory(name="Harbor Women", terms=["women"])
    ProgramFactory(name="Harbor Teens", terms=["adolescents"])
    assert names(client.get(SEARCH, {"q": "harbor teen"})) == ["Harbor Teens"]


def test_the_synonym_table_names_only_real_terms():
    codes = set(Program.terms.field.related_model.objects.values_list("code", flat=True))
    assert {code for found in keywords.SYNONYMS.values() for code in found} <= codes


@postgres_only
def test_a_misspelt_name_still_finds_it_on_postgresql(client):
    ProgramFactory(name="Aletheia House")
    ProgramFactory(name="Harbor Recovery")
    assert names(client.get(SEARCH, {"q": "alethia house"})) == ["Aletheia House"]


@postgres_only
def test_close_spellings_do_not_crowd_out_the_programs_holding_every_word(client):
    ProgramFactory(name="Hope Ridge Center")  # spelt close to "hope bridge"
    ProgramFactory(name="Hope Bridge Recovery")
    assert names(client.get(SEARCH, {"q": "hope bridge"})) == ["Hope Bridge Recovery"]
    # No name holds "brige": the names spelt close to the whole text (Hope Ridge is not).
    assert names(client.get(SEARCH, {"q": "hope brige"})) == ["Hope Bridge Recovery"]


def test_a_name_typed_as_a_place_is_offered_as_a_name_search(client):
    ProgramFactory(name="Newport Academy")
    html = client.get(SEARCH, {"location": "Newport Academy"}).content.decode()
    assert "Search for “Newport Academy” by name" in html
    assert "?q=Newport+Academy" in html
    html = client.get(SEARCH, {"location": "Nowhereville, CA"}).content.decode()
    assert "Search for “Nowhereville" not in html


def test_api_keyword_search_is_best_match_first(client):
    ProgramFactory(name="Summit Counseling Annex")
    ProgramFactory(name="Summit Counseling")
    assert api_names(client.get(API, {"q": "summit counseling"})) == [
        "Summit Counseling",
        "Summit Counseling Annex",
    ]


def test_hsds_search_uses_the_keyword_search(client):
    ProgramFactory(name="For Teens", terms=["adolescents"])
    ProgramFactory(name="For Men", terms=["men"])
    response = client.get("/hsds/services", {"search": "teen"})
    assert response.status_code == 200
    assert [service["name"] for service in response.json()["contents"]] == ["For Teens"]


def test_the_keyword_box_and_sort_are_in_spanish_too(client):
    ProgramFactory()
    html = client.get("/es/", {"location": "94110"}).content.decode()
    assert "Nombre del programa o palabra clave (opcional)" in html
    assert "Los que aceptan pacientes nuevos primero" in html


# The name, names starting with it, names holding it, then programs only described by it.
BEST_FIRST = [
    ("Harbor", ""),
    ("Harbor House", ""),
    ("Aaron Safe Harbor", ""),
    ("Zed Harbor Annex", ""),
    ("Aaron Clinic", "By the harbor."),
    ("Mission Recovery", "Near the harbor."),
    ("Zeta House", "Harbor view."),
]


@pytest.mark.parametrize("in_parts", [False, True])
def test_every_page_of_a_keyword_search_is_best_match_first_past_the_count_cap(
    client, settings, monkeypatch, in_parts
):
    # in_parts: as a word the planner expects many programs to hold (read in two parts).
    monkeypatch.setattr(querysets, "RANK_IN_ONE_QUERY_UP_TO", -1 if in_parts else 2_000)
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    settings.SEARCH_PAGE_SIZE = 2
    settings.SEARCH_CACHE_SECONDS = 0
    for name, description in BEST_FIRST:
        ProgramFactory(name=name, description=description)
    ProgramFactory(name="Bay Clinic", description="Downtown.")
    expected = [name for name, _ in BEST_FIRST]
    for number in range(1, 5):
        rows = expected[(number - 1) * 2 : number * 2]
        assert names(client.get(SEARCH, {"q": "harbor", "page": number})) == rows, number
        api = client.get(API, {"q": "harbor", "page": number, "page_size": 2})
        assert api_names(api) == rows, number


def test_a_sort_or_a_place_wins_over_best_match_first(client):
    for name, description in BEST_FIRST:
        ProgramFactory(name=name, description=description)
    ProgramFactory(name="Harbor Sacramento", **SACRAMENTO)
    by_name = sorted([name for name, _ in BEST_FIRST] + ["Harbor Sacramento"])
    assert names(client.get(SEARCH, {"q": "harbor", "sort": "name"})) == by_name
    assert api_names(client.get(API, {"q": "harbor", "sort": "name"})) == by_name
    assert names(client.get(SEARCH, {"q": "harbor", "location": "95814"})) == ["Harbor Sacramento"]


def test_organization_city_and_description_are_searched_near_a_place_too(client):
    ProgramFactory(name="Clinic A", organization=OrganizationFactory(name="Tarzana Treatment"))
    ProgramFactory(name="Clinic B", **SACRAMENTO)
    ProgramFactory(name="Clinic C", description="Equine therapy on a working ranch.")
    ProgramFactory(name="Clinic D")
    near = {"location": "94110", "radius": "100"}
    assert names(client.get(SEARCH, {"q": "tarzana", **near})) == ["Clinic A"]
    assert names(client.get(SEARCH, {"q": "sacramento", **near})) == ["Clinic B"]
    assert names(client.get(SEARCH, {"q": "equine", **near})) == ["Clinic C"]
    assert names(client.get(SEARCH, {"q": "equine ranch", **near})) == ["Clinic C"]
    assert names(client.get(SEARCH, {"q": "equine tarzana", **near})) == []


@postgres_only
def test_every_page_of_close_spellings_can_be_reached(client):
    for n in range(25):
        ProgramFactory(name=f"Aletheia House {n:02}")
    first = client.get(SEARCH, {"q": "alethia house"})
    second = client.get(SEARCH, {"q": "alethia house", "page": "2"})
    assert first.status_code == second.status_code == 200
    assert len(names(first)) == 20 and len(names(second)) == 5
    assert set(names(first)).isdisjoint(names(second))


@postgres_only
def test_close_spellings_near_a_place_with_their_counts_and_in_the_download(client):
    ProgramFactory(name="Aletheia House", terms=["medicaid"])
    ProgramFactory(name="Harbor Recovery", terms=["medicaid"])
    typed = {"q": "alethia house", "location": "94110"}
    response = client.get(SEARCH, typed)
    assert names(response) == ["Aletheia House"]
    medicaid = Program.objects.get(name="Harbor Recovery").terms.get(code="medicaid")
    assert response.context["facet_counts"][medicaid.pk] == 1
    download = client.get(reverse("export-csv"), typed).content.decode()
    assert "Aletheia House" in download and "Harbor Recovery" not in download


@postgres_only
def test_no_close_spellings_when_the_words_are_held_elsewhere(client):
    # Every word is in a name, just not near this place: the search says none here, rather
    # than showing names spelt close to the words.
    ProgramFactory(name="Aletheia House", **SACRAMENTO)
    ProgramFactory(name="Alethea Housing")
    assert names(client.get(SEARCH, {"q": "aletheia house", "location": "94110"})) == []


def test_a_relabelled_service_is_found_by_its_new_name_at_once(client):
    ProgramFactory(name="Clinic A", terms=["iop"])
    ProgramFactory(name="Clinic B")
    assert names(client.get(SEARCH, {"q": "daytime"})) == []
    Term.objects.filter(code="iop").update(label_en="Intensive daytime outpatient")
    taxonomy.changed()  # as QuerySet.update's callers must
    assert names(client.get(SEARCH, {"q": "daytime"})) == ["Clinic A"]


@postgres_only
def test_once_a_search_turns_to_close_spellings_its_counts_follow(rf):
    ProgramFactory(name="Aletheia House", terms=["medicaid"])
    request = rf.get(SEARCH, {"q": "alethia house"})
    filterset = ProgramFilter(request.GET, queryset=Program.objects.published(), request=request)
    page = search.page_of_programs(filterset.qs, number=1, size=20)
    assert [program.name for program in page] == ["Aletheia House"]
    unfaceted, chosen = filterset.without_facets()
    assert [program.name for program in unfaceted] == ["Aletheia House"] and chosen == {}


@postgres_only
def test_hsds_search_finds_close_spellings_and_words_near_a_postcode(client):
    ProgramFactory(name="Aletheia House", description="Equine therapy on a ranch.")
    ProgramFactory(name="Harbor Recovery", **SACRAMENTO)

    def found(path, params):
        response = client.get(path, params)
        assert response.status_code == 200, response.content
        return len(response.json()["contents"])

    assert found("/hsds/services", {"search": "alethia house"}) == 1
    near = {"postcode": "94110"}
    assert found("/hsds/service_at_locations", {"search": "equine", **near}) == 1
    assert found("/hsds/service_at_locations", {"search": "harbor", **near}) == 0
