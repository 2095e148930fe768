from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Please enter a correct e-mail address and password."),
        "inactive": _("This account is inactive."),
    }


class ProfileForm(forms.ModelForm):
    # The switches of aks.mail.models.MailKind, shown together as one fieldset.
    MAIL_FIELDS = ("mail_invitation", "mail_reminder", "mail_minutes", "mail_due")

    class Meta:
        model = User
        fields = ["display_name", "mail_invitation", "mail_reminder", "mail_minutes", "mail_due"]

    def details(self):
        return [self[name] for name in self.fields if name not in self.MAIL_FIELDS]

    def mail_switches(self):
        return [self[name] for name in self.MAIL_FIELDS]
