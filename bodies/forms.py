from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Body,
    ContributionKind,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Poll,
    PollKind,
    Side,
)

# --- Polls --------------------------------------------------------------------------


class PollForm(forms.ModelForm):
    """A new poll; options come from the kind (motions), a list (approval) or people."""

    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Approval polls: one option per line."),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Elections: the members who stand."),
    )

    class Meta:
        model = Poll
        fields = [
            "title",
            "motion",
            "kind",
            "counting",
            "voting_unit",
            "majority",
            "secret",
            "allow_change",
            "quorum_count",
            "quorum_share",
            "seats",
            "visibility",
            "elects_into",
            "term_start",
            "term_end",
        ]
        widgets = {
            "motion": forms.Textarea(attrs={"rows": 4}),
            "term_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "term_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, body: Body, elect_into: "forms.QuerySet", **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["candidates"].queryset = (
            Person.objects.filter(memberships__in=Membership.objects.active().filter(body=body))
            .distinct()
            .order_by("name")
        )
        self.fields["elects_into"].queryset = elect_into
        self.fields["voting_unit"].choices = [("", _("As the body votes"))] + list(
            self.fields["voting_unit"].choices
        )[1:]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == PollKind.APPROVAL:
            cleaned["option_labels"] = [
                line.strip() for line in (cleaned.get("options") or "").splitlines() if line.strip()
            ]
        return cleaned


class VoteForm(forms.Form):
    """The ballot: one choice for motions, several for elections and approvals."""

    def __init__(self, *args, poll: Poll, options, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.pk, option.display_label) for option in options]
        if poll.max_choices == 1:
            self.fields["choices"] = forms.TypedChoiceField(
                label=_("Your vote"), choices=choices, coerce=int, widget=forms.RadioSelect
            )
        else:
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Your choices"),
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )
        if organisations and len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Vote for"),
                choices=[(o.pk, o.name) for o in organisations],
                coerce=int,
            )

    def chosen(self) -> list[int]:
        value = self.cleaned_data["choices"]
        return value if isinstance(value, list) else [value]


# More than any room holds, less than the database's integers: a typo gets a message.
MAX_BALLOTS = 1_000_000


class AnalogCountsForm(forms.Form):
    valid = forms.IntegerField(label=_("Valid ballots"), min_value=0, max_value=MAX_BALLOTS)
    invalid = forms.IntegerField(
        label=_("Invalid ballots"), min_value=0, max_value=MAX_BALLOTS, initial=0
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            self.fields[f"option_{option.pk}"] = forms.IntegerField(
                label=option.display_label,
                min_value=0,
                max_value=MAX_BALLOTS,
                initial=option.analog_count,
            )

    def counts(self) -> dict[int, int]:
        return {o.pk: self.cleaned_data[f"option_{o.pk}"] for o in self.options}


# --- Workstreams (Baustellen) and member management --------------------------------


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on its field, or above the form if it has none."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ContributionForm(forms.Form):
    """One entry in a workstream's ledger, written by ``services.add_contribution``."""

    organisation = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organisation.objects.order_by("name")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "Hours for working hours and rooms, euros for money, a number for other contributions."
        ),
    )
    description = forms.CharField(label=_("What"), max_length=300)
    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.organisation_id:
            return f"{obj.name} ({obj.organisation.name})"
        return obj.name


class MemberForm(forms.Form):
    """A new membership, of an existing person or a new one, for ``services.add_member``."""

    person = PersonChoiceField(
        label=_("Existing person"),
        queryset=Person.objects.select_related("organisation").order_by("name", "pk"),
        required=False,
    )
    new_person_name = forms.CharField(
        label=_("Or: name of a new person"), max_length=200, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    side = forms.ChoiceField(label=_("Side"), choices=[("", "---------"), *Side.choices])
    organisation = forms.ModelChoiceField(
        label=_("Organisation represented"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_(
            "Required for delegates, and for members with a voting right in a body that "
            "votes per member group."
        ),
    )
    voting_right = forms.BooleanField(label=_("Voting right"), required=False, initial=True)
    start = forms.DateField(label=_("Start of term"), widget=DateInput())
    end = forms.DateField(
        label=_("End of term"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a term without a set end."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        person, name = cleaned.get("person"), (cleaned.get("new_person_name") or "").strip()
        if "person" in cleaned and "new_person_name" in cleaned:
            if person is None and not name:
                self.add_error(
                    "person", _("Please choose a person or enter the name of a new person.")
                )
            elif person is not None and name:
                self.add_error(
                    "person", _("Please either choose a person or enter a new name, not both.")
                )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the term must not be before its start."))
        return cleaned


class EndMembershipForm(forms.Form):
    """The last day of a running term, for ``services.end_membership``."""

    end = forms.DateField(label=_("Last day of the term"), widget=DateInput())
