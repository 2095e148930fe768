"""Forms of the guiding questions (Leitfragen) of a meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, never_more_open

from .models import AgendaItem


class GuidingQuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("– the whole meeting –"),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)

    def __init__(self, *args, meeting, agenda_items, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("visibility", meeting.visibility)
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["agenda_item"].queryset = agenda_items

    def clean(self):
        data = super().clean()
        visibility = data.get("visibility")
        if visibility and not never_more_open(visibility, self.meeting.visibility):
            self.add_error(
                "visibility",
                _("A guiding question cannot be more open than the meeting it belongs to."),
            )
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the meeting answered; the question is then marked answered."),
    )
