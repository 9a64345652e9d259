"""How the HSDS API pages its lists and describes itself in OpenAPI (from the official schemas)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from finder.api.pagination import HSDS_MAX_PER_PAGE, HSDS_PER_PAGE
from programs.hsds import spec

PER_PAGE, MAX_PER_PAGE = HSDS_PER_PAGE, HSDS_MAX_PER_PAGE


def page_of(item_schema: dict) -> dict:
    """The responses of a list: the spec's Page envelope around `item_schema`, or a 400."""
    integer, boolean = {"type": "integer", "minimum": 0}, {"type": "boolean"}
    envelope = {
        "type": "object",
        "required": [*PAGE_FIELDS, "contents"],
        "properties": {
            "total_items": integer,
            "total_pages": integer,
            "page_number": integer,
            "size": integer,
            "first_page": boolean,
            "last_page": boolean,
            "empty": boolean,
            "contents": {"type": "array", "items": item_schema},
        },
    }
    return {200: envelope, 400: ERROR}


def one(item_schema: dict) -> dict:
    return {200: item_schema, 400: ERROR, 404: ERROR}


PAGE_FIELDS = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
]
ERROR = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
    },
    description="A parameter was not accepted (the body names it), or no record has that id.",
)
ROOT = {
    "type": "object",
    "required": ["version", "profile", "openapi_url"],
    "properties": {
        "version": {"type": "string"},
        "profile": {"type": "string", "format": "uri"},
        "openapi_url": {"type": "string", "format": "uri"},
    },
}

_NESTED = frozenset(
    {
        "phones",
        "schedules",
        "service_at_locations",
        "location",
        "addresses",
        "languages",
        "organization",
        "attributes",
        "taxonomy_term",
        "taxonomy_detail",
    }
)
FULL_SERVICE = spec.openapi_schema("service", _NESTED)
FULL_SERVICE_AT_LOCATION = spec.openapi_schema("service_at_location", _NESTED | {"service"})
FULL_ORGANIZATION = spec.openapi_schema("organization", _NESTED | {"locations", "services"})
FULL_TAXONOMY_TERM = FULL_SERVICE["properties"]["attributes"]["items"]["properties"][
    "taxonomy_term"
]
TAXONOMY = FULL_TAXONOMY_TERM["properties"]["taxonomy_detail"]
TAXONOMY_TERM = {
    **FULL_TAXONOMY_TERM,
    "properties": {
        key: value
        for key, value in FULL_TAXONOMY_TERM["properties"].items()
        if key != "taxonomy_detail"
    },
}


def _query(name: str, type, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, type, OpenApiParameter.QUERY, description=description, **kwargs)


_UUID = {"type": "string", "format": "uuid"}
PAGE = [
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
    _query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE},
        "Results in a page.",
    ),
    _query("format", {"type": "string", "enum": ["json"]}, "Only json is available."),
]
SEARCH = [
    _query("search", {"type": "string", "maxLength": 200}, "Words in the name (or description).")
]
SERVICE_FILTERS = SEARCH + [
    _query("taxonomy_term_id", _UUID, "Services with this term (or a narrower one)."),
    _query("taxonomy_id", _UUID, "Services with terms of this taxonomy."),
    _query("organization_id", _UUID, "Services of this organization."),
    _query(
        "modified_after",
        OpenApiTypes.DATETIME,
        "Services changed on or after this date-time (ISO 8601).",
    ),
]
PROXIMITY = [
    _query(
        "postcode",
        {"type": "string", "pattern": "^[0-9]{5}$"},
        "A 5-digit ZIP code: results near its centre, nearest first (within 25 miles unless "
        "proximity is given).",
    ),
    _query(
        "proximity",
        {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 160934.4},
        "With postcode: only results within this many meters of the ZIP code's centre.",
    ),
]
TERM_FILTERS = [
    _query("taxonomy_id", _UUID, "Terms of this taxonomy."),
    _query("top_only", OpenApiTypes.BOOL, "Only terms without a broader term."),
    _query("parent_id", _UUID, "Only the narrower terms of this term."),
]
FULL = [_query("full", OpenApiTypes.BOOL, "Fully nested records, as /{id} gives them.")]
FULL_SERVICE_PARAMETER = [
    _query("full_service", OpenApiTypes.BOOL, "Services fully nested, not only their own fields.")
]
ID = [
    OpenApiParameter(
        "id", {"type": "string", "format": "uuid"}, OpenApiParameter.PATH, description="The id."
    )
]
