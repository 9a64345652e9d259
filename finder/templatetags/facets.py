"""{% facet_checkboxes field %}: one facet's group of checkboxes (finder/_facet.html), rendered once
per process for each language, taxonomy version and set of chosen terms, then reused.

The fifty-odd checkboxes are the same on most pages, and writing them out was a tenth of a
results page's time. A new taxonomy version (staff edited a term) starts new entries.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from programs import taxonomy

register = template.Library()

MAX_RENDERED = 1000  # distinct (language, version, facet, choices): any query string makes one
_rendered: dict[tuple, str] = {}


@register.simple_tag
def facet_checkboxes(field) -> str:
    if field.errors:
        return render_to_string("finder/_facet.html", {"field": field})
    chosen = tuple(sorted(str(value) for value in field.value() or ()))
    key = (get_language(), taxonomy.current().version, field.auto_id, field.html_name, chosen)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_RENDERED:
            _rendered.clear()
        html = _rendered[key] = render_to_string("finder/_facet.html", {"field": field})
    return html
