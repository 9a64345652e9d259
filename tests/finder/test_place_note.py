import pytest
from django.urls import reverse

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def test_a_bare_name_searched_as_its_largest_place_offers_the_others_with_links(client):
    ProgramFactory(city="Portland", state="OR", zip_code="97205", latitude=45.52, longitude=-122.68)
    response = client.get(SEARCH, {"location": "Portland", "radius": "25"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Did you mean another Portland?" in page
    assert 'href="?location=Portland%2C+ME' in page
    assert [p.city for p in response.context["page"]] == ["Portland"]


def test_a_place_with_one_meaning_has_no_note(client):
    response = client.get(SEARCH, {"location": "Portland, OR"})
    assert "Did you mean another" not in response.content.decode()


def test_an_address_search_says_it_searched_from_the_addresss_zip(client):
    response = client.get(SEARCH, {"location": "5000 Parkside Ave, Philadelphia, PA 19131"})
    assert "19131 (Philadelphia, PA) (from your address)" in response.content.decode()


def test_the_note_is_in_spanish_on_the_spanish_page(client):
    response = client.get("/es" + SEARCH, {"location": "Portland"})
    page = response.content.decode()
    assert "¿Buscaba otro Portland?" in page
