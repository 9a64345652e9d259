"""What the staff dashboard on the admin index counts, in three queries.

In the project package because it spans two apps: listings (programs) and problem reports
(reports, asked through its own selector).
"""

from django.db.models import Count, Q

from programs.models import Program
from reports.selectors import open_reports

OLDEST_REPORTS = 5


def summary(user) -> dict:
    needing = Program.objects.needing_verification().values("pk")
    counts = Program.objects.aggregate(
        published=Count("pk", filter=Q(status=Program.Status.PUBLISHED)),
        draft=Count("pk", filter=Q(status=Program.Status.DRAFT)),
        needing_verification=Count("pk", filter=Q(pk__in=needing)),
    )
    if user.has_perm("reports.view_problemreport"):
        counts |= open_reports(oldest=OLDEST_REPORTS)
    return counts
