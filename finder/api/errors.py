"""One error shape for the API: {"detail": "..."} always, plus "errors" by parameter on a 400."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, views


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx response (documented in the schema)."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On a 400: each parameter that was not accepted, with why.",
    )


def exception_handler(exc, context):
    response = views.exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response.data = {
            "detail": _("Some parameters were not accepted; see errors."),
            "errors": errors,
        }
    return response
