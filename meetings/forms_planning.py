"""Forms of the planning pages: series, single meetings, their status, agenda items."""

import copy
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, never_more_open
from bodies.models import Person

from .forms import CONFIRM_UNSEEN_LEVEL, UnseenLevelWarning
from .models import Meeting, MeetingSeries, MeetingStatus, Recurrence
from .selectors import presenter_choices
from .services import MEETING_TRANSITIONS


class _DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# Typed by hand as well as picked: the browser's value first, then German and ISO forms.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]

WEEK_OF_MONTH_CHOICES = [
    ("", "–"),
    (1, _("first week")),
    (2, _("second week")),
    (3, _("third week")),
    (4, _("fourth week")),
    (-1, _("last week")),
]


def _people():
    return Person.objects.order_by("name")


PARTICIPANTS_HELP = _(
    "People beyond the body's members who belong to it, such as the councillor at the "
    "Jour-Fixe: they are invited, listed for attendance and see it even at the level "
    "“members of the body”. Hold Ctrl (or Cmd) to choose several."
)


def _participants_field(**kwargs):
    return forms.ModelMultipleChoiceField(
        label=_("Standing participants"),
        queryset=Person.objects.none(),
        required=False,
        help_text=PARTICIPANTS_HELP,
        **kwargs,
    )


# --- Series ----------------------------------------------------------------------------


class SeriesForm(forms.ModelForm):
    """A new series; the view hands the cleaned data to ``services.create_series``."""

    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"),
        choices=WEEK_OF_MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Monthly series only: on which of the month's weekdays it meets."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=24 * 60, initial=120
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://meet.example.org/jour-fixe"),
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "body",
            "title",
            "kind",
            "recurrence",
            "weekday",
            "week_of_month",
            "start_time",
            "duration_minutes",
            "place",
            "online_url",
            "starts_on",
            "until",
            "visibility",
            "participants",
        ]
        labels = {
            "body": _("Body"),
            "title": _("Title"),
            "kind": _("Kind"),
            "recurrence": _("Recurrence"),
            "weekday": _("Weekday"),
            "start_time": _("Start time"),
            "place": _("Place"),
            "starts_on": _("First date"),
            "until": _("Until"),
            "visibility": _("Visibility"),
        }
        help_texts = {
            "until": _("Leave empty for a series without an end."),
        }
        widgets = {
            "start_time": _TimeInput(),
            "starts_on": _DateInput(),
            "until": _DateInput(),
        }

    participants = _participants_field()

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["participants"].queryset = _people()

    def clean(self):
        data = super().clean()
        recurrence, week = data.get("recurrence"), data.get("week_of_month")
        if recurrence == Recurrence.MONTHLY and week is None:
            self.add_error("week_of_month", _("A monthly series needs the week of the month."))
        starts_on, until = data.get("starts_on"), data.get("until")
        if starts_on and until and until < starts_on:
            self.add_error("until", _("A series cannot end before its first date."))
        return data

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.create_series``."""
        data = self.cleaned_data
        arguments = {name: data[name] for name in self.Meta.fields if name != "duration_minutes"}
        arguments["duration"] = datetime.timedelta(minutes=data["duration_minutes"])
        return arguments


class SeriesParticipantsForm(forms.Form):
    """The standing participants of an existing series (and its meetings ahead)."""

    participants = _participants_field()

    def __init__(self, *args, series: MeetingSeries, **kwargs):
        kwargs.setdefault("initial", {"participants": list(series.participants.all())})
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _people()


class EndSeriesForm(forms.Form):
    on = forms.DateField(
        label=_("Last day of the series"),
        widget=_DateInput(),
        help_text=_("Later meetings that have not been held are cancelled."),
    )


# --- Meetings --------------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    """A single meeting (with ``bodies``) or the changes to one (without)."""

    start = forms.DateTimeField(
        label=_("Start"), input_formats=DATETIME_FORMATS, widget=_DateTimeInput()
    )
    end = forms.DateTimeField(
        label=_("End"), input_formats=DATETIME_FORMATS, widget=_DateTimeInput()
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example https://meet.example.org/jour-fixe"),
    )

    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "kind",
            "start",
            "end",
            "place",
            "space",
            "online_url",
            "visibility",
            "moderator",
            "minute_taker",
            "description",
            "participants",
        ]
        labels = {
            "body": _("Body"),
            "title": _("Title"),
            "kind": _("Kind"),
            "place": _("Place"),
            "space": _("Space"),
            "visibility": _("Visibility"),
            "moderator": _("Moderator"),
            "minute_taker": _("Minute taker"),
            "description": _("Description"),
        }
        help_texts = {
            "space": _("A space from the registry, if the meeting takes place in one."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    participants = _participants_field()

    def __init__(self, *args, spaces, bodies=None, instance=None, **kwargs):
        # A copy: a form that fails validation must not change the meeting the page shows.
        super().__init__(*args, instance=copy.copy(instance) if instance else None, **kwargs)
        # A space the editor may not see is not offered; it stays unless replaced.
        self.hidden_space = (
            instance.space
            if instance and instance.space_id and not spaces.filter(pk=instance.space_id).exists()
            else None
        )
        if bodies is None:
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies
        self.fields["space"].queryset = spaces
        self.fields["moderator"].queryset = _people()
        self.fields["minute_taker"].queryset = _people()
        self.fields["participants"].queryset = _people()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("A meeting cannot end before it starts."))
        return data

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.create_meeting`` / ``update_meeting``."""
        arguments = {name: self.cleaned_data[name] for name in self.fields}
        if arguments["space"] is None and self.hidden_space is not None:
            arguments["space"] = self.hidden_space
        return arguments


