import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bodies.models import Body, Organisation

from .models import (
    ActionItem,
    ActionItemStatus,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)

# --- minutes, action items, commitments ---


def _visible_bodies(request):
    if request is None:
        return Body.objects.none()
    return Body.objects.visible_to(request.user).order_by("name")


class ActionItemFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), queryset=_visible_bodies, field_name="meeting__body"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItemStatus.choices)

    class Meta:
        model = ActionItem
        fields = ["body", "status"]


class CommitmentFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CommitmentStatus.choices)
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), queryset=_visible_bodies, field_name="meeting__body"
    )

    class Meta:
        model = Commitment
        fields = ["organisation", "status", "body"]


# --- end minutes ---


# --- meetings ---


class MeetingFilterForm(forms.Form):
    """The filter form, refusing a date range that ends before it starts."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range lies before its start."))
        return data


class _DateFilterInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=_visible_bodies)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="start", lookup_expr="date__gte", widget=_DateFilterInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="start", lookup_expr="date__lte", widget=_DateFilterInput()
    )

    class Meta:
        model = Meeting
        fields = ["q", "body", "kind", "status", "date_from", "date_to"]
        form = MeetingFilterForm

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(place__icontains=value)
        )


# --- end meetings ---
