"""Staff admin's bulk actions: each calls a service and says how many listings changed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from programs import services
from programs.models import Program


def status_action(name: str, status: str, description, done):
    """A bulk action moving listings to `status`; `done` is an ngettext_lazy keyed on count."""

    @admin.action(description=description, permissions=["publish"])
    def action(modeladmin, request, queryset):
        changed = services.set_status(programs=queryset, status=status, user=request.user)
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)

    action.__name__ = name  # the action's name in the changelist form
    return action


publish = status_action(
    "publish",
    Program.Status.PUBLISHED,
    _("Publish selected programs"),
    ngettext_lazy("%(count)d program published.", "%(count)d programs published.", "count"),
)
unpublish = status_action(
    "unpublish",
    Program.Status.DRAFT,
    _("Unpublish selected programs (back to draft)"),
    ngettext_lazy(
        "%(count)d program moved back to draft.", "%(count)d programs moved back to draft.", "count"
    ),
)
archive = status_action(
    "archive",
    Program.Status.ARCHIVED,
    _("Archive selected programs"),
    ngettext_lazy("%(count)d program archived.", "%(count)d programs archived.", "count"),
)
