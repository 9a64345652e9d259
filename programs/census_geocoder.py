"""Optional: a street address → its point, from the US Census Bureau's geocoder (online).

Off unless settings.PLACES_CENSUS_GEOCODER is on. places.resolve() asks it only for text that
looks like a street address, and answers offline (from the address's ZIP or city) whenever it
fails: no answer within PLACES_CENSUS_GEOCODER_TIMEOUT seconds, an HTTP or JSON error, or no
match. Answers, matches and non-matches alike, are kept in the shared cache for a month, so a
shared search link costs one call.
"""

import hashlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30 * 24 * 60 * 60
_NO_MATCH = "none"


@dataclass(frozen=True)
class Match:
    address: str  # as the geocoder wrote it: "5000 PARKSIDE AVE, PHILADELPHIA, PA, 19131"
    latitude: float
    longitude: float
    state: str


def enabled() -> bool:
    return bool(getattr(settings, "PLACES_CENSUS_GEOCODER", False))


def geocode(address: str) -> Match | None:
    """The geocoder's best match for `address`, or None (no match, or the service failed)."""
    cache_key = "census-geocoder:" + hashlib.sha256(address.lower().encode()).hexdigest()
    cached = cache.get(cache_key)  # a Redis outage reads as a miss (settings.CACHES)
    if cached == _NO_MATCH:
        return None
    if cached:
        return Match(**cached)
    try:
        match = _ask(address)
    except (OSError, ValueError, KeyError, TypeError) as error:
        # Not cached: a timeout or outage now says nothing about the address.
        logger.warning("Census geocoder failed, answering offline: %s", error)
        return None
    cache.set(cache_key, match.__dict__ if match else _NO_MATCH, CACHE_SECONDS)
    return match


def _ask(address: str) -> Match | None:
    query = urllib.parse.urlencode(
        {"address": address, "benchmark": "Public_AR_Current", "format": "json"}
    )
    url = f"{settings.PLACES_CENSUS_GEOCODER_URL}?{query}"
    timeout = settings.PLACES_CENSUS_GEOCODER_TIMEOUT
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (a set URL)
        body = json.loads(response.read(1_000_000))
    matches = body["result"]["addressMatches"]
    if not matches:
        return None
    best = matches[0]
    return Match(
        address=str(best["matchedAddress"]),
        latitude=float(best["coordinates"]["y"]),
        longitude=float(best["coordinates"]["x"]),
        state=str(best.get("addressComponents", {}).get("state", "")),
    )
