"""Member management: the chair, deputy and organisers (and AKS staff on the bodies their
team runs) add members and end terms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Membership, Person, VotingUnit
from bodies.services import add_member, end_membership
from tests.factories import (
    XSS,
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.html import assert_valid_html
from tests.personas import PERSONAS, SEES

# personas who manage the members of every body they see (chairs: below)
MANAGERS = {"superuser"}
# personas who manage the members of the bodies the AKS team runs, and of no other
AKS_STAFF = {"v_extern", "v_intern"}

TODAY = datetime.date.today()


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def chair(make_user):
    """A user who chairs ``body`` in a running term and has no role on the platform."""

    def make(body, role="chair", **kwargs):
        user = make_user()
        MembershipFactory(person=PersonFactory(user=user), body=body, role=role, **kwargs)
        return user

    return make


def _add_data(**overrides):
    data = {
        "person": "",
        "new_person_name": "",
        "role": "member",
        "side": "civil_society",
        "organisation": "",
        "voting_right": "on",
        "start": "2026-03-01",
        "end": "2027-02-28",
    }
    data.update(overrides)
    return data


def _members_url(body):
    return reverse("bodies:members", args=[body.slug])


def _end_url(membership):
    return reverse("bodies:member_end", args=[membership.body.slug, membership.pk])


# --- who may manage members ---------------------------------------------------------


def _manages(name, run_by_aks_team):
    return name in MANAGERS or (run_by_aks_team and name in AKS_STAFF)


@pytest.mark.django_db
@pytest.mark.parametrize("run_by_aks_team", [True, False])
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_the_members_page_answers_200_403_or_404_per_persona_and_level(
    client, persona, name, level, run_by_aks_team
):
    body = BodyFactory(visibility=level, run_by_aks_team=run_by_aks_team)
    user = persona(name, body=body)
    response = _login(client, user).get(_members_url(body))
    if name == "anonymous":
        assert response.status_code == 302 and "anmelden" in response["Location"]
    elif level not in SEES[name]:
        assert response.status_code == 404
    elif _manages(name, run_by_aks_team):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("run_by_aks_team", [True, False])
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.TEAM])
def test_only_managers_can_add_or_end_and_nothing_changes_otherwise(
    client, persona, name, level, run_by_aks_team
):
    body = BodyFactory(visibility=level, run_by_aks_team=run_by_aks_team)
    user = persona(name, body=body)
    running = MembershipFactory(body=body)
    _login(client, user)
    before = (Membership.objects.count(), Person.objects.count())

    added = client.post(_members_url(body), _add_data(new_person_name="Neue Person"))
    ended = client.post(_end_url(running), {f"end-{running.pk}-end": TODAY.isoformat()})

    if name == "anonymous":
        expected = 302  # to the login page: every anonymous write, whatever the body
    elif level not in SEES[name]:
        expected = 404
    elif _manages(name, run_by_aks_team):
        expected = 302
    else:
        expected = 403
    assert added.status_code == expected
    assert ended.status_code == expected
    running.refresh_from_db()
    if expected != 302 or name == "anonymous":
        assert (Membership.objects.count(), Person.objects.count()) == before
        assert running.end is None
    else:
        assert running.end == TODAY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "kwargs", "expected"),
    [
        ("chair", {}, 200),
        ("deputy", {}, 200),
        ("organizer", {}, 200),
        ("member", {}, 403),
        ("delegate", {"organisation": None}, 403),
        ("chair", {"end": datetime.date(2025, 2, 28)}, 403),  # a former chair
        ("chair", {"start": TODAY + datetime.timedelta(days=30)}, 403),  # not yet chair
    ],
)
def test_a_chair_in_a_running_term_manages_the_members(client, chair, role, kwargs, expected):
    body = BodyFactory()
    if role == "delegate":
        kwargs = {"organisation": OrganisationFactory()}
    client.force_login(chair(body, role=role, **kwargs))
    assert client.get(_members_url(body)).status_code == expected


@pytest.mark.django_db
def test_the_chair_of_one_body_cannot_manage_another(client, chair):
    client.force_login(chair(BodyFactory()))
    assert client.get(_members_url(BodyFactory())).status_code == 403


@pytest.mark.django_db
def test_an_unknown_body_answers_404(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    assert client.get(reverse("bodies:members", args=["gibt-es-nicht"])).status_code == 404


@pytest.mark.django_db
def test_ending_a_membership_of_another_body_answers_404(client, chair):
    body = BodyFactory()
    client.force_login(chair(body))
    elsewhere = MembershipFactory()
    response = client.post(
        reverse("bodies:member_end", args=[body.slug, elsewhere.pk]),
        {f"end-{elsewhere.pk}-end": TODAY.isoformat()},
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.end is None


@pytest.mark.django_db
def test_ending_a_term_only_answers_post(client, make_user):
    membership = MembershipFactory(body__run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    assert client.get(_end_url(membership)).status_code == 405


# --- the link on the body page ------------------------------------------------------


@pytest.mark.django_db
def test_the_body_page_links_to_member_management_for_the_chair_only(client, chair, make_user):
    body = BodyFactory(run_by_aks_team=True)
    url = _members_url(body)
    assert url not in client.get(body.get_absolute_url()).content.decode()

    client.force_login(chair(body))
    content = client.get(body.get_absolute_url()).content.decode()
    assert f'href="{url}"' in content
    assert reverse("admin:bodies_body_change", args=[body.pk]) not in content

    client.force_login(make_user(roles.COUNCILLOR))
    assert url not in client.get(body.get_absolute_url()).content.decode()

    client.force_login(make_user(roles.V_EXTERN))
    assert f'href="{url}"' in client.get(body.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.V_EXTERN, roles.V_INTERN])
def test_staff_who_are_ordinary_members_of_a_body_the_team_does_not_run_manage_nothing(
    client, make_user, member_of, role
):
    kernkreis = BodyFactory(run_by_aks_team=False)
    staff = make_user(role)
    member_of(staff, kernkreis)
    client.force_login(staff)
    assert _members_url(kernkreis) not in client.get(kernkreis.get_absolute_url()).content.decode()
    assert client.get(_members_url(kernkreis)).status_code == 403
    assert not staff.has_perm("bodies.change_body", kernkreis)


# --- the page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_current_upcoming_and_former_terms_with_all_details(client, chair):
    body = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    group = OrganisationFactory(name="Mieterinitiative Süd")
    MembershipFactory(
        body=body,
        person=PersonFactory(name="Amira Haddad"),
        role="delegate",
        organisation=group,
        side="civil_society",
    )
    MembershipFactory(
        body=body,
        person=PersonFactory(name="Dorothee Kamp"),
        organisation=group,
        start=datetime.date(2025, 3, 1),
        end=datetime.date(2026, 2, 28),
    )
    MembershipFactory(
        body=body,
        person=PersonFactory(name="Bernd Szymanski"),
        organisation=group,
        start=TODAY + datetime.timedelta(days=10),
        voting_right=False,
        side="politics",
    )
    client.force_login(chair(body, organisation=group))
    response = client.get(_members_url(body))
    content = response.content.decode()
    assert_valid_html(response)
    current_part, former_part = content.split('id="former-heading"')
    assert "Amira Haddad" in current_part and "Bernd Szymanski" in current_part
    assert "Dorothee Kamp" in former_part and "Dorothee Kamp" not in current_part
    assert "Delegierte*r" in content
    assert "Mieterinitiative Süd" in content
    assert "Zivilgesellschaft" in content and "Politik" in content
    assert "01.03.2025 bis 28.02.2026" in content
    # One end-of-term form per running or upcoming term, none for former ones.
    assert current_part.count('class="inline-form end-term-form"') == 3
    assert former_part.count("end-term-form") == 0
    assert XSS not in content


@pytest.mark.django_db
def test_every_field_of_the_add_form_has_a_label(client, make_user):
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    content = client.get(_members_url(body)).content.decode()
    for field in (
        "person",
        "new_person_name",
        "role",
        "side",
        "organisation",
        "voting_right",
        "start",
        "end",
    ):
        assert f'<label for="id_{field}">' in content
    assert 'aria-describedby="id_organisation_helptext"' in content


# --- adding members -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_chair_adds_an_existing_person(client, chair):
    body = BodyFactory()
    person = PersonFactory(name="Lucía Ferreira")
    group = OrganisationFactory()
    client.force_login(chair(body))
    response = client.post(
        _members_url(body),
        _add_data(person=person.pk, role="key_person", organisation=group.pk, voting_right=""),
    )
    assert response.status_code == 302
    assert response["Location"] == _members_url(body)
    membership = Membership.objects.get(body=body, person=person)
    assert membership.role == "key_person"
    assert membership.organisation == group
    assert membership.voting_right is False
    assert (membership.start, membership.end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2027, 2, 28),
    )
    page = client.get(response["Location"])
    assert_valid_html(page)
    assert 'class="message message-success"' in page.content.decode()
    assert "Lucía Ferreira" in page.content.decode()


@pytest.mark.django_db
def test_the_chair_adds_a_new_person_by_name(client, chair):
    body = BodyFactory()
    group = OrganisationFactory()
    client.force_login(chair(body))
    response = client.post(
        _members_url(body),
        _add_data(new_person_name="  Greta Sommer  ", role="delegate", organisation=group.pk),
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Greta Sommer")
    assert person.organisation == group
    assert Membership.objects.get(body=body, person=person).role == "delegate"


@pytest.mark.django_db
def test_it_confirms_a_new_member_in_german(client, make_user):
    """Needs the German catalogue of this issue."""
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        _members_url(body), _add_data(new_person_name="Greta Sommer"), follow=True
    )
    assert "Greta Sommer wurde als Mitglied hinzugefügt." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # messages of the existing rules (model and add_membership)
        (
            {"new_person_name": "Neu", "role": "delegate"},
            None,
            "Delegierte müssen eine Organisation vertreten.",
        ),
        (
            {"new_person_name": "Neu", "end": "2026-01-01"},
            "end",
            "Das Ende der Amtszeit darf nicht vor ihrem Beginn liegen.",
        ),
        # Django's own messages
        ({"new_person_name": "Neu", "side": ""}, "side", "Dieses Feld ist zwingend erforderlich."),
        ({"new_person_name": "Neu", "side": "mars"}, "side", "Bitte eine gültige Auswahl treffen."),
        ({"new_person_name": "Neu", "role": "king"}, "role", "Bitte eine gültige Auswahl treffen."),
        ({"new_person_name": "Neu", "start": "gestern"}, "start", "Bitte ein gültiges Datum"),
        ({"new_person_name": "Neu", "organisation": "x"}, "organisation", "Bitte eine gültige"),
        ({"person": "999999"}, "person", "Bitte eine gültige Auswahl treffen."),
        ({"new_person_name": "x" * 201}, "new_person_name", "höchstens 200 Zeichen"),
    ],
)
def test_bad_member_input_gets_a_german_message_and_changes_nothing(
    client, make_user, overrides, field, message
):
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    before = (Membership.objects.count(), Person.objects.count())
    response = client.post(_members_url(body), _add_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert_valid_html(response)
    if field:
        assert f'id="id_{field}_error"' in content
        assert "id_" + field + '_error"' in content.split('aria-invalid="true"')[1].split(">")[0]
    else:
        assert 'class="error-summary" role="alert"' in content
    assert (Membership.objects.count(), Person.objects.count()) == before


@pytest.mark.django_db
def test_a_voting_member_of_a_group_voting_body_needs_an_organisation_and_no_person_is_left(
    client, make_user
):
    group_body = BodyFactory(voting_unit=VotingUnit.ORGANISATION, run_by_aks_team=True)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(_members_url(group_body), _add_data(new_person_name="Neue Delegierte"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "müssen stimmberechtigte Mitglieder eine Organisation vertreten" in content
    assert 'id="id_organisation_error"' in content
    assert_valid_html(response)
    assert not Person.objects.filter(name="Neue Delegierte").exists()
    assert not Membership.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("both", [False, True])
def test_it_needs_either_a_person_or_a_new_name(client, make_user, both):
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    overrides = {"person": PersonFactory().pk, "new_person_name": "Neu"} if both else {}
    response = client.post(_members_url(body), _add_data(**overrides))
    assert response.status_code == 200
    assert 'id="id_person_error"' in response.content.decode()
    assert not Membership.objects.exists()
    assert not Person.objects.filter(name="Neu").exists()


@pytest.mark.django_db
def test_it_asks_for_a_person_in_german(client, make_user):
    """Needs the German catalogue of this issue."""
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(_members_url(body), _add_data())
    assert (
        "Bitte wählen Sie eine Person aus oder geben Sie den Namen einer neuen Person ein."
        in response.content.decode()
    )


@pytest.mark.django_db
def test_the_service_refuses_an_overlapping_term_in_the_same_role():
    body = BodyFactory()
    person = PersonFactory()
    MembershipFactory(body=body, person=person, start=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        add_member(body=body, person=person, side="civil_society", start=datetime.date(2026, 6, 1))
    assert "person" in error.value.message_dict
    # Another role, or a term after the first has ended, is fine.
    add_member(body=body, person=person, side="civil_society", role="deputy")
    assert Membership.objects.count() == 2


@pytest.mark.django_db
def test_the_service_adds_a_follow_up_term_after_the_last_one_ended():
    body = BodyFactory()
    person = PersonFactory()
    MembershipFactory(
        body=body, person=person, start=datetime.date(2025, 3, 1), end=datetime.date(2026, 2, 28)
    )
    add_member(
        body=body,
        person=person,
        side="civil_society",
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2027, 2, 28),
    )
    assert Membership.objects.filter(body=body, person=person).count() == 2


# --- ending terms -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_chair_ends_a_running_term(client, chair):
    body = BodyFactory()
    membership = MembershipFactory(body=body, person=PersonFactory(name="Jonas Peschke"))
    client.force_login(chair(body))
    response = client.post(_end_url(membership), {f"end-{membership.pk}-end": TODAY.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == _members_url(body)
    membership.refresh_from_db()
    assert membership.end == TODAY
    page = client.get(response["Location"])
    assert_valid_html(page)
    assert 'class="message message-success"' in page.content.decode()


@pytest.mark.django_db
def test_a_term_ended_in_the_past_moves_to_the_former_members(client, make_user):
    body = BodyFactory(run_by_aks_team=True)
    membership = MembershipFactory(body=body, person=PersonFactory(name="Jonas Peschke"))
    client.force_login(make_user(roles.V_EXTERN))
    yesterday = TODAY - datetime.timedelta(days=1)
    client.post(_end_url(membership), {f"end-{membership.pk}-end": yesterday.isoformat()})
    content = client.get(_members_url(body)).content.decode()
    assert "Jonas Peschke" in content.split('id="former-heading"')[1]
    assert not Membership.objects.active().filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_it_confirms_the_end_of_a_term_in_german(client, make_user):
    """Needs the German catalogue of this issue."""
    membership = MembershipFactory(
        person=PersonFactory(name="Jonas Peschke"), body__run_by_aks_team=True
    )
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        _end_url(membership), {f"end-{membership.pk}-end": "2026-11-30"}, follow=True
    )
    assert "Die Amtszeit von Jonas Peschke endet am 30.11.2026." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-12-31", "Das Ende der Amtszeit darf nicht vor ihrem Beginn liegen."),
        ("31.02.2026", "Bitte ein gültiges Datum eingeben."),
        ("", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_bad_end_gets_a_german_message_and_changes_nothing(client, make_user, value, message):
    membership = MembershipFactory(start=datetime.date(2024, 1, 1), body__run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(_end_url(membership), {f"end-{membership.pk}-end": value})
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    error_id = f"id_end-{membership.pk}-end_error"
    assert f'id="{error_id}"' in content
    assert f'aria-describedby="{error_id}"' in content
    assert_valid_html(response)
    membership.refresh_from_db()
    assert membership.end is None


@pytest.mark.django_db
def test_a_term_that_has_already_ended_cannot_be_ended_again(client, make_user):
    membership = MembershipFactory(
        start=datetime.date(2024, 1, 1), end=datetime.date(2025, 1, 1), body__run_by_aks_team=True
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(_end_url(membership), {f"end-{membership.pk}-end": "2024-06-01"})
    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()
    assert_valid_html(response)
    membership.refresh_from_db()
    assert membership.end == datetime.date(2025, 1, 1)


@pytest.mark.django_db
def test_the_service_only_shortens_a_term():
    membership = MembershipFactory(
        start=datetime.date(2026, 3, 1), end=TODAY + datetime.timedelta(days=30)
    )
    with pytest.raises(ValidationError) as error:
        end_membership(membership=membership, end=TODAY + datetime.timedelta(days=60))
    assert "end" in error.value.message_dict
    end_membership(membership=membership, end=TODAY)
    membership.refresh_from_db()
    assert membership.end == TODAY


@pytest.mark.django_db
def test_the_service_refuses_an_end_before_the_start_in_german():
    membership = MembershipFactory(start=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        end_membership(membership=membership, end=datetime.date(2026, 2, 28))
    assert error.value.message_dict["end"] == [
        "Das Ende der Amtszeit darf nicht vor ihrem Beginn liegen."
    ]
    membership.refresh_from_db()
    assert membership.end is None


# --- queries ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("manager", ["chair", "v_intern"])
def test_the_members_page_needs_the_same_queries_for_10_and_200_memberships(
    client, chair, make_user, django_assert_max_num_queries, size, manager
):
    body = BodyFactory(run_by_aks_team=True)
    groups = OrganisationFactory.create_batch(5)
    for i in range(size):
        MembershipFactory(
            body=body,
            organisation=groups[i % 5],
            end=datetime.date(2025, 1, 1) if i % 3 == 0 else None,
        )
    user = chair(body) if manager == "chair" else make_user(roles.V_INTERN)
    client.force_login(user)
    # session + user + roles, body, may change (visible, leads, guardian's two grant
    # lookups, a content type on a cold cache), memberships, people and organisations
    # of the form
    with django_assert_max_num_queries(12):
        response = client.get(_members_url(body))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= size
