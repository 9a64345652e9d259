"""Writes for problem reports: filing one from the public form, closing one in admin."""

from django.core.cache import cache
from django.utils import timezone

from reports.models import ProblemReport


def close_report(*, report: ProblemReport, status: str, note: str, user) -> ProblemReport:
    """Resolve or dismiss `report` with a staff note; reopening clears who closed it."""
    report.status = status
    report.staff_note = note
    if status == ProblemReport.Status.OPEN:
        report.closed, report.closed_by = None, None
    else:
        report.closed, report.closed_by = timezone.now(), user
    report.save()
    return report


def over_rate_limit(*, ip: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt from `ip`; True once it made more than `limit` in the window.

    Kept in the shared cache (Redis in production) so every app server sees the same count.
    """
    key = f"report-rate:{ip}"
    # add() only sets a missing key, so the window starts at the first attempt.
    cache.add(key, 0, timeout=window_seconds)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        attempts = 1
    return attempts > limit
