from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from finder import choose
from finder.filters import FACET_PARAMS, ProgramFilter
from finder.guides import GUIDES, GUIDES_BY_SLUG, LANGUAGES
from finder.page_cache import cached_search_page
from finder.templatetags.listing import miles_away
from programs import places, taxonomy
from programs.models import Program
from programs.search import (
    MAX_PAGE_NUMBER,
    PageNotFound,
    facet_counts,
    has_listings_in,
    page_of_programs,
)
from programs.states import STATE_NAMES


@cached_search_page  # the same for everyone who asks the same thing: see finder/page_cache.py
def search(request):
    """The home page: the search form, and results once the searcher asks for something."""
    filterset = ProgramFilter(
        request.GET or None, queryset=Program.objects.published(), request=request
    )
    context = {"filter": filterset, "page": None, "guides": GUIDES, "facet_counts": None}
    status = 200
    if filterset.has_criteria:
        asked = request.GET.get("page")
        point = filterset.place.point if filterset.place else None
        size = settings.SEARCH_PAGE_SIZE
        try:
            number = _page_number(asked)
            page = page_of_programs(filterset.qs, number=number, size=size, point=point)
        except PageNotFound as missing:
            # A 404 for the page that is not there, but the searcher still sees the nearest one.
            status = 404
            nearest = min(max(missing.number, 1), missing.num_pages)
            page = page_of_programs(filterset.qs, number=nearest, size=size, point=point)
        context.update(
            page=page,
            place=filterset.place,
            page_notice=_page_notice(asked, page),
            active_filters=_active_filters(request, filterset),
            map_points=_map_points(page),
            facet_counts=_facet_counts(filterset, page),
            no_coverage=_no_coverage(filterset.place, page),
        )
    return render(request, "finder/search.html", context, status=status)


def _facet_counts(filterset, page) -> dict[int, int] | None:
    """The counts beside the filter options, when the search without its facets finds at most
    COUNT_CAP programs; none above that, where counting every match was most of the page's time
    (a nationwide search, a dense city at 1M, a common word: docs/performance.md)."""
    return facet_counts(*filterset.without_facets(), page=page)


def _no_coverage(place, page) -> str:
    """The state's name when the search found nothing because we list nothing there yet."""
    if place is None or page.count or has_listings_in(place.state):
        return ""
    return STATE_NAMES.get(place.state, place.state)


def _page_number(asked: str | None) -> int:
    """The page number asked for; 0 (no such page) when it is not a whole number."""
    if asked is None:
        return 1
    if not (asked.isascii() and asked.isdigit()):
        return 0
    return min(int(asked), MAX_PAGE_NUMBER + 1)  # past the end, without a giant int in SQL


def _page_notice(asked: str | None, page) -> str:
    if asked is None or asked == str(page.number):
        return ""
    return _("There is no page “%(asked)s” of these results, so here is page %(page)s.") % {
        "asked": asked[:20],
        "page": page.number,
    }


def _active_filters(request, filterset) -> list[dict]:
    """Each chosen term and "accepting only", with a link to the same search without it."""
    chips = []
    for name in FACET_PARAMS:
        for term in filterset.form.cleaned_data.get(name) or []:
            query = request.GET.copy()
            query.setlist(name, [code for code in query.getlist(name) if code != term.code])
            query.pop("page", None)
            chips.append({"label": term.label, "url": f"?{query.urlencode()}"})
    if filterset.form.cleaned_data.get("accepting"):
        query = request.GET.copy()
        query.pop("accepting", None)
        query.pop("page", None)
        label = filterset.form.fields["accepting"].label
        chips.append({"label": label, "url": f"?{query.urlencode()}"})
    return chips


def _map_points(page) -> list[dict]:
    """The numbered markers of the results map (json_script), in list order."""
    return [
        {
            "number": number,
            "name": program.name,
            "lat": program.latitude,
            "lon": program.longitude,
            "distance": (
                miles_away(program.distance)
                if getattr(program, "distance", None) is not None
                else ""
            ),
            "url": program.get_absolute_url(),
        }
        for number, program in enumerate(page, start=page.start_index())
        if program.latitude is not None and program.longitude is not None
    ]


def program_detail(request, slug):
    program = get_object_or_404(
        Program.objects.published().select_related("organization"), slug=slug
    )
    taxonomy.attach_terms([program])  # one query; the terms themselves from memory
    facets = [(terms[0].facet, terms) for terms in program.terms_by_facet().values()]
    return render(request, "finder/program_detail.html", {"program": program, "facets": facets})


