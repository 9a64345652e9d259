"""Verifying listings in admin: one at a time from the queue, or in bulk from the list."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from programs import freshness, services
from programs.models import Program, Verification

NOTE_MAX_LENGTH = Verification._meta.get_field("note").max_length


class ProgramActionForm(ActionForm):
    """The list's action bar, plus how staff verified the listings they mark verified."""

    method = forms.ChoiceField(
        label=gettext_lazy("How verified"),
        choices=[("", "---------"), *Verification.Method.choices],
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=NOTE_MAX_LENGTH)


class VerifyForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How did you check it?"),
        choices=Verification.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how you checked the listing.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: “Spoke to intake; hours changed.”"),
    )


@admin.action(
    description=gettext_lazy("Mark selected programs verified today"), permissions=["change"]
)
def mark_verified(modeladmin, request, queryset):
    # The action bar's own fields (ProgramActionForm) come in the same POST.
    method = request.POST.get("method", "")
    if method not in Verification.Method.values:
        modeladmin.message_user(
            request,
            _(
                "Choose how you verified these listings (phone call, website, provider update) "
                "next to the action, then press Go again. Nothing was changed."
            ),
            messages.ERROR,
        )
        return
    note = request.POST.get("note", "").strip()[:NOTE_MAX_LENGTH]
    changed = services.mark_verified(programs=queryset, method=method, note=note, user=request.user)
    message = ngettext(
        "%(count)d program marked verified today.",
        "%(count)d programs marked verified today.",
        changed,
    )
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)


def verify_view(model_admin, request, object_id):
    """One listing: what to check (phone, website), how it was checked, a note; then back."""
    program = model_admin.get_object(request, object_id)
    if program is None:
        raise Http404
    if not model_admin.has_change_permission(request, program):
        raise PermissionDenied
    queue = reverse("admin:programs_program_changelist") + "?verified=stale"
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = queue
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.mark_verified(
            programs=Program.objects.filter(pk=program.pk), user=request.user, **form.cleaned_data
        )
        model_admin.message_user(
            request, _("“%(name)s” marked verified today.") % {"name": program}, messages.SUCCESS
        )
        return redirect(back)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Verify %(name)s") % {"name": program},
        "opts": Program._meta,
        "original": program,
        "program": program,
        "form": form,
        "next": back,
    }
    return TemplateResponse(request, "admin/programs/program/verify.html", context)


def freshness_view(model_admin, request, as_json: bool = False):
    """How fresh the published directory is (programs.freshness); JSON for an agency's tracker."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    figures = freshness.freshness()
    if as_json:
        return JsonResponse(figures)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("How fresh the directory is"),
        "opts": Program._meta,
        "figures": figures,
        "who_labels": {
            "staff": _("Staff"),
            "provider": _("The program itself"),
            "import": _("Imported date (from the source)"),
            "never": _("Never verified"),
        },
        "windows": freshness.WINDOWS,
    }
    return TemplateResponse(request, "admin/programs/program/freshness.html", context)


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """The log of checks, for whoever supervises the verification work. Read-only."""

    list_display = ["verified_on", "program", "method", "verified_by", "note"]
    list_filter = ["method", "verified_on", "verified_by"]
    list_select_related = ["program", "verified_by"]
    search_fields = ["program__name", "note"]
    date_hierarchy = "verified_on"

    def has_add_permission(self, request):
        return False  # recorded through the verify page or action, which move last_verified

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
