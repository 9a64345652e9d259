"""/hsds/: the Open Referral HSDS 3.0 API, with its own OpenAPI document at /hsds/openapi.json."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView

from finder.api import hsds

openapi = SpectacularAPIView.as_view(
    renderer_classes=[OpenApiJsonRenderer],
    custom_settings={
        "TITLE": "Treatment Finder: Open Referral HSDS 3.0 API",
        "DESCRIPTION": (
            "Read-only HSDS 3.0 API (https://docs.openreferral.org/): one service per published "
            "treatment program, its location, organization and taxonomy terms. Lists are paged "
            "(page, per_page up to 100). A bad parameter gets a 400 naming it; an unknown id a "
            "404; a parameter not listed here gets a 400 too."
        ),
        "VERSION": "3.0",
        "SCHEMA_PATH_PREFIX": r"/hsds",
        # Our own hooks only: /api/v1/'s would describe (or drop) the wrong endpoints.
        "PREPROCESSING_HOOKS": ["finder.api.hsds_urls.only_hsds"],
        "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
    },
)


def only_hsds(endpoints):
    """This document describes /hsds/ alone; /api/v1/ has its own."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/hsds/") and endpoint[0] != "/hsds/openapi.json"
    ]


def not_found(request, *args, **kwargs):
    """A JSON 404 for any other address under /hsds/, rather than the site's HTML page."""
    return JsonResponse(
        {"detail": _("There is nothing at this address; see /hsds/openapi.json.")}, status=404
    )


urlpatterns = [
    path("", hsds.Root.as_view(), name="hsds-root"),
    path("openapi.json", openapi, name="hsds-openapi"),
    path("services", hsds.ServiceList.as_view(), name="hsds-services"),
    path("services/<str:id>", hsds.ServiceDetail.as_view(), name="hsds-service"),
    path(
        "service_at_locations",
        hsds.ServiceAtLocationList.as_view(),
        name="hsds-service-at-locations",
    ),
    path(
        "service_at_locations/<str:id>",
        hsds.ServiceAtLocationDetail.as_view(),
        name="hsds-service-at-location",
    ),
    path("organizations", hsds.OrganizationList.as_view(), name="hsds-organizations"),
    path("organizations/<str:id>", hsds.OrganizationDetail.as_view(), name="hsds-organization"),
    path("taxonomies", hsds.TaxonomyList.as_view(), name="hsds-taxonomies"),
    path("taxonomies/<str:id>", hsds.TaxonomyDetail.as_view(), name="hsds-taxonomy"),
    path("taxonomy_terms", hsds.TaxonomyTermList.as_view(), name="hsds-taxonomy-terms"),
    path("taxonomy_terms/<str:id>", hsds.TaxonomyTermDetail.as_view(), name="hsds-taxonomy-term"),
    re_path(r"^[\s\S]*$", not_found),  # any character, newlines too
]
