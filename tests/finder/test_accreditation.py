"""Licensing and accreditation (issue 19, part 4): the facet of migration 0011, the "Accredited"
filter in the page and both APIs, the "Licensed by …; accredited by …" line on the card and the
program's page, and the guide section it links to."""

import json
import re

import pytest
from django.urls import reverse

from programs import search, taxonomy
from programs.hsds import records
from programs.importers.sync import import_file
from programs.models import Facet, Program, Term
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
API = "/api/v1/programs/"
GUIDE_LINK = "/guides/helping-a-loved-one/#licensing-and-accreditation"

# What the code map (programs/importers) maps SAMHSA's codes onto: these exact codes.
NARROWER = {
    "state-licensed": [
        "licensed-substance-use-agency",
        "licensed-mental-health-agency",
        "licensed-health-department",
        "licensed-hospital-authority",
        "licensed-other-state-agency",
    ],
    "accredited": [
        "accredited-joint-commission",
        "accredited-carf",
        "accredited-ncqa",
        "accredited-coa",
        "accredited-hfap",
        "accredited-other",
    ],
}


@pytest.fixture
def directory(db):
    """Four programs near 94110: two accredited (one by two bodies), one only licensed, one
    saying nothing."""
    return {
        "both": ProgramFactory(
            name="Mission Recovery",
            terms=[
                "licensed-substance-use-agency",
                "accredited-joint-commission",
                "accredited-carf",
            ],
        ),
        "carf": ProgramFactory(name="Valencia House", terms=["accredited-carf", "medicaid"]),
        "licensed": ProgramFactory(name="Bayview Clinic", terms=["licensed-health-department"]),
        "silent": ProgramFactory(name="Noe Outpatient", terms=["outpatient"]),
    }


def names(response) -> set[str]:
    return {program.name for program in response.context["page"]}


def card(html: str, name: str) -> str:
    """The result card (<li class="result">) that names the program."""
    cards = re.findall(r'<li class="result".*?</li>\n', html, flags=re.S)
    return next(c for c in cards if f">{name}</a>" in c)


# --- The taxonomy ---


def test_the_facet_has_broad_terms_over_the_code_maps_narrower_ones_in_both_languages():
    facet = Facet.objects.get(code="accreditation")
    assert (facet.label_en, facet.label_es) == (
        "Licensing and accreditation",
        "Licencias y acreditación",
    )
    seeded = Facet.objects.filter(code__in=["care-type", "level", "payment", "language"])
    assert facet.position > max(seeded.values_list("position", flat=True))  # after those
    for broad, narrower in NARROWER.items():
        terms = Term.objects.filter(code__in=narrower).select_related("parent", "facet")
        assert sorted(t.code for t in terms) == sorted(narrower)
        assert {(t.parent.code, t.facet.code) for t in terms} == {(broad, "accreditation")}
    terms = Term.objects.filter(facet=facet)
    assert all(t.label_en and t.label_es for t in terms)
    assert list(terms.values_list("code", flat=True))[:2] == [
        "state-licensed",
        NARROWER["state-licensed"][0],
    ]


def test_the_locator_apis_labels_import_as_licences_and_accreditations():
    facility = {
        "name": "Harbor House", "city": "San Diego", "state": "CA", "zip": "92101",
        "latitude": "32.71", "longitude": "-117.16",
        "all_services": "State Substance use treatment agency; The Joint Commission; "
        "Commission on Accreditation of Rehabilitation Facilities (CARF); Medicaid",
    }  # fmt: skip

    result = import_file(json.dumps([facility]).encode(), format="samhsa-api", filename="t")

    codes = set(Program.objects.get().terms.values_list("code", flat=True))
    assert codes == {
        "licensed-substance-use-agency",
        "accredited-joint-commission",
        "accredited-carf",
        "medicaid",
    }
    assert not result.unmapped


# --- The filter: the page, the JSON API, the HSDS API ---


def test_accredited_finds_programs_accredited_by_any_body(client, directory):
    response = client.get(SEARCH, {"location": "94110", "accreditation": "accredited"})
    assert names(response) == {"Mission Recovery", "Valencia House"}
    assert re.search(r'value="accredited"[^>]*checked', response.content.decode())


