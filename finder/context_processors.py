from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def site(request) -> dict:
    """What every page's layout needs: the map tile server, and the other language's link."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    query = request.META.get("QUERY_STRING", "")
    # One leading slash: a 404 for "//evil.example/" must not link to the other site (nor with
    # backslashes in their place: browsers read those as slashes).
    path = "/" + request.path.lstrip("/\\")
    other_languages = [
        {
            "code": code,
            "name": name,
            # The same page and the same search, in that language.
            "url": translate_url(path, code) + (f"?{query}" if query else ""),
        }
        for code, name in settings.LANGUAGES
        if code != current
    ]
    # The link a shared page previews (Open Graph): this page, without where the visitor came from.
    # From the raw query: request.GET refuses a request with too many fields, and the 400 page
    # that says so is drawn with this context too.
    pairs = parse_qsl(query, keep_blank_values=True)
    shared_query = urlencode([(key, value) for key, value in pairs if key != "from"])
    return {
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        # Named in the privacy note: the one other server a visitor's browser may talk to.
        "map_tiles_host": urlsplit(settings.MAP_TILES_URL).hostname or "",
        "other_languages": other_languages,
        "canonical_url": request.build_absolute_uri(path)
        + (f"?{shared_query}" if shared_query else ""),
    }
