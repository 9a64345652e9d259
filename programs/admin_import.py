"""Staff import from admin: upload a file, see the dry run's summary, confirm to import it.

Only users with the `programs.import_programs` permission. The uploaded bytes wait in a
PendingImport row, tied to the user who uploaded them. The dry run and the import each run as a
background job (programs.importers.jobs); the job's page refreshes itself until it ends.
"""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.importers import FORMATS, jobs, refresh
from programs.importers.core import ImportFileError
from programs.importers.jobs import MAX_LISTED
from programs.models import ImportJob, PendingImport

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the full national locator export is about 20 MB
REFRESH_SECONDS = 2  # how often a job's page reloads itself while the job runs
WORKER_LATE = timedelta(seconds=30)  # queued this long: say the worker may not be running
FORMAT_LABELS = {
    "samhsa-locator": gettext_lazy("SAMHSA locator export (CSV or XLSX)"),
    "samhsa-api": gettext_lazy("SAMHSA locator API (JSON)"),
    "otp-directory": gettext_lazy("SAMHSA opioid treatment program list (CSV)"),
    "hsds": gettext_lazy("Open Referral HSDS 3.0 (JSON, or the CSV package as a .zip)"),
}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(f, FORMAT_LABELS[f]) for f in sorted(FORMATS)]
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Text encoding"),
        required=False,
        choices=[
            ("", gettext_lazy("Detect (UTF-8, else Windows-1252)")),
            ("utf-8", "UTF-8"),
            ("cp1252", "Windows-1252"),
            ("latin-1", "ISO-8859-1 (Latin-1)"),
        ],
    )

    replace_scope = forms.CharField(
        label=gettext_lazy("Full refresh for"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Leave empty for an ordinary import. Enter state codes (AZ, CA) or “all” if this "
            "file is the whole directory for them: listings of its source that it lacks are "
            "marked “not in the source” and archived after the grace period."
        ),
    )
    force = forms.BooleanField(
        label=gettext_lazy("Refresh even if many listings would be retired"),
        required=False,
        help_text=gettext_lazy(
            "Without it, a refresh that would retire more than a tenth of "
            "its listings is refused (a cut-off or wrong file)."
        ),
    )
    retire_now = forms.BooleanField(
        label=gettext_lazy("Archive missing listings at once"),
        required=False,
        help_text=gettext_lazy("Without it, they stay published during the grace period."),
    )

    def clean_replace_scope(self):
        text = self.cleaned_data["replace_scope"]
        try:
            refresh.parse_scope(text)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return text.strip()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)d MB; the largest accepted is %(max)d MB.")
                % {"size": upload.size // 2**20, "max": MAX_UPLOAD_BYTES // 2**20}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        return upload


def import_view(model_admin, request):
    """The upload form (GET), the upload (POST), a job's page (GET ?job=), the confirmation."""
    if not request.user.has_perm("programs.import_programs"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import program listings"),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, request.POST.get("pending", ""))
    if request.method == "GET" and "job" in request.GET:
        return _job_page(request, context, request.GET["job"])
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = form.cleaned_data
        options = {
            "format": data["format"],
            "encoding": data["encoding"],
            "options": {name: data[name] for name in ("replace_scope", "force", "retire_now")},
        }
        pending = _keep(request.user, upload.read(), upload.name, options)
        return _to_job(jobs.start(user=request.user, pending=pending, dry_run=True))
    context["form"] = form
    return TemplateResponse(request, "admin/programs/program/import.html", context)


def _confirm(request, pending_id: str):
    with transaction.atomic():
        # Locked, so a double click queues one import, not two.
        pending = (
            PendingImport.objects.select_for_update()
            .filter(user=request.user, pk=_int(pending_id))
            .first()
        )
        if pending is None:
            messages.error(request, _("That upload has expired. Upload the file again."))
            return redirect("admin:programs_program_import")
        if started := pending.jobs.filter(dry_run=False).first():
            return _to_job(started)
        job = jobs.start(user=request.user, pending=pending, dry_run=False)
    return _to_job(job)


def _to_job(job: ImportJob):
    return redirect(f"{reverse('admin:programs_program_import')}?job={job.pk}")


def _job_page(request, context: dict, job_id: str):
    job = ImportJob.objects.filter(user=request.user, pk=_int(job_id)).first()
    if job is None:
        messages.error(request, _("That import job was not found."))
        return redirect("admin:programs_program_import")
    job = jobs.give_up_if_stale(job)
    waited = timezone.now() - job.created
    context.update(
        job=job,
        summary=job.summary,
        more_rejected=max(job.summary.get("rejected_count", 0) - MAX_LISTED, 0),
        # "not in source" → not_in_source: a template reads keys without spaces.
        counts={k.replace(" ", "_"): n for k, n in job.summary.get("counts", {}).items()},
        # The confirmation needs the upload, which a dry run keeps for a day.
        can_confirm=job.dry_run
        and job.status == ImportJob.Status.SUCCEEDED
        and job.pending_id is not None,
        worker_late=job.status == ImportJob.Status.QUEUED and waited > WORKER_LATE,
        refresh_seconds=REFRESH_SECONDS,
    )
    return TemplateResponse(request, "admin/programs/program/import_job.html", context)


def _keep(user, data: bytes, filename: str, options: dict) -> PendingImport:
    # One waiting upload per user, and none older than a day, except those a job still reads.
    in_use = Q(jobs__status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
    stale = Q(user=user) | Q(created__lt=timezone.now() - timedelta(days=1))
    PendingImport.objects.filter(stale).exclude(in_use).delete()
    return PendingImport.objects.create(user=user, data=data, filename=filename[:200], **options)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 18 else None
