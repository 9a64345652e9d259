"""Staff admin: find, edit, publish and verify listings; edit the taxonomy and organizations."""

from functools import partial

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, F
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programs import admin_import, services
from programs.admin_actions import archive, publish, unpublish
from programs.admin_filters import (
    StateFilter,
    VerificationFilter,
    facet_filters,
    grouped_term_choices,
    staff_taxonomy,
)
from programs.admin_history import ProgramHistoryContext, keep_verification, record_once
from programs.admin_quality import QualityDecisionAdmin  # noqa: F401 (registers the review pages)
from programs.admin_refresh import NotInSourceFilter
from programs.admin_verification import (
    ProgramActionForm,
    freshness_view,
    mark_verified,
    verify_view,
)
from programs.models import Facet, Organization, Program, Term

admin.site.site_header = _("Treatment finder — staff")
admin.site.site_title = _("Treatment finder staff")
admin.site.index_title = _("Listings and taxonomy")
# The staff dashboard (counts, oldest open reports) above the usual list of models.
admin.site.index_template = "admin/finder_index.html"
# The model list beside every page costs a third of a 1366-pixel screen: the home page and the
# breadcrumbs lead to the same places, and the program list needs the width.
admin.site.enable_nav_sidebar = False


# --- Admins ---

# Curators paste bare domains ("example.org"); listings' sites are https nowadays.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/programs/program/change_list.html"
    # Seven short columns: the list fits a 1366-pixel screen beside its filters.
    list_display = [
        "name",
        "organization",
        "place",
        "status",
        "accepting",
        "verified",
        "verify_link",
    ]
    # History: its own list (readable columns, one row per change), terms as added/removed.
    object_history_list_template = "admin/programs/program/history_list.html"
    # + one per facet
    list_filter = [
        "status",
        StateFilter,
        "accepting",
        VerificationFilter,
        "location_approximate",
        NotInSourceFilter,
    ]
    # The organization column would otherwise cost a query per row.
    list_select_related = ["organization"]
    search_fields = ["name", "city", "^zip_code", "organization__name"]
    search_help_text = _("Search by program name, city, ZIP code or organization.")
    actions = [publish, unpublish, mark_verified, archive]
    action_form = ProgramActionForm
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ("name", "city")}
    radio_fields = {"status": admin.HORIZONTAL, "accepting": admin.VERTICAL}
    # last_verified follows the verification record (the "Mark verified" action); the
    # availability dates are stamped when staff change what they date.
    readonly_fields = [
        "open_problem_reports",
        "last_verified",
        "verification_record",
        "accepting_updated",
        "beds_updated",
        "created",
        "updated",
        "not_in_source_since",
        "retired_by_import",
    ]
    save_on_top = True
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    fieldsets = [
        (_("Open problem reports"), {"fields": ["open_problem_reports"]}),
        (_("Listing"), {"fields": ["name", "slug", "organization", "status", "description"]}),
        (
            _("Address & location"),
            {
                "fields": [
                    "street",
                    "street2",
                    ("city", "state", "zip_code"),
                    ("latitude", "longitude"),
                    "location_approximate",
                ],
                "description": _("Latitude and longitude place the listing in radius searches."),
            },
        ),
        (
            _("Contact"),
            {"fields": [("phone", "phone_extension"), "intake_phone", "website", "hours"]},
        ),
        (
            _("Availability & verification"),
            {
                "fields": [
                    ("accepting", "wait_weeks", "accepting_updated"),
                    ("beds_available", "beds_updated"),
                    ("last_verified", "verification_record"),
                ]
            },
        ),
        (
            _("What it offers"),
            {
                "fields": ["terms"],
                "description": _(
                    "Tick the narrowest terms that apply: a search for a broad term "
                    "(Residential) also finds its narrower ones (Short-term residential)."
                ),
            },
        ),
        (
            _("Source"),
            {
                "fields": [
                    "source",
                    "external_id",
                    ("not_in_source_since", "retired_by_import"),
                    "is_demo",
                    ("created", "updated"),
                ]
            },
        ),
    ]

    @admin.display(description=_("place"), ordering="city")
    def place(self, program: Program) -> str:
        return f"{program.city}, {program.state}"

    @admin.display(description=_("last verified"), ordering="last_verified")
    def verified(self, program: Program) -> str:
        if program.last_verified is None:
            return format_html('<span class="stale">{}</span>', _("never"))
        if program.is_stale:
            return format_html(
                '<span class="stale">{} ({})</span>', program.last_verified, _("stale")
            )
        return str(program.last_verified)

    @admin.display(description=_("open problem reports"))
    def open_problem_reports(self, program: Program) -> str:
        if program.pk is None:
            return "—"
        # Through the reverse relation, so programs need not import the reports app.
        reports = program.problem_reports.filter(status="open").order_by("created", "pk")
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> · {} · {}</li>',
            (
                (
                    reverse("admin:reports_problemreport_change", args=[report.pk]),
                    report.get_kind_display(),
                    f"{report.created:%Y-%m-%d}",
                    report.details[:200],
                )
                for report in reports
            ),
        )
        return format_html('<ul class="open-reports">{}</ul>', rows) if rows else _("None.")

    @admin.display(description=_("verify"))
    def verify_link(self, program: Program) -> str:
        url = reverse("admin:programs_program_verify", args=[program.pk])
        return format_html('<a href="{}">{}</a>', url, _("Verify…"))

    def get_urls(self):
        verify = self.admin_site.admin_view(partial(verify_view, self))
        view = self.admin_site.admin_view(lambda request: admin_import.import_view(self, request))
        fresh = self.admin_site.admin_view(partial(freshness_view, self))
        fresh_json = self.admin_site.admin_view(partial(freshness_view, self, as_json=True))
        return [
            path("freshness/", fresh, name="programs_program_freshness"),
            path("freshness.json", fresh_json, name="programs_program_freshness_json"),
            path("import/", view, name="programs_program_import"),
            path("<path:object_id>/verify/", verify, name="programs_program_verify"),
            *super().get_urls(),
        ]

    @admin.display(description=_("verification record"))
    def verification_record(self, program: Program) -> str:
        # A read-only list rather than an inline: verifications are added by the action only.
        latest = program.verifications.select_related("verified_by")[:5]
        return format_html_join(
            "",
            "<div>{} · {} · {} {}</div>",
            ((v.verified_on, v.get_method_display(), v.verified_by or "", v.note) for v in latest),
        ) or _("None yet: use “Verify this listing” at the top of this page.")

    def get_list_filter(self, request):
        return [*self.list_filter, *facet_filters(staff_taxonomy())]

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perm("programs.import_programs")
        return super().changelist_view(request, {"can_import": can_import, **(extra_context or {})})

    def get_ordering(self, request):
        if request.GET.get(VerificationFilter.parameter_name) == "stale":
            # The verification queue: never verified first, then the longest unchecked.
            return [F("last_verified").asc(nulls_first=True), "name", "pk"]
        return super().get_ordering(request)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("programs.publish_program")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.has_publish_permission(request) else [*fields, "status"]

    def get_historical_record_context_helper(self, request, historical_record):
        return ProgramHistoryContext(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        keep_verification(obj)
        record_once(program=obj, form=form, user=request.user, created=not change)
        if not self.has_publish_permission(request):
            # The status field is read-only for them, but a history revert saves a whole old
            # version: keep the status the listing has now (new listings start as drafts).
            current = Program.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
            obj.status = current or Program.Status.DRAFT
        services.stamp_availability(obj, form.changed_data)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = getattr(obj, "_history", None)  # set on the old version a revert shows
        if version is None:
            return form
        # The terms the listing had then, which the live instance's m2m cannot know.
        then = [row.term_id for row in version.terms.all()]
        return type(form.__name__, (form,), {"__init__": _with_initial(form, terms=then)})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "terms":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        # Checkboxes under each facet's heading, without the admin's add/edit links around the
        # widget (they only work with a <select>); "radiolist" gives labels their full width.
        widget = forms.CheckboxSelectMultiple(attrs={"class": "radiolist"})
        field = self.formfield_for_manytomany(db_field, request, widget=widget, **kwargs)
        # Only what is shown changes: validation still uses the field's queryset.
        field.choices = grouped_term_choices(staff_taxonomy(), bold=True)
        return field


def _with_initial(form, **initial):
    def __init__(self, *args, **kwargs):
        form.__init__(self, *args, **kwargs)
        self.initial.update(initial)

    return __init__


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "program_count"]
    # Explicit, because Meta.ordering does not apply to the GROUP BY of the count.
    ordering = ["name"]
    search_fields = ["name"]
    readonly_fields = ["created", "updated"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(program_count=Count("programs"))

    @admin.display(description=_("programs"), ordering="program_count")
    def program_count(self, organization: Organization) -> int:
        return organization.program_count


class _ParentChoicesMixin:
    """The `parent` select grouped by facet, fetched once per page instead of once per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent":
            field.choices = [("", "---------"), *grouped_term_choices(staff_taxonomy())]
        return field


class TermInline(_ParentChoicesMixin, admin.TabularInline):
    model = Term
    fields = ["code", "label_en", "label_es", "samhsa_code", "parent", "position"]
    extra = 0
    show_change_link = True


@admin.register(Facet)
class FacetAdmin(admin.ModelAdmin):
    list_display = ["label_en", "label_es", "code", "position", "term_count"]
    ordering = ["position", "code"]  # Meta.ordering does not apply to the GROUP BY of the count.
    search_fields = ["code", "label_en", "label_es"]
    inlines = [TermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(term_count=Count("terms"))

    @admin.display(description=_("terms"), ordering="term_count")
    def term_count(self, facet: Facet) -> int:
        return facet.term_count


@admin.register(Term)
class TermAdmin(_ParentChoicesMixin, admin.ModelAdmin):
    list_display = ["code", "label_en", "facet", "parent", "samhsa_code"]
    list_filter = ["facet"]
    # Facet and parent columns would otherwise cost two queries per row.
    list_select_related = ["facet", "parent"]
    search_fields = ["code", "label_en", "label_es", "samhsa_code"]
    fields = [
        "facet",
        "code",
        "label_en",
        "label_es",
        "parent",
        "position",
        "samhsa_code",
        "samhsa_labels",
    ]
