from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finder.filters import ProgramFilter
from programs.models import Facet, Program


def search(request):
    """The home page: the search form, and results once the searcher asks for something."""
    filterset = ProgramFilter(
        request.GET or None, queryset=Program.objects.published().for_listing(), request=request
    )
    context = {"filter": filterset, "page": None}
    if filterset.has_criteria:
        paginator = Paginator(filterset.qs, settings.SEARCH_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context.update(page=page, place=filterset.place, page_notice=_page_notice(request, page))
    return render(request, "finder/search.html", context)


def _page_notice(request, page) -> str:
    asked = request.GET.get("page")
    if asked is None or asked == str(page.number):
        return ""
    return _("There is no page “%(asked)s” of these results, so here is page %(page)s.") % {
        "asked": asked[:20],
        "page": page.number,
    }


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.published().for_listing(), slug=slug)
    facets = [
        (facet, terms) for facet in Facet.objects.all() if (terms := program.terms_in(facet.code))
    ]
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
