"""Staff side of provider updates: invite a program's contact, review what programs propose,
see who was reminded and who answered."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from providers import services
from providers.models import ProposedChange, ProviderAccess, ProviderUpdate, Reminder


class InviteForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("They get a sign-in link at this address.")
    )

    class Meta:
        model = ProviderAccess
        fields = ["email", "program", "organization"]

    def clean(self):
        data = super().clean()
        if bool(data.get("program")) == bool(data.get("organization")):
            raise forms.ValidationError(_("Choose either one program or one organization."))
        return data


@admin.register(ProviderAccess)
class ProviderAccessAdmin(admin.ModelAdmin):
    list_display = ["email", "program", "organization", "invited_by", "created"]
    list_select_related = ["user", "program", "organization", "invited_by"]
    search_fields = ["user__email", "program__name", "organization__name"]
    autocomplete_fields = ["program", "organization"]
    form = InviteForm

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, access):
        return access.user.email

    def has_change_permission(self, request, obj=None):
        return False  # access is given (an invitation) or taken away, never edited

    def save_model(self, request, obj, form, change):
        access = services.invite(
            email=form.cleaned_data["email"],
            program=form.cleaned_data["program"],
            organization=form.cleaned_data["organization"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        # The admin goes on to log and redirect to `obj`: make it the access just saved.
        obj.pk, obj.user, obj.created = access.pk, access.user, access.created
        messages.info(
            request, _("A sign-in link was emailed to %(email)s.") % {"email": access.email}
        )


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: apply to the listing")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Recorded in the listing's History, e.g. “Checked with intake by phone.”"),
    )

    class Meta:
        model = ProposedChange
        fields = ["decision", "reason"]


DECIDED_FIELDS = ["status", "decided_by", "decided", "reason"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """The review queue: oldest pending first; approving applies the change to the listing."""

    list_display = ["program", "what_changes", "proposed_by", "created", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["program", "proposed_by", "decided_by"]
    search_fields = ["program__name", "proposed_by__email"]
    form = DecisionForm
    readonly_fields = ["program_link", "proposed_by", "created", "note", "changes"]
    fieldsets = [
        (None, {"fields": ["program_link", "proposed_by", "created", "note", "changes"]}),
        (_("Review"), {"fields": ["decision", "reason"]}),
    ]

    @admin.display(description=_("what changes"))
    def what_changes(self, change):
        return ", ".join(services.field_label(name) for name in change.after)

    @admin.display(description=_("program"))
    def program_link(self, change):
        url = reverse("admin:programs_program_change", args=[change.program_id])
        return format_html('<a href="{}">{}</a>', url, change.program)

    @admin.display(description=_("changes"))
    def changes(self, change):
        return render_to_string(
            "admin/providers/proposedchange/diff.html", {"lines": services.diff(change)}
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A decided change is kept as it was decided: viewed, never decided again.
        decided = obj is not None and obj.status != ProposedChange.Status.PENDING
        return not decided and super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.status != ProposedChange.Status.PENDING:
            return [(None, {"fields": [*self.readonly_fields, *DECIDED_FIELDS]})]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        decide = services.approve if form.cleaned_data["decision"] == "approve" else services.reject
        decide(change=obj, user=request.user, reason=form.cleaned_data["reason"])


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Answered")),
            ("no", _("Not answered")),
            ("never", _("Programs that never answer (2 reminders or more, no answer)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(answered=None)
        if self.value() == "no":
            return queryset.filter(answered=None)
        if self.value() == "never":
            silent = (
                Reminder.objects.values("program")
                .annotate(sent_count=Count("pk"), last_answer=Max("answered"))
                .filter(sent_count__gte=2, last_answer=None)
                .values("program")
            )
            return queryset.filter(program__in=silent)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["program", "sent_to", "sent", "answered"]
    list_filter = [AnsweredFilter, "sent"]
    list_select_related = ["program"]
    search_fields = ["program__name", "sent_to"]
    date_hierarchy = "sent"

    def has_add_permission(self, request):
        return False  # sent by `manage.py send_reminders`

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProviderUpdate)
class ProviderUpdateAdmin(admin.ModelAdmin):
    list_display = ["created", "program", "kind", "user"]
    list_filter = ["kind", "created"]
    list_select_related = ["program", "user"]
    search_fields = ["program__name", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
