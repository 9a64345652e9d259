from django.conf import settings
from rest_framework import throttling


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Anonymous requests per IP at settings.API_ANON_RATE; over it, 429 with Retry-After."""

    def get_rate(self) -> str:
        # Read on each request rather than once at import, so a test can change the rate.
        return settings.API_ANON_RATE
