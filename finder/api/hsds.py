"""The read endpoints of the official Open Referral HSDS 3.0 API, under /hsds/.

Records come from programs.hsds.records (the same mapping as manage.py export_hsds); lists use the
spec's page envelope. Parameters follow the official openapi.json; a bad value gets a 400 naming
it, an unknown id a 404, and so does a parameter we do not take (as on /api/v1/).
"""

import uuid

from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from finder.api import hsds_schema as docs
from finder.api.hsds_filters import HSDSServiceFilter, terms_by_id
from finder.api.pagination import HSDSPagination
from programs import places
from programs.hsds import records, spec
from programs.models import Organization, Program, Term


class _JSONOnly(BaseContentNegotiation):
    """Always JSON: HSDS's own `format` parameter is ours to check, not DRF's to 404 on."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class HSDSView(GenericAPIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    filter_backends = []
    pagination_class = HSDSPagination

    parameters = []  # the query parameters a view takes, documented and checked

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Rejected, as on /api/v1/, so a misspelt or unsupported filter never goes unnoticed.
        known = {parameter.name for parameter in self.parameters if parameter.location == "query"}
        if unknown := sorted(set(request.query_params) - known):
            message = _("Unknown parameter. This endpoint takes: %(known)s.") % {
                "known": ", ".join(sorted(known)) or _("no parameters")
            }
            raise ValidationError({name: [message] for name in unknown})
        if request.query_params.get("format", "json") != "json":
            raise ValidationError({"format": [_("Only json is available.")]})

    def page(self, items, to_record):
        return self.get_paginated_response(
            [to_record(item) for item in self.paginate_queryset(items)]
        )

    def services(self, request):
        """The published programs HSDS's parameters ask for (HSDSServiceFilter); a 400 naming
        any parameter it cannot read. A page of them nests everything a record needs."""
        self.filterset = HSDSServiceFilter(request.query_params, queryset=_published())
        if not self.filterset.is_valid():
            raise ValidationError(self.filterset.errors)
        return self.filterset.qs


# -- parameters ----------------------------------------------------------------------------------


def _boolean(request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false"):
        raise ValidationError({name: [_("Enter true or false.")]})
    return raw == "true"


def _search(request) -> str:
    text = " ".join(request.query_params.get("search", "").split())
    if len(text) > places.MAX_QUERY_LENGTH or "\x00" in text:  # PostgreSQL refuses NUL in text
        raise ValidationError({"search": [_("Enter at most 200 characters, as plain text.")]})
    return text


def _uuid(request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ValidationError({name: [_("Enter an id (a UUID).")]}) from None


def _published():
    return Program.objects.published().order_by("name", "pk")


def _published_program(id_field: str, wanted: str) -> Program:
    """The published program whose stored HSDS id (`id_field`) is `wanted`, or a 404."""
    try:
        return Program.objects.published().for_hsds().get(**{id_field: uuid.UUID(wanted)})
    except (ValueError, Program.DoesNotExist):
        raise NotFound() from None


# -- views ---------------------------------------------------------------------------------------


class Root(HSDSView):
    pagination_class = None

    parameters = []

    @extend_schema(
        parameters=parameters,
        operation_id="getAPIMetaInformation",
        summary="About this HSDS API",
        responses={200: docs.ROOT},
    )
    def get(self, request):
        return Response(
            {
                "version": spec.HSDS_VERSION,
                "profile": spec.HSDS_PROFILE,
                "openapi_url": request.build_absolute_uri(reverse("hsds-openapi")),
            }
        )


class ServiceList(HSDSView):
    parameters = docs.PAGE + docs.SERVICE_FILTERS + docs.FULL

    @extend_schema(
        operation_id="getPaginatedListOfServices",
        summary="Services (one per published program)",
        parameters=parameters,
        responses=docs.page_of(spec.openapi_schema("service_list")),
    )
    def get(self, request):
        to_record = records.full_service if _boolean(request, "full") else records.service_record
        return self.page(self.services(request), to_record)


class ServiceDetail(HSDSView):
    parameters = docs.ID

    @extend_schema(
        operation_id="getFullyNestedServiceById",
        parameters=parameters,
        summary="One service, fully nested",
        responses=docs.one(docs.FULL_SERVICE),
    )
    def get(self, request, id):
        return Response(records.full_service(_published_program("hsds_service_id", id)))


class ServiceAtLocationList(HSDSView):
    parameters = docs.PAGE + docs.SERVICE_FILTERS + docs.PROXIMITY + docs.FULL

    @extend_schema(
        operation_id="getPaginatedListOfServiceAtLocation",
        summary="Where each service is given; near a postcode with proximity",
        parameters=parameters,
        responses=docs.page_of(
            spec.openapi_schema("service_at_location_list", frozenset({"location", "service"}))
        ),
    )
    def get(self, request):
        full = _boolean(request, "full")
        to_record = records.full_service_at_location if full else records.listed_service_at_location
        return self.page(self.services(request), to_record)


class ServiceAtLocationDetail(HSDSView):
    parameters = docs.ID

    @extend_schema(
        operation_id="getServiceAtLocationWithNestedDataById",
        parameters=parameters,
        summary="One service at its location, fully nested",
        responses=docs.one(docs.FULL_SERVICE_AT_LOCATION),
    )
    def get(self, request, id):
        program = _published_program("hsds_service_at_location_id", id)
        return Response(records.full_service_at_location(program))


class OrganizationList(HSDSView):
    parameters = docs.PAGE + docs.SEARCH

    @extend_schema(
        operation_id="getPaginatedListOfOrganizations",
        summary="Organizations that run published programs",
        parameters=parameters,
        responses=docs.page_of(spec.openapi_schema("organization_list")),
    )
    def get(self, request):
        rows = self.paginate_queryset(_organization_rows(_search(request)))
        return self.get_paginated_response(_organization_records(rows))


def _organization_rows(search: str):
    """Organizations with a published program, and a stand-in for each program without one, by
    name then id: one query of (name, id, kind, pk) to page, then the page's records."""
    programs = Program.objects.published()
    organizations = Organization.objects.filter(
        Exists(programs.filter(organization=OuterRef("pk")))
    )
    orphans = programs.filter(organization=None)
    if search:
        organizations = organizations.filter(name__icontains=search)
        orphans = orphans.filter(name__icontains=search)
    # Each side unordered: a compound statement takes one ORDER BY, the union's.
    own = organizations.order_by().values_list("name", "hsds_id", Value("organization"), "pk")
    stand_ins = orphans.order_by().values_list(
        "name", "hsds_organization_id", Value("program"), "pk"
    )
    return own.union(stand_ins, all=True).order_by("name", "hsds_id")


