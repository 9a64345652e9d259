from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header built from settings.PERMISSIONS_POLICY.

    It tells the browser which powerful features (location, camera…) our pages, and anything
    they embed, may ask for: only geolocation, only from our own origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SpanishOfferMiddleware:
    """At / (the English home page), offers the Spanish page to a browser that prefers Spanish.

    An offer, not a redirect: the visitor may have chosen English, and a redirect would need a
    cookie to remember that. Only the home page asks, so the offer comes once, where a visit
    starts. The page itself is cached and the same for everyone (finder/page_cache.py), so the
    offer is put into its placeholder here, after the cache, from the request's Accept-Language.
    """

    PLACEHOLDER = b"<!--language-offer-->"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path != "/" or request.META.get("QUERY_STRING") or not prefers_spanish(request):
            return response  # not the landing page: a search in English was asked for
        patch_vary_headers(response, ["Accept-Language"])
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or response.streaming or not html:
            return response
        url = translate_url(request.path, "es")  # resolved in English: "/" is English
        with translation.override("es"):
            offer = render_to_string("finder/_language_offer.html", {"url": url})
        response.content = response.content.replace(self.PLACEHOLDER, offer.encode(), 1)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def prefers_spanish(request) -> bool:
    """Whether Spanish comes before English in the browser's Accept-Language."""
    for tag, quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = tag.split("-")[0].lower()
        if quality > 0 and language in {"en", "es"}:
            return language == "es"
    return False
