"""Email each program whose listing is about to go stale: run daily from cron or a systemd timer."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from providers import services


class Command(BaseCommand):
    help = (
        "Email the contacts of published listings that go stale within "
        f"{services.REMINDER_LEAD_DAYS} days (and were not reminded in the last "
        f"{services.REMINDER_REPEAT_DAYS}), with a sign-in link. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, dry_run=False, **options):
        started = time.perf_counter()
        if dry_run:
            due = services.reminders_due()
            emails, programs = len(due), len({p.pk for ps in due.values() for p in ps})
            verb = "would send"
        else:
            emails, programs = services.send_reminders(base_url=settings.EMAIL_LINK_BASE_URL)
            verb = "sent"
        self.stdout.write(
            f"Reminders: {verb} {emails} emails about {programs} listings "
            f"in {time.perf_counter() - started:.2f} s."
        )
