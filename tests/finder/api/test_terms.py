import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_terms_lists_each_facet_with_its_codes_labels_broader_term_and_samhsa_code(client):
    facets = client.get(reverse("api-term-list")).json()
    by_code = {facet["code"]: facet for facet in facets}
    level = by_code["level"]
    assert (level["label_en"], level["label_es"], level["param"]) == (
        "Level of care",
        "Nivel de atención",
        "level",
    )
    short = next(t for t in level["terms"] if t["code"] == "residential-short")
    assert short == {
        "code": "residential-short",
        "label_en": "Short-term residential (30 days or less)",
        "label_es": "Residencial a corto plazo (30 días o menos)",
        "broader": "residential",
        "samhsa_code": "RS",
    }
    assert by_code["care-type"]["param"] == "care_type"
    medicaid = next(t for t in by_code["payment"]["terms"] if t["code"] == "medicaid")
    assert medicaid["broader"] is None and medicaid["samhsa_code"] == "MD"


def test_every_facet_param_filters_programs(client):
    facets = client.get(reverse("api-term-list")).json()
    for facet in facets:
        if facet["param"] is None:  # shown, not filtered (gender-accepted: migration 0015)
            continue
        code = facet["terms"][0]["code"]
        response = client.get(reverse("api-program-list"), {facet["param"]: code})
        assert response.status_code == 200, (facet["param"], response.json())


def test_terms_cost_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(reverse("api-term-list"))
