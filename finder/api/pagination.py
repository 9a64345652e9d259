"""How the two APIs read page parameters and wrap a page in their envelopes.

The paging itself is programs.search's (one ResultPage for every list): these classes only
parse `page` and the page size, call it, and write /api/v1/'s or HSDS's envelope.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from programs import search


def whole_number(request, name: str, default: int, maximum: int | None = None) -> int:
    """The query parameter as an int from 1 to maximum, or a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    if number < 1 or (maximum and number > maximum):
        if maximum:
            message = _("Enter a whole number from 1 to %(max)s.") % {"max": maximum}
        else:
            message = _("Enter a whole number of 1 or more.")
        raise ValidationError({name: [message]})
    return number


def _page(queryset, view, *, number: int, size: int, exact_count: bool) -> search.ResultPage:
    """A page of programs through the search selector (with the distance from the searched
    place, if the view's FilterSet found one); a page of anything else as it is."""
    if hasattr(queryset, "page_ids"):
        place = getattr(getattr(view, "filterset", None), "place", None)
        point = place.point if place else None
        return search.page_of_programs(
            queryset, number=number, size=size, point=point, exact_count=exact_count
        )
    return search.page_of(queryset, number=number, size=size)


class PageNumberPagination(pagination.PageNumberPagination):
    """/api/v1/: ?page=2&page_size=50; a 400 naming a malformed parameter, a 404 for a page
    past the end. `count` stops at search.COUNT_CAP (`count_is_exact` false: that many or
    more); `next` is there while results follow, past the cap too."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = whole_number(request, "page_size", self.page_size, self.max_page_size)
        number = whole_number(request, "page", 1)
        try:
            self.page = _page(queryset, view, number=number, size=size, exact_count=False)
        except search.PageNotFound as missing:
            # Not a 400: the number is well formed, that page just does not exist (any more).
            raise NotFound(
                ngettext(
                    "There is no page %(page)s: these results have %(pages)s page.",
                    "There is no page %(page)s: these results have %(pages)s pages.",
                    missing.num_pages,
                )
                % {"page": number, "pages": missing.num_pages}
            ) from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_is_exact": self.page.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.page.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.next_page_number)

    def get_previous_link(self):
        if not self.page.has_previous:
            return None
        url = self.request.build_absolute_uri()
        if self.page.previous_page_number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page.previous_page_number)

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"].update(minimum=1, default=1)
        page_size["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return [page, page_size]


HSDS_PER_PAGE = 20
HSDS_MAX_PER_PAGE = 100


class HSDSPagination(pagination.BasePagination):
    """/hsds/: ?page=2&per_page=50 and the spec's envelope: total_items, ..., contents.

    total_items is exact (the spec's total, and total_pages and last_page follow from it): an
    HSDS client pages through everything, so it is counted, not capped."""

    def paginate_queryset(self, queryset, request, view=None):
        size = whole_number(request, "per_page", HSDS_PER_PAGE, HSDS_MAX_PER_PAGE)
        number = whole_number(request, "page", 1)
        try:
            self.page = _page(queryset, view, number=number, size=size, exact_count=True)
        except search.PageNotFound as missing:
            # Past the end is an empty page, not an error: HSDS clients read until last_page.
            self.page = search.ResultPage([], number, size, missing.count)
        return list(self.page)

    def get_paginated_response(self, data):
        page = self.page
        return Response(
            {
                "total_items": page.count,
                "total_pages": page.num_pages,
                "page_number": page.number,
                "size": len(data),
                "first_page": page.number == 1,
                "last_page": page.number >= page.num_pages,
                "empty": page.count == 0,
                "contents": data,
            }
        )
