"""The public "Report a problem with this listing" form and its abuse controls."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from reports.models import DETAILS_MAX_LENGTH, ProblemReport
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(name="Mission Recovery", slug="mission-recovery")


def report_url(program) -> str:
    return reverse("report-problem", kwargs={"slug": program.slug})


def report(client, program, **data):
    return client.post(report_url(program), {"kind": "phone", **data})


def test_every_detail_page_links_to_the_report_form(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{report_url(program)}"' in html
    assert "Report a problem with this listing" in html


def test_report_is_saved_for_staff_and_the_visitor_is_thanked(client, program):
    response = report(
        client, program, kind="closed", details="Sign says closed", contact_email="a@example.org"
    )
    assert response.status_code == 302
    assert response.url == reverse("report-thanks", kwargs={"slug": program.slug})
    saved = ProblemReport.objects.get()
    assert (saved.program, saved.kind, saved.details, saved.status) == (
        program,
        "closed",
        "Sign says closed",
        "open",
    )
    assert saved.contact_email == "a@example.org"
    assert "Thank you" in client.get(response.url).content.decode()


def test_form_offers_the_five_kinds_of_problem_as_labelled_choices(client, program):
    html = client.get(report_url(program)).content.decode()
    for label in [
        "The phone number doesn",
        "The program has closed",
        "The address is wrong",
        "The services listed are wrong",
        "Something else",
    ]:
        assert label in html
    assert html.count('type="radio" name="kind"') == 5  # and no blank "---------" choice
    assert 'name="csrfmiddlewaretoken"' in html


def test_report_without_saying_what_is_wrong_gets_a_message(client, program):
    response = client.post(report_url(program), {"details": "hm"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose what is wrong with the listing." in html
    assert 'href="#id_kind"' in html and '<fieldset class="field has-error" id="id_kind"' in html
    assert not ProblemReport.objects.exists()


def test_over_long_details_are_refused_with_a_message(client, program):
    response = report(client, program, details="x" * (DETAILS_MAX_LENGTH + 1))
    assert response.status_code == 200
    assert f"Please keep the details under {DETAILS_MAX_LENGTH} characters." in (
        response.content.decode()
    )
    assert not ProblemReport.objects.exists()


def test_invalid_email_is_refused_with_a_message(client, program):
    response = report(client, program, contact_email="not-an-email")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_a_filled_in_honeypot_is_dropped_silently(client, program):
    response = report(client, program, homepage="http://spam.example")
    assert response.status_code == 302  # the bot sees the same thank-you
    assert not ProblemReport.objects.exists()


@override_settings(REPORT_RATE_LIMIT=(2, 3600))
def test_too_many_reports_from_one_address_get_a_clear_message(client, program):
    assert report(client, program).status_code == 302
    assert report(client, program).status_code == 302
    response = report(client, program)
    assert response.status_code == 429
    assert "several reports from you in a short time" in response.content.decode()
    assert ProblemReport.objects.count() == 2
    # Someone else, elsewhere, can still report.
    other = client.post(report_url(program), {"kind": "phone"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@override_settings(REPORT_RATE_LIMIT=(1, 3600))
def test_an_empty_post_over_the_limit_gets_the_form_errors_not_an_error(client, program):
    """Found by tests/security/test_fuzz.py: it was a 500 (an error added to an unbound form)."""
    assert report(client, program).status_code == 302
    response = client.post(report_url(program), {})
    assert response.status_code == 200
    assert "Choose what is wrong with the listing." in response.content.decode()


@override_settings(REPORT_RATE_LIMIT=(1, 3600))
def test_a_mistyped_email_does_not_use_up_the_limit(client, program):
    for _ in range(3):
        typo = report(client, program, contact_email="someone@@example.org")
        assert typo.status_code == 200 and "valid email" in typo.content.decode()
    assert report(client, program, contact_email="someone@example.org").status_code == 302
    assert ProblemReport.objects.get().contact_email == "someone@example.org"
    assert report(client, program).status_code == 429


@override_settings(REPORT_RATE_LIMIT=(2, 3600))
def test_with_the_shared_cache_down_reports_are_accepted_and_still_limited(
    client, program, caplog, monkeypatch
):
    from reports import services

    class Unreachable:
        """The cache as finder.cache.ResilientRedisCache answers with Redis down."""

        def add(self, *args, **kwargs):
            return False

        def set(self, *args, **kwargs):
            return False

        def incr(self, *args, **kwargs):
            raise ConnectionError("the shared cache is unavailable")

    monkeypatch.setattr(services, "cache", Unreachable())
    monkeypatch.setattr(services, "_local_counts", {})
    monkeypatch.setattr(services, "_last_warning", float("-inf"))
    assert report(client, program).status_code == 302
    assert report(client, program).status_code == 302
    assert report(client, program).status_code == 429
    assert ProblemReport.objects.count() == 2
    assert "counted per process" in caplog.text


def test_the_form_needs_a_csrf_token(program):
    response = Client(enforce_csrf_checks=True).post(report_url(program), {"kind": "phone"})
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()


def test_unpublished_listings_cannot_be_reported(client):
    draft = ProgramFactory(status="draft")
    assert client.get(report_url(draft)).status_code == 404


def test_no_contact_email_ever_appears_on_a_public_page(client, program):
    report(client, program, contact_email="secret-reporter@example.org", details="x")
    for url in [
        "/",
        "/?location=94110",
        program.get_absolute_url(),
        report_url(program),
        reverse("report-thanks", kwargs={"slug": program.slug}),
    ]:
        assert "secret-reporter" not in client.get(url).content.decode()
