"""The one read path for lists of programs: the search page, the JSON API and the HSDS lists.

A filtered, ordered ProgramQuerySet goes in (ProgramFilter built it from the query string); one
page of programs, each with its distance and its terms, and the count, come out:

    page = search.page_of_programs(filterset.qs, number=2, size=20, point=place.point)

Two queries and the taxonomy in memory: the page's ids and the count (counted no further
than COUNT_CAP), then the whole rows of just those ids, with their term ids on PostgreSQL
(elsewhere a third query reads their terms: taxonomy.attach_terms). Rebuilding the search's
SQL to fetch the rows cost more.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from programs import taxonomy
from programs.models import Program
from programs.places import Point
from programs.querysets import TermIds

# No list of ours has this many pages; a larger number is answered without SQL (its OFFSET
# would overflow PostgreSQL's bigint).
MAX_PAGE_NUMBER = 1_000_000
# A search finding more programs than this says "1,000+": counting every match of a dense one
# (95,000 programs by name, 49,000 within 25 miles of a city, at 1M) cost more than the page.
COUNT_CAP = 1000


@dataclass
class ResultPage(Sequence):
    """One page of a list: its items, which page it is, and how many items the list has:
    exactly, or, when `count_is_exact` is false, `count` or more (and another page follows).
    `every_id`: the id of every item of the list, when reading the page read them all."""

    items: list
    number: int
    size: int
    count: int
    count_is_exact: bool = True
    every_id: list[int] | None = None

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    @property
    def num_pages(self) -> int:
        """How many pages, or when the count is not exact, how many are known to exist."""
        known = max(1, math.ceil(self.count / self.size))
        return known if self.count_is_exact else max(known, self.number + 1)

    @property
    def has_next(self) -> bool:
        return not self.count_is_exact or self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        """The position of the page's first item in the whole list, from 1 (0 if empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0


class PageNotFound(Exception):
    """The list has no page `number`; it has `num_pages` (at least 1) of `count` items."""

    def __init__(self, number: int, count: int, size: int):
        super().__init__(number)
        self.number, self.count = number, count
        self.num_pages = max(1, math.ceil(count / size))


def page_of_programs(
    programs, *, number: int, size: int, point: Point | None = None, exact_count: bool = False
):
    """Page `number` (from 1) of `programs`, each with its terms and, given `point`, its
    `distance` in miles from it, and the count: exact up to COUNT_CAP, else "more than
    COUNT_CAP" (`exact_count`: always exact, as HSDS's total_items). Raises PageNotFound past
    the last page."""
    if not 1 <= number <= MAX_PAGE_NUMBER:
        raise PageNotFound(number, programs.count(), size)
    ids, count, exact, every = programs.page_ids(number, size, None if exact_count else COUNT_CAP)
    if count is None and (instead := programs.instead()) is not None:
        # Nothing found (or past the end), and the search has another to show when it finds
        # nothing: close spellings of its words, when no program anywhere holds them all.
        return page_of_programs(
            instead, number=number, size=size, point=point, exact_count=exact_count
        )
    if count is None:  # no match, or past the end: the exact count says where the end is
        count = programs.count() if number > 1 else 0
        if number > 1:
            raise PageNotFound(number, count, size)
    programs = _listings().in_id_order(ids, point)
    return ResultPage(taxonomy.attach_terms(programs), number, size, count, exact, every)


def _listings():
    """Programs as lists show them: with their operator, without the import's record of the
    source row (a JSON document per program that no list shows; parsing it was a third of
    the time to read a page's rows), and on PostgreSQL with their term ids from the row
    (migration 0014), so that attach_terms needs no query of its own."""
    programs = Program.objects.select_related("organization").defer("imported_values")
    if connection.vendor == "postgresql":
        programs = programs.annotate(held_terms=TermIds())
    return programs


