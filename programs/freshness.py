"""How fresh the published directory is: the share verified within 90, 180 and 365 days, by
state and by who verified, and the median age. For the staff dashboard and its JSON."""

from datetime import date, timedelta

from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from programs.models import Program, Verification

WINDOWS = (90, 180, 365)
# Who last verified a listing: staff, the program itself, or nobody here (the date came with
# an import, from its source).
WHO = ("staff", "provider", "import", "never")


def _counts(today: date) -> dict:
    counts = {"total": Count("pk")}
    for days in WINDOWS:
        counts[f"within_{days}"] = Count(
            "pk", filter=Q(last_verified__gte=today - timedelta(days=days))
        )
    return counts


def _shares(row: dict) -> dict:
    total = row["total"]
    return {
        "listings": total,
        **{
            f"verified_within_{days}_days": round(row[f"within_{days}"] / total, 4)
            if total
            else None
            for days in WINDOWS
        },
    }


def with_who(programs):
    """Annotate `who` last verified each listing (WHO), from its latest verification record."""
    records = Verification.objects.filter(program=OuterRef("pk")).order_by(
        "-verified_on", "-created"
    )
    # Provider accounts are never staff: the latest record's author says which it was.
    programs = programs.annotate(
        latest_by_staff=Subquery(records.values("verified_by__is_staff")[:1])
    )
    return programs.annotate(
        who=Case(
            When(last_verified__isnull=True, then=Value("never")),
            When(~Exists(records), then=Value("import")),
            When(latest_by_staff=False, then=Value("provider")),
            default=Value("staff"),
        )
    )


def median_age_days(programs, today: date) -> float | None:
    """The median days since verification of listings that were ever verified."""
    dated = programs.exclude(last_verified=None).order_by("last_verified")
    n = dated.count()
    if not n:
        return None
    days = dated.values_list("last_verified", flat=True)
    middle = [days[(n - 1) // 2], days[n // 2]] if n % 2 == 0 else [days[n // 2]]
    return sum((today - day).days for day in middle) / len(middle)


def freshness(*, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    published = Program.objects.published()
    counts = _counts(today)
    overall = published.aggregate(**counts)
    by_state = published.order_by("state").values("state").annotate(**counts)
    by_who = {
        row["who"]: row for row in with_who(published).order_by().values("who").annotate(**counts)
    }
    return {
        "as_of": today.isoformat(),
        **_shares(overall),
        "never_verified": overall["total"] - published.exclude(last_verified=None).count(),
        "median_age_days": median_age_days(published, today),
        "by_state": {row["state"]: _shares(row) for row in by_state},
        "by_who": {who: _shares(by_who.get(who, {"total": 0})) for who in WHO},
    }
