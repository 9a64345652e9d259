"""The result cards: each process keeps a listing's card details ({% card_details %}), yet a
searcher never sees an old one: not after an edit made any way at all, not in another language,
not on another day; and each search keeps its own number, distance and link on the card."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from finder.templatetags import listing
from programs import taxonomy
from programs.models import Organization, Program, Term
from tests.factories import OAKLAND, ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

SEARCH = reverse("search")


def card(client, params: dict, name: str, path: str = SEARCH) -> str:
    """The text of the result card of the program called `name`."""
    html = client.get(path, params).content.decode()
    cards = re.findall(r'<li class="result".*?</li>', html, flags=re.S)
    found = [c for c in cards if f">{name}</a>" in c]
    assert len(found) == 1, f"no card for {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", found[0]).split())


def miles(text: str) -> float:
    return float(re.search(r"([\d.]+) miles away", text).group(1))


def rename_operator(program):
    Organization.objects.filter(pk=program.organization_id).update(name="Bay Health Trust")


def link_a_service(program):
    program.terms.add(Term.objects.get(code="residential"))


def bulk_update(program):
    Program.objects.filter(pk=program.pk).update(website="https://mission.example")


def relabel_a_term(program):
    Term.objects.filter(code="outpatient").update(label_en="Outpatient care")
    taxonomy.changed()  # as QuerySet.update's callers must (programs/taxonomy.py)


@pytest.mark.parametrize(
    "edit, shown",
    [
        (rename_operator, "Run by Bay Health Trust"),
        (link_a_service, "Residential"),
        (bulk_update, "Website"),
        (relabel_a_term, "Outpatient care"),
    ],
)
def test_an_edit_made_any_way_shows_at_once(client, edit, shown):
    program = ProgramFactory(name="Mission Recovery", terms=["outpatient"])
    assert shown not in card(client, {"location": "94110"}, "Mission Recovery")
    edit(program)
    assert shown in card(client, {"location": "94110"}, "Mission Recovery")


def test_a_card_reads_in_the_language_of_each_page(client):
    ProgramFactory(name="Mission Recovery", terms=["outpatient"])
    english = card(client, {"location": "94110"}, "Mission Recovery")
    spanish = card(client, {"location": "94110"}, "Mission Recovery", path="/es/")
    assert "Directions" in english and "Directions" not in spanish
    assert "Cómo llegar" in spanish


def test_a_new_day_gives_a_new_card(client):
    ProgramFactory(name="Mission Recovery", last_verified=timezone.localdate())
    assert "Listing verified today" in card(client, {"location": "94110"}, "Mission Recovery")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with mock.patch.object(listing.timezone, "localdate", return_value=tomorrow):
        later = card(client, {"location": "94110"}, "Mission Recovery")
    assert "Listing verified 1 day ago" in later


def test_each_search_keeps_its_own_number_distance_and_link(client):
    ProgramFactory(name="Oakland Recovery", **OAKLAND)
    ProgramFactory(name="Mission Recovery")
    near_mission = card(client, {"location": "94110"}, "Oakland Recovery")
    near_oakland = card(client, {"location": "94612"}, "Oakland Recovery")
    assert near_mission.startswith("2 Oakland Recovery")
    assert near_oakland.startswith("1 Oakland Recovery")
    assert miles(near_oakland) < 2 < 7 < miles(near_mission) < 11
    html = client.get(SEARCH, {"location": "94612"}).content.decode()
    assert "?from=location%3D94612" in html


def test_the_map_and_the_cards_give_the_same_rounded_distance(client):
    # 0.26 miles: cut to 0.2 by number_format alone, rounded to 0.3 on the card.
    ProgramFactory(name="Near Recovery", latitude=37.7509 + 0.26 / 69.05, longitude=-122.4153)
    html = client.get(SEARCH, {"location": "37.7509,-122.4153"}).content.decode()
    on_card = re.findall(r'<p class="distance">([^<]+)</p>', html)
    on_map = re.findall(r'"distance": "([^"]+)"', html)
    assert on_card == on_map == ["0.3 miles away"]
