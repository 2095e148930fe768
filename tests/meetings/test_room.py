"""In the room: the chair records commitments and counts on a phone; the staff check
makes a commitment public. Unchecked commitments stay off every public output."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from bodies.access import Visibility
from bodies.models import MembershipRole, PollKind, PollStatus
from bodies.services import create_poll, open_poll
from meetings import room, selectors
from meetings.models import Commitment, MeetingKind
from oparl.selectors import public_organisations
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.meetings.factories_events import EventFactory
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

# Who runs a meeting: the AKS staff and the body's chair (``meetings.change_meeting``).
RUNS = {"v_extern", "v_intern", "superuser", "chair"}
# Who checks commitments: the AKS staff.
CHECKS = {"v_extern", "v_intern", "superuser"}


@pytest.fixture
def assembly(db):
    return MeetingFactory(kind=MeetingKind.PUBLIC_ASSEMBLY, title="Große Versammlung")


def _user(persona, name, body):
    if name == "chair":
        user = UserFactory()
        MembershipFactory(person=PersonFactory(user=user), body=body, role=MembershipRole.CHAIR)
        return user
    return persona(name, body=body)


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _recorded(meeting, **kwargs) -> Commitment:
    from bodies.models import Organisation

    values = {
        "organisation": Organisation.objects.filter(
            name="Bezirksamt Friedrichshain-Kreuzberg"
        ).first()
        or OrganisationFactory(name="Bezirksamt Friedrichshain-Kreuzberg"),
        "what": "Prüft die Zwischennutzung der Alten Feuerwache bis zum Sommer.",
        "promised_by_name": "Bezirksstadträtin Müller",
    }
    values.update(kwargs)
    return room.record_commitment(meeting=meeting, by=None, **values)


def _answer(response, name):
    if name in RUNS:
        return response.status_code == 200
    if name == "anonymous":
        return response.status_code == 302 and "anmelden" in response["Location"]
    return response.status_code == 403


# --- who uses the room ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PERSONAS, "chair"])
def test_the_meeting_page_links_the_room_to_those_who_run_the_meeting(client, persona, name):
    meeting = MeetingFactory(kind=MeetingKind.PUBLIC_ASSEMBLY, visibility=Visibility.PUBLIC)
    _login(client, _user(persona, name, meeting.body))
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    room_url = reverse("meetings:room", args=[meeting.pk])
    assert (f'href="{room_url}"' in page.content.decode()) is (name in RUNS)


@pytest.mark.parametrize("name", [*PERSONAS, "chair"])
def test_it_lets_only_those_who_run_the_meeting_use_the_room(client, persona, assembly, name):
    organisation = OrganisationFactory()
    _login(client, _user(persona, name, assembly.body))
    url = reverse("meetings:room", args=[assembly.pk])

    page = client.get(url)
    assert _answer(page, name), page.status_code
    response = client.post(url, {"organisation": organisation.pk, "what": "Sagt zu: Bänke."})

    recorded = Commitment.objects.filter(meeting=assembly).first()
    if name in RUNS:
        assert_valid_html(page)
        assert response.status_code == 302
        assert recorded is not None and recorded.checked_at is None
        assert recorded.what == "Sagt zu: Bänke."
    else:
        assert recorded is None
        assert response.status_code in (302, 403)


def test_it_answers_404_for_the_room_of_a_meeting_the_reader_may_not_see(client, make_user):
    from aks.accounts import roles

    meeting = MeetingFactory(visibility=Visibility.ADMIN_INTERNAL)
    client.force_login(make_user(roles.V_EXTERN))
    assert client.get(reverse("meetings:room", args=[meeting.pk])).status_code == 404


def test_it_shows_form_errors_tied_to_their_fields(client, make_user, assembly):
    from aks.accounts import roles

    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(reverse("meetings:room", args=[assembly.pk]), {"what": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_organisation_error"' in content and 'id="id_what_error"' in content
    assert_valid_html(response)


# --- unchecked commitments are not public ----------------------------------------------------


def test_it_keeps_unchecked_commitments_off_every_public_output(client, assembly, make_user):
    from aks.accounts import roles

    commitment = _recorded(assembly)
    organisation = commitment.organisation
    anonymous = AnonymousUser()

    assert not selectors.public_commitments().filter(pk=commitment.pk).exists()
    assert not Commitment.objects.visible_to(anonymous).filter(pk=commitment.pk).exists()
    # OParl names an organisation only for a public reason; an unchecked promise is none.
    assert not public_organisations().filter(pk=organisation.pk).exists()
    tracker = client.get(reverse("meetings:tracker")).content.decode()
    assert "Alten Feuerwache" not in tracker
    # Members of the body and the councillor do not see it before the check either.
    for user in (make_user(roles.COUNCILLOR), make_user(roles.ASSOCIATION_MEMBER)):
        assert not Commitment.objects.visible_to(user).filter(pk=commitment.pk).exists()
        client.force_login(user)
        listing = client.get(reverse("meetings:commitments")).content.decode()
        assert "Alten Feuerwache" not in listing
    # The staff see it, with its state.
    staff = make_user(roles.V_EXTERN)
    assert Commitment.objects.visible_to(staff).filter(pk=commitment.pk).exists()

    room.check_commitment(
        commitment=commitment,
        by=staff,
        organisation=organisation,
        what=commitment.what,
        promised_by_name=commitment.promised_by_name,
    )

    assert selectors.public_commitments().filter(pk=commitment.pk).exists()
    assert public_organisations().filter(pk=organisation.pk).exists()
    client.logout()
    tracker = client.get(reverse("meetings:tracker")).content.decode()
    assert "Alten Feuerwache" in tracker and "Bezirksstadträtin Müller" in tracker


def test_it_keeps_unchecked_commitments_off_the_event_page(client):
    event = EventFactory(kind=MeetingKind.PUBLIC_ASSEMBLY)
    _recorded(event)
    page = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert "Alten Feuerwache" not in page


def test_it_counts_commitments_made_before_as_checked(assembly):
    commitment = Commitment.objects.create(
        meeting=assembly, organisation=OrganisationFactory(), what="Vorher zugesagt."
    )
    assert commitment.checked_at is not None
    assert selectors.public_commitments().filter(pk=commitment.pk).exists()


# --- the staff check -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PERSONAS, "chair"])
def test_it_lets_only_the_staff_check_a_commitment(client, persona, assembly, name):
    commitment = _recorded(assembly)
    _login(client, _user(persona, name, assembly.body))

    review = client.get(reverse("meetings:commitment_review"))
    prefix = f"c{commitment.pk}-"
    response = client.post(
        reverse("meetings:commitment_check", args=[commitment.pk]),
        {
            prefix + "organisation": commitment.organisation_id,
            prefix + "what": "Prüft die Zwischennutzung bis 30. Juni.",
            prefix + "promised_by_name": "Bezirksstadträtin Müller",
            prefix + "visibility": Visibility.PUBLIC,
        },
    )

    commitment.refresh_from_db()
    if name in CHECKS:
        assert review.status_code == 200
        assert "Alten Feuerwache" in review.content.decode()
        assert_valid_html(review)
        assert response.status_code == 302
        assert commitment.checked_at is not None
        assert commitment.what == "Prüft die Zwischennutzung bis 30. Juni."
    else:
        assert commitment.checked_at is None
        if name == "anonymous":
            assert review.status_code == 302 and "anmelden" in review["Location"]
        else:
            assert review.status_code == 403
        # The chair sees the commitment but may not check it; others do not see it at all.
        assert response.status_code in (302, 403, 404)


def test_it_applies_the_corrections_of_the_check(assembly, make_user):
    from aks.accounts import roles

    staff = make_user(roles.V_INTERN)
    commitment = _recorded(assembly)
    person = PersonFactory(name="Clara Müller")
    other = OrganisationFactory(name="Senatsverwaltung")

    room.check_commitment(
        commitment=commitment,
        by=staff,
        organisation=other,
        person=person,
        promised_by_name="wird verworfen",
        what="  Richtig gestellt.  ",
        visibility=Visibility.MEMBERS,
    )

    commitment.refresh_from_db()
    assert commitment.organisation == other and commitment.person == person
    assert commitment.promised_by_name == "" and commitment.promised_by == "Clara Müller"
    assert commitment.what == "Richtig gestellt."
    assert commitment.visibility == Visibility.MEMBERS
    assert commitment.checked_by == staff
    # Checked but members only: still not on the public tracker.
    assert not selectors.public_commitments().filter(pk=commitment.pk).exists()


def test_it_refuses_to_check_twice_or_to_discard_a_checked_commitment(assembly):
    commitment = _recorded(assembly)
    room.check_commitment(
        commitment=commitment, by=None, organisation=commitment.organisation, what="Einmal."
    )
    with pytest.raises(room.RoomError):
        room.check_commitment(
            commitment=commitment, by=None, organisation=commitment.organisation, what="Zweimal."
        )
    with pytest.raises(room.RoomError):
        room.discard_commitment(commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.what == "Einmal."


def test_it_refuses_a_check_more_open_than_the_meeting(make_user):
    meeting = MeetingFactory(visibility=Visibility.TEAM)
    commitment = _recorded(meeting)
    with pytest.raises(room.RoomError):
        room.check_commitment(
            commitment=commitment,
            by=None,
            organisation=commitment.organisation,
            what="Zu offen.",
            visibility=Visibility.PUBLIC,
        )


def test_staff_discard_a_commitment_recorded_by_mistake(client, make_user, assembly):
    from aks.accounts import roles

    commitment = _recorded(assembly)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(reverse("meetings:commitment_discard", args=[commitment.pk]))
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=commitment.pk).exists()


# --- counts of a show of hands ------------------------------------------------------------------


def _analog_poll(meeting, *, kind=PollKind.YES_NO_ABSTAIN, voters=0, **kwargs):
    """An open poll counted by show of hands, with ``voters`` more members on its roll."""
    from meetings.services import add_agenda_item

    MembershipFactory.create_batch(voters, body=meeting.body)
    poll = create_poll(
        body=meeting.body,
        title="Antrag Feuerwache",
        kind=kind,
        counting="analog",
        visibility=Visibility.PUBLIC,
        **kwargs,
    )
    poll = open_poll(poll=poll)
    item = add_agenda_item(meeting=meeting, title="Abstimmung")
    item.polls.add(poll)
    return poll


def _counts(poll, *, valid, per_option):
    data = {f"poll{poll.pk}-valid": valid, f"poll{poll.pk}-invalid": 0}
    for option, count in zip(poll.options.order_by("position"), per_option, strict=True):
        data[f"poll{poll.pk}-option_{option.pk}"] = count
    return data


def test_the_chair_enters_the_counts_and_closes_the_poll(client, assembly):
    chair = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=chair), body=assembly.body, role=MembershipRole.CHAIR
    )
    poll = _analog_poll(assembly, voters=100)
    client.force_login(chair)

    page = client.get(reverse("meetings:room", args=[assembly.pk]))
    assert "Antrag Feuerwache" in page.content.decode()
    wrong = client.post(
        reverse("meetings:room_counts", args=[assembly.pk, poll.pk]),
        _counts(poll, valid=100, per_option=[50, 20, 10]),
    )
    assert wrong.status_code == 400  # the counts do not add up to the ballots
    assert_valid_html(wrong)
    saved = client.post(
        reverse("meetings:room_counts", args=[assembly.pk, poll.pk]),
        _counts(poll, valid=100, per_option=[70, 20, 10]),
    )
    assert saved.status_code == 302
    poll.refresh_from_db()
    assert poll.valid_ballots == 100

    closed = client.post(reverse("meetings:room_close_poll", args=[assembly.pk, poll.pk]))
    assert closed.status_code == 302
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED and poll.adopted is True


def test_the_room_refuses_more_ballots_than_voters_on_the_roll_and_changes_nothing(
    client, assembly
):
    chair = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=chair), body=assembly.body, role=MembershipRole.CHAIR
    )
    poll = _analog_poll(assembly, voters=9)  # ten on the roll, the chair included
    client.force_login(chair)
    data = _counts(poll, valid=10, per_option=[8, 1, 1])
    data[f"poll{poll.pk}-invalid"] = 1
    response = client.post(reverse("meetings:room_counts", args=[assembly.pk, poll.pk]), data)
    assert response.status_code == 400
    assert_valid_html(response)
    assert (
        "Gültige und ungültige Stimmen (zusammen 11) dürfen nicht mehr sein als die "
        "10 Stimmberechtigten." in response.content.decode()
    )
    poll.refresh_from_db()
    assert poll.valid_ballots is None
    assert list(poll.options.values_list("analog_count", flat=True)) == [None, None, None]


def test_staff_get_no_counts_form_in_the_room_of_a_body_the_team_does_not_run(
    client, make_user, assembly
):
    from aks.accounts import roles

    poll = _analog_poll(assembly, voters=3)
    client.force_login(make_user(roles.V_EXTERN))
    assert not assembly.body.run_by_aks_team
    page = client.get(reverse("meetings:room", args=[assembly.pk]))
    assert page.status_code == 200
    assert reverse("meetings:room_counts", args=[assembly.pk, poll.pk]) not in page.content.decode()
    assembly.body.run_by_aks_team = True
    assembly.body.save()
    page = client.get(reverse("meetings:room", args=[assembly.pk]))
    assert reverse("meetings:room_counts", args=[assembly.pk, poll.pk]) in page.content.decode()


def test_the_room_only_counts_polls_on_its_own_agenda(client, make_user, assembly):
    from aks.accounts import roles

    elsewhere = _analog_poll(MeetingFactory(body=assembly.body))
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:room_counts", args=[assembly.pk, elsewhere.pk]),
        _counts(elsewhere, valid=3, per_option=[1, 1, 1]),
    )
    assert response.status_code == 404


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_room_review_and_tracker_pages_take_constant_queries(
    client, make_user, assembly, django_assert_max_num_queries, size
):
    from aks.accounts import roles

    for i in range(size):
        commitment = _recorded(assembly, what=f"Zusage {i}")
        if i % 2:
            room.check_commitment(
                commitment=commitment, by=None, organisation=commitment.organisation, what="Ok."
            )
    for _ in range(2):
        _analog_poll(assembly)
    client.force_login(make_user(roles.V_EXTERN))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("meetings:room", args=[assembly.pk])).status_code == 200
    # The check forms share one read of the organisations and people.
    with django_assert_max_num_queries(16):
        assert client.get(reverse("meetings:commitment_review")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:tracker")).status_code == 200
