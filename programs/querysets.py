"""The search vocabulary: Program.objects.published().near(point, miles=25).offering(terms)."""

import json
import math
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db import connection, connections, models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from programs.places import EARTH_RADIUS_MILES, Point, bounding_box, distance_miles


class OnTheRow(Expression):
    """SQL written out over the program's own columns, on the table as the query names it
    (`alias`, set when the query resolves it, relabelled if it becomes a subquery)."""

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def column(self, compiler, name: str) -> str:
        return f"{compiler.quote_name_unless_alias(self.alias)}.{name}"


class GreatCircleMiles(OnTheRow):
    """SQL for the haversine distance from `point` to each row, in miles; places.distance_miles
    is the same formula in Python.

    Written out as one expression with four parameters: built from Django's Sin, Cos, Power...
    it was a tree of ~20 expressions that each search resolved, copied and compiled again
    (~0.5 ms of a search by place, docs/performance.md).
    """

    output_field = FloatField()

    def __init__(self, point: Point, alias: str | None = None):
        super().__init__(alias)
        self.point = point

    def as_sql(self, compiler, connection):
        lat = f"RADIANS({self.column(compiler, 'latitude')})"
        lon = f"RADIANS({self.column(compiler, 'longitude')})"
        least = "LEAST" if connection.vendor == "postgresql" else "MIN"  # SQLite's MIN(a, b)
        h = f"POWER(SIN(({lat} - %s) / 2), 2) + %s * COS({lat}) * POWER(SIN(({lon} - %s) / 2), 2)"
        # Rounding can push sqrt(h) a hair above 1 for antipodal points; asin would fail on that.
        sql = f"(%s * ASIN({least}(SQRT({h}), 1)))"
        lat1 = math.radians(self.point.latitude)
        params = [2 * EARTH_RADIUS_MILES, lat1, math.cos(lat1), math.radians(self.point.longitude)]
        return sql, params


def _miles_to(program, point: Point) -> float | None:
    if program.latitude is None or program.longitude is None:
        return None
    return distance_miles(point, Point(program.latitude, program.longitude))


class TermIds(OnTheRow):
    """PostgreSQL: the program's term ids, programs_program.term_ids (integer[]).

    Not a model field: the triggers of migration 0014 keep it equal to the program's term
    links, and only these expressions read it. The location and name indexes of migrations 0014
    and 0018 include it, so a facet filter (OffersAny) is tested in the index entry the search
    reads, instead of probing the term links once per candidate.
    """

    output_field = ArrayField(models.IntegerField())

    def as_sql(self, compiler, connection):
        return self.column(compiler, "term_ids"), []


class OffersAny(TermIds):
    """PostgreSQL: the program's term ids include one of `term_ids`."""

    output_field = BooleanField()

    def __init__(self, term_ids: Iterable[int], alias: str | None = None):
        super().__init__(alias)
        self.term_ids = sorted({int(pk) for pk in term_ids})

    def as_sql(self, compiler, connection):
        column, params = super().as_sql(compiler, connection)
        # Ints from the taxonomy, written out: the planner sees how common each term is.
        return f"{column} && ARRAY[{', '.join(map(str, self.term_ids))}]::integer[]", params


# The expression of the full-text index in migration 0009: the query must spell it the same.
DESCRIPTION_VECTOR = SearchVector("description", config="english")

SORTS = ["nearest", "name", "verified", "accepting"]
# A search by words expected to find at most this many programs is ranked in one query (_ids).
RANK_IN_ONE_QUERY_UP_TO = 2_000


def _organization_named(word: str) -> "IsAnyOf":
    """PostgreSQL: the program's organization is one whose name holds `word`, written as
    `organization_id = ANY(ARRAY(...))` so that it is an index condition (a join or an IN
    subquery would make the whole OR a filter on every row)."""
    Organization = apps.get_model("programs", "Organization")
    named = Organization.objects.filter(name__icontains=word).values("pk")
    return IsAnyOf(F("organization_id"), ArraySubquery(named))


class IsAnyOf(Func):
    """`column = ANY(array)`: a condition a B-tree index on the column answers."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        column, array = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{column[0]} = ANY({array[0]})", (*column[1], *array[1])


class PageIds(NamedTuple):
    """ProgramQuerySet.page_ids(): a page's ids, the count, and every match's id if read."""

    ids: list[int]
    count: int | None
    exact: bool
    every: list[int] | None = None


def stale_cutoff() -> date:
    """Listings last verified before this day are stale (Program.is_stale, stale())."""
    return timezone.localdate() - timedelta(days=settings.STALE_AFTER_DAYS)


def directory_last_modified():
    """The last edit of any program or organization (publishing or archiving is an edit too).

    One statement, written out (every page-cache hit asks it; built by the ORM it cost more
    than it took to run): the latest `updated` of each table, read from the end of its index.
    A deleted listing does not move it: archive instead.
    """
    tables = [
        apps.get_model("programs", name)._meta.db_table for name in ("Program", "Organization")
    ]
    latest = ", ".join(f"(SELECT MAX(updated) FROM {table})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {latest}")
        when = [_aware(value) for value in cursor.fetchone() if value is not None]
    return max(when, default=None)


def _aware(value) -> datetime:
    """A timestamp as the database gave it: SQLite gives the text of a UTC time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return value


