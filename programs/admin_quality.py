"""Staff review of data quality: listings far from their ZIP, and likely duplicates.

Each finding has two buttons (POST, CSRF-protected, back to the page with a message): fix it, or
record that it is fine (QualityDecision), so it is not listed again. The checks are in
programs.quality; these views only read the form and call them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import quality
from programs.models import Program, QualityDecision

# A page lists at most this many findings; deciding them brings the next ones up.
PAGE_SIZE = 100


@admin.register(QualityDecision)
class QualityDecisionAdmin(admin.ModelAdmin):
    """What staff decided in the reviews; deleting a decision lists its finding again."""

    change_list_template = "admin/programs/quality/decision_list.html"
    list_display = ["created", "kind", "program", "other", "decided_by", "note"]
    list_filter = ["kind"]
    list_select_related = ["program", "other", "decided_by"]
    readonly_fields = ["kind", "program", "other", "decided_by", "note", "created"]

    # Whoever may edit listings may review them: no separate permission to grant roles.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("programs.change_program")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # made by the review pages' buttons only

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        locations = self.admin_site.admin_view(self.locations_view)
        duplicates = self.admin_site.admin_view(self.duplicates_view)
        return [
            path("locations/", locations, name="programs_quality_locations"),
            path("duplicates/", duplicates, name="programs_quality_duplicates"),
            *super().get_urls(),
        ]

    def locations_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            program = _program(request.POST.get("program"))
            action = request.POST.get("action")
            if program is None:
                messages.error(request, _("That listing no longer exists. Nothing was changed."))
            elif action == "location-ok":
                quality.confirm_location(program=program, user=request.user)
                messages.success(request, _("“%s”: coordinates kept.") % program.name)
            elif action != "use-zip-centre":
                messages.error(request, _("Choose one of the two buttons. Nothing was changed."))
            elif quality.use_zip_centre(program=program, user=request.user):
                messages.success(request, _("“%s” moved to its ZIP's centre.") % program.name)
            else:
                messages.error(
                    request, _("“%s”: its ZIP is unknown. Nothing was changed.") % program.name
                )
            return redirect("admin:programs_quality_locations")
        found = quality.far_from_zip()
        return self._render(
            request,
            "admin/programs/quality/locations.html",
            gettext_lazy("Coordinates far from their ZIP"),
            {
                "findings": found[:PAGE_SIZE],
                "total": len(found),
                "miles": quality.FAR_FROM_ZIP_MILES,
            },
        )

    def duplicates_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            first = _program(request.POST.get("first"))
            second = _program(request.POST.get("second"))
            action = request.POST.get("action")
            if first is None or second is None or first == second:
                messages.error(request, _("That listing no longer exists. Nothing was changed."))
            elif Program.Status.ARCHIVED in {first.status, second.status}:
                # A second press, or another member of staff was quicker.
                messages.error(
                    request, _("One of these listings is archived. Nothing was changed.")
                )
            elif action == "keep-apart":
                quality.keep_apart(first=first, second=second, user=request.user)
                messages.success(
                    request,
                    _("“%(a)s” and “%(b)s” kept apart.") % {"a": first.name, "b": second.name},
                )
            elif action in {"merge-into-first", "merge-into-second"}:
                keep, drop = (first, second) if action == "merge-into-first" else (second, first)
                quality.merge(keep=keep, drop=drop, user=request.user)
                messages.success(
                    request,
                    _("Merged into “%(kept)s”; the other listing is archived.")
                    % {"kept": keep.name},
                )
            else:
                messages.error(request, _("Choose one of the buttons. Nothing was changed."))
            return redirect("admin:programs_quality_duplicates")
        pairs = quality.likely_duplicates()
        return self._render(
            request,
            "admin/programs/quality/duplicates.html",
            gettext_lazy("Likely duplicate listings"),
            {"pairs": pairs[:PAGE_SIZE], "total": len(pairs)},
        )

    def _render(self, request, template: str, title, extra: dict):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            **extra,
        }
        return TemplateResponse(request, template, context)


def _program(value) -> Program | None:
    """The listing a button names, or None for a missing or malformed id."""
    try:
        return Program.objects.get(pk=int(value))
    except (TypeError, ValueError, Program.DoesNotExist):
        return None