def _organization_records(rows) -> list[dict]:
    organizations = Organization.objects.in_bulk([pk for *_, kind, pk in rows if kind != "program"])
    programs = Program.objects.in_bulk([pk for *_, kind, pk in rows if kind == "program"])
    return [
        records.stand_in_organization_record(programs[pk])
        if kind == "program"
        else records.organization_record(organizations[pk])
        for *_, kind, pk in rows
    ]


class OrganizationDetail(HSDSView):
    parameters = docs.ID + docs.FULL_SERVICE_PARAMETER

    @extend_schema(
        operation_id="getOrganizationById",
        summary="One organization with its locations and services",
        parameters=parameters,
        responses=docs.one(docs.FULL_ORGANIZATION),
    )
    def get(self, request, id):
        full = _boolean(request, "full_service")
        try:
            wanted = uuid.UUID(id)
        except ValueError:
            raise NotFound() from None
        programs = Program.objects.published().for_hsds().order_by("name", "pk")
        members = list(programs.filter(organization__hsds_id=wanted))
        if members:
            record = records.organization_record(members[0].organization)
        else:
            members = list(programs.filter(organization=None, hsds_organization_id=wanted))
            if not members:
                raise NotFound()
            record = records.stand_in_organization_record(members[0])
        service = records.full_service if full else records.service_record
        return Response(
            record
            | {
                "locations": [records.full_location(program) for program in members],
                "services": [service(program) for program in members],
            }
        )


class TaxonomyList(HSDSView):
    parameters = docs.PAGE

    @extend_schema(
        operation_id="getPaginatedListOfTaxonomies",
        summary="Taxonomies (ours: treatment-finder)",
        parameters=parameters,
        responses=docs.page_of(docs.TAXONOMY),
    )
    def get(self, request):
        return self.page([records.taxonomy_record()], lambda row: row)


class TaxonomyDetail(HSDSView):
    parameters = docs.ID

    @extend_schema(
        operation_id="getTaxonomyById",
        parameters=parameters,
        summary="One taxonomy",
        responses=docs.one(docs.TAXONOMY),
    )
    def get(self, request, id):
        if id != records.taxonomy_id():
            raise NotFound()
        return Response(records.taxonomy_record())


class TaxonomyTermList(HSDSView):
    parameters = docs.PAGE + docs.SEARCH + docs.TERM_FILTERS

    @extend_schema(
        operation_id="getPaginatedListOfTaxonomyTerms",
        summary="Taxonomy terms",
        parameters=parameters,
        responses=docs.page_of(docs.TAXONOMY_TERM),
    )
    def get(self, request):
        terms = Term.objects.select_related("facet", "parent")
        if search := _search(request):
            terms = terms.filter(Q(label_en__icontains=search) | Q(code__icontains=search))
        if (taxonomy_id := _uuid(request, "taxonomy_id")) and taxonomy_id != records.taxonomy_id():
            terms = terms.none()
        if _boolean(request, "top_only"):
            terms = terms.filter(parent=None)
        if parent_id := _uuid(request, "parent_id"):
            parent = terms_by_id().get(parent_id)
            terms = terms.filter(parent=parent) if parent else terms.none()
        return self.page(terms, records.taxonomy_term_record)


class TaxonomyTermDetail(HSDSView):
    parameters = docs.ID

    @extend_schema(
        operation_id="getTaxonomyTermById",
        parameters=parameters,
        summary="One taxonomy term",
        responses=docs.one(docs.FULL_TAXONOMY_TERM),
    )
    def get(self, request, id):
        term = terms_by_id().get(id.lower())
        if term is None:
            raise NotFound()
        return Response(records.full_taxonomy_term(term))
