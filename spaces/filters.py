import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    District,
    Instrument,
    NeedStatus,
    OwnerKind,
    Space,
    SpaceKind,
    SpaceNeed,
    SpaceStatus,
)
from .rules import owner_visible_q

ANY = _("any")
YES_NO = [("", ANY), ("true", _("yes")), ("false", _("no"))]


class SpaceFilter(django_filters.FilterSet):
    """The filters of the list, the map, GeoJSON and CSV (one definition for all).

    Owner details have their own level, so filtering or searching by them only
    ever matches spaces whose owner details the user may see: otherwise the
    result would reveal what the page hides.
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SpaceStatus.choices, empty_label=ANY
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"), queryset=District.objects.all(), empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of space"), choices=SpaceKind.choices, empty_label=ANY
    )
    owner_kind = django_filters.ChoiceFilter(
        label=_("Kind of owner"),
        choices=OwnerKind.choices,
        method="filter_owner_kind",
        empty_label=ANY,
    )
    instrument = django_filters.ModelChoiceFilter(
        label=_("Instrument"),
        queryset=Instrument.objects.all(),
        method="filter_instrument",
        empty_label=ANY,
    )
    contested = django_filters.BooleanFilter(
        label=_("Contested"), widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Space
        fields = ["q", "status", "district", "kind", "owner_kind", "instrument", "contested"]

    @property
    def user(self):
        return getattr(self.request, "user", None)

    def _owner_visible(self) -> Q:
        return owner_visible_q(self.user)

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(address__icontains=word)
                | Q(postcode__startswith=word)
                | Q(district__name__icontains=word)
                | Q(description__icontains=word)
                | Q(contested_reason__icontains=word)
                | (
                    (Q(owner_organisation__name__icontains=word) | Q(owner_notes__icontains=word))
                    & self._owner_visible()
                )
            )
        return queryset

    def filter_owner_kind(self, queryset, name, value):
        return queryset.filter(Q(owner_kind=value) & self._owner_visible())

    def filter_instrument(self, queryset, name, value):
        through = Space.instruments.through
        return queryset.filter(
            Exists(through.objects.filter(space_id=OuterRef("pk"), instrument=value))
        )


class NeedFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NeedStatus.choices, empty_label=ANY
    )
    district = django_filters.ModelChoiceFilter(
        label=_("Neighbourhood"),
        queryset=District.objects.all(),
        method="filter_district",
        empty_label=ANY,
    )

    class Meta:
        model = SpaceNeed
        fields = ["q", "status", "district"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(purpose__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_district(self, queryset, name, value):
        # A need that names no neighbourhood takes any.
        through = SpaceNeed.districts.through
        return queryset.filter(
            Exists(through.objects.filter(spaceneed_id=OuterRef("pk"), district=value))
            | ~Exists(through.objects.filter(spaceneed_id=OuterRef("pk")))
        )
