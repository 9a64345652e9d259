"""{% facet_checkboxes field counts %}: one facet's group of checkboxes (finder/_facet.html), each
option with how many results it would give (counts: term id → count, from
programs.search.facet_counts; None on the home page, which shows no counts).

Rendered once per process for each language, taxonomy version, set of chosen terms and the
facet's counts, then reused. The fifty-odd checkboxes are the same on every home page and on a
repeated search, and writing them out was a tenth of a results page's time. A new taxonomy
version (staff edited a term) starts new entries.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from programs import taxonomy

register = template.Library()

MAX_RENDERED = 1000  # distinct (language, version, facet, choices, counts): any query makes one
_rendered: dict[tuple, str] = {}


@register.simple_tag
def facet_checkboxes(field, counts: dict[int, int] | None = None) -> str:
    terms = field.field.terms()
    shown = None if counts is None else tuple(counts.get(term.pk, 0) for term in terms)
    if field.errors:
        return _render(field, shown)
    chosen = tuple(sorted(str(value) for value in field.value() or ()))
    key = (
        get_language(),
        taxonomy.current().version,
        field.auto_id,
        field.html_name,
        chosen,
        shown,
    )
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_RENDERED:
            _rendered.clear()
        html = _rendered[key] = _render(field, shown)
    return html


def _render(field, counts: tuple[int, ...] | None) -> str:
    # The field's options are its terms, in the same order (TermChoices).
    options = list(field)
    counted = zip(options, counts or [None] * len(options), strict=True)
    return render_to_string("finder/_facet.html", {"field": field, "options": counted})
