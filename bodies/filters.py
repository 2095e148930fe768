import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Body, BodyKind, Decision, DecisionStatus, Workstream, WorkstreamStatus

DECISION_NUMBER = re.compile(r"([A-Za-z0-9]+)-(\d{4})-(\d{1,4})")


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BodyKind.choices)

    class Meta:
        model = Body
        fields = ["q", "kind"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


def _visible_bodies(request):
    if request is None:
        return Body.objects.none()
    return Body.objects.visible_to(request.user).order_by("name")


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=_visible_bodies)
    year = django_filters.NumberFilter(label=_("Year"), min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DecisionStatus.choices)

    class Meta:
        model = Decision
        fields = ["q", "body", "year", "status"]

    def filter_text(self, queryset, name, value):
        text = Q(title__icontains=value) | Q(text__icontains=value)
        number = DECISION_NUMBER.fullmatch(value.strip())
        if number:
            short_name, year, sequence = number.groups()
            text |= Q(body__short_name__iexact=short_name, year=int(year), sequence=int(sequence))
        return queryset.filter(text)


class WorkstreamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkstreamStatus.choices)

    class Meta:
        model = Workstream
        fields = ["q", "status"]

    def filter_text(self, queryset, name, value):
        """Title or description; "#3" or "3" also finds workstream number 3."""
        value = value.strip()
        text = Q(title__icontains=value) | Q(description__icontains=value)
        number = value.removeprefix("#").strip()
        if number.isdecimal() and len(number) < 10:
            text |= Q(number=int(number))
        return queryset.filter(text)
