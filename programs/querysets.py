"""The search vocabulary: Program.objects.published().near(point, miles=25).offering(terms)."""

import math
from collections.abc import Iterable
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Value,
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

    def matching(self, text: str):
        """Programs whose name, organization, city or description holds every word of `text`."""
        qs = self
        for word in text.split():
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(organization__name__icontains=word)
                | Q(city__icontains=word)
                | Q(description__icontains=word)
            )
        return qs

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
