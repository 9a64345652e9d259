"""What the staff dashboard on the admin index counts, in three queries."""

from django.db.models import Count, Q

from programs.models import Program
from reports.models import ProblemReport

OLDEST_REPORTS = 5


def summary(user) -> dict:
    needing = Program.objects.needing_verification().values("pk")
    counts = Program.objects.aggregate(
        published=Count("pk", filter=Q(status=Program.Status.PUBLISHED)),
        draft=Count("pk", filter=Q(status=Program.Status.DRAFT)),
        needing_verification=Count("pk", filter=Q(pk__in=needing)),
    )
    if user.has_perm("reports.view_problemreport"):
        open_reports = ProblemReport.objects.filter(status=ProblemReport.Status.OPEN)
        counts["open_reports"] = open_reports.count()
        counts["oldest_reports"] = list(
            open_reports.select_related("program").order_by("created", "pk")[:OLDEST_REPORTS]
        )
    return counts
