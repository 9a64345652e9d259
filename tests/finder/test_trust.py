"""What searchers see of a listing's freshness and availability, and the accepting filter."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = "/"


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def text_of(response) -> str:
    """The page as a reader sees its characters: entities decoded, no-break spaces plain."""
    return unescape(response.content.decode()).replace("\xa0", " ")


def detail(client, **fields) -> str:
    program = ProgramFactory(**fields)
    return text_of(client.get(program.get_absolute_url()))


def results(client, params) -> str:
    return text_of(client.get(SEARCH, params))


@pytest.mark.parametrize(
    "verified, shown",
    [
        (days_ago(0), "Listing verified today"),
        (days_ago(3), "Listing verified 3 days ago"),
        (days_ago(125), "Listing verified 4 months ago"),
        (None, "Not yet verified: call first."),
    ],
)
def test_detail_and_result_say_how_long_ago_the_listing_was_verified(client, verified, shown):
    assert shown in detail(client, last_verified=verified)
    assert shown in results(client, {"location": "94110"})


def test_listing_unchecked_for_over_a_year_gently_asks_to_call_first(client):
    html = detail(client, last_verified=days_ago(400))
    assert "Listing verified 1 year ago" in html
    assert "please call first to confirm" in html


def test_recent_listing_has_no_call_first_warning(client):
    assert "please call first" not in detail(client, last_verified=days_ago(300))


def test_waitlist_shows_the_estimated_wait_and_when_it_was_updated(client):
    html = detail(client, accepting="waitlist", wait_weeks=3, accepting_updated=days_ago(2))
    assert "Waitlist: about 3 weeks' wait" in html
    assert "(updated 2 days ago)" in html


@pytest.mark.parametrize(
    "accepting, label",
    [
        ("yes", "Accepting new patients"),
        ("no", "Not accepting new patients"),
        ("unknown", "Call to ask about openings"),
    ],
)
def test_result_shows_availability(client, accepting, label):
    ProgramFactory(accepting=accepting, accepting_updated=days_ago(0))
    html = results(client, {"location": "94110"})
    assert label in html
    assert "(updated today)" in html


def test_residential_program_shows_beds_available_and_as_of_when(client):
    html = detail(client, terms=["residential"], beds_available=4, beds_updated=days_ago(1))
    assert "4 beds available" in html
    assert "(as of 1 day ago)" in html


def test_beds_are_not_mentioned_when_unknown(client):
    assert "beds available" not in detail(client)


def test_accepting_only_filter_hides_programs_not_taking_new_patients(client):
    ProgramFactory(name="Open Door", accepting=Program.Accepting.YES)
    ProgramFactory(name="Full House", accepting=Program.Accepting.NO)
    ProgramFactory(name="Long Wait", accepting=Program.Accepting.WAITLIST)
    ProgramFactory(name="Ask Us", accepting=Program.Accepting.UNKNOWN)
    response = client.get(SEARCH, {"location": "94110", "accepting": "on"})
    assert [p.name for p in response.context["page"]] == ["Open Door"]
    every = client.get(SEARCH, {"location": "94110"})
    assert len(every.context["page"]) == 4


def test_accepting_only_checkbox_is_on_the_search_form_and_stays_ticked(client):
    html = client.get(SEARCH, {"location": "94110", "accepting": "on"}).content.decode()
    assert '<label for="id_accepting">Accepting new patients now</label>' in html
    assert 'name="accepting" value="on" id="id_accepting" checked' in html


def test_accepting_only_alone_is_a_search(client):
    ProgramFactory(name="Open Door", accepting=Program.Accepting.YES)
    response = client.get(SEARCH, {"accepting": "on"})
    assert [p.name for p in response.context["page"]] == ["Open Door"]
