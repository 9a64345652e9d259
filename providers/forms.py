from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from programs.models import Program, Term
from programs.states import STATE_CHOICES


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AvailabilityForm(forms.Form):
    accepting = forms.ChoiceField(
        label=_("Are you taking new patients?"),
        choices=[
            (Program.Accepting.YES, _("Yes, accepting new patients")),
            (Program.Accepting.WAITLIST, _("Waitlist")),
            (Program.Accepting.NO, _("Not accepting new patients")),
        ],
        widget=forms.RadioSelect,
    )
    wait_weeks = forms.IntegerField(
        label=_("Estimated wait, in weeks (for a waitlist)"),
        min_value=0,
        max_value=104,
        required=False,
    )
    beds_available = forms.IntegerField(
        label=_("Beds available today (residential programs; leave empty if not)"),
        min_value=0,
        max_value=5000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("accepting") != Program.Accepting.WAITLIST:
            data["wait_weeks"] = None  # a wait only means something on a waitlist
        return data


class ChangeForm(forms.Form):
    """Details staff check before they go public."""

    name = forms.CharField(label=_("Program name"), max_length=200)
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    street2 = forms.CharField(label=_("Street address (line 2)"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES)
    zip_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        error_messages={"invalid": _("Enter a 5-digit ZIP code, like 94110.")},
    )
    phone = PhoneNumberField(label=_("Main phone"), region="US", required=False)
    phone_extension = forms.CharField(label=_("Extension"), max_length=10, required=False)
    intake_phone = PhoneNumberField(
        label=_("Intake phone (to start treatment)"), region="US", required=False
    )
    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    hours = forms.CharField(
        label=_("Opening hours"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    terms = forms.MultipleChoiceField(
        label=_("Services"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Anything staff should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grouped = {}
        for term in Term.objects.select_related("facet"):  # in the taxonomy's order
            grouped.setdefault(term.facet.label, []).append((term.code, term.label))
        self.fields["terms"].choices = list(grouped.items())
