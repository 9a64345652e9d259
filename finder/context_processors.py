from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def site(request) -> dict:
    """What every page's layout needs: the map tile server, and the other language's link."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    query = request.META.get("QUERY_STRING", "")
    other_languages = [
        {
            "code": code,
            "name": name,
            # The same page and the same search, in that language.
            "url": translate_url(request.path, code) + (f"?{query}" if query else ""),
        }
        for code, name in settings.LANGUAGES
        if code != current
    ]
    return {
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "other_languages": other_languages,
    }
