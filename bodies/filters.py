import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Body, BodyKind


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=BodyKind.choices)

    class Meta:
        model = Body
        fields = ["q", "kind"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
