import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from programs.models import Facet, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def search_params(schema) -> dict:
    operation = schema["paths"]["/api/v1/programs/"]["get"]
    return {param["name"]: param for param in operation["parameters"]}


def test_schema_is_openapi_3_for_the_three_endpoints(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/programs/",
        "/api/v1/programs/{id}/",
        "/api/v1/terms/",
    }


def test_every_search_parameter_is_documented_with_type_values_and_default(schema):
    params = search_params(schema)
    assert set(params) == {
        "location",
        "radius",
        "level",
        "payment",
        "medication",
        "care_type",
        "population",
        "therapy",
        "language",
        "accreditation",
        "accepting",
        "q",
        "sort",
        "facets",
        "format",
        "page",
        "page_size",
    }
    assert params["format"]["schema"] == {
        "type": "string",
        "enum": ["csv", "json"],
        "default": "json",
    }
    assert params["q"]["schema"] == {"type": "string", "maxLength": 200}
    assert params["sort"]["schema"]["enum"] == ["nearest", "name", "verified", "accepting"]
    assert params["facets"]["schema"]["type"] == "boolean"
    assert params["accepting"]["schema"]["type"] == "boolean"
    assert params["location"]["schema"] == {"type": "string", "maxLength": 200}
    assert params["radius"]["schema"] == {
        "type": "integer",
        "enum": [5, 10, 25, 50, 100],
        "default": 25,
    }
    assert params["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
    }
    level = params["level"]
    assert level["schema"]["type"] == "array" and level["explode"] is True
    assert level["schema"]["items"]["enum"] == list(
        Term.objects.filter(facet__code="level").values_list("code", flat=True)
    )
    assert "* `residential` - Residential (live-in) treatment" in level["description"]
    for param in params.values():
        assert param.get("description"), param["name"]


def test_a_term_staff_add_is_in_the_schema_at_once(client):
    Term.objects.create(
        facet=Facet.objects.get(code="payment"), code="county-voucher", label_en="County voucher"
    )
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert "county-voucher" in search_params(response.json())["payment"]["schema"]["items"]["enum"]


def test_schema_documents_errors_throttling_and_unknown_parameters(schema, settings):
    description = schema["info"]["description"]
    assert "Unknown parameters are rejected" in description
    assert f"limited to {settings.API_ANON_RATE} per IP address" in description
    responses = schema["paths"]["/api/v1/programs/"]["get"]["responses"]
    assert set(responses) == {"200", "400", "404", "429"}
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "errors"}


def test_docs_page_loads_only_our_own_static_files_and_no_inline_code(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(url.startswith("/static/") or "?script" in url for url in assets)
    for url in assets:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    assert not re.search(r"<script>|<style|style=", html)
    script = client.get(next(url for url in assets if "?script" in url))
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()
