"""A search's results as a CSV file, for the web page (/export.csv?…) and the API (format=csv).

Both read the search through ProgramFilter and programs.search.each_match, so the file lists the
same programs in the same order as the pages, up to MAX_ROWS (a person's shortlist of calls, not
a copy of the directory: the HSDS export is for that). Text is made inert for spreadsheets
(programs.csv_safety) and the file starts with a byte-order mark so Excel reads the accents.
"""

import csv
from collections.abc import Callable, Iterable

from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from finder.page_cache import canonical_query
from programs.csv_safety import safe_cell

MAX_ROWS = 5000  # documented in the README and the API schema
MAX_FILENAME_LENGTH = 120
# The facets a row lists, in the order of the search form: (facet code, column heading).
TERM_COLUMNS = [
    ("level", pgettext_lazy("CSV column", "Levels of care")),
    ("medication", gettext_lazy("Medications")),
    ("payment", gettext_lazy("Payment")),
    ("population", gettext_lazy("Who it serves")),
    ("language", gettext_lazy("Languages")),
    ("care-type", gettext_lazy("Type of care")),
    ("therapy", gettext_lazy("Therapies and support")),
    ("accreditation", gettext_lazy("Licensing and accreditation")),
]


def header(*, with_distance: bool) -> list[str]:
    return [
        _("Name"),
        pgettext("CSV column", "Organization"),
        *([pgettext("CSV column", "Miles away")] if with_distance else []),
        pgettext("CSV column", "Street"),
        pgettext("CSV column", "City"),
        pgettext("CSV column", "State"),
        pgettext("CSV column", "ZIP code"),
        _("Phone"),
        pgettext("CSV column", "Intake phone"),
        _("Website"),
        _("Hours"),
        _("Accepting new patients"),
        pgettext("CSV column", "Availability updated"),
        pgettext("CSV column", "Beds available"),
        pgettext("CSV column", "Beds updated"),
        *[str(heading) for _code, heading in TERM_COLUMNS],
        pgettext("CSV column", "Last verified"),
        pgettext("CSV column", "Page on this site"),
    ]


def row(program, *, with_distance: bool, absolute: Callable[[str], str]) -> list:
    distance = getattr(program, "distance", None)
    return [
        program.name,
        program.organization.name if program.organization else "",
        *([round(distance, 1) if distance is not None else ""] if with_distance else []),
        ", ".join(line for line in (program.street, program.street2) if line),
        program.city,
        program.state,
        program.zip_code,
        _phone(program.phone, program.phone_extension),
        _phone(program.intake_phone),
        program.website,
        program.hours,
        _accepting(program),
        _day(program.accepting_updated),
        "" if program.beds_available is None else program.beds_available,
        _day(program.beds_updated),
        *[
            "; ".join(str(term.label) for term in program.terms_in(code))
            for code, _h in TERM_COLUMNS
        ],
        _day(program.last_verified),
        absolute(program.get_absolute_url()),
    ]


def table(programs: Iterable, *, with_distance: bool, absolute: Callable[[str], str]):
    """The header, then one row a program."""
    yield header(with_distance=with_distance)
    for program in programs:
        yield row(program, with_distance=with_distance, absolute=absolute)


def write(file, rows: Iterable[list]) -> None:
    file.write("\ufeff")
    writer = csv.writer(file)
    for values in rows:
        writer.writerow([safe_cell(value) for value in values])


def filename(query: QueryDict) -> str:
    """ "treatment-programs_location-94110_payment-medicaid.csv": the search's own parameters
    (page_cache.canonical_query drops anything else), each made safe for a file name."""
    canonical = QueryDict(canonical_query(query) or "")
    parts = [
        slugify(f"{name}-{value}")
        for name, values in canonical.lists()
        if name != "page"
        for value in values
    ]
    stem = "_".join(["treatment-programs", *[part for part in parts if part]])
    return stem[:MAX_FILENAME_LENGTH].rstrip("-_") + ".csv"


def _phone(number, extension: str = "") -> str:
    if not getattr(number, "national_number", None):
        return ""
    text = number.as_national
    return f"{text} ext. {extension}" if extension else text


def _accepting(program) -> str:
    text = str(program.get_accepting_display())
    if program.accepting == "waitlist" and program.wait_weeks is not None:
        weeks = program.wait_weeks
        wait = ngettext("about %(weeks)s week's wait", "about %(weeks)s weeks' wait", weeks)
        text += f" ({wait % {'weeks': weeks}})"
    return text


def _labels(terms) -> str:
    return "; ".join(str(term.label) for term in terms)


def _day(day) -> str:
    return day.isoformat() if day else ""
