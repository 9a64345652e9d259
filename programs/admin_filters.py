"""Staff admin's list filters and term choices: the taxonomy as staff see it (facets, each with
its terms, narrower under broader), one filter per facet, the state and verification filters."""

from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs import taxonomy
from programs.models import Facet, Program, Term

# --- The taxonomy as staff see it: facets, each with its terms, narrower under broader ---


def staff_taxonomy() -> dict[Facet, list[Term]]:
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


def grouped_term_choices(taxonomy: dict[Facet, list[Term]], *, bold: bool = False) -> list:
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
