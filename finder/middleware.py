from django.conf import settings


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
