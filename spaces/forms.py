from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, would_see_level
from bodies.models import Body, Organisation

from .models import Instrument, Space, SpaceKind, SpaceNeed, SpaceStatus
from .selectors import OWNER_FIELDS, decisions_for_status_change


def visibility_choices(user):
    """The levels a user may give an object: those they see themselves.

    Otherwise staff could hide a space from themselves by mistake.
    """
    return [
        (value, label)
        for value, label in Visibility.choices
        if would_see_level(user, value, body_id=None)
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SpaceForm(forms.ModelForm):
    """Staff create and edit spaces. The status changes only through the lifecycle.

    ``owner_editable=False`` leaves out the owner details, for staff who may not
    see them (a space whose owner is administration-internal, edited by v-extern).
    """

    class Meta:
        model = Space
        fields = [
            "name",
            "address",
            "postcode",
            "district",
            "latitude",
            "longitude",
            "kind",
            "size_m2",
            "monthly_rent",
            "vacant_since",
            "current_user_organisation",
            "instruments",
            "contested",
            "contested_reason",
            "description",
            "visibility",
            "body",
            *OWNER_FIELDS,
        ]
        widgets = {
            "vacant_since": DateInput(),
            "instruments": forms.CheckboxSelectMultiple(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "contested_reason": forms.Textarea(attrs={"rows": 3}),
            "owner_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, owner_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].queryset = Instrument.objects.all()
        self.fields["body"].queryset = Body.objects.visible_to(user).order_by("name")
        organisations = Organisation.objects.order_by("name")
        self.fields["current_user_organisation"].queryset = organisations
        choices = visibility_choices(user)
        self.fields["visibility"].choices = choices
        if owner_editable:
            self.fields["owner_organisation"].queryset = organisations
            self.fields["owner_visibility"].choices = choices
        else:
            for name in OWNER_FIELDS:
                del self.fields[name]

    @property
    def owner_fields(self):
        return [self[name] for name in OWNER_FIELDS if name in self.fields]

    @property
    def main_fields(self):
        return [field for field in self if field.name not in OWNER_FIELDS]


class ReportForm(forms.ModelForm):
    """What a member can tell about a vacancy; staff add the rest when they verify it."""

    class Meta:
        model = Space
        fields = [
            "name",
            "address",
            "postcode",
            "district",
            "kind",
            "size_m2",
            "vacant_since",
            "latitude",
            "longitude",
            "owner_kind",
            "owner_notes",
            "description",
        ]
        labels = {
            "name": _("What is it called?"),
            "owner_kind": _("Who owns it, as far as you know?"),
            "owner_notes": _("What do you know about the owner?"),
            "description": _("What have you seen?"),
        }
        help_texts = {
            "name": _("E.g. “Former bakery on the corner”."),
            "owner_kind": _("Only the AKS team and you see this."),
            "owner_notes": _("Only the AKS team and you see this."),
            "description": _("Since when is it empty, what state is it in, who could use it?"),
        }
        widgets = {
            "vacant_since": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "owner_notes": forms.Textarea(attrs={"rows": 3}),
        }


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    decision = forms.ModelChoiceField(
        label=_("Decision it rests on"),
        queryset=None,
        required=False,
        empty_label=_("– no decision –"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, space: Space, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status passes the form, so that a step the lifecycle forbids gets the
        # service's clear message; the select offers only the allowed ones.
        self.fields["to"].choices = SpaceStatus.choices
        labels = dict(SpaceStatus.choices)
        self.fields["to"].widget.choices = [(s, labels[s]) for s in space.next_statuses]
        self.fields["decision"].queryset = decisions_for_status_change(user)


class NeedForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of space"),
        choices=SpaceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("None: any kind."),
    )

    class Meta:
        model = SpaceNeed
        fields = [
            "organisation",
            "title",
            "purpose",
            "min_size_m2",
            "max_size_m2",
            "districts",
            "kinds",
            "max_rent",
            "status",
            "visibility",
            "body",
        ]
        widgets = {
            "districts": forms.CheckboxSelectMultiple(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["body"].queryset = Body.objects.visible_to(user).order_by("name")
        self.fields["visibility"].choices = visibility_choices(user)
