import re

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

API_PATH = re.compile(settings.API_URLS_REGEX)


class ApiConditionalGetMiddleware:
    """ETag and Cache-Control on successful API responses; 304 when the client has them already.

    Django's ConditionalGetMiddleware does this for GET only and for every page; the API also
    answers HEAD, and its responses are public (the HTML pages' caching is left as it is).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.streaming
            or response.cookies  # not for a shared cache (the docs page sets a CSRF cookie)
            or not API_PATH.match(request.path_info)
        ):
            return response
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
