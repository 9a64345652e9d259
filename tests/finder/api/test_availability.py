"""The API shows availability with its dates and filters on "accepting new patients"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_program_shows_its_wait_beds_and_when_they_were_updated(client):
    day = timezone.localdate() - timedelta(days=2)
    program = ProgramFactory(
        accepting=Program.Accepting.WAITLIST,
        wait_weeks=3,
        accepting_updated=day,
        beds_available=4,
        beds_updated=day,
    )
    body = client.get(reverse("api-program-detail", args=[program.pk])).json()
    assert (body["wait_weeks"], body["accepting_updated"]) == (3, str(day))
    assert (body["beds_available"], body["beds_updated"]) == (4, str(day))


def test_accepting_filter_is_the_same_as_the_search_page(client):
    ProgramFactory(name="Open Door", accepting=Program.Accepting.YES)
    ProgramFactory(name="Full House", accepting=Program.Accepting.NO)
    body = client.get(reverse("api-program-list"), {"accepting": "true"}).json()
    assert [program["name"] for program in body["results"]] == ["Open Door"]


@pytest.mark.parametrize("value", ["null", "maybe", "2"])
def test_accepting_filter_refuses_what_is_not_true_or_false(client, value):
    response = client.get(reverse("api-program-list"), {"accepting": value})
    assert response.status_code == 400
    assert response.json()["errors"]["accepting"] == ["Use true or false."]


@pytest.mark.parametrize(
    ("value", "names"), [("false", {"Open Door", "Full House"}), ("1", {"Open Door"})]
)
def test_accepting_filter_reads_false_as_any_availability(client, value, names):
    ProgramFactory(name="Open Door", accepting=Program.Accepting.YES)
    ProgramFactory(name="Full House", accepting=Program.Accepting.NO)
    body = client.get(reverse("api-program-list"), {"accepting": value}).json()
    assert {p["name"] for p in body["results"]} == names
