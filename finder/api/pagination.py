from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


def _whole_number(request, name: str, default: int, maximum: int | None = None) -> int:
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


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=2&page_size=50: a 400 naming a malformed parameter, a 404 for a page past the end."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return _whole_number(request, "page_size", self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        # Just the page's ids (what the search indexes hold: see docs/performance.md): the view
        # fetches the whole rows of those alone.
        paginator = self.django_paginator_class(
            queryset.values_list("pk", flat=True), self.get_page_size(request)
        )
        number = _whole_number(request, "page", 1)
        page_ids, count = queryset.page_ids(number, paginator.per_page)
        if count is not None:
            paginator.count = count  # known: the paginator need not count again
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            # Not a 400: the number is well formed, that page just does not exist (any more).
            raise NotFound(
                ngettext(
                    "There is no page %(page)s: these results have %(pages)s page.",
                    "There is no page %(page)s: these results have %(pages)s pages.",
                    paginator.num_pages,
                )
                % {"page": number, "pages": paginator.num_pages}
            ) from None
        self.page.object_list = page_ids
        return page_ids

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"].update(minimum=1, default=1)
        page_size["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return [page, page_size]
