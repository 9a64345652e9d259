"""How a listing reads to a searcher: {% availability program %} ("Waitlist: about 3 weeks' wait
(updated 2 days ago)"), {% beds program %}, {% verified program %} ("Listing verified 4 months
ago"), {% call_button program %} and {% accreditation program %} ("Licensed by: State health
department. Accredited by: The Joint Commission, CARF."). Presentation stays here, off the model.

Each phrase depends only on a few values, today's date and the language, so each is remembered
per process in _phrases below, only in this module (nothing on the model is set or overwritten).
It pays on a page-cache miss (finder/page_cache.py): a results page's 20 cards' phrases took
1-3 ms with it and 5-16 ms without, on the shared 2-core machine (scripts/measure_phrases.py).
"""

from functools import cache
from urllib.parse import parse_qsl, urlencode

import phonenumbers
from django import template
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext, ngettext

from finder.kept import Kept
from programs import taxonomy
from programs.models import Program

register = template.Library()

CACHE_SIZE = 4096  # phrases kept per process
CARDS_KEPT = 4096  # result cards' details kept per process (about 2 KB each)


@register.simple_tag
def miles_away(miles: float) -> str:
    """ "3.2 miles away", rounded to a tenth (number_format alone cuts 3.29 to 3.2): the card's
    and the map's words. A blocktranslate with floatformat took 4 times as long."""
    return gettext("%(miles)s miles away") % {"miles": number_format(round(miles, 1), 1)}


@register.simple_tag
def card_details(program) -> SafeString:
    """A result card below its heading (finder/_card_details.html): the operator, address,
    availability, services, accreditation, freshness and the buttons.

    The same for every search that shows the listing, so each process renders it once per
    listing, language and day and keeps it: the key holds every value it is made from (the
    listing's fields, its operator's name, its terms and the taxonomy's version), so an edit,
    however made, is shown at once. Rendering a page's 20 cards took ~8 ms; with this, ~1 ms
    (docs/performance.md, "Rendering").
    """
    return _cards.get(
        _card_key(program),
        lambda: render_to_string("finder/_card_details.html", {"program": program}),
    )


_cards = Kept(CARDS_KEPT)


def _card_key(program) -> tuple:
    values = tuple(map(_comparable, (getattr(program, name) for name in _card_fields())))
    terms = tuple(term.pk for group in program.terms_by_facet().values() for term in group)
    operator = program.organization.name if program.organization_id else None
    version = taxonomy.current().version
    return (values, operator, terms, version, get_language(), timezone.localdate())


@cache
def _card_fields() -> list[str]:
    """The listing's own fields (not the import's JSON record, which no card shows)."""
    fields = Program._meta.concrete_fields
    return [f.attname for f in fields if not isinstance(f, models.JSONField)]


def _comparable(value):
    """A phone number by its digits: comparing PhoneNumber objects formats them (~50 µs)."""
    if isinstance(value, phonenumbers.PhoneNumber):
        return (value.country_code, value.national_number)
    return value


@register.simple_tag
def availability(program) -> SafeString:
    """Whether the program takes new patients, the wait, and when that was last said."""
    key = ("availability", program.accepting, program.wait_weeks, program.accepting_updated)
    return _remembered(key, lambda today: _availability(program, today))


@register.simple_tag
def beds(program) -> SafeString:
    """Open beds, and as of when; "" when the program does not say."""
    if program.beds_available is None:
        return mark_safe("")
    key = ("beds", program.beds_available, program.beds_updated)
    return _remembered(key, lambda today: _beds(program, today))


@register.simple_tag
def verified(program) -> SafeString:
    """When staff last checked the listing, with a nudge to call first when that was long ago."""
    key = ("verified", program.last_verified, program.is_stale)
    return _remembered(key, lambda today: _verified(program, today))


@register.simple_tag
def call_button(program) -> SafeString:
    """The result card's and detail page's "Call (415) 555-0100" button; "" without a number."""
    number = program.call_number
    if number is None:
        return mark_safe("")
    key = ("call", number.country_code, number.national_number)
    return _remembered(key, lambda today: _call_button(number))


# The facet of who licensed or accredited a program (migration 0011): shown as a line of its own
# on the card and the program's page, not among "What this program offers".
ACCREDITATION = "accreditation"


@register.simple_tag
def accreditation(program) -> str:
    """ "Licensed by: State health department. Accredited by: The Joint Commission, CARF.";
    "" when the listing names no licence or accreditation.

    Not remembered like the phrases above: a few joins from terms already in memory, and a
    staff edit of a term's label shows at once.
    """
    bodies = {}  # broad term → the narrower terms' labels (the bodies), in the taxonomy's order
    for term in program.terms_in(ACCREDITATION):  # each with its parent (taxonomy.current())
        broad = term.parent if term.parent_id else term
        names = bodies.setdefault(broad, [])  # Terms are equal by pk: one entry per broad term
        if term.parent_id:
            names.append(term.label)
    return " ".join(_accreditation_sentence(broad, names) for broad, names in bodies.items())


