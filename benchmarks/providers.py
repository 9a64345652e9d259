"""A synthetic directory with provider contacts, for the reminder test and its timing script.

Every rule is arithmetic on the listing's number, so a test can say which listings are due
without asking the code it checks.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from programs.models import Organization, Program
from providers.models import ProviderAccess, Reminder

ORGANIZATIONS = 50
# Days since the last verification, by listing number % 10; None: never verified.
AGES = [0, 100, 200, 300, 334, 335, 336, 364, 400, None]
SOURCE = "reminder-bench"
# Organizations with a contact for all their listings: some of their listings are due, some not.
ORGANIZATION_CONTACTS = range(3, 9)


def build(n: int, *, today: date | None = None) -> None:
    """n listings in ORGANIZATIONS organizations; contacts for some listings and organizations.

    - listing i is a draft when i % 13 == 0; verified AGES[i % 10] days ago;
    - the contact of listing i (program access) exists when i % 7 == 0;
    - organizations in ORGANIZATION_CONTACTS have a contact for all their listings;
    - listing i was reminded 3 days ago when i % 11 == 0, 20 days ago when i % 17 == 0.
    """
    today = today or timezone.localdate()
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bench Organization {k}") for k in range(ORGANIZATIONS)]
    )
    programs = Program.objects.bulk_create(
        [
            Program(
                name=f"Bench Program {i:05d}",
                slug=f"bench-program-{i}",
                organization=organizations[i % ORGANIZATIONS],
                city="Springfield",
                state="IL",
                zip_code="62701",
                status=Program.Status.DRAFT if i % 13 == 0 else Program.Status.PUBLISHED,
                last_verified=None if AGES[i % 10] is None else today - timedelta(AGES[i % 10]),
                source=SOURCE,
                external_id=str(i),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    User = get_user_model()
    program_contacts = [i for i in range(n) if i % 7 == 0]
    users = User.objects.bulk_create(
        [
            User(username=f"provider:p{i}@example.org", email=f"p{i}@example.org")
            for i in program_contacts
        ]
        + [
            User(username=f"provider:o{k}@example.org", email=f"o{k}@example.org")
            for k in ORGANIZATION_CONTACTS
        ],
        batch_size=1000,
    )
    ProviderAccess.objects.bulk_create(
        [
            ProviderAccess(user=u, program=programs[i])
            for u, i in zip(users, program_contacts, strict=False)
        ]
        + [
            ProviderAccess(user=u, organization=organizations[k])
            for k, u in zip(ORGANIZATION_CONTACTS, users[len(program_contacts) :], strict=True)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(program=programs[i], sent_to="old@example.org", sent=now - timedelta(days))
            for i in range(n)
            for days, every in ((3, 11), (20, 17))
            if i % every == 0
        ],
        batch_size=1000,
    )
