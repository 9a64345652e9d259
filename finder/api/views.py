"""The partner API: /api/v1/programs/ (the HTML search's own FilterSet), one program, the terms."""

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from finder import export
from finder.api import schema  # noqa: F401 (registers the OpenAPI extension for ProgramFilter)
from finder.api.errors import ErrorSerializer
from finder.api.renderers import FormatParameterNegotiation, ProgramCSVRenderer
from finder.api.serializers import (
    FacetSerializer,
    ProgramPageSerializer,
    ProgramSerializer,
    facet_count_data,
)
from finder.filters import ProgramFilter
from programs import search, taxonomy
from programs.models import Facet, Program, Term
from programs.querysets import directory_last_modified

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A parameter was not accepted: see errors."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many requests from this address: see Retry-After."
    ),
}


class SearchFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that keeps the FilterSet on the view, to report the place it found."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class PublicAPIView(generics.GenericAPIView):
    """Rejects parameters it does not know (a typo would otherwise widen the search silently)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = self.known_params()
        unknown = [name for name in request.query_params if name not in known]
        if unknown:
            if known:
                message = _("This is not a parameter here. Use: %(known)s.") % {
                    "known": ", ".join(sorted(known))
                }
            else:
                message = _("This is not a parameter here; this address takes none.")
            raise ValidationError({name: [message] for name in unknown})

    def known_params(self) -> set[str]:
        return set()


class ProgramAPIView(PublicAPIView):
    """Programs with their organization, and their terms in one query for the whole page."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        # The list pages it through programs.search (which loads the page's rows and terms);
        # the detail view reads the one program with its organization.
        return Program.objects.published().select_related("organization").order_by("name", "pk")


def not_found(request, *args, **kwargs):
    """A JSON 404 for any other address under /api/, rather than the site's HTML page."""
    return JsonResponse(
        {"detail": _("There is nothing at this address; see /api/docs/.")}, status=404
    )


def _with_last_modified(response, when):
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


@extend_schema_view(
    get=extend_schema(
        summary="Search published programs",
        description=(
            "The search of the web page, with the same parameters. Within one facet a program "
            "matches any chosen term (repeat the parameter: `level=residential&level=detox`); "
            "across facets it must match every facet chosen. A broad term also finds its "
            "narrower terms. With `location`, results are within `radius` miles, nearest first, "
            "each with its `distance`; without it, all published programs by name, or best "
            "match first with `q`. `sort` chooses another order. `facets=true` adds each filter "
            "option's count for this search. `format=csv` (or `Accept: text/csv`) gives every "
            f"match, up to {export.MAX_ROWS}, as one CSV file instead of a page of JSON."
        ),
        parameters=[
            OpenApiParameter(
                "facets",
                bool,
                default=False,
                description=(
                    "Also return `facets`: each filter option with how many programs this "
                    "search finds with it ticked (an option counts as if its facet's own choice "
                    "were cleared)."
                ),
            ),
            OpenApiParameter(
                "format",
                str,
                enum=["json", "csv"],
                default="json",
                description=(
                    "`csv`: the whole search (every match in this order, up to "
                    f"{export.MAX_ROWS}; `page` and `page_size` do not apply) as a CSV file "
                    "named after the search, text that a spreadsheet would run as a formula "
                    "starting with an apostrophe. The same as `Accept: text/csv`."
                ),
            ),
        ],
        responses={
            (200, "application/json"): ProgramPageSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The search's programs, one a row, header first."
            ),
            404: OpenApiResponse(ErrorSerializer, description="There is no such page."),
            **ERRORS,
        },
    )
)
class ProgramList(ProgramAPIView, generics.ListAPIView):
    """Ordered by name then id; ProgramFilter's location puts distance first."""

    filter_backends = [SearchFilterBackend]
    filterset_class = ProgramFilter
    renderer_classes = [JSONRenderer, ProgramCSVRenderer]
    content_negotiation_class = FormatParameterNegotiation

    def known_params(self) -> set[str]:
        pages = self.paginator
        return {
            *ProgramFilter.base_filters,
            "facets",
            "format",
            pages.page_query_param,
            pages.page_size_query_param,
        }

    def wants_facets(self) -> bool:
        """?facets=true: the page also gives each filter option's count (one more query)."""
        # Strictly the schema's boolean: an API parameter has no tick box to be lenient for.
        raw = self.request.query_params.get("facets", "false")
        if raw not in ("true", "false"):
            raise ValidationError({"facets": [_("Use true or false.")]})
        return raw == "true"

    def list(self, request, *args, **kwargs):
        self.wants_facets()  # a 400 for facets=maybe before any search runs
        if isinstance(request.accepted_renderer, ProgramCSVRenderer):
            return self.csv(request)
        response = super().list(request, *args, **kwargs)
        return _with_last_modified(response, directory_last_modified())

    def csv(self, request):
        """Every match up to export.MAX_ROWS, not a page: the web page's "Download" file."""
        programs = self.filter_queryset(self.get_queryset())
        place = self.filterset.place
        point = place.point if place else None
        matches = search.each_match(programs, limit=export.MAX_ROWS, point=point)
        rows = export.table(
            matches, with_distance=point is not None, absolute=request.build_absolute_uri
        )
        disposition = content_disposition_header(True, export.filename(request.query_params))
        return Response(list(rows), headers={"Content-Disposition": disposition})

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        place = self.filterset.place
        location = place and {
            "label": place.label,
            "latitude": place.point.latitude,
            "longitude": place.point.longitude,
            "radius": self.filterset.form.cleaned_data["radius"],
        }
        page = response.data
        response.data = {
            "count": page["count"],
            "count_is_exact": page["count_is_exact"],
            "next": page["next"],
            "previous": page["previous"],
            "location": location,
            "results": page["results"],
        }
        if self.wants_facets():
            counts = search.facet_counts(*self.filterset.without_facets(), page=self.paginator.page)
            response.data["facets"] = facet_count_data(counts)
        return response


@extend_schema_view(
    get=extend_schema(
        summary="One published program",
        description="The program with this id, as in search results (`distance` is null).",
        responses={
            200: ProgramSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No published program has this id."),
            **ERRORS,
        },
    )
)
class ProgramDetail(ProgramAPIView, generics.RetrieveAPIView):
    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(_("No published program has this id.")) from None

    def retrieve(self, request, *args, **kwargs):
        program = taxonomy.attach_terms([self.get_object()])[0]
        response = Response(self.get_serializer(program).data)
        org = program.organization
        return _with_last_modified(
            response, max(program.updated, org.updated) if org else program.updated
        )


@extend_schema_view(
    get=extend_schema(
        summary="The taxonomy: facets and their terms",
        description=(
            "Each facet with its terms: the codes to pass to /api/v1/programs/ (as the facet's "
            "`param`), English and Spanish labels, the broader term and the SAMHSA code."
        ),
        responses={200: FacetSerializer(many=True), **ERRORS},
    )
)
class TermList(PublicAPIView, generics.ListAPIView):
    serializer_class = FacetSerializer
    pagination_class = None  # a few dozen terms
    queryset = Facet.objects.prefetch_related(
        Prefetch("terms", queryset=Term.objects.select_related("parent"))
    )
