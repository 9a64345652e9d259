"""{% facet_checkboxes field counts %}: one facet's group of checkboxes (finder/_facet.html), each
option with how many results it would give (counts: term id → count, from
programs.search.facet_counts; None on the home page, and when a search finds more than
programs.search.COUNT_CAP programs).

A group is kept per process, under a key of everything it is made from: the facet, what is
ticked, the errors, the counts of its own options, the language and the taxonomy's version.
Most searches with results (every one above the cap) show no counts, so a group is then the
same for every search that ticks the same options; eight groups took ~1 ms of each page.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from finder.kept import Kept
from programs import taxonomy

register = template.Library()

GROUPS_KEPT = 2048  # rendered groups kept per process (1-5 KB each)


@register.simple_tag
def facet_checkboxes(field, counts: dict[int, int] | None = None) -> SafeString:
    """Each option straight from the taxonomy in memory, written by _option: the widget's
    per-option subwidgets, then a template loop over ~100 options, were most of the page's
    template time (docs/performance.md, "Rendering"). The ids are the widget's (id_level_0,
    id_level_1, ...), so labels and links keep working."""
    terms = field.field.terms()
    asked = tuple(str(code) for code in field.value() or [])  # as asked: "2 chosen" counts them
    ticked = set(asked)
    own_counts = None if counts is None else tuple(counts.get(term.pk, 0) for term in terms)
    key = (
        field.html_name,
        field.auto_id,
        asked,
        tuple(field.errors),
        own_counts,
        get_language(),
        taxonomy.current().version,
    )
    return _groups.get(key, lambda: _group(field, terms, ticked, counts))


_groups = Kept(GROUPS_KEPT)


def _group(field, terms, ticked: set[str], counts: dict[int, int] | None) -> SafeString:
    options = [
        _option(field, term, f"{field.auto_id}_{index}", term.code in ticked, counts)
        for index, term in enumerate(terms)
    ]
    options = mark_safe("\n".join(options))  # each one escaped by format_html
    return render_to_string("finder/_facet.html", {"field": field, "options": options})


def _option(field, term, id: str, ticked: bool, counts: dict[int, int] | None) -> str:
    count = "" if counts is None else format_html(OPTION_COUNT, counts.get(term.pk, 0))
    return format_html(
        OPTION,
        narrower=" narrower" if term.parent_id else "",
        name=field.html_name,
        value=term.code,
        id=id,
        checked=mark_safe(" checked") if ticked else "",
        label=term.label,
        count=count,
    )


OPTION = (
    '<div class="check{narrower}"><input type="checkbox" name="{name}" value="{value}" id="{id}"'
    '{checked}><label for="{id}">{label}{count}</label></div>'
)
# How many results ticking it would give, as if this facet's own choice were cleared
# (programs.search.facet_counts).
OPTION_COUNT = ' <span class="option-count">({})</span>'
