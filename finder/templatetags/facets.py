"""{% facet_checkboxes field counts %}: one facet's group of checkboxes (finder/_facet.html), each
option with how many results it would give (counts: term id → count, from
programs.search.facet_counts; None on the home page, which shows no counts).

Not memoized: with the counts of each search in it, a rendered group is the same only for the
same search, whose whole page the page cache (finder/page_cache.py) already keeps.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def facet_checkboxes(field, counts: dict[int, int] | None = None) -> str:
    """Each option straight from the taxonomy in memory, written by _option: the widget's
    per-option subwidgets, then a template loop over ~100 options, were most of the page's
    template time (docs/performance.md, "Rendering"). The ids are the widget's (id_level_0,
    id_level_1, ...), so labels and links keep working."""
    ticked = {str(code) for code in field.value() or []}
    options = [
        _option(field, term, f"{field.auto_id}_{index}", term.code in ticked, counts)
        for index, term in enumerate(field.field.terms())
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
