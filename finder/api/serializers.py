"""How programs and the taxonomy look in the partner API (/api/v1/)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from finder.filters import FACET_PARAMS
from programs import taxonomy
from programs.models import Facet, Organization, Program, Term
from programs.search import COUNT_CAP

PARAM_BY_FACET = {facet: param for param, facet in FACET_PARAMS.items()}


class PhoneSerializer(serializers.Serializer):
    e164 = serializers.CharField(help_text="For dialling and tel: links, e.g. +14155550100.")
    display = serializers.CharField(help_text="As people write it, e.g. (415) 555-0100.")


@extend_schema_field(PhoneSerializer(allow_null=True))
class PhoneField(serializers.Field):
    """A stored phone number as {e164, display}; null when the program lists none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if not value:
            return None
        return {"e164": value.as_e164, "display": value.as_national}


class OptionalURLField(serializers.URLField):
    """A URL, or null when there is none (rather than "", which is no URL)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class TermBriefSerializer(serializers.ModelSerializer):
    """A term as a program lists it (the schema of ProgramSerializer.get_terms' terms)."""

    class Meta:
        model = Term
        fields = ["code", "label_en", "label_es"]


class OrganizationSerializer(serializers.ModelSerializer):
    website = OptionalURLField()

    class Meta:
        model = Organization
        fields = ["id", "name", "website"]


class ProgramSerializer(serializers.ModelSerializer):
    """One published program. Add a model field by adding its name to Meta.fields.

    Expects each program's terms attached by taxonomy.attach_terms() (ProgramAPIView does).
    """

    organization = OrganizationSerializer(read_only=True, allow_null=True)
    phone = PhoneField(help_text="The main phone number.")
    intake_phone = PhoneField(help_text="The number to call to start treatment, if different.")
    website = OptionalURLField()
    accepting_label = serializers.CharField(source="get_accepting_display", read_only=True)
    is_stale = serializers.BooleanField(
        read_only=True, help_text="Not verified for a year or more: call before going."
    )
    terms = serializers.SerializerMethodField(
        help_text="What the program offers, grouped by facet code (see /api/v1/terms/)."
    )
    distance = serializers.SerializerMethodField(
        help_text="Miles from the searched location; null when the search has no location."
    )
    url = serializers.SerializerMethodField(help_text="The program's page on this site.")

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "slug",
            "url",
            "organization",
            "description",
            "street",
            "street2",
            "city",
            "state",
            "zip_code",
            "latitude",
            "longitude",
            "location_approximate",
            "distance",
            "phone",
            "phone_extension",
            "intake_phone",
            "website",
            "hours",
            "accepting",
            "accepting_label",
            "wait_weeks",
            "accepting_updated",
            "beds_available",
            "beds_updated",
            "last_verified",
            "is_stale",
            "terms",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=TermBriefSerializer(many=True)))
    def get_terms(self, program) -> dict:
        return {
            code: [{"code": t.code, "label_en": t.label_en, "label_es": t.label_es} for t in terms]
            for code, terms in program.terms_by_facet().items()
        }

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance(self, program) -> float | None:
        distance = getattr(program, "distance", None)
        return None if distance is None else round(distance, 2)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, program) -> str:
        return self.context["request"].build_absolute_uri(program.get_absolute_url())


class TermSerializer(serializers.ModelSerializer):
    broader = serializers.SlugRelatedField(
        source="parent",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="A broader term: searching for it also finds this one.",
    )

    class Meta:
        model = Term
        fields = ["code", "label_en", "label_es", "broader", "samhsa_code"]


class FacetSerializer(serializers.ModelSerializer):
    param = serializers.SerializerMethodField(
        help_text="The /api/v1/programs/ parameter that filters on this facet, if any."
    )
    terms = TermSerializer(many=True, read_only=True)

    class Meta:
        model = Facet
        fields = ["code", "label_en", "label_es", "param", "terms"]

    def get_param(self, facet) -> str | None:
        return PARAM_BY_FACET.get(facet.code)


class PlaceSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="How it was understood: 94110 (San Francisco, CA).")
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    radius = serializers.IntegerField(help_text="Miles searched around it.")


class FacetCountSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The term's code, as the facet's parameter takes it.")
    label = serializers.CharField(help_text="The term's label in the request's language.")
    count = serializers.IntegerField(help_text="Programs this search finds with it ticked.")


@extend_schema_serializer(many=False)
class ProgramPageSerializer(serializers.Serializer):
    """One page of search results (the schema of ProgramList's response)."""

    count = serializers.IntegerField(
        help_text=(
            f"Programs found, on all pages, counted up to {COUNT_CAP:,}: when `count_is_exact` "
            f"is false, more were found (follow `next` while it is there)."
        )
    )
    count_is_exact = serializers.BooleanField(
        help_text=f"False when the search found more than {COUNT_CAP:,} programs (`count` is "
        f"then {COUNT_CAP:,})."
    )
    next = serializers.URLField(allow_null=True, help_text="The next page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    location = PlaceSerializer(
        allow_null=True, help_text="The place searched around; null when the search has none."
    )
    results = ProgramSerializer(many=True)
    facets = serializers.DictField(
        child=serializers.ListField(child=FacetCountSerializer()),
        required=False,
        help_text=(
            "Only with `facets=true`: per facet parameter (`payment`, ...), each term with how "
            "many programs this search would find with it ticked. An option of a facet counts "
            "as if that facet's own choice were cleared (the usual faceted-search rule)."
        ),
    )


def facet_count_data(counts: dict[int, int]) -> dict[str, list[dict]]:
    """programs.search.facet_counts() as the API shows it: per parameter, its terms in order."""
    return {
        param: [
            {"code": term.code, "label": term.label, "count": counts.get(term.pk, 0)}
            for term in taxonomy.current().by_facet.get(facet, [])
        ]
        for param, facet in FACET_PARAMS.items()
    }
