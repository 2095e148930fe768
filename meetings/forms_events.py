"""Forms of the public event pages: registration without an account, with the bot checks
that stand in for a captcha (a signed start time and a field people leave empty)."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

_SALT = "meetings.registration.form"
# A form submitted later than this asks for a fresh one (the page was left open overnight).
MAX_FORM_AGE = 60 * 60 * 12


def min_fill_seconds() -> float:
    """People need a few seconds to type name and address; scripts do not."""
    return float(getattr(settings, "MEETINGS_REGISTRATION_MIN_SECONDS", 3))


def consent_text(*, days: int) -> str:
    return str(
        _(
            "I agree that my name, e-mail address and organisation are stored to organise "
            "this event, shown to the AKS staff only, and deleted %(days)d days after the "
            "event. I can cancel at any time through the link in my mail."
        )
        % {"days": days}
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your registration."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree to the storage of your data.")},
    )
    # The honeypot: hidden from sight, labelled for screen readers; bots fill it in.
    website = forms.CharField(required=False, max_length=200)
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, meeting, retention_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.consent_text = consent_text(days=retention_days)
        self.fields["consent"].label = self.consent_text
        self._renew_started = not self.is_bound

    @property
    def started_value(self) -> str:
        """The signed moment the form was handed out; a fresh one after a timing error."""
        if self._renew_started:
            return signing.dumps({"m": self.meeting.pk, "t": time.time()}, salt=_SALT)
        return self.data.get("started", "")

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        data = super().clean()
        try:
            started = signing.loads(self.data.get("started", ""), salt=_SALT, max_age=MAX_FORM_AGE)
        except signing.BadSignature:
            started = None
        if not isinstance(started, dict) or started.get("m") != self.meeting.pk:
            self._renew_started = True
            raise forms.ValidationError(
                _("The form has expired. Please check your entries and send it again.")
            )
        if time.time() - float(started.get("t", 0)) < min_fill_seconds():
            self._renew_started = True
            raise forms.ValidationError(
                _("That was very fast. Please check your entries and send the form again.")
            )
        return data


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail address"), required=False, max_length=200)
