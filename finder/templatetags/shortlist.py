"""{% export_url %}: the CSV of the search the page shows, for its "Download" link;
{% max_saved %}: how many programs My list keeps (finder/shortlist.py)."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from finder import export, shortlist
from finder.page_cache import canonical_query

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context) -> str:
    """/export.csv with the page's search parameters (every page's results, not just this one)."""
    request = context.get("request")
    query = QueryDict(canonical_query(request.GET) or "", mutable=True) if request else QueryDict()
    query.pop("page", None)
    encoded = query.urlencode()
    return reverse("export-csv") + (f"?{encoded}" if encoded else "")


@register.simple_tag
def export_max_rows() -> int:
    return export.MAX_ROWS


@register.simple_tag
def max_saved() -> int:
    return shortlist.MAX_SAVED
