"""{% facet_checkboxes field counts %}: one facet's group of checkboxes (finder/_facet.html), each
option with how many results it would give (counts: term id → count, from
programs.search.facet_counts; None on the home page, which shows no counts).

Not memoized: with the counts of each search in it, a rendered group is the same only for the
same search, whose whole page the page cache (finder/page_cache.py) already keeps.
"""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def facet_checkboxes(field, counts: dict[int, int] | None = None) -> str:
    """Each option as (term, input id, ticked, count), straight from the taxonomy in memory: the
    widget's own per-option machinery (BoundField subwidgets) was most of the group's time. The
    ids are the widget's (id_level_0, id_level_1, ...), so labels and links keep working."""
    ticked = {str(code) for code in field.value() or []}
    options = [
        (term, f"{field.auto_id}_{index}", term.code in ticked, _count(counts, term))
        for index, term in enumerate(field.field.terms())
    ]
    return render_to_string("finder/_facet.html", {"field": field, "options": options})


def _count(counts: dict[int, int] | None, term) -> int | None:
    return None if counts is None else counts.get(term.pk, 0)
