"""Staff admin: find, edit, publish and verify listings; edit the taxonomy and organizations."""

from collections import defaultdict
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from programs import admin_import, services
from programs.models import Facet, Organization, Program, Term

admin.site.site_header = _("Treatment finder — staff")
admin.site.site_title = _("Treatment finder staff")
admin.site.index_title = _("Listings and taxonomy")


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
        return queryset.offering(chosen) if chosen else queryset.none()


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


class VerificationFilter(admin.SimpleListFilter):
    """Stale listings (the re-verification queue) or recently verified ones; as Program.is_stale."""

    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        days = settings.STALE_AFTER_DAYS
        return [
            ("stale", _("Stale: not verified in %(days)d days, or never") % {"days": days}),
            ("recent", _("Verified in the last %(days)d days") % {"days": days}),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "recent":
            return queryset.recently_verified()
        return queryset


# --- Bulk actions: each calls a service and says how many listings changed ---


def status_action(name: str, status: str, description, done):
    """A bulk action moving listings to `status`; `done` is an ngettext_lazy keyed on count."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        changed = services.set_status(programs=queryset, status=status)
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


@admin.action(description=_("Mark selected programs verified today"), permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    changed = services.mark_verified(programs=queryset)
    message = ngettext(
        "%(count)d program marked verified today.",
        "%(count)d programs marked verified today.",
        changed,
    )
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)


# --- Admins ---

# Curators paste bare domains ("example.org"); listings' sites are https nowadays.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    change_list_template = "admin/programs/program/change_list.html"
    list_display = [
        "name",
        "organization",
        "city",
        "state",
        "status",
        "accepting",
        "last_verified",
        "verified_recently",
    ]
    # + one per facet
    list_filter = ["status", "state", "accepting", VerificationFilter, "location_approximate"]
    # The organization column would otherwise cost a query per row.
    list_select_related = ["organization"]
    search_fields = ["name", "city", "^zip_code", "organization__name"]
    search_help_text = _("Search by program name, city, ZIP code or organization.")
    actions = [publish, unpublish, mark_verified, archive]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ("name", "city")}
    radio_fields = {"status": admin.HORIZONTAL, "accepting": admin.VERTICAL}
    readonly_fields = ["created", "updated"]
    save_on_top = True
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    fieldsets = [
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
        (_("Availability & verification"), {"fields": ["accepting", "last_verified"]}),
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

    @admin.display(boolean=True, description=_("verified recently"), ordering="last_verified")
    def verified_recently(self, program: Program) -> bool:
        return not program.is_stale

    def get_list_filter(self, request):
        return [*self.list_filter, *facet_filters(_taxonomy())]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: admin_import.import_view(self, request))
        return [path("import/", view, name="programs_program_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perm("programs.import_programs")
        return super().changelist_view(request, {"can_import": can_import, **(extra_context or {})})

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
