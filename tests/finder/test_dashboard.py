"""The staff dashboard on the admin index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from tests.factories import ProgramFactory
from tests.reports.test_report_admin import make_report

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def test_dashboard_counts_listings_by_state_and_open_reports(
    staff_client, django_assert_num_queries
):
    long_ago = timezone.localdate() - timedelta(days=800)
    reported, *_ = ProgramFactory.create_batch(3)
    ProgramFactory(last_verified=None)  # published, never verified
    ProgramFactory(status=Program.Status.DRAFT, last_verified=long_ago)
    ProgramFactory(status=Program.Status.ARCHIVED, last_verified=None)  # nobody needs it checked
    make_report(3, program=reported)
    make_report(1, program=reported, status="dismissed")
    client = staff_client("Editor")
    # Session, user, two for permissions, the recent-actions box; and the dashboard's three:
    # listing counts, open report count, oldest open reports.
    with django_assert_num_queries(8):
        response = client.get(INDEX)
    html = response.content.decode()
    assert '<td class="count-published">4</td>' in html
    assert '<td class="count-draft">1</td>' in html
    assert '<td class="count-needing-verification">2</td>' in html
    assert '<td class="count-open-reports">1</td>' in html


def test_dashboard_lists_the_oldest_open_reports_with_links(staff_client):
    old = make_report(9, program=ProgramFactory(name="Oldest Report Place"))
    make_report(2, program=ProgramFactory(name="Newer Report Place"))
    html = staff_client("Editor").get(INDEX).content.decode()
    assert html.index("Oldest Report Place") < html.index("Newer Report Place")
    assert reverse("admin:reports_problemreport_change", args=[old.pk]) in html


def test_needing_verification_link_opens_the_queue_never_verified_first(admin_client):
    today = timezone.localdate()
    ProgramFactory(name="Two Years", last_verified=today - timedelta(days=730))
    ProgramFactory(name="Never", last_verified=None)
    ProgramFactory(name="Eighteen Months", last_verified=today - timedelta(days=540))
    ProgramFactory(name="Fresh", last_verified=today)
    assert "?verified=stale" in admin_client.get(INDEX).content.decode()
    queue = admin_client.get(reverse("admin:programs_program_changelist"), {"verified": "stale"})
    assert [p.name for p in queue.context["cl"].result_list] == [
        "Never",
        "Two Years",
        "Eighteen Months",
    ]
