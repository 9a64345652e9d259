"""The site's own pages for errors Django would otherwise answer bare."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an old tab, cookies off): say what to do, in the
    site's layout with 988, rather than Django's unstyled page. The reason stays in the log."""
    return render(request, "403_csrf.html", status=403)