def test_one_body_or_a_licence_filters_to_exactly_those(client, directory):
    carf = client.get(SEARCH, {"location": "94110", "accreditation": "accredited-carf"})
    assert names(carf) == {"Mission Recovery", "Valencia House"}
    joint = client.get(
        SEARCH, {"location": "94110", "accreditation": "accredited-joint-commission"}
    )
    assert names(joint) == {"Mission Recovery"}
    licensed = client.get(SEARCH, {"location": "94110", "accreditation": "state-licensed"})
    assert names(licensed) == {"Mission Recovery", "Bayview Clinic"}


def test_the_filter_is_a_labelled_checkbox_group_with_counts_and_an_explanation(client, directory):
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    group = html.split('id="id_accreditation"')[1].split("</details>")[0]
    assert "<summary>Licensing and accreditation" in group
    assert '<legend class="visually-hidden">Licensing and accreditation</legend>' in group
    checkbox = re.search(
        r'<input type="checkbox" name="accreditation" value="accredited" id="([^"]+)"', group
    )
    # Accredited counts each program once, though one has two accrediting bodies.
    assert re.search(
        rf'<label for="{checkbox.group(1)}">Accredited <span class="option-count">\(2\)', group
    )
    assert "Not a rating of quality." in group
    assert f'href="{GUIDE_LINK}"' in group


def test_facet_counts_roll_the_bodies_up_into_accredited_once_per_program(directory):
    counts = search.facet_counts(Program.objects.published(), {})
    by_code = {
        term.code: counts[term.pk] for term in Term.objects.filter(facet__code="accreditation")
    }
    assert by_code["accredited"] == 2
    assert by_code["accredited-carf"] == 2
    assert by_code["state-licensed"] == 2
    assert by_code["accredited-ncqa"] == 0


def test_an_unknown_choice_is_a_clear_message_not_an_error(client, directory):
    page = client.get(SEARCH, {"location": "94110", "accreditation": "five-stars"})
    assert page.status_code == 200
    assert "“five-stars” is not a choice we know" in page.content.decode()
    api = client.get(API, {"accreditation": "five-stars"})
    assert api.status_code == 400
    assert "accreditation" in api.json()["errors"]


def test_the_json_api_filters_and_counts_accredited(client, directory):
    body = client.get(
        API, {"location": "94110", "accreditation": "accredited", "facets": "true"}
    ).json()
    assert {program["name"] for program in body["results"]} == {
        "Mission Recovery",
        "Valencia House",
    }
    options = {option["code"]: option["count"] for option in body["facets"]["accreditation"]}
    assert options["accredited"] == 2 and options["state-licensed"] == 2


def test_the_api_lists_the_facet_with_its_parameter_and_the_schema_documents_it(client):
    facets = {facet["code"]: facet for facet in client.get(reverse("api-term-list")).json()}
    accreditation = facets["accreditation"]
    assert accreditation["param"] == "accreditation"
    broader = {term["code"]: term["broader"] for term in accreditation["terms"]}
    assert broader["accredited-hfap"] == "accredited" and broader["accredited"] is None
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    params = {p["name"]: p for p in schema["paths"][API]["get"]["parameters"]}
    values = params["accreditation"]["schema"]["items"]["enum"]
    assert {"accredited", "state-licensed", *NARROWER["accredited"]} <= set(values)


def test_the_hsds_api_finds_any_accredited_program_by_the_broad_terms_id(client, directory):
    accredited = Term.objects.get(code="accredited")
    by_term = client.get("/hsds/services", {"taxonomy_term_id": records.term_id(accredited)}).json()
    assert {s["name"] for s in by_term["contents"]} == {"Mission Recovery", "Valencia House"}
    hfap_id = records.term_id(Term.objects.get(code="accredited-hfap"))
    hfap = client.get(f"/hsds/taxonomy_terms/{hfap_id}").json()
    assert hfap["parent_id"] == records.term_id(accredited)


