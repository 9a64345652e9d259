"""The one read path for lists of programs: the search page, the JSON API and the HSDS lists.

A filtered, ordered ProgramQuerySet goes in (ProgramFilter built it from the query string); one
page of programs, each with its distance and its terms, and the count, come out:

    page = search.page_of_programs(filterset.qs, number=2, size=20, point=place.point)

Three queries and the taxonomy in memory: the page's ids and the count (counted no further
than COUNT_CAP), then the whole rows of just those ids, then their terms
(taxonomy.attach_terms). Rebuilding the search's SQL to fetch the rows cost more.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from programs import taxonomy
from programs.models import Program, Term
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
    exactly, or, when `count_is_exact` is false, `count` or more (and another page follows)."""

    items: list
    number: int
    size: int
    count: int
    count_is_exact: bool = True

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
    ids, count, exact = programs.page_ids(number, size, None if exact_count else COUNT_CAP)
    if count is None:  # no match, or past the end: the exact count says where the end is
        count = programs.count() if number > 1 else 0
        if number > 1:
            raise PageNotFound(number, count, size)
    programs = _listings().in_id_order(ids, point)
    return ResultPage(taxonomy.attach_terms(programs), number, size, count, exact)


def _listings():
    """Programs as lists show them: with their operator, without the import's record of the
    source row (a JSON document per program that no list shows; parsing it was a third of
    the time to read a page's rows)."""
    return Program.objects.select_related("organization").defer("imported_values")


def page_of(items, *, number: int, size: int) -> ResultPage:
    """Page `number` of any other list or queryset (HSDS organizations and terms)."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    if not 1 <= number <= MAX_PAGE_NUMBER or (number > 1 and (number - 1) * size >= count):
        raise PageNotFound(number, count, size)
    start = (number - 1) * size
    return ResultPage(list(items[start : start + size]), number, size, count)


def facet_counts(
    programs, chosen: dict[int, list[int]], capped: bool = False
) -> dict[int, int] | None:
    """How many of the search's programs each term would give, term id → count, in one query.

    `capped`: None when the search finds more than COUNT_CAP programs, the query reading no
    more than COUNT_CAP + 1 of them: counting every match of a dense city at 1M or a common
    word was most of a page's time. The page shows counts up to the cap and none above it.

    `programs` is the search without any facet's terms (place, keywords, availability);
    `chosen` the chosen term ids, with their narrower ones, per facet id. The usual faceted-search
    rule: an option of a facet counts as if that facet's own choice were cleared (ticking
    Medicare beside Medicaid shows what Medicaid *or* Medicare gives), while every other facet's
    choice still applies. A broad term counts the programs offering it or a narrower term, as
    the search finds them, each once.

    How: each of the search's programs is tested once against each chosen facet (a flag per
    facet); its term links are then counted by (term, flags), and a term's count is the sum over
    the flag combinations in which every *other* facet holds. Broad terms are counted by
    (broad term, flags) over their own and their narrower terms' links, each program once.
    """
    snapshot = taxonomy.current()
    broad = sorted(pk for pk in snapshot.children if pk in snapshot.by_pk)
    flags = {f"f{facet}": programs.offers_any(ids) for facet, ids in chosen.items()}
    held = "".join(f", {name}" for name in flags)
    m_held = "".join(f", m.{name}" for name in flags)
    searched = programs.order_by().annotate(**flags)
    nulls = ", NULL" * len(flags)
    if connection.vendor == "postgresql":
        # The term ids in each program's row (migration 0014): no join to the links.
        searched = searched.annotate(held_terms=TermIds()).values_list("pk", "held_terms", *flags)
        links = f"SELECT m.pk, h.term_id{m_held} FROM m, unnest(m.held_terms) h(term_id)"
    else:
        searched = searched.values_list("pk", *flags)
        link_table = connection.ops.quote_name(Program.terms.through._meta.db_table)
        links = f"SELECT m.pk, l.term_id{m_held} FROM {link_table} l JOIN m ON m.pk = l.program_id"
    cap = COUNT_CAP if capped else None
    too_many = ""  # above the cap, no term is counted at all
    if cap is not None:
        searched = searched[: cap + 1]
        too_many = f"WHERE (SELECT COUNT(*) FROM m) <= {int(cap)}"
    searched_sql, params = searched.query.sql_with_params()
    term_table = connection.ops.quote_name(Term._meta.db_table)
    broad_list = ", ".join(map(str, broad)) or "NULL"
    sql = f"""
        WITH m AS ({searched_sql}),
        l AS (
            SELECT l.pk AS program_id, l.term_id, COALESCE(t.parent_id, l.term_id) AS broad{held}
            FROM ({links}) l
            JOIN {term_table} t ON t.id = l.term_id
            {too_many}
        )
        SELECT term_id, 0{held}, COUNT(*) FROM l GROUP BY term_id{held}
        UNION ALL
        SELECT broad, 1{held}, COUNT(DISTINCT program_id) FROM l
        WHERE broad IN ({broad_list}) GROUP BY broad{held}
        UNION ALL
        SELECT NULL, 2{nulls}, COUNT(*) FROM m
    """
    facets = list(chosen)
    counts = dict.fromkeys(snapshot.by_pk, 0)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if cap is not None and any(kind == 2 and count > cap for _, kind, *_h, count in rows):
        return None
    for term_pk, kind, *holds, count in rows:
        term = snapshot.by_pk.get(term_pk)  # None: the row of the whole search's count (kind 2)
        if term is None or bool(kind) != (term_pk in snapshot.children):
            continue  # a broad term's count is its roll-up's (kind 1), not its own links'
        if all(h for facet, h in zip(facets, holds, strict=True) if facet != term.facet_id):
            counts[term_pk] += count
    return counts


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
    for start in range(0, len(ids), chunk):
        yield from programs_by_ids(ids[start : start + chunk], point)
