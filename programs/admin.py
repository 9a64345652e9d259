"""Staff admin: find, edit, publish and verify listings; edit the taxonomy and organizations."""

from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, F
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from programs import admin_import, services, taxonomy
from programs.admin_history import ProgramHistoryContext, keep_verification, record_once
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


# --- The taxonomy as staff see it: facets, each with its terms, narrower under broader ---


def _taxonomy() -> dict[Facet, list[Term]]:
    """Every term grouped by facet, both in display order, in one query."""
    grouped: dict[Facet, list[Term]] = {}
    terms = Term.objects.select_related("facet").order_by(
        "facet__position", "facet__code", "position", "code"
    )
    for term in terms:
        grouped.setdefault(term.facet, []).append(term)
    return grouped


def _tree_order(terms: list[Term]) -> Iterator[tuple[Term, int]]:
    """(term, depth) with each narrower term right under its broader one."""
    in_facet = {term.pk for term in terms}
    children = defaultdict(list)
    for term in terms:
        children[term.parent_id if term.parent_id in in_facet else None].append(term)
    seen = set()

    def walk(parent_id, depth):
        for term in children[parent_id]:
            seen.add(term.pk)
            yield term, depth
            yield from walk(term.pk, depth + 1)

    yield from walk(None, 0)
    # A parent loop a curator made by mistake hides its terms from the walk; show them
    # anyway, or saving the form would silently untag them.
    yield from ((term, 0) for term in terms if term.pk not in seen)


def _indented(term: Term, depth: int) -> str:
    return f"{'— ' * depth}{term.label}"


def _grouped_term_choices(taxonomy: dict[Facet, list[Term]], *, bold: bool = False) -> list:
    """Choices [(facet label, [(term pk, label), ...]), ...] for a grouped widget."""
    return [
        (
            format_html("<strong>{}</strong>", facet.label) if bold else facet.label,
            [(term.pk, _indented(term, depth)) for term, depth in _tree_order(terms)],
        )
        for facet, terms in taxonomy.items()
    ]


# --- Program list filters ---


class FacetFilter(admin.SimpleListFilter):
    """Programs offering one term of a facet; a broad term also finds its narrower terms."""

    terms: tuple[tuple[Term, int], ...] = ()  # (term, depth), set by facet_filters()

    def lookups(self, request, model_admin):
        return [(term.code, _indented(term, depth)) for term, depth in self.terms]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = [term for term, _depth in self.terms if term.code == self.value()]
        return queryset.offering(taxonomy.with_narrower(chosen)) if chosen else queryset.none()


def facet_filters(taxonomy: dict[Facet, list[Term]]) -> list[type[FacetFilter]]:
    """One list filter per facet, so a facet staff add gets a filter without a code change."""
    return [
        type(
            f"FacetFilter_{facet.code}",
            (FacetFilter,),
            {
                "title": facet.label,
                "parameter_name": f"facet-{facet.code}",
                "terms": tuple(_tree_order(terms)),
            },
        )
        for facet, terms in taxonomy.items()
    ]


class StateFilter(admin.SimpleListFilter):
    """Only the states that have listings, not all 56 a listing could be in."""

    title = _("state")
    parameter_name = "state__exact"

    def lookups(self, request, model_admin):
        names = dict(Program._meta.get_field("state").choices)
        states = Program.objects.order_by("state").values_list("state", flat=True).distinct()
        return [(code, names.get(code, code)) for code in states]

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class VerificationFilter(admin.SimpleListFilter):
    """Stale listings (the re-verification queue) or recently verified ones; as Program.is_stale."""

    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        days = settings.STALE_AFTER_DAYS
        return [
            (
                "stale",
                _("Needs verification: not verified in %(days)d days, or never") % {"days": days},
            ),
            ("recent", _("Verified in the last %(days)d days") % {"days": days}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.needing_verification()
        if self.value() == "recent":
            return queryset.recently_verified()
        return queryset


# --- Bulk actions: each calls a service and says how many listings changed ---


def status_action(name: str, status: str, description, done):
    """A bulk action moving listings to `status`; `done` is an ngettext_lazy keyed on count."""

    @admin.action(description=description, permissions=["publish"])
    def action(modeladmin, request, queryset):
        changed = services.set_status(programs=queryset, status=status, user=request.user)
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)

    action.__name__ = name  # the action's name in the changelist form
    return action


publish = status_action(
    "publish",
    Program.Status.PUBLISHED,
    _("Publish selected programs"),
    ngettext_lazy("%(count)d program published.", "%(count)d programs published.", "count"),
)
unpublish = status_action(
    "unpublish",
    Program.Status.DRAFT,
    _("Unpublish selected programs (back to draft)"),
    ngettext_lazy(
        "%(count)d program moved back to draft.", "%(count)d programs moved back to draft.", "count"
    ),
)
archive = status_action(
    "archive",
    Program.Status.ARCHIVED,
    _("Archive selected programs"),
    ngettext_lazy("%(count)d program archived.", "%(count)d programs archived.", "count"),
)


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
    list_filter = ["status", StateFilter, "accepting", VerificationFilter, "location_approximate"]
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
            {"fields": ["source", "external_id", "is_demo", ("created", "updated")]},
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
        return [*self.list_filter, *facet_filters(_taxonomy())]

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
        field.choices = _grouped_term_choices(_taxonomy(), bold=True)
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
            field.choices = [("", "---------"), *_grouped_term_choices(_taxonomy())]
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
