from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import DETAILS_MAX_LENGTH, ProblemReport


class ProblemReportForm(forms.ModelForm):
    # Radio buttons with no "---------" choice: one of them must be picked.
    kind = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=ProblemReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with the listing.")},
    )
    # A honeypot: hidden from people by CSS, filled in by naive bots. Named like a field a bot
    # expects; a report with it filled in is dropped without a word.
    homepage = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ProblemReport
        fields = ["kind", "details", "contact_email"]
        widgets = {
            "details": forms.Textarea(
                attrs={
                    "rows": 4,
                    "maxlength": DETAILS_MAX_LENGTH,
                    "aria-describedby": "id_details-hint",
                }
            ),
            "contact_email": forms.EmailInput(
                attrs={"autocomplete": "email", "aria-describedby": "id_contact_email-hint"}
            ),
        }
        labels = {
            "details": _("Details (optional)"),
            "contact_email": _("Your email (optional)"),
        }
        help_texts = {
            "details": _(
                "What should the listing say instead? Please don't include health details."
            ),
            "contact_email": _("Only our staff see it, and only to ask you about this report."),
        }
        error_messages = {
            "details": {
                "max_length": _("Please keep the details under %(limit_value)d characters.")
            },
            "contact_email": {"max_length": _("That email address is too long.")},
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))