def favicon(request):
    """/favicon.ico, for clients that ignore <link rel="icon">: our icon, wherever static
    files are served (its hashed name is only known once the app runs)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def staff_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login after too many failures for one username from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed sign-in attempts. For your security, signing in to this account from "
        "here is paused for %(minutes)s minute. Wait, then try again, or ask another "
        "administrator to reset your password.",
        "Too many failed sign-in attempts. For your security, signing in to this account from "
        "here is paused for %(minutes)s minutes. Wait, then try again, or ask another "
        "administrator to reset your password.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "staff_locked_out.html",
        {"message": message},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def guide_index(request):
    return render(request, "guides/index.html", {"guides": GUIDES})


def guide(request, slug):
    page = GUIDES_BY_SLUG.get(slug)
    if page is None:
        raise Http404
    language = get_language()[:2] if get_language()[:2] in LANGUAGES else "en"
    return render(request, f"guides/{language}/{slug}.html", {"guide": page, "guides": GUIDES})


@never_cache  # answers are private: no shared or browser cache keeps a copy of a step
def help_me_choose(request):
    """A few questions, one screen each, then suggested levels of care with prefilled searches.

    Nothing is stored: the answers so far travel in the query string (see finder/choose.py).
    """
    answers = choose.parse(request.GET)
    step = choose.step_number(request.GET)
    someone_else = choose.for_someone_else(answers)  # the questions and reasons say "they"
    context = {"someone_else": someone_else, "answers": answers, "total": choose.RESULT_STEP}
    if choose.in_danger(answers):
        context["danger"] = answers["danger"][0]
        context["continue_query"] = choose.query(
            {k: v for k, v in answers.items() if k != "danger"}, go=1
        )
        return render(request, "finder/choose_crisis.html", context)
    place_error = _place_error(answers) if step == choose.RESULT_STEP else None
    if place_error:
        step = choose.RESULT_STEP - 1
    if step == choose.RESULT_STEP:
        advice = choose.suggest(answers)
        context["suggestions"] = [
            {
                "rule": rules[0],
                "reasons": [rule.reason_them if someone_else else rule.reason for rule in rules],
                "sources": list(dict.fromkeys(rule.source for rule in rules)),
                "guide_url": _guide_url(rules[0].guide),
                "search_url": choose.search_url(rules[0], answers, advice.notes),
            }
            for rules in advice.suggestions
        ]
        context["notes"] = [_note(rule, someone_else) for rule in advice.notes]
        context["safety"] = [_note(rule, someone_else) for rule in advice.safety]
        context["back_query"] = choose.query(answers, go=step - 1)
        return render(request, "finder/choose_result.html", context)
    context.update(
        step=step,
        number=step + 1,
        place_error=place_error,
        questions=[_shown(question, answers, someone_else) for question in choose.STEPS[step]],
        carried=[
            (key, value)
            for key, values in choose.without(answers, step).items()
            for value in values
        ],
        skip_query=choose.query(choose.without(answers, step), go=step + 1),
    )
    return render(request, "finder/choose.html", context)


def _shown(question, answers, someone_else: bool) -> dict:
    """One question as the page shows it, worded for the searcher or for someone else."""
    chosen = answers.get(question.key, [])
    return {
        "key": question.key,
        "text": question.them if someone_else else question.me,
        "hint": question.hint,
        "multiple": question.multiple,
        "value": chosen[0] if chosen and not question.choices else "",
        "choices": [
            {
                "value": choice.value,
                "label": (choice.them or choice.me) if someone_else else choice.me,
                "checked": choice.value in chosen,
            }
            for choice in question.choices
        ],
    }


def _place_error(answers) -> places.PlaceNotFound | None:
    """Check the place before showing results, so a typo is fixed on the question itself."""
    for text in answers.get("location", []):
        try:
            places.resolve(text)
        except places.PlaceNotFound as exc:
            return exc
    return None


def _note(rule, someone_else: bool) -> dict:
    return {
        "rule": rule,
        "reason": rule.reason_them if someone_else else rule.reason,
        "guide_url": _guide_url(rule.guide),
    }


def _guide_url(guide: str) -> str:
    """A guide's address from its slug, with its #section when the rule names one."""
    slug, hash_mark, section = guide.partition("#")
    return reverse("guide", args=[slug]) + hash_mark + section
