"""My list (/list/), the side-by-side comparison (/compare/) and a search as CSV (/export.csv).

Nothing is kept on the server: a list is the program ids in its URL (/list/?ids=12,40,7).
static/js/shortlist.js keeps the visitor's own list in their browser (localStorage) and puts it
in the links; without JavaScript the list lives in the URL alone, changed by ?add= and ?remove=.
"""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from finder import export
from finder.filters import ProgramFilter
from programs import places, search
from programs.models import Program

MAX_SAVED = 20  # a list of calls to make, not a directory; also bounds the URL and the query
MAX_COMPARED = 4  # as many columns as a laptop shows side by side
MAX_ID_TEXT = 500  # characters of ids read from a URL; 20 ids take far fewer


@dataclass
class Ids:
    """Program ids read from a URL, once each in the order given, and what was wrong."""

    ids: list[int] = field(default_factory=list)
    ignored_text: bool = False  # some of it was not a program number
    too_many: bool = False  # more than the maximum: the first ones were kept


def parse_ids(values: list[str], maximum: int = MAX_SAVED) -> Ids:
    """`ids=12,40,7` (or `ids=12&ids=40`): whole numbers, no repeats, at most `maximum`."""
    parsed = Ids()
    for token in ",".join(values)[:MAX_ID_TEXT].split(","):
        token = token.strip()
        if not token:
            continue
        if token.isascii() and token.isdigit() and len(token) <= 12 and int(token) > 0:
            number = int(token)
            if number not in parsed.ids:
                parsed.ids.append(number)
        else:
            parsed.ignored_text = True
    if len(parsed.ids) > maximum:
        parsed.ids, parsed.too_many = parsed.ids[:maximum], True
    return parsed


def list_url(ids: list[int]) -> str:
    """The list's canonical address: /list/?ids=12,40,7 (commas kept readable)."""
    query = "?ids=" + ",".join(str(pk) for pk in ids) if ids else ""
    return reverse("shortlist") + query


def my_list(request):
    """The saved programs: to call (phone, address, hours, a notes line when printed), share,
    print and compare."""
    asked = parse_ids(request.GET.getlist("ids"))
    if "add" in request.GET or "remove" in request.GET:
        # A Save or Remove link without JavaScript: the new list, at its own address.
        added = parse_ids(request.GET.getlist("add")).ids
        removed = set(parse_ids(request.GET.getlist("remove")).ids)
        ids = [pk for pk in dict.fromkeys(asked.ids + added) if pk not in removed]
        return redirect(list_url(ids[:MAX_SAVED]))
    ids = asked.ids
    programs = search.programs_by_ids(ids)
    found = [program.pk for program in programs]
    context = {
        "found_ids": ",".join(map(str, found)),
        "asked_ids": ",".join(map(str, ids)),
        "missing": len(ids) - len(programs),
        "ignored_text": asked.ignored_text,
        "too_many": asked.too_many,
        "max_saved": MAX_SAVED,
        "max_compared": MAX_COMPARED,
        "share_url": request.build_absolute_uri(list_url(found)),
        # Each program with the address of the list without it (its Remove link).
        "items": [
            (program, list_url([pk for pk in found if pk != program.pk])) for program in programs
        ],
    }
    return render(request, "finder/list.html", context)


@dataclass
class Row:
    """One line of the comparison: a heading, a cell a program, and whether they differ.

    `kind` says how the template shows a cell: "terms" (a list of (term, shared by all)), or
    the program itself for one of the listing phrases ("availability", "beds", "verified",
    "call"), or "text"."""

    label: str
    kind: str
    cells: list
    differs: bool = False


# The facets compared, in the order people weigh them.
COMPARED_FACETS = [
    ("level", pgettext_lazy("compare row", "Levels of care")),
    ("medication", gettext_lazy("Medications")),
    ("payment", gettext_lazy("Payment")),
    ("population", gettext_lazy("Who it serves")),
    ("language", gettext_lazy("Languages")),
    ("accreditation", gettext_lazy("Licensing and accreditation")),
]


def compare(request):
    """Up to MAX_COMPARED programs side by side, the rows where they differ marked."""
    asked = parse_ids(request.GET.getlist("ids"), maximum=MAX_COMPARED)
    place, place_error = _place(request.GET.get("location", ""))
    programs = search.programs_by_ids(asked.ids, place.point if place else None)
    found = [program.pk for program in programs]
    context = {
        "programs": programs,
        "rows": comparison_rows(programs, place),
        "place": place,
        "place_error": place_error,
        "missing": len(asked.ids) - len(programs),
        "ignored_text": asked.ignored_text,
        "too_many": asked.too_many,
        "max_compared": MAX_COMPARED,
        "list_url": list_url(found),
    }
    return render(request, "finder/compare.html", context)


def comparison_rows(programs: list[Program], place) -> list[Row]:
    """The rows of the comparison. A row differs when what it shows differs between programs;
    distance, phone and address are each program's own, so they are never marked."""
    rows = []
    for code, label in COMPARED_FACETS:
        sets = [{term.code for term in program.terms_in(code)} for program in programs]
        shared = set.intersection(*sets) if sets else set()
        cells = [
            [(term, term.code in shared) for term in program.terms_in(code)] for program in programs
        ]
        rows.append(Row(str(label), "terms", cells, differs=_differ(sets)))
    shown_by = {
        "availability": lambda p: (p.accepting, p.wait_weeks, p.accepting_updated),
        "beds": lambda p: (p.beds_available, p.beds_updated),
        "verified": lambda p: (p.last_verified, p.is_stale),
    }
    for kind, label in [
        ("availability", _("Availability")),
        ("beds", pgettext("compare row", "Beds")),
        ("verified", pgettext("compare row", "Verified")),
    ]:
        key = shown_by[kind]
        rows.append(Row(label, kind, programs, differs=_differ([key(p) for p in programs])))
    if place is not None:
        miles = [
            _("%(miles)s miles from %(place)s")
            % {"miles": number_format(p.distance, 1), "place": place.label}
            for p in programs
        ]
        rows.append(Row(_("Distance"), "text", miles))
    hours = [p.hours.strip() for p in programs]
    rows.append(Row(_("Hours"), "text", hours, differs=_differ(hours)))
    rows.append(Row(_("Phone"), "call", programs))
    rows.append(Row(_("Address"), "text", [p.one_line_address for p in programs]))
    return rows


def _differ(values: list) -> bool:
    return len(values) > 1 and any(value != values[0] for value in values)


def _place(text: str):
    """The last searched place, for distances; (None, message) when it cannot be found."""
    text = text.strip()[: places.MAX_QUERY_LENGTH]
    if not text:
        return None, ""
    try:
        return places.resolve(text), ""
    except places.PlaceNotFound:
        return None, _("We could not find the place you last searched, so distances are left out.")


def export_csv(request):
    """The search of the same query string as CSV: every match, in the page's order, up to
    export.MAX_ROWS."""
    filterset = ProgramFilter(
        request.GET or None, queryset=Program.objects.published(), request=request
    )
    if not filterset.has_criteria:  # nothing asked, or a mistake: the page explains it
        query = request.GET.urlencode()
        return redirect(reverse("search") + (f"?{query}" if query else ""))
    place = filterset.place
    point = place.point if place else None
    programs = search.each_match(filterset.qs, limit=export.MAX_ROWS, point=point)
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(True, export.filename(request.GET)),
            "X-Robots-Tag": "noindex",
        },
    )
    rows = export.table(
        programs, with_distance=point is not None, absolute=request.build_absolute_uri
    )
    export.write(response, rows)
    return response