def _accreditation_sentence(broad, names: list[str]) -> str:
    """One kind of signal as a sentence; a broad term alone (the source named no body) says so
    in general words."""
    listed = ", ".join(names)
    if broad.code == "state-licensed":
        if names:
            return gettext("Licensed by: %(bodies)s.") % {"bodies": listed}
        return gettext("Licensed by the state.")
    if broad.code == "accredited":
        if names:
            return gettext("Accredited by: %(bodies)s.") % {"bodies": listed}
        return gettext("Accredited by an independent body.")
    # A broad term staff added: its label, and its narrower terms'.
    return f"{broad.label}: {listed}." if names else f"{broad.label}."


@register.filter
def services(facets: list[tuple]) -> list[tuple]:
    """The program page's (facet, terms) pairs without licensing and accreditation, which the
    page shows as a line of its own ({% accreditation %}), not as something it offers."""
    return [(facet, terms) for facet, terms in facets if facet.code != ACCREDITATION]


MAX_FROM_LENGTH = 2000  # longer than any real search's query string


@register.simple_tag(takes_context=True)
def results_url(context) -> str:
    """The search a detail page was opened from, for "Back to results"; "" when there was none.

    The page carries only the search's query string (from=…); the path is always our own search
    page, so the link cannot lead off the site whatever the parameter holds.
    """
    request = context.get("request")
    query = request.GET.get("from", "") if request else ""
    if not query or len(query) > MAX_FROM_LENGTH:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return ""
    return f"{reverse('search')}?{urlencode(pairs)}"


def ago(day, today) -> str:
    """ "3 days", "4 months" (translated); "" if `day` is today or later, or unknown."""
    if day is None or day >= today:
        return ""
    return timesince(day, today, depth=1)


_phrases = Kept(CACHE_SIZE)


def _remembered(key: tuple, make) -> SafeString:
    """make(today), worked out once per key, day and language (phrases come from the active
    translation); forgotten all at once when there are too many to keep."""
    today = timezone.localdate()
    return _phrases.get((*key, today, get_language()), lambda: make(today))


def _availability(program, today) -> SafeString:
    text = program.get_accepting_display()
    if program.accepting == "waitlist" and program.wait_weeks is not None:
        if program.wait_weeks == 0:
            wait = gettext("less than a week's wait")
        else:
            wait = ngettext(
                "about %(weeks)s week's wait", "about %(weeks)s weeks' wait", program.wait_weeks
            ) % {"weeks": program.wait_weeks}
        text = f"{text}: {wait}"
    return _dated(
        text,
        program.accepting_updated,
        today,
        gettext("updated %(ago)s ago"),
        gettext("updated today"),
    )


def _call_button(number) -> SafeString:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    label = gettext("Call %(number)s") % {"number": national}
    return format_html('<a class="button call" href="tel:{}">{}</a>', e164, label)


def _beds(program, today) -> SafeString:
    count, updated = program.beds_available, program.beds_updated
    text = ngettext("%(beds)s bed available", "%(beds)s beds available", count) % {"beds": count}
    return _dated(text, updated, today, gettext("as of %(ago)s ago"), gettext("as of today"))


def _dated(text: str, day, today, ago_text: str, today_text: str) -> SafeString:
    """`text` and, when `day` is known, when it was said: "(updated 3 days ago)"."""
    if day is None:
        return format_html("{}", text)
    since = ago(day, today)
    note = ago_text % {"ago": since} if since else today_text
    return format_html('{} <span class="updated">({})</span>', text, note)


def _verified(program, today) -> SafeString:
    day = program.last_verified
    if day is None:
        return format_html("{}", gettext("Not yet verified: call first."))
    since = ago(day, today)
    text = (
        gettext("Listing verified %(ago)s ago") % {"ago": since}
        if since
        else gettext("Listing verified today")
    )
    html = format_html(
        '<time datetime="{}" title="{}">{}</time>', day.isoformat(), date_format(day), text
    )
    if program.is_stale:
        nudge = gettext("It has been a while since we checked it: please call first to confirm.")
        html += format_html(". {}", nudge)
    return html


@register.simple_tag
def result_card(program, number: int, from_query: str) -> SafeString:
    """One result card: its heading, the part that differs from search to search (the number,
    the link, which carries the search (from=…) so the program's page can lead back to these
    results, and the distance), then {% card_details %}. Written here rather than in the
    results loop of search.html: the loop's tags and lookups took ~0.7 ms of a 20-card page."""
    url = program.get_absolute_url()
    if from_query:
        url = f"{url}?from={from_query}"
    miles = getattr(program, "distance", None)
    distance = format_html(RESULT_DISTANCE, miles_away(miles)) if miles is not None else ""
    return format_html(
        RESULT_CARD,
        number=number,
        pk=program.pk,
        url=url,
        name=program.name,
        distance=distance,
        details=card_details(program),
    )


RESULT_CARD = (
    '<li class="result" id="result-{number}" data-number="{number}">'
    '<article aria-labelledby="program-{pk}">'
    '<h3 id="program-{pk}"><span class="result-number" aria-hidden="true">{number}</span> '
    '<a href="{url}">{name}</a></h3>\n'
    "{distance}{details}</article></li>\n"
)
RESULT_DISTANCE = '<p class="distance">{}</p>\n'
