"""Verification, availability and history: the service functions staff actions go through."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.models import Program, Verification
from tests.factories import ProgramFactory
from tests.programs.test_admin import change_url, form_data, run_action

pytestmark = pytest.mark.django_db


def test_verifying_records_how_who_and_when_and_moves_last_verified(admin_user):
    program = ProgramFactory(last_verified=None)
    services.mark_verified(
        programs=Program.objects.filter(pk=program.pk),
        method=Verification.Method.PHONE,
        note="Spoke to intake",
        user=admin_user,
    )
    record = program.verifications.get()
    assert (record.method, record.note, record.verified_by) == (
        "phone",
        "Spoke to intake",
        admin_user,
    )
    program.refresh_from_db()
    assert program.last_verified == record.verified_on == timezone.localdate()


def test_an_older_verification_never_makes_a_listing_look_older():
    today = timezone.localdate()
    program = ProgramFactory(last_verified=today)
    services.mark_verified(
        programs=Program.objects.filter(pk=program.pk), on=today - timedelta(days=30)
    )
    program.refresh_from_db()
    assert program.last_verified == today
    assert program.verifications.count() == 1


def test_bulk_status_change_is_recorded_in_history_with_who_did_it(admin_user):
    program = ProgramFactory(status=Program.Status.DRAFT, terms=["residential", "medicaid"])
    services.set_status(
        programs=Program.objects.filter(pk=program.pk), status="published", user=admin_user
    )
    latest = program.history.latest()
    assert latest.status == "published"
    assert latest.history_user == admin_user
    assert latest.prev_record.status == "draft"
    # The record keeps the terms, so reverting to it would not untag the listing.
    assert {row.term.code for row in latest.terms.all()} == {"residential", "medicaid"}


def test_bulk_verify_is_recorded_in_history(admin_client):
    program = ProgramFactory(last_verified=None)
    run_action(admin_client, "mark_verified", [program], method="provider", note="Emailed us")
    assert program.history.latest().last_verified == timezone.localdate()


def test_verify_action_without_saying_how_changes_nothing_and_says_why(admin_client):
    program = ProgramFactory(last_verified=None)
    response = run_action(admin_client, "mark_verified", [program])
    assert "Choose how you verified these listings" in response.content.decode()
    program.refresh_from_db()
    assert program.last_verified is None
    assert not Verification.objects.exists()


def test_staff_edit_of_terms_is_recorded_with_who_and_what(admin_client, admin_user):
    program = ProgramFactory(terms=["outpatient"])
    medicaid = program.terms.model.objects.get(code="medicaid")
    admin_client.post(change_url(program), form_data(program, terms=[medicaid.pk]))
    latest = program.history.latest()
    assert latest.history_user == admin_user
    assert [row.term.code for row in latest.terms.all()] == ["medicaid"]
    delta = latest.diff_against(program.history.earliest())
    assert "terms" in delta.changed_fields


def test_admin_history_page_lists_changes(admin_client):
    program = ProgramFactory(name="Before")
    admin_client.post(change_url(program), form_data(program, name="After"))
    html = admin_client.get(
        reverse("admin:programs_program_history", args=[program.pk])
    ).content.decode()
    assert "Before" in html and "After" in html


def test_revert_from_admin_restores_an_earlier_version(admin_client):
    program = ProgramFactory(name="Original Name")
    admin_client.post(change_url(program), form_data(program, name="Vandalised"))
    original = program.history.earliest()
    url = reverse("admin:programs_program_simple_history", args=[program.pk, original.history_id])
    form = admin_client.get(url).context["adminform"].form
    assert form.initial["name"] == "Original Name"
    admin_client.post(url, form_data(program, name=form.initial["name"]))
    program.refresh_from_db()
    assert program.name == "Original Name"


def test_changing_availability_in_admin_dates_it(admin_client):
    long_ago = timezone.localdate() - timedelta(days=90)
    program = ProgramFactory(accepting="unknown", accepting_updated=long_ago, beds_updated=None)
    admin_client.post(
        change_url(program),
        form_data(program, accepting="waitlist", wait_weeks=3, beds_available=2),
    )
    program.refresh_from_db()
    assert (program.accepting, program.wait_weeks, program.beds_available) == ("waitlist", 3, 2)
    assert program.accepting_updated == program.beds_updated == timezone.localdate()


def test_editing_something_else_leaves_the_availability_date_alone(admin_client):
    long_ago = timezone.localdate() - timedelta(days=90)
    program = ProgramFactory(accepting="yes", accepting_updated=long_ago)
    admin_client.post(change_url(program), form_data(program, name="Renamed", accepting="yes"))
    program.refresh_from_db()
    assert program.accepting_updated == long_ago


def test_revert_offers_the_terms_the_listing_had_then(admin_client):
    program = ProgramFactory(terms=["outpatient"])
    medicaid = program.terms.model.objects.get(code="medicaid")
    admin_client.post(change_url(program), form_data(program, terms=[medicaid.pk]))
    before = program.history.order_by("history_date")[1]  # created, then tagged
    assert [row.term.code for row in before.terms.all()] == ["outpatient"]
    url = reverse("admin:programs_program_simple_history", args=[program.pk, before.history_id])
    form = admin_client.get(url).context["adminform"].form
    assert form.initial["terms"] == [program.terms.model.objects.get(code="outpatient").pk]


def verify_url(program) -> str:
    return reverse("admin:programs_program_verify", args=[program.pk])


def test_queue_row_links_to_a_verify_page_showing_what_to_check(staff_client):
    program = ProgramFactory(last_verified=None, website="https://harbor.example.org")
    client = staff_client("Editor")
    queue = client.get(reverse("admin:programs_program_changelist"), {"verified": "stale"})
    assert verify_url(program) in queue.content.decode()
    html = client.get(verify_url(program)).content.decode()
    assert "(415) 555-0100" in html
    assert "https://harbor.example.org" in html
    assert "Phone call" in html and "Provider update" in html


def test_verify_page_records_how_in_one_click_and_returns_to_the_queue(staff_client):
    program = ProgramFactory(last_verified=None)
    client = staff_client("Editor")
    response = client.post(verify_url(program), {"method": "phone", "note": "Spoke to intake"})
    assert response.status_code == 302
    assert response.url == reverse("admin:programs_program_changelist") + "?verified=stale"
    program.refresh_from_db()
    assert program.last_verified == timezone.localdate()
    record = program.verifications.get()
    assert (record.method, record.note, record.verified_by) == (
        "phone",
        "Spoke to intake",
        client.user,
    )


def test_verify_page_without_saying_how_changes_nothing(admin_client):
    program = ProgramFactory(last_verified=None)
    response = admin_client.post(verify_url(program), {"note": "?"})
    assert response.status_code == 200
    assert "Choose how you checked the listing." in response.content.decode()
    program.refresh_from_db()
    assert program.last_verified is None


def test_verify_page_never_redirects_off_site(admin_client):
    program = ProgramFactory()
    response = admin_client.post(
        verify_url(program), {"method": "website", "next": "https://evil.example/"}
    )
    assert response.url.startswith(reverse("admin:programs_program_changelist"))


def test_change_form_offers_verify_and_shows_the_verification_record(admin_client):
    program = ProgramFactory()
    admin_client.post(verify_url(program), {"method": "provider", "note": "Emailed new hours"})
    html = admin_client.get(change_url(program)).content.decode()
    assert verify_url(program) in html
    assert "Provider update" in html and "Emailed new hours" in html


def test_people_without_change_permission_cannot_verify(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    program = ProgramFactory(last_verified=None)
    assert client.post(verify_url(program), {"method": "phone"}).status_code == 403


def test_bulk_written_listings_get_history_with_their_source_and_terms():
    # What an import does: bulk_create, link terms, then record history with its reason.
    program = Program.objects.bulk_create([ProgramFactory.build(organization=None)])[0]
    program.terms.through.objects.create(
        program=program, term=program.terms.model.objects.get(code="detox")
    )
    program = Program.objects.get(pk=program.pk)  # bulk_create added no history
    assert not program.history.exists()
    services.record_history(programs=[program], reason="Import: samhsa.csv", created=True)
    record = program.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "Import: samhsa.csv")
    assert [row.term.code for row in record.terms.all()] == ["detox"]


def test_an_estimated_wait_is_refused_unless_the_program_has_a_waitlist(admin_client):
    program = ProgramFactory(accepting="yes")
    response = admin_client.post(change_url(program), form_data(program, wait_weeks=2))
    assert response.status_code == 200
    assert "An estimated wait only applies to a waitlist" in response.content.decode()
    program.refresh_from_db()
    assert program.wait_weeks is None


# --- The curation desk: History, reverts, reports on the edit page ---


def history_html(client, program) -> str:
    url = reverse("admin:programs_program_history", args=[program.pk])
    return client.get(url).content.decode()


def test_revert_does_not_roll_back_the_verification(admin_client, admin_user):
    program = ProgramFactory(name="Original Name", last_verified=None)
    admin_client.post(change_url(program), form_data(program, name="Vandalised"))
    services.mark_verified(programs=Program.objects.filter(pk=program.pk), user=admin_user)
    original = program.history.earliest()
    url = reverse("admin:programs_program_simple_history", args=[program.pk, original.history_id])
    program.refresh_from_db()
    admin_client.post(url, form_data(program, name="Original Name", last_verified=""))
    program.refresh_from_db()
    assert program.name == "Original Name"
    assert program.last_verified == timezone.localdate()
    assert "Reverted to the version of" in program.history.latest().history_change_reason


def test_history_shows_term_changes_as_added_and_removed(admin_client):
    program = ProgramFactory(terms=["cash", "outpatient"])
    terms = program.terms.model.objects
    new = [terms.get(code="medicaid").pk, terms.get(code="outpatient").pk]
    admin_client.post(change_url(program), form_data(program, terms=new))
    html = history_html(admin_client, program)
    assert "added: Medicaid; removed: Cash or self-payment" in html
    assert "None" not in html


def test_one_edit_is_one_history_row(admin_client):
    program = ProgramFactory(terms=["cash"])
    before = program.history.count()
    medicaid = program.terms.model.objects.get(code="medicaid")
    admin_client.post(change_url(program), form_data(program, name="Renamed", terms=[medicaid.pk]))
    assert program.history.count() == before + 1
    latest = program.history.latest()
    assert latest.name == "Renamed"
    assert [row.term.code for row in latest.terms.all()] == ["medicaid"]


def test_history_has_readable_column_names_and_no_empty_rows(admin_client):
    program = ProgramFactory()
    program.save()  # a save that changes nothing a curator sees
    html = history_html(admin_client, program)
    assert "Last verified" in html and "last_verified" not in html
    table = html.split('id="change-history"')[1].split("</table>")[0]
    assert table.count("<tr>") == 2  # the heading and the creation, not the empty save


def test_edit_page_shows_open_problem_reports(admin_client):
    from reports.models import ProblemReport

    program = ProgramFactory()
    report = ProblemReport.objects.create(program=program, kind="phone", details="Rings out")
    ProblemReport.objects.create(program=program, kind="closed", status="dismissed")
    html = admin_client.get(change_url(program)).content.decode()
    assert reverse("admin:reports_problemreport_change", args=[report.pk]) in html
    assert "Rings out" in html
    assert "The program has closed" not in html


def test_problem_report_links_to_the_public_page(admin_client):
    from reports.models import ProblemReport

    program = ProgramFactory()
    report = ProblemReport.objects.create(program=program, kind="phone")
    url = reverse("admin:reports_problemreport_change", args=[report.pk])
    assert f'href="{program.get_absolute_url()}"' in admin_client.get(url).content.decode()


def test_edit_page_help_names_the_verify_button_it_has(admin_client):
    program = ProgramFactory(last_verified=None)
    html = admin_client.get(change_url(program)).content.decode()
    assert "Verify this listing" in html
    assert "Mark selected programs verified today" not in html


def test_state_filter_lists_only_states_with_listings(admin_client):
    ProgramFactory(state="CA")
    ProgramFactory(state="NY", city="Albany", zip_code="12207")
    html = admin_client.get(reverse("admin:programs_program_changelist")).content.decode()
    assert "?state__exact=CA" in html and "?state__exact=NY" in html
    assert "?state__exact=TX" not in html