class _StatusField(forms.ChoiceField):
    """Offers the next statuses, accepts every status: the service decides, and says why
    (the page may be stale when someone else changed the status meanwhile)."""

    def valid_value(self, value):
        return value in MeetingStatus.values


class MeetingStatusForm(forms.Form):
    status = _StatusField(label=_("New status"))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in MeetingStatus.choices
            if value in MEETING_TRANSITIONS[meeting.status]
        ]

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["status"].choices)


# --- Agenda items ----------------------------------------------------------------------


class AgendaItemEditForm(UnseenLevelWarning, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    presenter = forms.ModelChoiceField(label=_("Presenter"), queryset=None, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, required=False
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    polls = forms.ModelMultipleChoiceField(
        label=_("Polls"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("Decisions"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Spaces"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    workstreams = forms.ModelMultipleChoiceField(
        label=_("Workstreams"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, item, choices: dict, user, **kwargs):
        if data is None:
            kwargs.setdefault("initial", self._initial(item, choices))
        super().__init__(data, **kwargs)
        self.item = item
        self.user = user
        self.fields["presenter"].queryset = presenter_choices(
            item.meeting, keep_id=item.presenter_id
        )
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self._add_confirm_field()

    @staticmethod
    def _initial(item, choices) -> dict:
        initial = {
            "title": item.title,
            "description": item.description,
            "presenter": item.presenter_id,
            "duration_minutes": item.duration_minutes,
            "visibility": item.visibility,
        }
        # Only the links the editor is offered; the others stay as they are.
        for name, queryset in choices.items():
            initial[name] = list(
                getattr(item, name)
                .filter(pk__in=queryset.values("pk"))
                .values_list("pk", flat=True)
            )
        return initial

    def clean_visibility(self):
        value = self.cleaned_data["visibility"]
        if not never_more_open(value, self.item.meeting.visibility):
            raise forms.ValidationError(
                _("An agenda item cannot be more open than the meeting it belongs to.")
            )
        if self.item.parent_id and not never_more_open(value, self.item.parent.visibility):
            raise forms.ValidationError(
                _("A sub-item cannot be more open than the item it belongs to.")
            )
        return value

    def clean(self):
        data = super().clean()
        # The editor sees the item now; only a new level can take it out of their view.
        if data.get("visibility") != self.item.visibility:
            self._warn_about_unseen_level(
                data.get("visibility"), user=self.user, body_id=self.item.meeting.body_id
            )
        return data

    def service_arguments(self) -> dict:
        """The keyword arguments of ``services.update_agenda_item`` (besides item and by)."""
        data = dict(self.cleaned_data)
        data.pop(CONFIRM_UNSEEN_LEVEL, None)
        return data
