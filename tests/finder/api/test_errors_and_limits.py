import pytest
from django.urls import reverse

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAMS = reverse("api-program-list")
TERMS = reverse("api-term-list")


@pytest.mark.parametrize(
    "params, parameter, message",
    [
        ({"location": "zzz"}, "location", "We could not find zzz"),
        ({"location": "100% sure"}, "location", "We could not find 100% sure"),
        ({"location": "00000"}, "location", "We could not find the ZIP code 00000"),
        ({"location": "Springfield"}, "location", "There is more than one Springfield"),
        ({"location": "x" * 5000}, "location", "at most 200 characters"),
        ({"location": "94110", "radius": "7"}, "radius", "Choose a distance from the list."),
        ({"level": "no-such-term"}, "level", "“no-such-term” is not a choice we know"),
        ({"payment": "\x00"}, "payment", "Null characters are not allowed."),
        ({"page": "abc"}, "page", "Enter a whole number of 1 or more."),
        ({"page": "0"}, "page", "Enter a whole number of 1 or more."),
        ({"page_size": "101"}, "page_size", "Enter a whole number from 1 to 100."),
        ({"page_size": "-1"}, "page_size", "Enter a whole number from 1 to 100."),
    ],
)
def test_bad_parameter_gets_a_400_naming_it_and_why(client, params, parameter, message):
    ProgramFactory()
    response = client.get(PROGRAMS, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Some parameters were not accepted; see errors."
    assert list(body["errors"]) == [parameter]
    assert message in body["errors"][parameter][0]


def test_unknown_parameters_are_rejected_not_ignored(client):
    ProgramFactory()
    response = client.get(PROGRAMS, {"levels": "detox", "location": "94110"})
    assert response.status_code == 400
    message = response.json()["errors"]["levels"][0]
    assert message.startswith(
        "This is not a parameter here. Use: accepting, accreditation, care_type, facets,"
    )
    response = client.get(TERMS, {"lang": "es"})
    assert response.status_code == 400
    assert "lang" in response.json()["errors"]


def test_a_page_past_the_end_is_a_404_saying_how_many_pages_there_are(client):
    ProgramFactory()
    response = client.get(PROGRAMS, {"page": "2"})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no page 2: these results have 1 page."}


@pytest.mark.parametrize("page", ["99999999999999999999", "9223372036854775808", "1000001"])
def test_a_huge_page_number_is_a_json_404_not_a_server_error(client, page):
    ProgramFactory()
    for params in ({"page": page}, {"page": page, "location": "94110"}):
        response = client.get(PROGRAMS, params)
        assert response.status_code == 404
        assert response.json()["detail"] == (f"There is no page {page}: these results have 1 page.")


def test_any_other_api_address_is_a_json_404_and_a_missing_slash_redirects(client):
    for path in ["/api/v1/programs/not-a-number/", "/api/v1/programs/a%0Ab/", "/api/v2/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["detail"].startswith("There is nothing at this address")
    assert client.get("/api/v1/programs").url == PROGRAMS


def test_unknown_program_is_a_json_404(client):
    response = client.get(reverse("api-program-detail", args=[987654]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published program has this id."}


def test_writes_are_not_allowed(client):
    response = client.post(PROGRAMS, {}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_anonymous_requests_over_the_rate_get_429_with_retry_after(client, settings):
    settings.API_ANON_RATE = "3/min"
    assert [client.get(TERMS).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(TERMS)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"]
    other_address = client.get(TERMS, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.API_ANON_RATE = "2/min"
    statuses = [
        client.get(TERMS, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_any_origin_may_read_but_not_write(client):
    response = client.get(PROGRAMS, HTTP_ORIGIN="https://partner.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        PROGRAMS,
        HTTP_ORIGIN="https://partner.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}


def test_cors_is_only_for_the_apis_not_the_site(client):
    response = client.get(reverse("search"), HTTP_ORIGIN="https://partner.example.org")
    assert "Access-Control-Allow-Origin" not in response
