import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bodies.models import Membership, VotingUnit
from bodies.services import add_membership
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory


@pytest.mark.django_db
def test_it_adds_a_delegate_who_represents_a_member_group():
    kernkreis = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    group = OrganisationFactory()
    membership = add_membership(
        body=kernkreis,
        person=PersonFactory(),
        side="civil_society",
        role="delegate",
        organisation=group,
    )
    assert membership.organisation == group
    assert membership.is_active


@pytest.mark.django_db
def test_it_rejects_a_voting_member_without_organisation_in_a_group_voting_body():
    kernkreis = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    with pytest.raises(ValidationError) as error:
        add_membership(body=kernkreis, person=PersonFactory(), side="civil_society")
    assert "müssen stimmberechtigte Mitglieder eine Organisation vertreten" in str(error.value)
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_it_allows_a_non_voting_organizer_without_organisation_in_a_group_voting_body():
    kernkreis = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    add_membership(
        body=kernkreis,
        person=PersonFactory(),
        side="civil_society",
        role="organizer",
        voting_right=False,
    )
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_it_rejects_a_delegate_without_organisation_in_the_service():
    with pytest.raises(ValidationError) as error:
        add_membership(
            body=BodyFactory(), person=PersonFactory(), side="civil_society", role="delegate"
        )
    assert "Delegierte müssen eine Organisation vertreten" in str(error.value)
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_term_that_ends_before_it_starts():
    with pytest.raises(ValidationError) as error:
        add_membership(
            body=BodyFactory(),
            person=PersonFactory(),
            side="politics",
            start=datetime.date(2026, 3, 1),
            end=datetime.date(2026, 2, 1),
        )
    assert "Das Ende der Amtszeit darf nicht vor ihrem Beginn liegen" in str(error.value)


@pytest.mark.django_db
def test_the_database_refuses_a_reversed_term_even_without_the_service():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 1, 1))


@pytest.mark.django_db
def test_the_database_refuses_a_delegate_without_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role="delegate", organisation=None)


@pytest.mark.django_db
def test_active_counts_the_last_day_of_a_term_and_not_the_day_after():
    end = datetime.date(2027, 2, 28)
    membership = MembershipFactory(start=datetime.date(2026, 3, 1), end=end)
    assert Membership.objects.active(on=end).filter(pk=membership.pk).exists()
    assert not Membership.objects.active(on=end + datetime.timedelta(days=1)).exists()
    assert not Membership.objects.active(on=datetime.date(2026, 2, 28)).exists()


@pytest.mark.django_db
def test_a_body_cannot_be_its_own_ancestor():
    top = BodyFactory()
    child = BodyFactory(parent=top)
    top.parent = child
    with pytest.raises(ValidationError):
        top.full_clean()