class ProgramQuerySet(models.QuerySet):
    # The text of by_relevance(), for page_ids; order_by() forgets it (another order wins).
    _relevance_text: str | None = None
    # if_none_found()'s search.
    _instead: Callable[[], "ProgramQuerySet | None"] | None = None

    def _clone(self):
        clone = super()._clone()
        clone._relevance_text, clone._instead = self._relevance_text, self._instead
        return clone

    def if_none_found(self, instead: Callable[[], "ProgramQuerySet | None"]):
        """This search, with the one to show when it finds nothing: `instead()` builds it, or
        says there is none (None). programs.search pages ask it only for an empty first page, so
        a search that finds programs never pays for working out its alternative."""
        clone = self._chain()
        clone._instead = instead
        return clone

    def instead(self) -> "ProgramQuerySet | None":
        """if_none_found()'s search, or None."""
        return self._instead() if self._instead else None

    def order_by(self, *field_names):
        ordered = super().order_by(*field_names)
        ordered._relevance_text = None
        return ordered

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
        return self.annotate(distance=GreatCircleMiles(point))

    def near(self, point: Point, miles: float):
        """Programs within `miles` of `point`, nearest first, each with its `distance`.

        A latitude/longitude box first (on PostgreSQL answered from a covering index, with each
        program's name, id and term ids, without reading the table), then the haversine.
        """
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

    def _postgres(self) -> bool:
        return connections[self.db].vendor == "postgresql"

    def offering(self, term_groups: Iterable[Iterable[int]]):
        """Programs offering, in every group, at least one of its term ids.

        A group is one facet's chosen terms with their narrower terms (taxonomy.with_narrower):
        any term within a facet, every facet chosen.
        """
        qs = self
        for wanted in term_groups:
            qs = qs.filter(self.offers_any(wanted))
        return qs

    def offers_any(self, term_ids: Iterable[int]):
        """The condition "offers one of these terms": on PostgreSQL read from the program's row
        (OffersAny), elsewhere an EXISTS on its term links."""
        if self._postgres():
            return OffersAny(term_ids)
        links = self.model.terms.through.objects
        return Exists(links.filter(program=OuterRef("pk"), term__in=list(term_ids)))

    def matching(
        self,
        text: str,
        words: Iterable[tuple[str, Iterable[int]]] | None = None,
        *,
        close_spelling: bool | None = None,
        near_a_place: bool = False,
    ):
        """Programs matching every word of `text`: in their name, organization, city or
        description, or by offering one of the word's term ids (keywords.search_words(text)
        gives the words with their terms; without them, words are only looked for in the text).

        On PostgreSQL every branch of a word is one an index answers (migrations 0009 and
        0016: trigram indexes for the names and the city, the description's full-text index, the
        program's term ids), so the planner ORs and ANDs index bitmaps instead of reading every
        row; the description is matched by full-text search ("counseling" finds "counselor").
        When no program holds every word, a name spelt close to the whole text matches instead
        (pg_trgm: "alethia house" finds "Aletheia House"), best spelt first in by_relevance();
        `close_spelling` says which to do when the caller already knows (by_close_spelling() of
        an earlier call), else one EXISTS query asks. Elsewhere words are matched by substring.

        `near_a_place`: the search will also be narrowed to a place (near()). On PostgreSQL the
        description is then asked once, as the ids of the programs it describes, so that every
        branch of a word is tested in the location index's entry (migration 0018) instead of
        in the table row of each program in the box; without a place the description stays
        an index condition the planner combines with the others.
        """
        if words is None:
            words = [(word, []) for word in text.split()]
        postgres = self._postgres()
        every_word = Q()
        for word, term_ids in words:
            found = Q(name__icontains=word) | Q(city__icontains=word)
            if postgres:
                found |= Q(_organization_named(word))
                query = SearchQuery(word, config="english")
                described = Q(SearchVectorExact(DESCRIPTION_VECTOR, query))
                if near_a_place:
                    described = Q(pk__in=self.model.objects.filter(described).values("pk"))
                found |= described
            else:
                found |= Q(organization__name__icontains=word) | Q(description__icontains=word)
            if term_ids:
                found |= Q(self.offers_any(term_ids))
            every_word &= found
        if not every_word:  # only words like "the" or "program": no narrowing
            return self
        found = self.filter(every_word)
        if close_spelling is None:
            close_spelling = postgres and bool(text.strip()) and not found.exists()
        if close_spelling:
            close = TrigramWordSimilar(F("name"), Value(text.strip()))
            return self.filter(close).alias(spelling=TrigramWordSimilarity(Value(text), "name"))
        return found

    def by_close_spelling(self) -> bool:
        """Whether matching() fell back to names spelt close to the text."""
        return "spelling" in self.query.annotations

    def by_relevance(self, text: str):
        """Best match first: the name itself, then a name starting or holding the text, ties by
        name; a search matched by close spelling (matching()) puts the closest spelling first."""
        rank = Case(
            When(name__iexact=text, then=Value(3.0)),
            When(name__istartswith=text, then=Value(2.0)),
            When(name__icontains=text, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        close = self.by_close_spelling()
        if close:
            rank = rank + F("spelling")
        ordered = self.alias(relevance=rank).order_by(F("relevance").desc(), "name", "pk")
        if not close:  # a close spelling's few matches are sorted in one query
            ordered._relevance_text = text
        return ordered

    def _ids(self, start: int, stop: int) -> list[int]:
        """The ids [start:stop] in this queryset's order.

        By relevance on PostgreSQL, when the planner expects many matches (a common word), in
        two parts: the first `stop` programs whose name holds the text, best first (the name's
        trigram index finds them); then, only if they are fewer, the rest by name, which the
        planner reads from the name index and stops at the page. Ranking every match read the
        whole table for such a word (suboxone at 1M: 812 -> 11 ms). A search expected to find
        few (a program's whole name) is ranked in one query: cheaper than the two parts there.
        Elsewhere the one sorted query (the same order).
        """
        ids = self.values_list("pk", flat=True)
        if self._relevance_text is None or not self._postgres():
            return list(ids[start:stop])
        if self._expected_matches() <= RANK_IN_ONE_QUERY_UP_TO:
            return list(ids[start:stop])
        named = Q(name__icontains=self._relevance_text)
        found = list(ids.filter(named)[:stop])
        if len(found) < stop:
            rest = ids.filter(~named).order_by("name", "pk")
            found += rest[: stop - len(found)]
        return found[start:stop]

    def _expected_matches(self) -> int:
        """How many programs PostgreSQL's planner expects the search to find (EXPLAIN, not run:
        ~2 ms; its estimates were within 10% on the 1M directory)."""
        plan = json.loads(self.order_by().values_list("pk", flat=True).explain(format="json"))
        return plan[0]["Plan"]["Plan Rows"]

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

    def page_ids(self, number: int, size: int, cap: int | None = None) -> "PageIds":
        """The ids on page `number` (from 1), how many programs match, whether that count is
        exact, and, when this read them all (an exact count within the cap), every match's id.

        With `cap`, matches are counted no further than `cap`: the page's own query reads the
        first cap + 1 ids (a name-index scan stops there; a distance sort keeps the top cap + 1
        candidates), and more than `cap` is "`cap` or more" (count `cap`, not exact). A page
        past the cap reads its rows and one more, which says whether another page follows.
        Without `cap`, an exact COUNT of its own. The count is None when the page is empty (no
        match, or past the last page). A search by relevance reads its ids in two parts
        (_ids), in the same order.
        """
        start = (number - 1) * size
        if cap is None:
            page = self._ids(start, start + size)
            return PageIds(page, (self.count() if page else None), True)
        every = None
        if start + size <= cap:
            first = self._ids(0, cap + 1)
            page, found, exact = first[start : start + size], len(first), len(first) <= cap
            every = first if exact else None
        else:
            rows = self._ids(start, start + size + 1)
            page, found, exact = rows[:size], start + len(rows), len(rows) <= size
        if not page:
            return PageIds([], None, True)
        return PageIds(page, (found if exact else cap), exact, every)

    def with_ids(self, ids: list[int]):
        """The programs with these ids: on PostgreSQL `id = ANY(%s)`, one array parameter
        however many ids (an IN list of a thousand placeholders took ~1.5 ms to build and send).
        """
        if self._postgres():
            array = Value(list(ids), output_field=ArrayField(models.BigIntegerField()))
            return self.filter(IsAnyOf(F("pk"), array))
        return self.filter(pk__in=ids)

    def in_id_order(self, ids: list[int], point: Point | None = None) -> list:
        """The programs with these ids, in this order, each with its distance from `point`.

        A page of a search, fetched by id alone: building the SQL of the search's filters
        again cost more than running it. The distance is worked out here, for these few rows,
        by the same formula as the search's SQL (places.distance_miles).
        """
        by_pk = {program.pk: program for program in self.with_ids(ids)}
        programs = [by_pk[pk] for pk in ids if pk in by_pk]
        if point is not None:
            for program in programs:
                program.distance = _miles_to(program, point)
        return programs

    def for_hsds(self):
        # An HSDS service nests its organization and every term with its facet and broader term:
        # fetch them in two queries for the whole page or export rather than per program.
        Term = apps.get_model("programs", "Term")
        return self.select_related("organization").prefetch_related(
            Prefetch("terms", queryset=Term.objects.select_related("facet", "parent"))
        )
