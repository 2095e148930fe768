from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, never_more_open, would_see_level
from bodies.models import Organisation, Person

from .models import (
    ActionItemStatus,
    AgendaItem,
    AttendanceStatus,
    CommitmentStatus,
    GuidingQuestion,
    MinuteSection,
    RecommendationLevel,
)
from .selectors import presenter_choices

# --- minutes, action items, commitments ---


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MinuteEntryForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=MinuteSection.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    speaker = forms.ModelChoiceField(
        label=_("Speaker"), queryset=Person.objects.order_by("name"), required=False
    )
    level = forms.ChoiceField(
        label=_("Level (recommendations only)"),
        choices=[("", "–"), *RecommendationLevel.choices],
        required=False,
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    guiding_question = forms.ModelChoiceField(
        label=_("Answers the guiding question"),
        queryset=GuidingQuestion.objects.none(),
        required=False,
        empty_label=_("– a new guiding question –"),
        help_text=_(
            "Guiding questions only: choose the question this entry answers, "
            "or leave empty to record the entry as a new question."
        ),
    )

    def __init__(self, *args, minutes, agenda_items, questions=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visibility", minutes.visibility)
        super().__init__(*args, **kwargs)
        self.minutes = minutes
        self.fields["agenda_item"].queryset = agenda_items
        if questions is None:
            del self.fields["guiding_question"]
        else:
            self.fields["guiding_question"].queryset = questions

    def clean(self):
        data = super().clean()
        section, level = data.get("section"), data.get("level")
        if section == MinuteSection.RECOMMENDATION and not level:
            self.add_error("level", _("A recommendation needs its level."))
        if section and section != MinuteSection.RECOMMENDATION and level:
            self.add_error("level", _("Only recommendations have a level."))
        if data.get("guiding_question") and section != MinuteSection.GUIDING_QUESTION:
            self.add_error(
                "guiding_question", _("Only a guiding questions entry answers a question.")
            )
        visibility = data.get("visibility")
        if visibility and not never_more_open(visibility, self.minutes.visibility):
            self.add_error(
                "visibility", _("An entry cannot be more open than the minutes it belongs to.")
            )
        return data


class EntryTextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ApproveMinutesForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Approving decision"), queryset=None, required=False)
    as_chair = forms.BooleanField(label=_("Approve as chair"), required=False)

    def __init__(self, *args, decisions, may_decide=True, may_chair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: f"{d.number} {d.title}"
        if not may_decide:
            del self.fields["decision"]
        if not may_chair:
            del self.fields["as_chair"]

    def clean(self):
        data = super().clean()
        if bool(data.get("decision")) == bool(data.get("as_chair")):
            raise forms.ValidationError(
                _("Choose either an approving decision or the approval by the chair.")
            )
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    assignee_person = forms.ModelChoiceField(
        label=_("Assigned to (person)"), queryset=Person.objects.order_by("name"), required=False
    )
    assignee_organisation = forms.ModelChoiceField(
        label=_("Assigned to (organisation)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    due = forms.DateField(label=_("Due"), required=False, widget=_DateInput())
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, meeting, agenda_items, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visibility", meeting.visibility)
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].queryset = agenda_items

    def clean_visibility(self):
        value = self.cleaned_data["visibility"]
        if not never_more_open(value, self.meeting.visibility):
            raise forms.ValidationError(
                _("This cannot be more open than the meeting it belongs to.")
            )
        return value


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItemStatus.choices)


class CommitmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    person = forms.ModelChoiceField(
        label=_("Promised by"), queryset=Person.objects.order_by("name"), required=False
    )
    what = forms.CharField(label=_("What was promised"), widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("Due"), required=False, widget=_DateInput())
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, meeting, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visibility", meeting.visibility)
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_visibility(self):
        value = self.cleaned_data["visibility"]
        if not never_more_open(value, self.meeting.visibility):
            raise forms.ValidationError(
                _("This cannot be more open than the meeting it belongs to.")
            )
        return value


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommitmentNoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 2}))


# --- end minutes ---


# --- meetings ---


CONFIRM_UNSEEN_LEVEL = "confirm_unseen_level"


class UnseenLevelWarning:
    """Tells an editor who picks a level their own role does not see that the item
    would vanish from their view once saved, and saves only after they confirm.

    The confirmation is a hidden field until the warning is shown; then it becomes a
    checkbox below the other fields. The kernel decides what the editor sees.
    """

    def _add_confirm_field(self):
        self.fields[CONFIRM_UNSEEN_LEVEL] = forms.BooleanField(
            label=_("Save anyway, although I will not see the item afterwards"),
            required=False,
            widget=forms.HiddenInput,
        )

    def _warn_about_unseen_level(self, visibility, *, user, body_id):
        if not visibility or "visibility" in self.errors:
            return
        if would_see_level(user, visibility, body_id=body_id):
            return
        if self.cleaned_data.get(CONFIRM_UNSEEN_LEVEL):
            return
        self.fields[CONFIRM_UNSEEN_LEVEL].widget = forms.CheckboxInput()
        self.add_error(
            "visibility",
            _(
                "You cannot see this level yourself: after saving you would no longer "
                "find the item. Choose another level, or confirm below that you want "
                "to save anyway."
            ),
        )


class AgendaItemForm(UnseenLevelWarning, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    parent = forms.ModelChoiceField(
        label=_("Under item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("– top level –"),
        help_text=_("Leave empty for a new main item; choose an item for a sub-item (2.1)."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, required=False
    )
    presenter = forms.ModelChoiceField(
        label=_("Presenter"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, meeting, parents, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visibility", meeting.visibility)
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.user = user
        self.fields["parent"].queryset = parents
        self.fields["presenter"].queryset = presenter_choices(meeting)
        self._add_confirm_field()

    def clean(self):
        data = super().clean()
        visibility, parent = data.get("visibility"), data.get("parent")
        if visibility and not never_more_open(visibility, self.meeting.visibility):
            self.add_error(
                "visibility",
                _("An agenda item cannot be more open than the meeting it belongs to."),
            )
        elif visibility and parent and not never_more_open(visibility, parent.visibility):
            self.add_error(
                "visibility", _("A sub-item cannot be more open than the item it belongs to.")
            )
        self._warn_about_unseen_level(visibility, user=self.user, body_id=self.meeting.body_id)
        return data


class AttendanceForm(forms.Form):
    """One status per invited person, and one more person to add."""

    add_person = forms.ModelChoiceField(
        label=_("Add a person"), queryset=Person.objects.none(), required=False
    )
    add_status = forms.ChoiceField(
        label=_("Status of the added person"),
        choices=AttendanceStatus.choices,
        initial=AttendanceStatus.ATTENDED,
        required=False,
    )

    def __init__(self, *args, attendances, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        self.fields["add_person"].queryset = people
        for attendance in attendances:
            self.fields[f"status_{attendance.pk}"] = forms.ChoiceField(
                label=attendance.person.name,
                choices=AttendanceStatus.choices,
                initial=attendance.status,
            )
        # The list first, then the person to add.
        self.order_fields([f"status_{a.pk}" for a in attendances])

    def statuses(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data[f"status_{a.pk}"] for a in self.attendances}


# --- end meetings ---
