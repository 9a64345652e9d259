"""Reminders: every program about to go stale hears once, with a link; staff see who answered."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from benchmarks import providers as benchmark
from providers.models import Reminder
from tests.factories import ProgramFactory
from tests.providers.conftest import link_in

pytestmark = pytest.mark.django_db

N = 5000


def due_by_the_rules(n: int) -> dict[str, set[int]]:
    """{address: the listings its reminder names}, from benchmark's rules alone."""
    stale_soon = {i for i in range(n) if benchmark.AGES[i % 10] in {335, 336, 364, 400, None}}
    due = {i for i in stale_soon if i % 13 and i % 11}  # published, not reminded in 14 days
    expected = {f"p{i}@example.org": {i} for i in due if i % 7 == 0}
    for k in benchmark.ORGANIZATION_CONTACTS:
        expected[f"o{k}@example.org"] = {i for i in due if i % 50 == k}
    return {email: programs for email, programs in expected.items() if programs}


def test_reminders_on_5000_listings_send_exactly_the_emails_due():
    benchmark.build(N)
    expected = due_by_the_rules(N)
    assert len(expected) > 200 and any(len(p) > 1 for p in expected.values())  # a real test
    before = Reminder.objects.count()

    call_command("send_reminders", stdout=StringIO())

    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    for message in mail.outbox:
        named = {int(n) for n in re.findall(r"- Bench Program (\d+)", message.body)}
        assert named == expected[message.to[0]], message.to[0]
    new = Reminder.objects.filter(sent_to__in=expected).select_related("program")
    assert sorted((r.sent_to, int(r.program.external_id)) for r in new) == sorted(
        (email, i) for email, programs in expected.items() for i in programs
    )
    assert Reminder.objects.count() == before + new.count()

    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []  # nobody is reminded twice within two weeks


def test_reminder_link_signs_in_and_an_answer_is_recorded(client, invited):
    program = ProgramFactory(last_verified=timezone.localdate() - timedelta(days=340))
    invited(program)
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert program.name in mail.outbox[0].body
    client.post(link_in(mail.outbox[0]))
    client.post(reverse("providers:confirm", args=[program.pk]))
    assert Reminder.objects.get(program=program).answered is not None


def test_fresh_listings_and_listings_without_a_contact_get_no_reminder(invited):
    invited(ProgramFactory(last_verified=timezone.localdate() - timedelta(days=30)))
    ProgramFactory(last_verified=None)  # nobody to write to
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_staff_see_programs_that_never_answer(staff_client):
    silent, answering = ProgramFactory(), ProgramFactory()
    now = timezone.now()
    for days in (30, 15):
        Reminder.objects.create(program=silent, sent_to="a@example.org", sent=now - timedelta(days))
    Reminder.objects.create(program=answering, sent_to="b@example.org", sent=now, answered=now)
    Reminder.objects.create(program=answering, sent_to="b@example.org", sent=now)
    response = staff_client("Editor").get(
        reverse("admin:providers_reminder_changelist") + "?answered=never"
    )
    listed = {r.program for r in response.context["cl"].result_list}
    assert listed == {silent}
