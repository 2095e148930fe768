"""Factories for spaces. Text fields carry markup: every page must escape it."""

import itertools
from decimal import Decimal

import factory

from bodies.access import Visibility
from spaces.models import (
    District,
    Instrument,
    NeedStatus,
    OwnerKind,
    Space,
    SpaceKind,
    SpaceNeed,
    SpaceStatus,
)
from tests.factories import XSS, OrganisationFactory


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Kiez {n}")


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"instrument-{n}")
    name = factory.Sequence(lambda n: f"Instrument {n}")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Raum {n} {XSS}")
    address = factory.Sequence(lambda n: f"Teststraße {n} {XSS}")
    postcode = "10245"
    district = factory.SubFactory(DistrictFactory, name="Boxhagener Kiez")
    latitude = Decimal("52.510000")
    longitude = Decimal("13.460000")
    kind = SpaceKind.SHOPFRONT
    size_m2 = 100
    monthly_rent = Decimal("1000.00")
    owner_organisation = factory.SubFactory(OrganisationFactory)
    owner_kind = OwnerKind.BIM
    owner_notes = f"Geheime Notiz {XSS}"
    owner_visibility = Visibility.PUBLIC
    description = f"Beschreibung mit {XSS}"
    visibility = Visibility.PUBLIC
    status = SpaceStatus.VERIFIED

    @factory.post_generation
    def instruments(self, create, extracted, **kwargs):
        if create and extracted:
            self.instruments.set(extracted)


class SpaceNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceNeed
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Bedarf {n} {XSS}")
    purpose = f"Zweck mit {XSS}"
    min_size_m2 = 50
    max_size_m2 = 150
    kinds = factory.LazyFunction(lambda: [SpaceKind.SHOPFRONT])
    max_rent = Decimal("1200.00")
    status = NeedStatus.OPEN
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


def instrument(slug: str) -> Instrument:
    """One of the instruments the data migration creates (recreated after a flush)."""
    return InstrumentFactory(slug=slug, name=slug.capitalize())


_bulk_counter = itertools.count()


def bulk_spaces(count: int, **fields) -> list[Space]:
    """``count`` spaces in one INSERT, across all levels, statuses and kinds, with instruments."""
    districts = [DistrictFactory(name=f"Kiez {i}") for i in range(4)]
    owners = OrganisationFactory.create_batch(3)
    instruments = list(Instrument.objects.all()[:3]) or InstrumentFactory.create_batch(3)
    levels, statuses, kinds = Visibility.values, SpaceStatus.values, SpaceKind.values
    spaces = []
    for i in range(count):
        n = next(_bulk_counter)
        defaults = {
            "name": f"Massenraum {n} {XSS}",
            "address": f"Langer Weg {n}",
            "postcode": "10997",
            "district": districts[i % 4],
            "latitude": Decimal("52.49") + Decimal(i % 300) / 10000,
            "longitude": Decimal("13.38") + Decimal(i % 900) / 10000,
            "kind": kinds[i % len(kinds)],
            "size_m2": 40 + i % 400,
            "monthly_rent": Decimal(500 + i % 2000),
            "owner_organisation": owners[i % 3],
            "owner_kind": OwnerKind.values[i % len(OwnerKind.values)],
            "owner_notes": f"Notiz {n}",
            "owner_visibility": levels[(i + 2) % len(levels)],
            "visibility": levels[i % len(levels)],
            "status": statuses[i % len(statuses)],
            "contested": i % 7 == 0,
            "contested_reason": "Verkauf droht" if i % 7 == 0 else "",
        }
        defaults.update(fields)
        spaces.append(Space(**defaults))
    spaces = Space.objects.bulk_create(spaces)
    through = Space.instruments.through
    through.objects.bulk_create(
        [
            through(space_id=space.pk, instrument_id=instruments[i % 3].pk)
            for i, space in enumerate(spaces)
        ]
    )
    return spaces
