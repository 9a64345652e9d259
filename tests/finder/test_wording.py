"""The listing phrases (finder/templatetags/listing.py): remembered per process, never across
languages, days or a changed listing; and the tags as the result card writes them."""

from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from finder.templatetags import listing as wording
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def read(phrase) -> str:
    return str(phrase).replace("\xa0", " ")


def test_the_same_listing_reads_in_the_language_of_each_request():
    program = ProgramFactory(last_verified=timezone.localdate() - timedelta(days=3))
    with translation.override("en"):
        english = read(wording.verified(program))
    with translation.override("es"):
        spanish = read(wording.verified(program))
    assert "Listing verified 3 days ago" in english
    assert spanish != english and "3 días" in spanish


def test_a_new_verification_or_a_new_day_gives_a_new_phrase():
    today = timezone.localdate()
    program = ProgramFactory(last_verified=today - timedelta(days=3))
    assert "3 days ago" in read(wording.verified(program))
    program.last_verified = today
    assert "Listing verified today" in read(wording.verified(program))
    with mock.patch.object(wording.timezone, "localdate", return_value=today + timedelta(days=1)):
        assert "Listing verified 1 day ago" in read(wording.verified(program))


def test_a_shorter_staleness_window_adds_the_call_first_nudge():
    program = ProgramFactory(last_verified=timezone.localdate() - timedelta(days=40))
    assert "please call first" not in wording.verified(program)
    with override_settings(STALE_AFTER_DAYS=30):
        assert "please call first" in wording.verified(program)


def test_the_call_button_uses_the_intake_line_and_escapes_nothing_it_should_not():
    program = ProgramFactory(phone="+14155550100", intake_phone="+14155550199")
    assert str(wording.call_button(program)) == (
        '<a class="button call" href="tel:+14155550199">Call (415) 555-0199</a>'
    )
    assert wording.call_button(ProgramFactory(phone="", intake_phone="")) == ""


def test_the_card_tags_write_the_phrases_a_searcher_reads():
    program = ProgramFactory(
        accepting="waitlist", wait_weeks=3, beds_available=2, intake_phone="+14155550199"
    )
    html = Template(
        "{% load listing %}{% availability program %}|{% beds program %}|{% call_button program %}"
    ).render(Context({"program": program}))
    availability, beds, call = read(unescape(html)).split("|")
    assert availability.startswith("Waitlist: about 3 weeks' wait")
    assert beds.startswith("2 beds available")
    assert call == '<a class="button call" href="tel:+14155550199">Call (415) 555-0199</a>'
