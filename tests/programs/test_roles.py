"""The permission matrix: what each staff role can and cannot do in admin."""

import pytest
from django.urls import reverse

from programs.models import Facet, Program, Term
from tests.factories import ProgramFactory
from tests.programs.test_admin import CHANGELIST, change_url, form_data, run_action

pytestmark = pytest.mark.django_db

ROLES = ["Editor", "Publisher", "Administrator"]


@pytest.mark.parametrize(
    "role, can_publish, can_import, can_edit_taxonomy, can_manage_users",
    [
        ("Editor", False, False, False, False),
        ("Publisher", True, True, False, False),
        ("Administrator", True, True, True, True),
    ],
)
def test_each_role_has_exactly_its_powers(
    staff_client, role, can_publish, can_import, can_edit_taxonomy, can_manage_users
):
    user = staff_client(role).user
    assert user.has_perm("programs.change_program")  # every role edits listings
    assert user.has_perm("reports.change_problemreport")  # and handles problem reports
    assert user.has_perm("programs.publish_program") is can_publish
    assert user.has_perm("programs.import_programs") is can_import
    assert user.has_perm("programs.change_term") is can_edit_taxonomy
    assert user.has_perm("programs.change_facet") is can_edit_taxonomy
    assert user.has_perm("auth.change_user") is can_manage_users


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_edit_a_listing(staff_client, role):
    client = staff_client(role)
    program = ProgramFactory(name="Old Name")
    response = client.post(change_url(program), form_data(program, name="New Name"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "New Name"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_verify_listings(staff_client, role):
    client = staff_client(role)
    program = ProgramFactory(last_verified=None)
    run_action(client, "mark_verified", [program], method="website")
    program.refresh_from_db()
    assert program.last_verified is not None


@pytest.mark.parametrize("action", ["publish", "unpublish", "archive"])
def test_editor_is_not_offered_publication_actions(staff_client, action):
    client = staff_client("Editor")
    ProgramFactory()
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert action not in dict(actions)
    assert "mark_verified" in dict(actions)


def test_editor_cannot_publish_by_posting_the_action_anyway(staff_client):
    client = staff_client("Editor")
    draft = ProgramFactory(status=Program.Status.DRAFT)
    run_action(client, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Program.Status.DRAFT


def test_editor_cannot_publish_by_editing_the_status_field(staff_client):
    client = staff_client("Editor")
    draft = ProgramFactory(status=Program.Status.DRAFT, name="Draft Place")
    html = client.get(change_url(draft)).content.decode()
    assert 'name="status"' not in html  # shown as text, not as a choice
    response = client.post(change_url(draft), form_data(draft, status="published", name="Edited"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.status) == ("Edited", Program.Status.DRAFT)


def test_listing_an_editor_adds_starts_as_a_draft(staff_client):
    client = staff_client("Editor")
    data = form_data(ProgramFactory.build(organization=None, slug="new-place"), status="published")
    assert client.post(reverse("admin:programs_program_add"), data).status_code == 302
    assert Program.objects.get(slug="new-place").status == Program.Status.DRAFT


def test_editor_cannot_publish_by_reverting_to_a_published_version(staff_client):
    program = ProgramFactory(status=Program.Status.PUBLISHED)
    program.status = Program.Status.DRAFT
    program.save()
    published_version = program.history.order_by("history_date").first()
    client = staff_client("Editor")
    url = reverse(
        "admin:programs_program_simple_history",
        args=[program.pk, published_version.history_id],
    )
    response = client.post(url, form_data(program))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


@pytest.mark.parametrize("action", ["publish", "unpublish", "archive"])
def test_publisher_can_use_publication_actions(staff_client, action):
    client = staff_client("Publisher")
    program = ProgramFactory(status=Program.Status.DRAFT)
    run_action(client, action, [program])
    program.refresh_from_db()
    assert (
        program.status
        == {"publish": "published", "unpublish": "draft", "archive": "archived"}[action]
    )


def test_publisher_can_publish_from_the_status_field(staff_client):
    client = staff_client("Publisher")
    draft = ProgramFactory(status=Program.Status.DRAFT)
    client.post(change_url(draft), form_data(draft, status="published"))
    draft.refresh_from_db()
    assert draft.status == Program.Status.PUBLISHED


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_only_administrators_edit_the_taxonomy(staff_client, role):
    client = staff_client(role)
    term = Term.objects.get(code="medicaid")
    url = reverse("admin:programs_term_change", args=[term.pk])
    assert client.get(url).status_code == 200  # they can look it up
    response = client.post(url, {"facet": term.facet_id, "code": "x", "label_en": "Renamed"})
    assert response.status_code == 403
    assert Term.objects.get(pk=term.pk).label_en == "Medicaid"
    facet = Facet.objects.get(code="payment")
    assert (
        client.post(reverse("admin:programs_facet_change", args=[facet.pk]), {}).status_code == 403
    )
    assert client.get(reverse("admin:programs_term_add")).status_code == 403


def test_administrator_can_edit_the_taxonomy_and_users(staff_client):
    client = staff_client("Administrator")
    term = Term.objects.get(code="medicaid")
    assert client.get(reverse("admin:programs_term_change", args=[term.pk])).status_code == 200
    assert client.get(reverse("admin:programs_term_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_only_administrators_manage_staff_accounts(staff_client, role):
    assert staff_client(role).get(reverse("admin:auth_user_changelist")).status_code == 403