def test_the_page_cache_keeps_filtered_and_unfiltered_searches_apart(client, directory):
    everything = client.get(SEARCH, {"location": "94110"})
    accredited = client.get(SEARCH, {"location": "94110", "accreditation": "accredited"})
    assert len(names(everything)) == 4
    again = client.get(SEARCH, {"accreditation": "accredited", "location": "94110"}).content
    assert again == accredited.content
    assert b"Bayview Clinic" not in again


# --- The line on the card and the program's page ---


def test_the_card_says_who_licensed_and_accredited_the_program_with_a_link(client, directory):
    html = client.get(SEARCH, {"location": "94110"}).content.decode()
    both = card(html, "Mission Recovery")
    assert (
        '<p class="accreditation">Licensed by: State substance use agency. '
        "Accredited by: The Joint Commission, CARF."
    ) in both
    assert f'href="{GUIDE_LINK}">What licensing and accreditation mean</a>' in both
    assert "Accredited by: CARF." in card(html, "Valencia House")
    assert "Licensed by: State health department." in card(html, "Bayview Clinic")
    assert 'class="accreditation"' not in card(html, "Noe Outpatient")


def test_the_line_reads_in_spanish(client, directory):
    html = client.get(f"/es{SEARCH}", {"location": "94110"}).content.decode()
    assert (
        "Con licencia de: Agencia estatal de tratamiento del consumo de sustancias. "
        "Acreditado por: The Joint Commission, CARF."
    ) in card(html, "Mission Recovery")
    assert 'href="/es/guides/helping-a-loved-one/#licensing-and-accreditation"' in html
    assert "Qué significan la licencia y la acreditación" in html


def test_a_broad_term_alone_says_so_without_naming_a_body(client):
    program = ProgramFactory(terms=["state-licensed", "accredited"])
    html = client.get(program.get_absolute_url()).content.decode()
    assert "Licensed by the state. Accredited by an independent body." in html


def test_a_body_beside_its_broad_term_is_named_once(client):
    program = ProgramFactory(terms=["accredited", "accredited-coa"])
    html = client.get(program.get_absolute_url()).content.decode()
    assert '<p class="accreditation">Accredited by: COA. <a' in html


def test_the_program_page_shows_the_line_apart_from_what_it_offers(client, directory):
    html = client.get(directory["carf"].get_absolute_url()).content.decode()
    header = html.split('<article class="program">')[1].split("</header>")[0]
    assert "Accredited by: CARF." in header
    offers = html.split('id="offers-heading"')[1]
    assert "Medicaid" in offers
    assert "CARF" not in offers and "Licensing and accreditation" not in offers


def test_a_program_with_only_licences_still_says_its_services_are_unknown(client, directory):
    html = client.get(directory["licensed"].get_absolute_url()).content.decode()
    assert "Licensed by: State health department." in html
    assert "does not say which services it offers yet" in html


def test_a_staff_edit_of_a_bodys_label_shows_at_once(client, directory):
    Term.objects.filter(code="accredited-carf").update(label_en="CARF International")
    taxonomy.changed()  # as a save in admin does (QuerySet.update skips the signal)
    html = client.get(directory["carf"].get_absolute_url()).content.decode()
    assert "Accredited by: CARF International." in html


# --- The explanation it links to ---


@pytest.mark.parametrize(
    ("prefix", "heading", "not_a_rating"),
    [
        ("", "Licensing and accreditation", "neither is a rating"),
        ("/es", "Licencias y acreditación", "ninguna de las dos es una calificación"),
    ],
)
def test_the_guide_explains_what_accreditation_means_and_does_not(
    client, prefix, heading, not_a_rating
):
    html = client.get(f"{prefix}/guides/helping-a-loved-one/").content.decode()
    section = html.split('id="licensing-and-accreditation"')[1].split("<h2")[0].split("<h3")[0]
    assert heading in section
    assert not_a_rating in section
    for body in ["The Joint Commission", "CARF", "NCQA", "COA", "HFAP"]:
        assert body in section
    assert "store.samhsa.gov/product/finding-quality-treatment" in section
    assert "jointcommission.org" in section
    assert f'href="{prefix}/?accreditation=accredited"' in section
    sources = html.split('id="sources-heading"')[1]
    assert "jointcommission.org" in sources and "carf.org" in sources
