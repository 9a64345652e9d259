"""Staff's problem-report queue: open first, oldest first, resolve or dismiss with a note."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ProblemReport
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:reports_problemreport_changelist")


def make_report(days_ago: int, status="open", **fields) -> ProblemReport:
    report = ProblemReport.objects.create(
        program=fields.pop("program", None) or ProgramFactory(),
        kind="phone",
        status=status,
        **fields,
    )
    ProblemReport.objects.filter(pk=report.pk).update(
        created=timezone.now() - timedelta(days=days_ago)
    )
    return report


def test_queue_lists_open_reports_first_oldest_first(staff_client):
    closed_oldest = make_report(30, status="resolved")
    newer = make_report(1)
    older = make_report(5)
    response = staff_client("Editor").get(QUEUE)
    assert list(response.context["cl"].result_list) == [older, newer, closed_oldest]


def test_queue_links_each_report_to_its_listing(staff_client):
    program = ProgramFactory(name="Harbor House")
    make_report(1, program=program)
    html = staff_client("Editor").get(QUEUE).content.decode()
    assert reverse("admin:programs_program_change", args=[program.pk]) in html
    assert "Harbor House" in html


@pytest.mark.parametrize("status", ["resolved", "dismissed"])
def test_editor_closes_a_report_with_a_note_and_is_recorded(staff_client, status):
    client = staff_client("Editor")
    report = make_report(2, contact_email="a@example.org")
    url = reverse("admin:reports_problemreport_change", args=[report.pk])
    assert "a@example.org" in client.get(url).content.decode()  # staff may contact the reporter
    response = client.post(url, {"status": status, "staff_note": "Called: number fixed"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.staff_note, report.closed_by) == (
        status,
        "Called: number fixed",
        client.user,
    )
    assert report.closed is not None


def test_reports_cannot_be_added_by_staff_only_by_visitors(admin_client):
    assert admin_client.get(reverse("admin:reports_problemreport_add")).status_code == 403


@pytest.mark.parametrize("action, status", [("resolve", "resolved"), ("dismiss", "dismissed")])
def test_queue_closes_several_reports_at_once_with_a_note(staff_client, action, status):
    client = staff_client("Editor")
    first, second = make_report(3), make_report(2)
    untouched = make_report(1)
    response = client.post(
        QUEUE,
        {"action": action, "_selected_action": [first.pk, second.pk], "note": "Duplicate"},
        follow=True,
    )
    assert f"2 reports {status}." in response.content.decode()
    closed = ProblemReport.objects.filter(pk__in=[first.pk, second.pk])
    assert {(r.status, r.staff_note, r.closed_by) for r in closed} == {
        (status, "Duplicate", client.user)
    }
    untouched.refresh_from_db()
    assert untouched.status == "open"
