"""Staff review of what imports changed: the listings no longer in their source, and each
import's change report (listing by listing, as CSV)."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.csv_safety import safe_cell
from programs.models import ImportReport

REPORT_COLUMNS = [
    "change", "program", "external_id", "name", "city", "state", "line", "fields", "detail",
]  # fmt: skip


class NotInSourceFilter(admin.SimpleListFilter):
    """The review list of a full refresh: listings their source's newest file lacks."""

    title = _("in the source")
    parameter_name = "in_source"

    def lookups(self, request, model_admin):
        return [
            ("missing", _("Not in the source (still listed)")),
            ("retired", _("Archived: not in the source")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(not_in_source_since__isnull=False, retired_by_import=False)
        if self.value() == "retired":
            return queryset.filter(retired_by_import=True)
        return queryset


@admin.register(ImportReport)
class ImportReportAdmin(admin.ModelAdmin):
    list_display = ["created", "format", "filename", "scope", "summary", "download"]
    list_filter = ["format"]
    # Written by imports only: staff read them and download their CSV.
    readonly_fields = ["created", "format", "filename", "scope", "counts", "download"]
    exclude = ["changes"]

    # Whoever may import may read what imports did (no separate permission to grant roles).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("programs.import_programs") or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def summary(self, report: ImportReport) -> str:
        return ", ".join(f"{n} {name}" for name, n in report.counts.items() if n and name != "rows")

    @admin.display(description=_("CSV"))
    def download(self, report: ImportReport) -> str:
        url = reverse("admin:programs_importreport_csv", args=[report.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download the changes (CSV)"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.csv_view)
        return [
            path("<int:pk>/csv/", view, name="programs_importreport_csv"),
            *super().get_urls(),
        ]

    def csv_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = get_object_or_404(ImportReport, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"import-{report.pk}-{report.created:%Y-%m-%d}-changes.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(REPORT_COLUMNS)
        for change in report.changes:
            writer.writerow([safe_cell(change.get(column, "")) for column in REPORT_COLUMNS])
        return response
