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
    options = list(field)  # the field's options are its terms, in the same order (TermChoices)
    shown = [counts.get(term.pk, 0) for term in field.field.terms()] if counts is not None else None
    counted = zip(options, shown or [None] * len(options), strict=True)
    return render_to_string("finder/_facet.html", {"field": field, "options": counted})
