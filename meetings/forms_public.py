"""Forms of the room, the commitment check, the live recommendations and the topic
surveys (issue #7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, never_more_open
from bodies.models import Organisation, Person

from .models import RecommendationLevel


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoomCommitmentForm(forms.Form):
    """What the chair types while it is said: organisation, who, what, by when."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    person = forms.ModelChoiceField(
        label=_("Promised by"), queryset=Person.objects.order_by("name"), required=False
    )
    promised_by_name = forms.CharField(
        label=_("Or the name, if not in the list"),
        max_length=200,
        required=False,
        help_text=_("For example: Bezirksstadträtin Müller"),
    )
    what = forms.CharField(label=_("What was promised"), widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("Due"), required=False, widget=_DateInput())


def shared_choices() -> dict[str, list]:
    """The organisation and person choices, read once for a page of check forms (a
    ``ModelChoiceField`` would read them again for every form)."""
    empty = [("", "---------")]
    return {
        "organisation": empty
        + list(Organisation.objects.order_by("name").values_list("pk", "name")),
        "person": empty + list(Person.objects.order_by("name").values_list("pk", "name")),
    }


class CheckCommitmentForm(RoomCommitmentForm):
    """The staff check: the room's entry, corrected where needed, and its level."""

    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, commitment, choices: dict[str, list] | None = None, **kwargs):
        kwargs.setdefault("prefix", f"c{commitment.pk}")
        kwargs.setdefault(
            "initial",
            {
                "organisation": commitment.organisation_id,
                "person": commitment.person_id,
                "promised_by_name": commitment.promised_by_name,
                "what": commitment.what,
                "due": commitment.due,
                "visibility": commitment.visibility,
            },
        )
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        for name, values in (choices or {}).items():
            # Set choices are shown as they are; the queryset still validates the answer.
            self.fields[name].choices = values

    def clean_visibility(self):
        value = self.cleaned_data["visibility"]
        if not never_more_open(value, self.commitment.meeting.visibility):
            raise forms.ValidationError(
                _("This cannot be more open than the meeting it belongs to.")
            )
        return value


class RecommendationForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=RecommendationLevel.choices,
        initial=RecommendationLevel.MUNICIPAL,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown above the topics, e.g. which topics should the next events take up?"),
    )
    options = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One topic per line, at least two."),
    )

    def labels(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


class TopicVoteForm(forms.Form):
    options = forms.TypedMultipleChoiceField(
        label=_("Topics you would like to see"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose as many as you like."),
        error_messages={"required": _("Please choose at least one topic.")},
    )

    def __init__(self, *args, survey_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [(o.pk, o.label) for o in survey_options]