def page_of(items, *, number: int, size: int) -> ResultPage:
    """Page `number` of any other list or queryset (HSDS organizations and terms)."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    if not 1 <= number <= MAX_PAGE_NUMBER or (number > 1 and (number - 1) * size >= count):
        raise PageNotFound(number, count, size)
    start = (number - 1) * size
    return ResultPage(list(items[start : start + size]), number, size, count)


def facet_counts(
    programs, chosen: dict[int, list[int]], page: ResultPage | None = None
) -> dict[int, int] | None:
    """How many of the search's programs each term would give, term id → count; None when the
    search finds more than COUNT_CAP programs.

    `programs` is the search without any facet's terms (place, keywords, availability);
    `chosen` the chosen term ids, with their narrower ones, per facet id. `page`, the
    search's page: a page past the cap says so without a query (the search without its facets
    finds as many or more); with no facet chosen `programs` is that search, so its programs are
    the page's every_id when it has them, read by id rather than by searching again (a search
    by words was built and run a second time for the counts). The usual faceted-search
    rule: an option of a facet counts as if that facet's own choice were cleared (ticking
    Medicare beside Medicaid shows what Medicaid *or* Medicare gives), while every other facet's
    choice still applies. A broad term counts the programs offering it or a narrower term, each
    once.

    How: one query reads the term ids of at most COUNT_CAP + 1 of the search's programs (on
    PostgreSQL from each program's row, migration 0014; elsewhere a second query reads their
    term links), and they are counted here. Above the cap nothing is counted: counting every
    match of a dense city at 1M or of a common word was most of a page's time.
    """
    if page is not None and not page.count_is_exact:
        return None
    if page is not None and page.every_id is not None and not chosen:
        programs = Program.objects.with_ids(page.every_id)
    snapshot = taxonomy.current()
    offers = _term_ids_of(programs.order_by(), COUNT_CAP + 1)
    if len(offers) > COUNT_CAP:
        return None
    wanted = {facet: set(ids) for facet, ids in chosen.items()}
    known = snapshot.by_pk
    broader = {pk: term.parent_id for pk, term in known.items() if term.parent_id}
    # A term counts a program that holds every chosen facet but the term's own.
    needs = {pk: wanted.keys() - {term.facet_id} for pk, term in known.items()}
    counts = Counter(dict.fromkeys(known, 0))
    for term_ids in offers:
        offered = {pk for pk in term_ids if pk in known}
        offered.update([broader[pk] for pk in offered if pk in broader])  # broad terms, once each
        if wanted:
            held = {facet for facet, ids in wanted.items() if not ids.isdisjoint(term_ids)}
            offered = [pk for pk in offered if needs[pk] <= held]
        counts.update(offered)
    return dict(counts)


def _term_ids_of(programs, limit: int) -> list[list[int]]:
    """The term ids of each of the first `limit` programs of `programs`."""
    if connection.vendor == "postgresql":
        rows = programs.annotate(held_terms=TermIds()).values_list("held_terms", flat=True)
        return [ids or [] for ids in rows[:limit]]
    pks = programs.values_list("pk", flat=True)[:limit]
    return list(taxonomy.term_ids_by_program(pks).values())


def has_listings_in(state: str) -> bool:
    """Whether the directory has any published program in `state`: an empty search there means
    "not here yet", not "too many filters"."""
    return Program.objects.published().filter(state=state).exists()


def programs_by_ids(ids: Sequence[int], point: Point | None = None) -> list[Program]:
    """The published programs among `ids`, in that order, with their terms and, given `point`,
    their `distance` from it: a shortlist or a comparison. Unknown or unpublished ids are left
    out (the caller says so)."""
    programs = _listings().published().in_id_order(list(ids), point)
    return taxonomy.attach_terms(programs)


def each_match(programs, *, limit: int, point: Point | None = None, chunk: int = 500):
    """Every program of the search `programs`, in its order, up to `limit`, with terms and
    distance as on its pages: one query for the ordered ids, then two per `chunk` of rows, so
    a whole search (a CSV export) never holds more than a chunk of programs at once."""
    ids = list(programs.values_list("pk", flat=True)[:limit])
    if not ids and (instead := programs.instead()) is not None:
        ids = list(instead.values_list("pk", flat=True)[:limit])
    for start in range(0, len(ids), chunk):
        yield from programs_by_ids(ids[start : start + chunk], point)
