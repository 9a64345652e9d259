"""The problem-report queue: open reports first, oldest first; each links to its listing."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from reports.models import ProblemReport
from reports.services import close_report


class ReportActionForm(ActionForm):
    note = forms.CharField(label=_("Staff note"), required=False, max_length=500)


def closing_action(name: str, status: str, description, done):
    """A bulk action closing open reports as `status`, with the note typed next to it."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        note = request.POST.get("note", "").strip()[:500]
        still_open = list(queryset.filter(status=ProblemReport.Status.OPEN))
        with transaction.atomic():
            for report in still_open:
                close_report(report=report, status=status, note=note, user=request.user)
        modeladmin.message_user(request, done % {"count": len(still_open)}, messages.SUCCESS)

    action.__name__ = name
    return action


resolve = closing_action(
    "resolve",
    ProblemReport.Status.RESOLVED,
    _("Resolve selected reports (listing fixed)"),
    ngettext_lazy("%(count)d report resolved.", "%(count)d reports resolved.", "count"),
)
dismiss = closing_action(
    "dismiss",
    ProblemReport.Status.DISMISSED,
    _("Dismiss selected reports (nothing to fix)"),
    ngettext_lazy("%(count)d report dismissed.", "%(count)d reports dismissed.", "count"),
)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "listing", "status", "closed_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["program", "closed_by"]
    search_fields = ["program__name", "details"]
    date_hierarchy = "created"
    fields = [
        "listing",
        "public_page",
        "kind",
        "details",
        "contact_email",
        "created",
        "status",
        "staff_note",
        "closed",
        "closed_by",
    ]
    readonly_fields = [f for f in fields if f not in ("status", "staff_note")]
    radio_fields = {"status": admin.HORIZONTAL}
    actions = [resolve, dismiss]
    action_form = ReportActionForm

    def has_add_permission(self, request):
        return False  # reports come from the public form

    def get_ordering(self, request):
        # Open reports before closed ones, whatever their date; then oldest first.
        still_open = Case(
            When(status=ProblemReport.Status.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [still_open, "created", "pk"]

    @admin.display(description=_("listing"), ordering="program__name")
    def listing(self, report: ProblemReport) -> str:
        url = reverse("admin:programs_program_change", args=[report.program_id])
        return format_html('<a href="{}">{}</a>', url, report.program.name)

    @admin.display(description=_("public page"))
    def public_page(self, report: ProblemReport) -> str:
        # What the visitor saw when they reported it (a draft or archived listing has none).
        if report.program.status != report.program.Status.PUBLISHED:
            return _("Not public: the listing is not published.")
        url = report.program.get_absolute_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        close_report(
            report=obj,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["staff_note"],
            user=request.user,
        )
