"""How programs and the taxonomy look in the partner API (/api/v1/)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from phonenumber_field.phonenumber import PhoneNumber
from rest_framework import serializers

from finder.filters import FACET_PARAMS
from programs import taxonomy
from programs.models import Facet, Organization, Program, Term
from programs.search import COUNT_CAP

PARAM_BY_FACET = {facet: param for param, facet in FACET_PARAMS.items()}
# Lazy labels: str() gives the request's language.
ACCEPTING_LABELS = dict(Program._meta.get_field("accepting").flatchoices)
SLUG_MARK = "program-slug"


def _iso_date(day) -> str | None:
    """As DRF's DateField writes a date (its ISO 8601 default), None as null."""
    return None if day is None else day.isoformat()


class PhoneSerializer(serializers.Serializer):
    e164 = serializers.CharField(help_text="For dialling and tel: links, e.g. +14155550100.")
    display = serializers.CharField(help_text="As people write it, e.g. (415) 555-0100.")


@extend_schema_field(PhoneSerializer(allow_null=True))
class PhoneField(serializers.Field):
    """A stored phone number as {e164, display}; null when the program lists none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return phone_data(value)


def phone_data(number) -> dict | None:
    """{e164, display}, or None for no number ("" from the database, or a blank one)."""
    if isinstance(number, PhoneNumber):
        # Its truth (len(str(number))) formats it; this is the same test without formatting:
        # a stored number keeps what was stored as raw_input.
        if not number.raw_input and not number.is_valid():
            return None
    elif not number:
        return None
    return {"e164": number.as_e164, "display": number.as_national}


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

    # The fields above and Meta.fields are the schema; this writes the same JSON directly (a new
    # field goes here too: tests/finder/api/test_serializers.py compares the two). DRF's loop
    # over 29 fields bound again for each request was most of the API's own time on a page.
    def to_representation(self, program) -> dict:
        org = program.organization
        return {
            "id": program.pk,
            "name": program.name,
            "slug": program.slug,
            "url": self.get_url(program),
            "organization": org
            and {"id": org.pk, "name": org.name, "website": org.website or None},
            "description": program.description,
            "street": program.street,
            "street2": program.street2,
            "city": program.city,
            "state": program.state,
            "zip_code": program.zip_code,
            "latitude": program.latitude,
            "longitude": program.longitude,
            "location_approximate": program.location_approximate,
            "distance": self.get_distance(program),
            "phone": phone_data(program.phone),
            "phone_extension": program.phone_extension,
            "intake_phone": phone_data(program.intake_phone),
            "website": program.website or None,
            "hours": program.hours,
            "accepting": program.accepting,
            # get_accepting_display() without rebuilding the choices' dict for each program.
            "accepting_label": str(ACCEPTING_LABELS.get(program.accepting, program.accepting)),
            "wait_weeks": program.wait_weeks,
            "accepting_updated": _iso_date(program.accepting_updated),
            "beds_available": program.beds_available,
            "beds_updated": _iso_date(program.beds_updated),
            "last_verified": _iso_date(program.last_verified),
            "is_stale": program.is_stale,
            "terms": self.get_terms(program),
        }

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

    # The absolute address of a program page around its slug, once per request.
    _url_around_slug: tuple[str, str] | None = None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, program) -> str:
        # program.get_absolute_url() made absolute, with one reverse() for the whole page: a slug
        # is what the URL pattern's slug converter takes ([-a-zA-Z0-9_]), which nothing quotes.
        if self._url_around_slug is None:
            path = reverse("program-detail", kwargs={"slug": SLUG_MARK})
            url = self.context["request"].build_absolute_uri(path)
            head, _, tail = url.rpartition(SLUG_MARK)
            self._url_around_slug = (head, tail)
        head, tail = self._url_around_slug
        return head + program.slug + tail


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
        allow_null=True,
        help_text=(
            "Only with `facets=true`: per facet parameter (`payment`, ...), each term with how "
            "many programs this search would find with it ticked. An option of a facet counts "
            "as if that facet's own choice were cleared (the usual faceted-search rule). Null "
            f"when the search without its facets' choices finds more than {COUNT_CAP:,} "
            "programs: they are not counted."
        ),
    )


def facet_count_data(counts: dict[int, int] | None) -> dict[str, list[dict]] | None:
    """programs.search.facet_counts() as the API shows it: per parameter, its terms in order;
    None above the cap."""
    if counts is None:
        return None
    return {
        param: [
            {"code": term.code, "label": term.label, "count": counts.get(term.pk, 0)}
            for term in taxonomy.current().by_facet.get(facet, [])
        ]
        for param, facet in FACET_PARAMS.items()
    }
