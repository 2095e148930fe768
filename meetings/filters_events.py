"""The filters of the public events list."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filters import MeetingFilterForm, _DateFilterInput
from .models import Meeting, MeetingKind, MeetingSeries
from .registration import EVENT_KINDS


def _event_series(request):
    if request is None:
        return MeetingSeries.objects.none()
    return (
        MeetingSeries.objects.visible_to(request.user)
        .filter(kind__in=EVENT_KINDS)
        .order_by("title")
    )


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        empty_label=_("All dates"),
        method="filter_when",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(kind.value, kind.label) for kind in map(MeetingKind, EVENT_KINDS)],
    )
    series = django_filters.ModelChoiceFilter(label=_("Series"), queryset=_event_series)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="start", lookup_expr="date__gte", widget=_DateFilterInput()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="start", lookup_expr="date__lte", widget=_DateFilterInput()
    )

    class Meta:
        model = Meeting
        fields = ["when", "kind", "series", "date_from", "date_to"]
        form = MeetingFilterForm

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gte=now)
        if value == "past":
            return queryset.filter(end__lt=now)
        return queryset
