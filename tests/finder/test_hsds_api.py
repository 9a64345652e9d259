import pytest

from programs import taxonomy
from programs.hsds import records, spec
from programs.models import Program
from tests.factories import ProgramFactory
from tests.hsds_validation import errors, nested_schema

PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page"}
TAXONOMY_TERM = nested_schema("service", "attributes", "taxonomy_term")
TAXONOMY = nested_schema("service", "attributes", "taxonomy_term", "taxonomy_detail")


@pytest.fixture
def mission(db):
    return ProgramFactory(
        name="Mission Residential",
        description="Live-in treatment.",
        intake_phone="+14155550199",
        hours="Mon–Fri 9am–5pm",
        terms=["residential", "detox-hospital", "medicaid", "spanish"],
    )


@pytest.fixture
def oakland(db):
    # About 8 miles (13 km) from the centre of 94110.
    return ProgramFactory(name="Oakland Outpatient", latitude=37.8044, longitude=-122.2712)


def _get(client, path, **params):
    return client.get(f"/hsds/{path}", params)


def _page_of(response, schema) -> list:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == PAGE_FIELDS | {"empty", "contents"}
    for item in body["contents"]:
        assert errors(item, schema) == [], item
    return body["contents"]


@pytest.mark.parametrize(
    "path, schema",
    [
        ("services", spec.schema("service_list")),
        ("service_at_locations", spec.schema("service_at_location_list")),
        ("organizations", spec.schema("organization_list")),
        ("taxonomies", TAXONOMY),
        ("taxonomy_terms", TAXONOMY_TERM),
    ],
)
def test_lists_validate_against_the_official_schemas(client, mission, oakland, path, schema):
    assert _page_of(_get(client, path, per_page=100), schema)


def test_one_service_is_fully_nested_and_valid(client, mission):
    response = _get(client, f"services/{records.service_id(mission)}")
    assert response.status_code == 200
    service = response.json()
    assert errors(service, spec.schema("service")) == []
    assert [phone["number"] for phone in service["phones"]] == ["+14155550100", "+14155550199"]
    codes = {attribute["taxonomy_term"]["code"] for attribute in service["attributes"]}
    assert codes == {"residential", "detox-hospital", "medicaid", "spanish"}


def test_one_service_at_location_is_valid(client, mission):
    sal_id = records.service_at_location_id(mission)
    response = _get(client, f"service_at_locations/{sal_id}")
    assert errors(response.json(), spec.schema("service_at_location")) == []


@pytest.mark.parametrize("full_service", ["false", "true"])
def test_one_organization_lists_its_services(client, mission, full_service):
    organization_id = records.organization_id(mission.organization)
    response = _get(client, f"organizations/{organization_id}", full_service=full_service)
    organization = response.json()
    assert errors(organization, spec.schema("organization")) == []
    assert [s["name"] for s in organization["services"]] == ["Mission Residential"]
    assert ("phones" in organization["services"][0]) == (full_service == "true")


def test_a_program_without_organization_has_a_stand_in_one(client, db):
    program = ProgramFactory(name="Solo Clinic", organization=None)
    listed = _page_of(_get(client, "organizations"), spec.schema("organization_list"))
    assert [o["name"] for o in listed] == ["Solo Clinic"]
    response = _get(client, f"organizations/{listed[0]['id']}")
    assert [s["id"] for s in response.json()["services"]] == [records.service_id(program)]


def test_one_taxonomy_term_and_the_taxonomy(client, db, term):
    response = _get(client, f"taxonomy_terms/{records.term_id(term('detox-hospital'))}")
    assert errors(response.json(), TAXONOMY_TERM) == []
    assert response.json()["parent_id"] == records.term_id(term("detox"))
    response = _get(client, f"taxonomies/{records.taxonomy_id()}")
    assert response.json()["name"] == "treatment-finder"


def test_drafts_and_archived_programs_are_not_served(client, mission):
    draft = ProgramFactory(name="Draft Place", status=Program.Status.DRAFT)
    ProgramFactory(name="Closed Place", status=Program.Status.ARCHIVED)
    names = [s["name"] for s in _get(client, "services").json()["contents"]]
    assert names == ["Mission Residential"]
    assert _get(client, f"services/{records.service_id(draft)}").status_code == 404


def test_proximity_keeps_services_within_that_many_meters_of_the_postcode(client, mission, oakland):
    near = _get(client, "service_at_locations", postcode="94110", proximity="5000").json()
    assert [s["service"]["name"] for s in near["contents"]] == ["Mission Residential"]
    wider = _get(client, "service_at_locations", postcode="94110", proximity="20000").json()
    assert [s["service"]["name"] for s in wider["contents"]] == [
        "Mission Residential",
        "Oakland Outpatient",
    ]  # nearest first
    far = _get(client, "service_at_locations", postcode="10001").json()
    assert far["empty"] is True and far["contents"] == []


def test_services_filter_by_term_organization_and_search(client, mission, oakland, term):
    by_term = _get(client, "services", taxonomy_term_id=records.term_id(term("detox")))
    assert [s["name"] for s in by_term.json()["contents"]] == ["Mission Residential"]
    by_org = _get(client, "services", organization_id=records.organization_id(oakland.organization))
    assert [s["name"] for s in by_org.json()["contents"]] == ["Oakland Outpatient"]
    by_words = _get(client, "services", search="oakland")
    assert [s["name"] for s in by_words.json()["contents"]] == ["Oakland Outpatient"]


