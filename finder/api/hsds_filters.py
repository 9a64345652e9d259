"""HSDS's query parameters for /hsds/services and /hsds/service_at_locations, as the search's own
FilterSet: `search` is the keyword search, `taxonomy_term_id` a term, `postcode` and `proximity`
a place and a radius. The same QuerySet calls as the HTML search, under the names the official
openapi.json gives them; a bad value is a form error, answered with a 400 naming it.
"""

import uuid

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from finder.filters import ProgramFilter, SearchForm
from programs import places, taxonomy
from programs.hsds import records
from programs.models import Term

METERS_PER_MILE = 1609.344
# Beyond 100 miles a "nearby" list stops meaning much, and the bounding box stops being cheap.
MAX_PROXIMITY_METERS = 100 * METERS_PER_MILE


class HSDSForm(SearchForm):
    # Given but empty is an error, as in the spec's schema (a uuid, a postcode, a number), not
    # "no filter": a client that sent taxonomy_term_id= has a bug to hear about.
    NOT_EMPTY = {
        "taxonomy_term_id": _("Enter an id (a UUID)."),
        "taxonomy_id": _("Enter an id (a UUID)."),
        "organization_id": _("Enter an id (a UUID)."),
        "postcode": _("Enter a 5-digit ZIP code, like 94110."),
    }

    def clean(self):
        cleaned = super().clean()
        for name, message in self.NOT_EMPTY.items():
            if name in self.data and not self.data[name].strip():
                self.add_error(name, message)
        return cleaned

    def clean_search(self) -> str:
        text = " ".join((self.cleaned_data.get("search") or "").split())
        if "\x00" in text:  # PostgreSQL refuses NUL in text
            raise forms.ValidationError(_("Enter at most 200 characters, as plain text."))
        return text

    def clean_postcode(self):
        postcode = self.cleaned_data.get("postcode")
        if not postcode:
            return None
        if not postcode.isascii() or not postcode.isdigit() or len(postcode) != 5:
            raise forms.ValidationError(_("Enter a 5-digit ZIP code, like 94110."))
        try:
            return places.resolve(postcode)
        except places.PlaceNotFound as error:
            raise forms.ValidationError("%(message)s", params={"message": error.message}) from None

    def clean_proximity(self):
        meters = self.cleaned_data.get("proximity")
        if meters is None:
            return None
        if "postcode" not in self.data:
            raise forms.ValidationError(_("Give a postcode to measure proximity from."))
        if not 0 < meters <= MAX_PROXIMITY_METERS:  # also refuses nan and inf
            raise forms.ValidationError(
                _("Enter a distance in meters, more than 0 and at most %(max)d.")
                % {"max": MAX_PROXIMITY_METERS}
            )
        return meters

    def clean_modified_after(self):
        raw = self.data.get("modified_after")
        if raw is None:
            return None
        try:
            moment = parse_datetime(raw) or parse_date(raw)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(_("Enter a date or date-time, like 2026-01-31T09:00:00Z."))
        if not hasattr(moment, "hour"):
            moment = timezone.datetime.combine(moment, timezone.datetime.min.time())
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class UUIDFilter(django_filters.UUIDFilter):
    field_class = forms.UUIDField

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Enter an id (a UUID).")})
        super().__init__(**kwargs)


class FloatFilter(django_filters.Filter):
    field_class = forms.FloatField  # NumberFilter's Decimal would not mix with miles


class HSDSServiceFilter(ProgramFilter):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=places.MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Enter at most 200 characters, as plain text.")},
    )
    taxonomy_term_id = UUIDFilter(method="filter_taxonomy_term_id")
    taxonomy_id = UUIDFilter(method="filter_taxonomy_id")
    organization_id = UUIDFilter(method="filter_organization_id")
    modified_after = django_filters.CharFilter(method="filter_modified_after")
    postcode = django_filters.CharFilter(method="filter_postcode")
    proximity = FloatFilter(method="filter_postcode_radius")

    class Meta:
        form = HSDSForm
        fields = []

    WORD_PARAMS = ("q", "search")

    def filter_search(self, queryset, name, value: str):
        return self.filter_q(queryset, name, value)  # HSDS's name for the keyword box

    def filter_taxonomy_term_id(self, queryset, name, value: uuid.UUID):
        term = terms_by_id().get(str(value))
        return queryset.offering(taxonomy.with_narrower([term])) if term else queryset.none()

    def filter_taxonomy_id(self, queryset, name, value: uuid.UUID):
        return queryset if str(value) == records.taxonomy_id() else queryset.none()

    def filter_organization_id(self, queryset, name, value: uuid.UUID):
        # An organization's own id, or the stand-in of a program that has none.
        return queryset.filter(
            Q(organization__hsds_id=value) | Q(organization=None, hsds_organization_id=value)
        )

    def filter_modified_after(self, queryset, name, value):
        moment = self.form.cleaned_data["modified_after"]
        return queryset.filter(updated__gte=moment) if moment else queryset

    def filter_postcode(self, queryset, name, value):
        place = self.form.cleaned_data.get("postcode")
        if place is None:
            return queryset
        meters = self.form.cleaned_data.get("proximity")
        miles = meters / METERS_PER_MILE if meters else settings.SEARCH_DEFAULT_RADIUS
        return queryset.near(place.point, miles=miles)

    def filter_postcode_radius(self, queryset, name, value):
        return queryset  # filter_postcode reads it

    @property
    def place(self) -> places.Place | None:
        return self.form.cleaned_data.get("postcode") if self.is_valid() else None


def terms_by_id() -> dict[str, Term]:
    # Term ids derive from codes; the taxonomy is small (tens of terms), so map them all.
    return {records.term_id(term): term for term in taxonomy.current().by_pk.values()}
