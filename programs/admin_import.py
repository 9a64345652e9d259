"""Staff import from admin: upload a file, see the dry run's summary, confirm to import it.

Only users with the `programs.import_programs` permission. The uploaded bytes wait in a
PendingImport row between the two steps, tied to the user who uploaded them.
"""

import logging
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.importers import FORMATS
from programs.importers.core import ImportFileError
from programs.importers.sync import ImportResult, import_file
from programs.models import PendingImport

logger = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the full national locator export is about 20 MB
MAX_LISTED = 100
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
    """Step 1 (GET/POST "preview"): the form and the dry run. Step 2 (POST "confirm")."""
    if not request.user.has_perm("programs.import_programs"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import program listings"),
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, request.POST.get("pending", ""))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        options = {"format": form.cleaned_data["format"], "encoding": form.cleaned_data["encoding"]}
        result, error = _run(data, dry_run=True, filename=form.cleaned_data["file"].name, **options)
        if error:
            form.add_error("file", error)
        else:
            pending = _keep(request.user, data, form.cleaned_data["file"].name, options)
            context.update(result=result, pending=pending, **_listed(result))
    context["form"] = form
    return TemplateResponse(request, "admin/programs/program/import.html", context)


def _confirm(request, pending_id: str):
    pending = PendingImport.objects.filter(user=request.user, pk=_int(pending_id)).first()
    if pending is None:
        messages.error(request, _("That upload has expired. Upload the file again."))
        return redirect("admin:programs_program_import")
    result, error = _run(
        bytes(pending.data),
        format=pending.format,
        encoding=pending.encoding,
        filename=pending.filename,
        dry_run=False,
    )
    pending.delete()
    if error:
        messages.error(request, error)
        return redirect("admin:programs_program_import")
    messages.success(
        request,
        _(
            "Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged, %(rejected)d rows rejected."
        )
        % {
            "file": pending.filename,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": len(result.rejected),
        },
    )
    return redirect("admin:programs_program_changelist")


def _run(data: bytes, **options) -> tuple[ImportResult | None, str]:
    """(result, "") or (None, a message for staff); an unreadable upload never raises."""
    try:
        return import_file(data, encoding=options.pop("encoding") or None, **options), ""
    except ImportFileError as error:
        return None, _("This file could not be imported: %(reason)s") % {"reason": error}
    except Exception:
        # A parser library failing on garbage in a way we did not foresee: tell staff, keep a
        # trace for developers. The import's transaction has rolled back.
        logger.exception("Import of an uploaded file failed")
        return None, _(
            "This file could not be read as the chosen format. Check the format and encoding."
        )


def _keep(user, data: bytes, filename: str, options: dict) -> PendingImport:
    PendingImport.objects.filter(created__lt=timezone.now() - timedelta(days=1)).delete()
    PendingImport.objects.filter(user=user).delete()  # one pending upload per user
    return PendingImport.objects.create(user=user, data=data, filename=filename[:200], **options)


def _listed(result: ImportResult) -> dict:
    return {
        "rejected": result.rejected[:MAX_LISTED],
        "more_rejected": max(len(result.rejected) - MAX_LISTED, 0),
        "unmapped": result.unmapped.most_common(MAX_LISTED),
        "kept_edits": result.kept_staff_edits[:MAX_LISTED],
    }


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 18 else None
