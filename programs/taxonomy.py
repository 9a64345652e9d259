"""The taxonomy (facets and their terms), read once per process and shared by its requests.

Every search page shows every term as a checkbox and every result card names a program's terms;
staff edit them rarely. So each process keeps them in memory, with the version it read. The
version lives in Django's cache, which is Redis shared by every process when REDIS_URL is set: a
save or delete of a facet or term (admin, shell, import) sets a new version, and each process
reloads at its next request. Writes that skip signals (QuerySet.update) must call changed().

The version is asked once per request (request_started, programs/apps.py), not at each use: a
results page uses the taxonomy ~20 times, each a round trip to Redis. Outside requests (a
worker, a shell), at most every UNVERSIONED_SECONDS.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

from programs.models import Program, Term

VERSION_KEY = "programs:taxonomy-version"
# While the cache cannot keep the version (Redis down), how long a process keeps what it read.
UNVERSIONED_SECONDS = 5.0


@dataclass
class Snapshot:
    version: str | None = None
    by_facet: dict[str, list] = field(default_factory=dict)  # facet code → terms, page order
    by_pk: dict[int, object] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)  # term pk → narrower pks
    loaded: float = field(default_factory=time.monotonic)

    def is_old(self) -> bool:
        """Read too long ago to be kept without a version to check it by (a page asks ~30 times)."""
        return time.monotonic() - self.loaded > UNVERSIONED_SECONDS


_current: Snapshot | None = None  # nothing read yet: read at the first use, Redis or not
_check_due = True  # ask the cache for the version at the next use
_checked = 0.0  # when it was last asked (time.monotonic)


def check_at_next_use(**kwargs) -> None:
    """Signal handler (request_started): this request sees any change made before it began."""
    global _check_due
    _check_due = True


def current() -> Snapshot:
    """This process's copy of the taxonomy, reloaded if staff changed it since it was read."""
    global _current, _check_due, _checked
    recently = time.monotonic() - _checked < UNVERSIONED_SECONDS
    if not _check_due and recently and _current and _current.version is not None:
        return _current
    _check_due, _checked = False, time.monotonic()
    version = cache.get(VERSION_KEY)
    if version is None:  # never set, or the cache was emptied: start a version all will see
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    unversioned = _current and _current.version is None and not _current.is_old()
    if version is None and unversioned:
        return _current  # the cache cannot keep a version (Redis down): reloaded every few seconds
    if _current is None or version != _current.version or version is None:
        _current = _load(version)  # the version read *before* loading: a later edit reloads
    return _current


def _load(version) -> Snapshot:
    taxonomy = Snapshot(version=version)
    children = defaultdict(list)
    # Term's ordering: the page's order. The parent for HSDS records of a page of programs.
    for term in Term.objects.select_related("facet", "parent"):
        taxonomy.by_facet.setdefault(term.facet.code, []).append(term)
        taxonomy.by_pk[term.pk] = term
        if term.parent_id is not None:
            children[term.parent_id].append(term.pk)
    taxonomy.children = dict(children)
    return taxonomy


def changed(**kwargs) -> None:
    """Signal handler: a facet or term changed, so every process reloads.

    Now, so this process (and a test) sees its own uncommitted edit; and again on commit, so
    another process that reloaded between the two does not keep the old terms.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    global _check_due
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    _check_due = True


def terms_by_program(program_pks) -> dict[int, dict[str, list]]:
    """{program pk: {facet code: [Term, ...]}}: one query of ids, the terms from memory, the
    facets and their terms in the page's order (the taxonomy's)."""
    return _by_facet(term_ids_by_program(program_pks))


def term_ids_by_program(program_pks) -> dict[int, list[int]]:
    """{program pk: [term id, ...]} for each of `program_pks`, in one query of the term links."""
    pks = list(program_pks)
    held = {pk: [] for pk in pks}
    links = Program.terms.through.objects.filter(program_id__in=pks)
    for program_pk, term_pk in links.values_list("program_id", "term_id"):
        held[program_pk].append(term_pk)
    return held


def _by_facet(held: dict[int, Iterable[int]]) -> dict[int, dict[str, list]]:
    """Each program's term ids as {facet code: [Term, ...]}, in the taxonomy's order."""
    taxonomy = current()
    order = {pk: i for i, pk in enumerate(taxonomy.by_pk)}  # Term's ordering: facet, position
    grouped = {}
    for program_pk, term_pks in held.items():
        by_facet = grouped[program_pk] = {}
        for term_pk in sorted(term_pks, key=lambda pk: order.get(pk, -1)):
            term = taxonomy.by_pk.get(term_pk)
            if term is not None:
                by_facet.setdefault(term.facet.code, []).append(term)
    return grouped


def attach_terms(programs: list) -> list:
    """Give each program its terms for Program.terms_in(): from the term ids its row was read
    with (`held_terms`, on PostgreSQL: programs.search reads them with the rows), else in one
    query for them all."""
    if programs and all(hasattr(program, "held_terms") for program in programs):
        terms = _by_facet({program.pk: program.held_terms or [] for program in programs})
    else:
        terms = terms_by_program(program.pk for program in programs)
    for program in programs:
        program.use_terms(terms.get(program.pk, {}))
    return programs


def with_narrower(terms: Iterable[Term]) -> list[list[int]]:
    """The chosen terms as ProgramQuerySet.offering() takes them: per facet, the term ids with
    their narrower terms' (Residential also finds Short-term residential), from memory."""
    children = current().children
    by_facet = defaultdict(set)
    for term in terms:
        by_facet[term.facet_id].update([term.pk, *children.get(term.pk, [])])
    # Sorted: a literal list the planner can estimate, the same SQL for the same choice.
    return [sorted(ids) for ids in by_facet.values()]
