"""Archive listings a full refresh flagged "not in the source" once their grace period is over.

    .venv/bin/python manage.py archive_missing [--grace-days 45]

Run it daily from cron: a closure then leaves search when its grace period ends, not at the next
refresh. A refresh that finds the listing again publishes it again (programs/importers/refresh.py).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from programs.importers import refresh


class Command(BaseCommand):
    help = "Archive listings missing from their source for longer than the grace period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-days",
            type=int,
            help=f"days a missing listing stays listed (default {refresh.default_grace_days()})",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            archived = refresh.archive_overdue(grace_days=options["grace_days"])
        self.stdout.write(f"{len(archived)} listings archived: not in their source for too long.")
        for program in archived:
            self.stdout.write(f"  {program.pk} {program.name} ({program.not_in_source_since})")
