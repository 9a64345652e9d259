"""What other apps may read of problem reports (they call these rather than import the models)."""

from reports.models import ProblemReport


def open_reports(*, oldest: int) -> dict:
    """How many reports are open, and the `oldest` of them with their programs."""
    reports = ProblemReport.objects.filter(status=ProblemReport.Status.OPEN)
    return {
        "open_reports": reports.count(),
        "oldest_reports": list(
            reports.select_related("program").order_by("created", "pk")[:oldest]
        ),
    }
