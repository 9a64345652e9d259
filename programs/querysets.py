"""The search vocabulary: Program.objects.published().near(point, miles=25).offering(terms)."""

import math
from collections.abc import Iterable
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone

from programs.places import EARTH_RADIUS_MILES, Point, bounding_box


def _float(value: float) -> Value:
    return Value(value, output_field=FloatField())


def great_circle_miles(point: Point):
    """SQL for the haversine distance from `point` to each row; places.distance_miles in Python."""
    lat1 = math.radians(point.latitude)
    lat2 = Radians(F("latitude"))
    half_dlat = (lat2 - _float(lat1)) / _float(2.0)
    half_dlon = (Radians(F("longitude")) - _float(math.radians(point.longitude))) / _float(2.0)
    h = Power(Sin(half_dlat), 2) + _float(math.cos(lat1)) * Cos(lat2) * Power(Sin(half_dlon), 2)
    # Rounding can push sqrt(h) a hair above 1 for antipodal points; asin would fail on that.
    return _float(2 * EARTH_RADIUS_MILES) * ASin(Least(Sqrt(h), _float(1.0)))


# The expression of the full-text index in migration 0009: the query must spell it the same.
DESCRIPTION_VECTOR = SearchVector("description", config="english")

SORTS = ["nearest", "name", "verified", "accepting"]


def stale_cutoff() -> date:
    """Listings last verified before this day are stale (Program.is_stale, stale())."""
    return timezone.localdate() - timedelta(days=settings.STALE_AFTER_DAYS)


def directory_last_modified():
    """The last edit of any program or organization (publishing or archiving is an edit too).

    An index on each `updated` answers it. A deleted listing does not move it: archive instead.
    """
    latest = [
        apps.get_model("programs", name).objects.aggregate(latest=models.Max("updated"))["latest"]
        for name in ("Program", "Organization")
    ]
    return max((when for when in latest if when), default=None)


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def accepting_new_patients(self):
        return self.filter(accepting="yes")

    def needing_verification(self):
        """The re-verification queue: live listings that are stale, never verified first."""
        return (
            self.exclude(status="archived")
            .stale()
            .order_by(F("last_verified").asc(nulls_first=True), "name", "pk")
        )

    def stale(self):
        """Listings never verified, or not for STALE_AFTER_DAYS: the re-verification queue."""
        return self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=stale_cutoff()))

    def recently_verified(self):
        return self.filter(last_verified__gte=stale_cutoff())

    def with_distance(self, point: Point):
        """Annotate `distance`, in miles from `point`."""
        return self.annotate(distance=great_circle_miles(point))

    def near(self, point: Point, miles: float):
        """Programs within `miles` of `point`, nearest first, each with its `distance`."""
        box = bounding_box(point, miles)
        return (
            self.filter(
                latitude__range=(box.south, box.north),
                longitude__range=(box.west, box.east),
            )
            .with_distance(point)
            .filter(distance__lte=miles)
            .order_by("distance", "name", "pk")
        )

    def offering(self, term_groups: Iterable[Iterable[int]]):
        """Programs offering, in every group, at least one of its term ids.

        A group is one facet's chosen terms with their narrower terms (taxonomy.with_narrower):
        any term within a facet, every facet chosen.
        """
        ProgramTerm = self.model.terms.through
        qs = self
        for wanted in term_groups:
            qs = qs.filter(
                Exists(ProgramTerm.objects.filter(program=OuterRef("pk"), term__in=list(wanted)))
            )
        return qs

    def matching(self, text: str, words: Iterable[tuple[str, Iterable[int]]] | None = None):
        """Programs matching every word of `text`: in their name, organization, city or
        description, or by offering one of the word's term ids (keywords.search_words(text)
        gives the words with their terms; without them, words are only looked for in the text).

        On PostgreSQL the description is matched by full-text search ("counseling" finds
        "counselor"), and a name spelt close to the whole text matches too (pg_trgm: "alethia"
        finds "Aletheia House"), both with the indexes of migration 0009; elsewhere by substring.
        """
        if words is None:
            words = [(word, []) for word in text.split()]
        ProgramTerm = self.model.terms.through
        postgres = connections[self.db].vendor == "postgresql"
        every_word = Q()
        for word, term_ids in words:
            found = (
                Q(name__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(city__icontains=word)
                | (
                    Q(SearchVectorExact(DESCRIPTION_VECTOR, SearchQuery(word, config="english")))
                    if postgres
                    else Q(description__icontains=word)
                )
            )
            if term_ids:
                found |= Q(
                    Exists(
                        ProgramTerm.objects.filter(program=OuterRef("pk"), term__in=list(term_ids))
                    )
                )
            every_word &= found
        if not every_word:  # only words like "the" or "program": no narrowing
            return self
        if postgres and text.strip():
            every_word |= Q(TrigramWordSimilar(F("name"), Value(text.strip())))
        return self.filter(every_word)

    def by_relevance(self, text: str):
        """Best match first: the name itself, then a name starting or holding the text, then (on
        PostgreSQL) the closest spelling; ties by name."""
        rank = Case(
            When(name__iexact=text, then=Value(3.0)),
            When(name__istartswith=text, then=Value(2.0)),
            When(name__icontains=text, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        if connections[self.db].vendor == "postgresql":
            rank = rank + TrigramWordSimilarity(Value(text), "name")
        return self.alias(relevance=rank).order_by(F("relevance").desc(), "name", "pk")

    def sorted_by(self, sort: str):
        """Reorder by one of SORTS (ties by name, then id, so pages never overlap). "nearest"
        keeps near()'s order and means nothing without a place (it is the default there)."""
        near = "distance" in self.query.annotations
        if sort == "name":
            return self.order_by("name", "pk")
        if sort == "verified":
            return self.order_by(F("last_verified").desc(nulls_last=True), "name", "pk")
        if sort == "accepting":
            then = ["distance"] if near else []
            accepting = Case(When(accepting="yes", then=Value(0)), default=Value(1))
            return self.alias(not_accepting=accepting).order_by(
                "not_accepting", *then, "name", "pk"
            )
        return self

    def page_ids(self, number: int, size: int) -> tuple[list[int], int | None]:
        """The ids on page `number` (from 1) and how many programs match.

        Sorting by distance (near()) visits every match anyway, so the count rides along as a
        window function, in the same query. Sorting by name walks the name index and stops
        after a page; a window would make it visit every match, so it counts on its own. The
        count is None when the page is empty (no match, or past the last page).
        """
        start = (number - 1) * size
        if "distance" not in self.query.annotations:
            ids = list(self.values_list("pk", flat=True)[start : start + size])
            return ids, self.count() if ids else None
        rows = list(
            self.annotate(matches=Window(Count("pk"))).values_list("pk", "matches")[
                start : start + size
            ]
        )
        return [pk for pk, _ in rows], rows[0][1] if rows else None

    def in_id_order(self, ids: list[int], point: Point | None = None) -> list:
        """The programs with these ids, in this order, each with its distance from `point`.

        A page of a search, fetched by id alone: building the SQL of the search's filters
        again cost more than running it.
        """
        programs = self.filter(pk__in=ids)
        if point is not None:
            programs = programs.with_distance(point)
        by_pk = {program.pk: program for program in programs}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def for_hsds(self):
        # An HSDS service nests its organization and every term with its facet and broader term:
        # fetch them in two queries for the whole page or export rather than per program.
        Term = apps.get_model("programs", "Term")
        return self.select_related("organization").prefetch_related(
            Prefetch("terms", queryset=Term.objects.select_related("facet", "parent"))
        )
