"""/api/v1/programs/ as CSV: ?format=csv or `Accept: text/csv` (finder/export.py writes it)."""

import io

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

from finder import export


class ProgramCSVRenderer(BaseRenderer):
    """Writes the rows export.table() gives (header first). An error is still JSON, as the
    schema documents: a CSV of one error message would read as a result list."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data, "application/json", renderer_context)
        file = io.StringIO()
        export.write(file, data)
        return file.getvalue()


class FormatParameterNegotiation(DefaultContentNegotiation):
    """Reads ?format=json|csv (the Accept header otherwise), with a 400 naming the formats
    for any other value rather than DRF's bare 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get("format")
        if wanted is None:
            return super().select_renderer(request, renderers, format_suffix)
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        formats = ", ".join(renderer.format for renderer in renderers)
        raise ValidationError({"format": [_("Use one of: %(formats)s.") % {"formats": formats}]})
