from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from finder import choose
from finder.filters import FACET_PARAMS, ProgramFilter
from finder.guides import GUIDES, GUIDES_BY_SLUG, LANGUAGES
from finder.page_cache import shared_page
from programs import places, taxonomy
from programs.models import Program


@shared_page  # the same for everyone who asks the same thing: see finder/page_cache.py
def search(request):
    """The home page: the search form, and results once the searcher asks for something."""
    filterset = ProgramFilter(
        request.GET or None,
        queryset=Program.objects.published().select_related("organization"),
        request=request,
    )
    context = {"filter": filterset, "page": None, "guides": GUIDES}
    if filterset.has_criteria:
        # The page's ids first: ordering thousands of nearby programs needs only what the
        # indexes hold; then the whole rows of just these 20.
        page = _page_of_ids(filterset.qs, request.GET.get("page"))
        ids = page.object_list
        point = filterset.place.point if filterset.place else None
        programs = Program.objects.select_related("organization").in_order(ids, point)
        page.object_list = taxonomy.attach_terms(programs)
        context.update(
            page=page,
            place=filterset.place,
            page_notice=_page_notice(request, page),
            active_filters=_active_filters(request, filterset),
            map_points=_map_points(page),
        )
    return render(request, "finder/search.html", context)


def _page_of_ids(queryset, asked) -> Page:
    """The page the searcher asked for, holding just its programs' ids; past the last page
    (or a page number that is not one), the nearest page there is."""
    paginator = Paginator(queryset.values_list("pk", flat=True), settings.SEARCH_PAGE_SIZE)
    try:
        number = max(int(asked), 1)
    except (TypeError, ValueError):
        number = 1
    ids, count = queryset.page_ids(number, paginator.per_page)
    if count is None:  # no match, or past the end: the paginator counts and picks the page
        page = paginator.get_page(number)
        page.object_list = list(page.object_list)
        return page
    paginator.count = count
    page = paginator.page(number)
    page.object_list = ids
    return page


def _page_notice(request, page) -> str:
    asked = request.GET.get("page")
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
                _("%(miles)s miles away") % {"miles": number_format(program.distance, 1)}
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
    them = choose.for_someone_else(answers)
    context = {"them": them, "answers": answers, "total": choose.RESULT_STEP}
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
        levels, notes = choose.suggest(answers)
        context["suggestions"] = [
            {
                "rule": rules[0],
                "reasons": [rule.reason_them if them else rule.reason for rule in rules],
                "sources": list(dict.fromkeys(rule.source for rule in rules)),
                "guide_url": _guide_url(rules[0].guide),
                "search_url": choose.search_url(rules[0], answers, notes),
            }
            for rules in levels
        ]
        context["notes"] = [
            {
                "rule": rule,
                "reason": rule.reason_them if them else rule.reason,
                "guide_url": _guide_url(rule.guide),
            }
            for rule in notes
        ]
        context["back_query"] = choose.query(answers, go=step - 1)
        return render(request, "finder/choose_result.html", context)
    context.update(
        step=step,
        number=step + 1,
        place_error=place_error,
        questions=[_shown(question, answers, them) for question in choose.STEPS[step]],
        carried=[
            (key, value)
            for key, values in choose.without(answers, step).items()
            for value in values
        ],
        skip_query=choose.query(choose.without(answers, step), go=step + 1),
    )
    return render(request, "finder/choose.html", context)


def _shown(question, answers, them: bool) -> dict:
    """One question as the page shows it, worded for the searcher or for someone else."""
    chosen = answers.get(question.key, [])
    return {
        "key": question.key,
        "text": question.them if them else question.me,
        "hint": question.hint,
        "multiple": question.multiple,
        "value": chosen[0] if chosen and not question.choices else "",
        "choices": [
            {
                "value": choice.value,
                "label": (choice.them or choice.me) if them else choice.me,
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


def _guide_url(slug: str) -> str:
    return reverse("guide", args=[slug])
