"""Writes for problem reports: filing one from the public form, closing one in admin."""

import logging
import threading
import time

from django.core.cache import cache
from django.utils import timezone

from reports.models import ProblemReport

logger = logging.getLogger(__name__)


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
    """Count one report from `ip`; True once it sent more than `limit` in the window.

    Kept in the shared cache (Redis in production) so every app server sees the same count.
    When the cache cannot count (Redis down: it raises a ConnectionError), this process counts
    alone, so the form keeps accepting reports and a flood is still slowed.
    """
    key = f"report-rate:{ip}"
    try:
        # add() only sets a missing key, so the window starts at the first attempt.
        cache.add(key, 0, timeout=window_seconds)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window_seconds)
            attempts = 1
    except ConnectionError:
        attempts = _count_in_this_process(key, window_seconds)
    return attempts > limit


# The fallback count: key → (window start, attempts); cleared whole when it grows past
# _LOCAL_MAX_KEYS, so a flood of addresses cannot fill the process's memory.
_local_counts: dict[str, tuple[float, int]] = {}
_local_lock = threading.Lock()
_LOCAL_MAX_KEYS = 10_000
_last_warning = 0.0


def _count_in_this_process(key: str, window_seconds: int) -> int:
    global _last_warning
    now = time.monotonic()
    with _local_lock:
        if now - _last_warning > 60:
            _last_warning = now
            logger.warning("Report rate limit counted per process: the shared cache is unavailable")
        if len(_local_counts) > _LOCAL_MAX_KEYS:
            _local_counts.clear()
        started, attempts = _local_counts.get(key, (now, 0))
        if now - started > window_seconds:
            started, attempts = now, 0
        _local_counts[key] = (started, attempts + 1)
        return attempts + 1
