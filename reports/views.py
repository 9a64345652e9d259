from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from programs.models import Program
from reports.forms import ProblemReportForm
from reports.services import over_rate_limit


def report_problem(request, slug):
    """A visitor tells staff what is wrong with a listing; POST, then redirect to thanks."""
    program = get_object_or_404(Program.objects.published(), slug=slug)
    form = ProblemReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit, window = settings.REPORT_RATE_LIMIT
        # The visitor's address as the API's throttle sees it (API_NUM_PROXIES behind proxies).
        ip = BaseThrottle().get_ident(request)
        # Only reports that would be stored count: a typo in an email address costs nothing.
        if over_rate_limit(ip=ip, limit=limit, window_seconds=window):
            form.add_error(
                None,
                _(
                    "We have received several reports from you in a short time. Thank you! "
                    "Please try again in an hour, or call the program to check directly."
                ),
            )
            status = 429
        else:
            if not form.is_spam:
                form.instance.program = program
                form.save()
            return redirect("report-thanks", slug=program.slug)
    return render(
        request, "reports/report_form.html", {"program": program, "form": form}, status=status
    )


def report_thanks(request, slug):
    program = get_object_or_404(Program.objects.published(), slug=slug)
    return render(request, "reports/report_thanks.html", {"program": program})
