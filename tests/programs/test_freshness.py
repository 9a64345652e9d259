"""The freshness dashboard: how much of the published directory was verified lately, and by whom."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.freshness import freshness
from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def directory(admin_user):
    """Six published listings (CA ×4, NY ×2) and a draft; verified by staff, provider, import."""
    provider = get_user_model().objects.create_user("provider:p@example.org")
    by_staff = ProgramFactory(state="CA", last_verified=None)
    services.mark_verified(
        programs=Program.objects.filter(pk=by_staff.pk), on=days_ago(10), user=admin_user
    )
    by_provider = ProgramFactory(state="CA", last_verified=None)
    services.mark_verified(
        programs=Program.objects.filter(pk=by_provider.pk),
        on=days_ago(100),
        method="provider",
        user=provider,
    )
    ProgramFactory(state="CA", last_verified=days_ago(200))  # imported date, no record
    ProgramFactory(state="CA", last_verified=None)
    ProgramFactory(state="NY", last_verified=days_ago(400))
    ProgramFactory(state="NY", last_verified=days_ago(50))
    ProgramFactory(state="TX", last_verified=days_ago(1), status=Program.Status.DRAFT)


def test_shares_verified_within_90_180_365_days(directory):
    figures = freshness()
    assert figures["listings"] == 6
    assert figures["verified_within_90_days"] == round(2 / 6, 4)
    assert figures["verified_within_180_days"] == round(3 / 6, 4)
    assert figures["verified_within_365_days"] == round(4 / 6, 4)
    assert figures["never_verified"] == 1
    assert figures["median_age_days"] == 100  # of 10, 50, 100, 200, 400


def test_by_state_counts_published_listings_only(directory):
    by_state = freshness()["by_state"]
    assert set(by_state) == {"CA", "NY"}
    assert by_state["NY"]["listings"] == 2
    assert by_state["NY"]["verified_within_90_days"] == 0.5


def test_by_who_verified_last(directory):
    by_who = freshness()["by_who"]
    assert {who: row["listings"] for who, row in by_who.items()} == {
        "staff": 1,
        "provider": 1,
        "import": 3,
        "never": 1,
    }
    assert by_who["provider"]["verified_within_90_days"] == 0
    assert by_who["provider"]["verified_within_180_days"] == 1


def test_dashboard_page_and_json_for_staff(directory, staff_client):
    client = staff_client("Editor")
    html = client.get(reverse("admin:programs_program_freshness")).content.decode()
    assert "Median time since verification: 100 days" in html
    data = client.get(reverse("admin:programs_program_freshness_json")).json()
    assert data["listings"] == 6 and data["by_who"]["staff"]["listings"] == 1


def test_json_needs_a_signed_in_staff_member(client, directory):
    response = client.get(reverse("admin:programs_program_freshness_json"))
    assert response.status_code == 302
    assert "login" in response.url
