"""The audit trail on each object's page: staff see who changed what and when."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodies.access import Visibility
from bodies.history import history_rows, history_rows_for
from bodies.models import Decision, Membership, MembershipRole, Participation, Poll, Vote
from bodies.services import create_poll, record_decision
from meetings.models import Commitment
from meetings.services import add_commitment, set_commitment_status
from spaces.models import OwnerKind
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.personas import PERSONAS
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db

HISTORY_MARK = '<details class="history">'
READERS = {"v_extern", "v_intern", "superuser"}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _change(obj, author, **fields):
    """Save a change the way a request through HistoryRequestMiddleware would."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = author
    obj.save()
    return obj


def _poll_with_changes(count: int, author) -> Poll:
    body = BodyFactory(visibility=Visibility.PUBLIC, run_by_aks_team=True)
    poll = create_poll(body=body, title="Antrag", visibility=Visibility.PUBLIC)
    for n in range(count):
        _change(Poll.objects.get(pk=poll.pk), author, motion=f"Fassung {n}")
    return poll


def test_it_keeps_no_history_of_ballots():
    # A history row's time and order would join a secret Participation to its Vote.
    assert not hasattr(Vote, "history")
    assert not hasattr(Participation, "history")


@pytest.mark.parametrize("name", PERSONAS)
def test_it_shows_the_history_of_polls_and_decisions_to_staff_only(client, persona, name):
    author = UserFactory(display_name="Die Protokollantin")
    poll = _poll_with_changes(1, author)
    decision = record_decision(
        body=poll.body,
        title="Beschluss",
        decided_on=datetime.date(2026, 3, 1),
        visibility=Visibility.PUBLIC,
    )
    _change(decision, author, text="Neu gefasst")
    _login(client, persona(name, body=poll.body))
    for url in [
        reverse("bodies:poll", args=[poll.pk]),
        reverse("bodies:decision", args=[decision.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_valid_html(response)
        content = response.content.decode()
        assert (HISTORY_MARK in content) is (name in READERS), url
        assert ("Die Protokollantin" in content) is (name in READERS), url


def test_it_names_the_changed_fields_not_their_values():
    author = UserFactory()
    poll = _poll_with_changes(1, author)
    rows = history_rows(poll)
    assert [row.kind for row in rows] == ["~", "+"]
    assert rows[0].changes == [str(Poll._meta.get_field("motion").verbose_name)]
    assert rows[0].user == author
    assert all("Fassung" not in change for row in rows for change in row.changes)


def test_it_names_non_editable_fields_such_as_a_space_status():
    space = SpaceFactory()
    _change(space, None, status="in_negotiation")
    assert history_rows(space)[0].changes == [
        str(type(space)._meta.get_field("status").verbose_name)
    ]


def test_it_hides_owner_fields_from_staff_who_may_not_see_the_owner(client, make_user):
    space = SpaceFactory(
        visibility=Visibility.TEAM,
        owner_visibility=Visibility.ADMIN_INTERNAL,
        owner_kind=OwnerKind.PRIVATE,
        owner_notes="Erbengemeinschaft Geheim",
    )
    _change(space, None, owner_notes="Erbengemeinschaft Neu", description="Neue Beschreibung")
    field_name = str(type(space)._meta.get_field("owner_notes").verbose_name)

    _login(client, make_user("v-extern"))
    content = client.get(reverse("spaces:detail", args=[space.pk])).content.decode()
    assert HISTORY_MARK in content
    assert field_name not in content
    assert "Erbengemeinschaft" not in content

    client.logout()
    _login(client, make_user("v-intern"))
    content = client.get(reverse("spaces:detail", args=[space.pk])).content.decode()
    assert field_name in content


def test_it_records_the_acting_user_through_the_middleware(client, make_user):
    staff = make_user("v-intern")
    poll = _poll_with_changes(0, None)
    _login(client, staff)
    response = client.post(reverse("bodies:poll_open", args=[poll.pk]))
    assert response.status_code == 302
    assert poll.history.latest().history_user == staff


def test_it_shows_membership_changes_to_staff_but_not_to_a_chair(client, make_user, member_of):
    body = BodyFactory(run_by_aks_team=True)
    MembershipFactory(body=body)
    chair = make_user()
    member_of(chair, body, role=MembershipRole.CHAIR)
    membership = Membership.objects.filter(body=body).exclude(person__user=chair).get()
    _change(membership, None, end=datetime.date(2026, 12, 31))

    _login(client, chair)
    response = client.get(reverse("bodies:members", args=[body.slug]))
    assert response.status_code == 200
    assert HISTORY_MARK not in response.content.decode()

    client.logout()
    _login(client, make_user("v-extern"))
    response = client.get(reverse("bodies:members", args=[body.slug]))
    assert_valid_html(response)
    content = response.content.decode()
    assert HISTORY_MARK in content
    assert str(Membership._meta.get_field("end").verbose_name) in content


def test_it_shows_each_commitments_history_in_the_list(client, make_user):
    meeting = MeetingFactory()
    commitment = add_commitment(
        meeting=meeting, organisation=OrganisationFactory(), what="Zusage", visibility="public"
    )
    set_commitment_status(commitment=commitment, status="kept")
    rows = history_rows_for([commitment])[commitment.pk]
    assert [row.kind for row in rows] == ["~", "+"]

    _login(client, make_user("v-extern"))
    response = client.get(reverse("meetings:commitments"))
    assert_valid_html(response)
    assert HISTORY_MARK in response.content.decode()

    client.logout()
    _login(client, make_user("association-member"))
    assert HISTORY_MARK not in client.get(reverse("meetings:commitments")).content.decode()


def test_history_rows_for_keeps_the_newest_rows_of_each_object():
    meeting = MeetingFactory()
    organisation = OrganisationFactory()
    commitments = [
        add_commitment(meeting=meeting, organisation=organisation, what=f"Zusage {n}")
        for n in range(3)
    ]
    for _ in range(4):
        for commitment in commitments:
            _change(Commitment.objects.get(pk=commitment.pk), None, due=datetime.date(2027, 1, 1))
    grouped = history_rows_for(commitments, limit=2)
    assert {pk: len(rows) for pk, rows in grouped.items()} == {c.pk: 2 for c in commitments}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_poll_and_decision_pages_cost_the_same_with_a_long_history(
    client, make_user, django_assert_max_num_queries
):
    staff = make_user("v-intern")
    _login(client, staff)
    small, large = _poll_with_changes(1, staff), _poll_with_changes(15, staff)
    budget = _queries(client, reverse("bodies:poll", args=[small.pk]))
    with django_assert_max_num_queries(budget):
        client.get(reverse("bodies:poll", args=[large.pk]))

    decisions = []
    for count in (1, 15):
        decision = record_decision(
            body=BodyFactory(), title="B", decided_on=datetime.date(2026, 1, 1)
        )
        for n in range(count):
            _change(Decision.objects.get(pk=decision.pk), make_user(), text=f"T{n}")
        decisions.append(decision)
    budget = _queries(client, reverse("bodies:decision", args=[decisions[0].pk]))
    with django_assert_max_num_queries(budget):
        client.get(reverse("bodies:decision", args=[decisions[1].pk]))


def test_members_space_and_commitment_pages_cost_the_same_at_two_sizes(
    client, make_user, django_assert_max_num_queries
):
    _login(client, make_user("v-extern"))
    bodies = []
    for count in (2, 12):
        body = BodyFactory(run_by_aks_team=True)
        for _ in range(count):
            membership = MembershipFactory(body=body)
            _change(membership, make_user(), voting_right=False)
        bodies.append(body)
    budget = _queries(client, reverse("bodies:members", args=[bodies[0].slug]))
    with django_assert_max_num_queries(budget):
        client.get(reverse("bodies:members", args=[bodies[1].slug]))

    spaces = []
    for count in (1, 12):
        space = SpaceFactory(visibility=Visibility.TEAM)
        for n in range(count):
            _change(space, make_user(), description=f"Fassung {n}")
        spaces.append(space)
    budget = _queries(client, reverse("spaces:detail", args=[spaces[0].pk]))
    with django_assert_max_num_queries(budget):
        client.get(reverse("spaces:detail", args=[spaces[1].pk]))

    meeting = MeetingFactory()
    organisation = OrganisationFactory()
    first = add_commitment(meeting=meeting, organisation=organisation, what="Z")
    _change(first, make_user(), due=datetime.date(2027, 1, 1))
    budget = _queries(client, reverse("meetings:commitments"))
    for n in range(10):
        commitment = add_commitment(meeting=meeting, organisation=organisation, what=f"Z{n}")
        _change(commitment, make_user(), due=datetime.date(2027, 1, 1))
    with django_assert_max_num_queries(budget):
        client.get(reverse("meetings:commitments"))


@pytest.mark.parametrize(
    "url_name", ["bodies_poll", "bodies_decision", "bodies_membership", "spaces_space"]
)
def test_the_admin_shows_the_history(client, url_name):
    poll = _poll_with_changes(1, None)
    objects = {
        "bodies_poll": poll,
        "bodies_decision": record_decision(
            body=poll.body, title="B", decided_on=datetime.date(2026, 1, 1)
        ),
        "bodies_membership": MembershipFactory(),
        "spaces_space": SpaceFactory(),
    }
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse(f"admin:{url_name}_history", args=[objects[url_name].pk]))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
