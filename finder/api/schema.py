"""OpenAPI details drf-spectacular cannot see for itself: the taxonomy's codes, defaults, limits.

Everything here runs when the schema is generated (a request to /api/schema/), never at import:
the term codes come from the database, where staff may edit them.
"""

from django.conf import settings
from django.db import DatabaseError
from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from finder.filters import TermFilter
from programs import places
from programs.models import Term
from programs.querysets import SORTS

API_DESCRIPTION = """\
Read-only JSON API of the treatment-program finder: the same search as the web page, over the \
published programs. Public data; no key needed.

**Errors.** Every 4xx response is JSON with a `detail` sentence. A 400 also has `errors`: each \
parameter that was not accepted, with why, e.g. \
`{{"detail": "...", "errors": {{"location": ["We could not find the ZIP code 00000. ..."]}}}}`.

**Unknown parameters are rejected** with a 400 naming them, so a misspelt filter never silently \
widens a search.

**Limits.** Anonymous requests are limited to {rate} per IP address; over it the answer is 429 \
with a `Retry-After` header (seconds).

**Caching.** Successful responses carry `ETag` (and `Last-Modified`: the last edit of a program \
or organization) and `Cache-Control: public, max-age={max_age}`. Send `If-None-Match` (preferred) \
or `If-Modified-Since` to get a 304 when nothing changed.

**CORS.** Any origin may make GET, HEAD and OPTIONS requests.
"""


def only_api_v1(endpoints):
    """Describe /api/v1/ only: /hsds/ follows the official HSDS OpenAPI document."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def describe_api(result, generator, request, public):
    result["info"]["description"] = API_DESCRIPTION.format(
        rate=settings.API_ANON_RATE, max_age=settings.API_CACHE_SECONDS
    )
    return result


def _terms(facet: str) -> list:
    """The facet's terms; none while the database has no taxonomy table yet (`manage.py check
    --deploy` generates the schema before the first migrate)."""
    try:
        return list(Term.objects.filter(facet__code=facet))
    except DatabaseError:
        return []


class SearchFilterExtension(DjangoFilterExtension):
    """ProgramFilter's parameters with their allowed values and defaults."""

    target_class = "finder.api.views.SearchFilterBackend"
    priority = 1  # before drf-spectacular's own extension for DjangoFilterBackend

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        params = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for param in params:
            if isinstance(filter_field, TermFilter):
                terms = _terms(filter_field.facet)
                param["schema"]["items"]["enum"] = [term.code for term in terms]
                param["description"] = (
                    f"{filter_field.label}: any of these term codes (repeat the parameter for "
                    "more than one). A broad term also finds its narrower terms.\n\n"
                    + "\n".join(f"* `{term.code}` - {term.label_en}" for term in terms)
                )
            elif field_name == "location":
                param["schema"]["maxLength"] = places.MAX_QUERY_LENGTH
                param["description"] = (
                    "A 5-digit ZIP code, a city and state (`Denver, CO`) or an address. Results "
                    "are then within `radius` miles, nearest first, each with its `distance`."
                )
                param["examples"] = {
                    "zip": {"value": "94110", "summary": "A ZIP code"},
                    "city": {"value": "Denver, CO", "summary": "A city and state"},
                }
            elif field_name == "q":
                param["schema"]["maxLength"] = 200
                param["description"] = (
                    "A program's name or keywords. Every word must match the name, the "
                    "organization, the city, the description or a service (English or Spanish "
                    "label, or a common word for it: `teen`, `suboxone`, `mujeres`). On "
                    "PostgreSQL a close spelling of a name matches too. Without `location` it "
                    "searches the whole directory, best match first."
                )
                param["examples"] = {
                    "name": {"value": "Aletheia House", "summary": "A program's name"},
                    "keyword": {"value": "women", "summary": "A keyword"},
                }
            elif field_name == "sort":
                param["schema"]["enum"] = SORTS
                param["description"] = (
                    "The order: `nearest` (the default with `location`), `name` (A to Z), "
                    "`verified` (most recently verified first) or `accepting` (accepting new "
                    "patients first, then nearest or by name). Without it and without "
                    "`location`, a `q` search is best match first, any other by name."
                )
            elif field_name == "radius":
                param["schema"]["enum"] = settings.SEARCH_RADIUS_CHOICES  # in order, not sorted
                param["schema"]["default"] = settings.SEARCH_DEFAULT_RADIUS
                param["description"] = "Miles around `location` (ignored without one)."
        return params
