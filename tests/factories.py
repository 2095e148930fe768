"""factory_boy factories shared by all test packages.

Text fields carry markup on purpose: every page must escape what people type.
"""

import datetime

import factory
from django.contrib.auth.models import Group

from aks.accounts.models import User
from bodies.access import Visibility
from bodies.models import (
    Body,
    BodyKind,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Side,
)

XSS = "<script>alert('x')</script>"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Nutzer*in {n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Initiative {n} {XSS}")
    short_name = factory.Sequence(lambda n: f"I{n}")
    kind = OrganisationKind.INITIATIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n} {XSS}")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Gremium {n} {XSS}")
    short_name = factory.Sequence(lambda n: f"G{n}")
    slug = factory.Sequence(lambda n: f"gremium-{n}")
    kind = BodyKind.WORKING_GROUP
    visibility = Visibility.PUBLIC
    description = f"Beschreibung mit {XSS}"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    role = MembershipRole.MEMBER
    side = Side.CIVIL_SOCIETY
    start = datetime.date(2024, 1, 1)
