"""A program's contact signs in by link, updates openings, proposes changes; staff review them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, Verification
from providers import services
from providers.models import ProposedChange, SignInLink
from tests.factories import ProgramFactory
from tests.providers.conftest import link_in

pytestmark = pytest.mark.django_db


def page(program, name="providers:program"):
    return reverse(name, args=[program.pk])


def change_form(program, **changes):
    data = {
        "name": program.name,
        "street": program.street,
        "city": program.city,
        "state": program.state,
        "zip_code": program.zip_code,
        "phone": str(program.phone),
        "terms": list(program.terms.values_list("code", flat=True)),
    }
    return data | changes


def test_invited_contact_signs_in_by_link_and_sees_their_listing(client, invited, program):
    link = invited(program)
    assert mail.outbox[0].to == ["intake@example.org"]
    assert client.get(link).status_code == 200  # a button, so mail scanners do not spend it
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("providers:home")
    assert program.name in response.content.decode()


def test_only_the_hash_of_a_link_is_stored(invited, program):
    link = invited(program)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not SignInLink.objects.filter(token_hash__contains=token).exists()
    assert SignInLink.objects.get().token_hash == services._hash(token)


def test_availability_update_is_public_at_once_and_dated_by_the_program(provider_client, program):
    client = provider_client(program)
    response = client.post(
        page(program), {"accepting": "waitlist", "wait_weeks": "3", "beds_available": "2"}
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.accepting, program.wait_weeks, program.beds_available) == ("waitlist", 3, 2)
    assert program.accepting_updated == timezone.localdate()
    public = client.get(program.get_absolute_url()).content.decode()
    assert "Waitlist" in public
    assert "Updated by the program on" in public


def test_availability_update_is_in_history_with_the_provider_as_author(provider_client, program):
    provider_client(program).post(page(program), {"accepting": "no"})
    record = program.history.latest()
    assert record.history_user.email == "intake@example.org"
    assert "by the program" in record.history_change_reason


def test_everything_still_correct_is_a_verification_by_the_provider(provider_client):
    program = ProgramFactory(last_verified=timezone.localdate() - timedelta(days=400))
    client = provider_client(program)
    assert client.post(page(program, "providers:confirm")).status_code == 302
    program.refresh_from_db()
    assert program.last_verified == timezone.localdate()
    verification = Verification.objects.get(program=program)
    assert verification.method == Verification.Method.PROVIDER
    assert verification.verified_by.email == "intake@example.org"


def test_service_change_is_queued_not_public_until_an_editor_approves_it(
    provider_client, program, staff_client, term
):
    provider = provider_client(program)
    provider.post(
        page(program, "providers:propose"),
        change_form(program, terms=["residential", "cash"], note="We stopped taking Medicaid"),
    )
    change = ProposedChange.objects.get()
    assert change.after == {"terms": ["cash", "residential"]}
    assert set(program.terms.values_list("code", flat=True)) == {"residential", "medicaid"}
    assert "Cash or self-payment" not in provider.get(program.get_absolute_url()).content.decode()

    editor = staff_client("Editor")
    url = reverse("admin:providers_proposedchange_change", args=[change.pk])
    review = editor.get(url).content.decode()
    assert "added:" in review and "Cash or self-payment" in review and "Medicaid" in review
    response = editor.post(url, {"decision": "approve", "reason": "Called intake to confirm"})
    assert response.status_code == 302

    assert set(program.terms.values_list("code", flat=True)) == {"residential", "cash"}
    assert "Cash or self-payment" in editor.get(program.get_absolute_url()).content.decode()
    record = program.history.latest()
    assert record.history_user == editor.user
    assert "approved: Called intake to confirm" in record.history_change_reason
    assert "intake@example.org" in record.history_change_reason
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", editor.user)


def test_rejected_change_leaves_the_listing_alone(provider_client, program, staff_client):
    provider_client(program).post(
        page(program, "providers:propose"), change_form(program, name="Somewhere Else")
    )
    change = ProposedChange.objects.get()
    editor = staff_client("Editor")
    url = reverse("admin:providers_proposedchange_change", args=[change.pk])
    editor.post(url, {"decision": "reject", "reason": "Not their program name"})
    program.refresh_from_db()
    assert program.name != "Somewhere Else"
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED


def test_approved_phone_change_reaches_the_listing(provider_client, program, staff_client):
    provider_client(program).post(
        page(program, "providers:propose"), change_form(program, phone="(415) 555-0199")
    )
    change = ProposedChange.objects.get()
    assert change.after == {"phone": "+14155550199"}
    services.approve(change=change, user=staff_client("Editor").user, reason="ok")
    program.refresh_from_db()
    assert program.phone.as_e164 == "+14155550199"


def test_unchanged_proposal_queues_nothing(provider_client, program):
    provider_client(program).post(page(program, "providers:propose"), change_form(program))
    assert not ProposedChange.objects.exists()


# --- Links refused ---


def test_used_link_is_refused_with_a_clear_message(client, invited, program):
    link = invited(program)
    client.post(link)
    client.logout()
    response = client.post(link)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_link_is_refused_with_a_clear_message(client, invited, program):
    link = invited(program)
    SignInLink.objects.update(expires=timezone.now() - timedelta(seconds=1))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_made_up_link_is_refused(client):
    response = client.get(reverse("providers:link", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_link_never_signs_in_a_staff_account(client, invited, program):
    link = invited(program)
    SignInLink.objects.get().access.user.__class__.objects.update(is_staff=True)
    assert client.post(link).status_code == 410


def test_new_link_by_email_on_request(client, invited, program):
    invited(program)
    mail.outbox.clear()
    response = client.post(reverse("providers:request-link"), {"email": "Intake@Example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert client.post(link_in(mail.outbox[0])).status_code == 302


def test_request_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("providers:request-link"), {"email": "who@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("providers:link-sent")
    assert mail.outbox == []


def test_link_requests_are_rate_limited(client, invited, program):
    invited(program)
    mail.outbox.clear()
    url = reverse("providers:request-link")
    statuses = [client.post(url, {"email": "intake@example.org"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == services.LINK_REQUESTS_PER_HOUR


def test_organization_contact_sees_every_program_of_the_organization(client, invited):
    program = ProgramFactory()
    sibling = ProgramFactory(organization=program.organization)
    client.post(invited(organization=program.organization))
    content = client.get(reverse("providers:home")).content.decode()
    assert program.name in content and sibling.name in content
    assert client.get(page(sibling)).status_code == 200


def test_invite_from_admin_emails_a_link(staff_client, program, django_capture_on_commit_callbacks):
    editor = staff_client("Editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:providers_provideraccess_add"),
            {"email": "director@example.org", "program": program.pk},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["director@example.org"]
    assert program.name in mail.outbox[-1].body


def test_invite_needs_a_program_or_an_organization(staff_client):
    editor = staff_client("Editor")
    response = editor.post(
        reverse("admin:providers_provideraccess_add"), {"email": "director@example.org"}
    )
    assert response.status_code == 200
    assert mail.outbox == []
    assert Program.objects.count() == 0


def test_provider_pages_speak_spanish(client, provider_client, program):
    assert "Enviarme un enlace para entrar" in client.get("/es/providers/sign-in/").content.decode()
    html = provider_client(program).get(f"/es/providers/programs/{program.pk}/").content.decode()
    assert "¿Todo sigue correcto?" in html and "Guardar cupos" in html


def test_approved_move_places_the_listing_at_its_new_zip_for_staff_to_refine(
    provider_client, program, staff_client
):
    provider_client(program).post(
        page(program, "providers:propose"),
        change_form(program, street="200 Broadway", city="Oakland", zip_code="94607"),
    )
    services.approve(
        change=ProposedChange.objects.get(), user=staff_client("Editor").user, reason="moved"
    )
    program.refresh_from_db()
    assert (program.city, program.zip_code, program.location_approximate) == (
        "Oakland",
        "94607",
        True,
    )
    assert 37.7 < program.latitude < 37.9 and -122.35 < program.longitude < -122.2


def test_provider_pages_need_a_handful_of_queries(
    provider_client, django_assert_max_num_queries, client
):
    programs = ProgramFactory.create_batch(12)
    organization = programs[0].organization
    for program in programs:
        program.organization = organization
        program.save()
    provider_client(programs[0])
    services.invite(email="intake@example.org", organization=organization, base_url="")
    with django_assert_max_num_queries(3):  # session, user, its programs
        assert client.get(reverse("providers:home")).status_code == 200
    with django_assert_max_num_queries(5):  # + the program, its pending changes, last update
        assert client.get(page(programs[3])).status_code == 200