def test_pages_say_where_they_are(client, db):
    ProgramFactory.create_batch(5)
    body = _get(client, "services", per_page=2, page=3).json()
    assert (body["total_items"], body["total_pages"], body["page_number"]) == (5, 3, 3)
    assert (body["size"], body["first_page"], body["last_page"]) == (1, False, True)
    past_the_end = _get(client, "services", per_page=2, page=4).json()
    assert (past_the_end["contents"], past_the_end["empty"]) == ([], False)


def test_a_huge_page_number_is_an_empty_page_past_the_end(client, db):
    ProgramFactory()
    body = _get(client, "services", page="99999999999999999999").json()
    assert (body["total_items"], body["contents"], body["last_page"]) == (1, [], True)


@pytest.mark.parametrize(
    "path, params, parameter",
    [
        ("services", {"page": "0"}, "page"),
        ("services", {"per_page": "1000"}, "per_page"),
        ("services", {"per_page": "x"}, "per_page"),
        ("services", {"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ("services", {"taxonomy_term_id": ""}, "taxonomy_term_id"),
        ("service_at_locations", {"organization_id": ""}, "organization_id"),
        ("service_at_locations", {"postcode": ""}, "postcode"),
        ("services", {"organization_id": "1"}, "organization_id"),
        ("services", {"modified_after": "last week"}, "modified_after"),
        ("services", {"format": "ndjson"}, "format"),
        ("services", {"search": "x" * 201}, "search"),
        ("services", {"search": "a\x00b"}, "search"),
        ("service_at_locations", {"postcode": "SW1A 1AA"}, "postcode"),
        ("service_at_locations", {"postcode": "00000"}, "postcode"),
        ("service_at_locations", {"postcode": "94110", "proximity": "-5"}, "proximity"),
        ("service_at_locations", {"postcode": "94110", "proximity": "nan"}, "proximity"),
        ("service_at_locations", {"postcode": "94110", "proximity": "1e9"}, "proximity"),
        ("service_at_locations", {"proximity": "5000"}, "proximity"),
        ("taxonomy_terms", {"top_only": "maybe"}, "top_only"),
        ("taxonomy_terms", {"parent_id": "abc"}, "parent_id"),
        ("services", {"taxonomy": "medicaid"}, "taxonomy"),
        ("taxonomies", {"minimal": "true"}, "minimal"),
        ("services", {"full": "yes"}, "full"),
    ],
)
def test_a_bad_parameter_gets_a_400_naming_it(client, mission, path, params, parameter):
    response = _get(client, path, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json() or parameter in response.json().get("errors", {})


@pytest.mark.parametrize(
    "path",
    [
        "services/not-a-uuid",
        "services/3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11",
        "service_at_locations/3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11",
        "organizations/3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11",
        "taxonomies/3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11",
        "taxonomy_terms/3d0c5f0e-7a43-5f4e-9a8b-2f6b1c9e4d11",
        "services/",
        "locations",
    ],
)
def test_an_unknown_id_gets_a_json_404(client, mission, path):
    response = _get(client, path)
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path, params",
    [
        ("services", {}),
        ("services", {"full": "true"}),
        ("service_at_locations", {"postcode": "94110"}),
        ("service_at_locations", {"postcode": "94110", "full": "true"}),
    ],
)
def test_a_list_page_costs_the_same_queries_for_1_or_30_services(
    client, db, django_assert_max_num_queries, path, params
):
    ProgramFactory(terms=["residential", "medicaid"])
    taxonomy.current()  # as after a process's first request
    with django_assert_max_num_queries(4) as one:
        assert _get(client, path, **params).json()["size"] == 1
    ProgramFactory.create_batch(29, terms=["residential", "medicaid"])
    with django_assert_max_num_queries(len(one)):
        assert _get(client, path, per_page=30, **params).json()["size"] == 30


def test_full_lists_nest_phones_and_terms_in_each_service(client, mission):
    listed = _get(client, "services", full="true").json()["contents"]
    assert errors(listed[0], spec.schema("service")) == []
    assert {a["taxonomy_term"]["code"] for a in listed[0]["attributes"]} >= {"medicaid"}
    sal = _get(client, "service_at_locations", full="true").json()["contents"][0]
    assert errors(sal, spec.schema("service_at_location")) == []
    assert sal["location"]["addresses"][0]["postal_code"] == "94110"


def test_root_points_to_an_openapi_document_describing_every_parameter(client, db):
    root = _get(client, "").json()
    assert root["version"] == "3.0"
    assert root["openapi_url"].endswith("/hsds/openapi.json")
    document = client.get("/hsds/openapi.json").json()
    parameters = {
        p["name"]: p for p in document["paths"]["/hsds/service_at_locations"]["get"]["parameters"]
    }
    assert {"postcode", "proximity", "page", "per_page", "taxonomy_term_id"} <= set(parameters)
    assert parameters["proximity"]["schema"]["type"] == "number"
    listed = document["paths"]["/hsds/services"]["get"]["responses"]["200"]
    envelope = listed["content"]["application/json"]["schema"]
    assert set(envelope["required"]) == PAGE_FIELDS | {"empty", "contents"}
    assert "400" in document["paths"]["/hsds/services/{id}"]["get"]["responses"]
