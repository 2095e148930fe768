"""Deleted and depublished objects answer with ``deleted: true`` (OParl 2.8) and appear
in lists only when the client asks with ``modified_since`` (OParl 2.5)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bodies.access import Visibility
from bodies.models import Decision
from meetings.models import AgendaItem
from oparl.models import Tombstone
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import MeetingFactory
from tests.oparl.schema import validate
from tests.spaces.factories import SpaceFactory

BASE = "http://testserver/oparl/v1/"


def _since(seconds=1) -> str:
    return (timezone.localtime() - datetime.timedelta(seconds=seconds)).isoformat()


def _ids(page) -> list[str]:
    return [obj["id"] for obj in page["data"]]


def _deleted(page) -> list[str]:
    return [obj["id"] for obj in page["data"] if obj.get("deleted")]


def _item(meeting, title, position, visibility=Visibility.PUBLIC, parent=None):
    return AgendaItem.objects.create(
        meeting=meeting, title=title, position=position, visibility=visibility, parent=parent
    )


@pytest.mark.django_db
def test_a_deleted_public_meeting_answers_deleted_and_is_listed_only_with_modified_since(
    api,
    validators,
):
    meeting = MeetingFactory()
    url = f"/oparl/v1/meeting/{meeting.pk}/"
    published = api(url)
    since = _since()
    meeting.delete()

    gone = api(url)
    assert gone["deleted"] is True
    assert gone["id"] == published["id"]
    assert gone["type"] == published["type"]
    assert gone["created"] == published["created"]
    assert set(gone) == {"id", "type", "created", "modified", "deleted"}
    assert gone["modified"] >= gone["created"]
    validate(validators, gone)

    listed = api("/oparl/v1/body/1/meeting/", modified_since=since)
    assert _ids(listed) == [published["id"]]
    assert listed["data"][0] == gone
    assert listed["pagination"]["totalElements"] == 1
    # Without modified_since, never (OParl 2.5); nor when it is after the deletion.
    assert api("/oparl/v1/body/1/meeting/")["data"] == []
    later = (timezone.localtime() + datetime.timedelta(minutes=1)).isoformat()
    assert api("/oparl/v1/body/1/meeting/", modified_since=later)["data"] == []
    # The tombstone keeps the meeting's creation time: the created filters see it.
    assert api("/oparl/v1/body/1/meeting/", modified_since=since, created_until=later)["data"] == [
        gone
    ]
    for created in ({"created_until": _since(60)}, {"created_since": later}):
        assert api("/oparl/v1/body/1/meeting/", modified_since=since, **created)["data"] == []


@pytest.mark.django_db
def test_a_deleted_internal_meeting_leaves_no_trace(api):
    body = BodyFactory()
    internal = MeetingFactory(body=body, visibility=Visibility.TEAM)
    _item(internal, "Intern", 1)
    hidden_body_meeting = MeetingFactory(body=BodyFactory(visibility=Visibility.ADMIN_INTERNAL))
    urls = [f"/oparl/v1/meeting/{m.pk}/" for m in (internal, hidden_body_meeting)]
    since = _since()
    internal.delete()
    hidden_body_meeting.delete()

    assert not Tombstone.objects.exists()
    for url in urls:
        api(url, status=404)
    for name in ("meeting", "agendaitem", "organization", "person"):
        assert not _deleted(api(f"/oparl/v1/body/1/{name}/", modified_since=since))


@pytest.mark.django_db
def test_depublishing_tombstones_and_republishing_brings_the_object_back(api):
    meeting = MeetingFactory()
    item = _item(meeting, "TOP", 1)
    url = f"/oparl/v1/meeting/{meeting.pk}/"
    since = _since()

    meeting.visibility = Visibility.TEAM
    meeting.save()
    assert api(url)["deleted"] is True
    assert api(f"/oparl/v1/agendaitem/{item.pk}/")["deleted"] is True
    assert _deleted(api("/oparl/v1/body/1/meeting/", modified_since=since)) == [BASE + url[10:]]

    meeting.visibility = Visibility.PUBLIC
    meeting.save()
    assert not Tombstone.objects.exists()
    again = api(url)
    assert "deleted" not in again
    assert again["agendaItem"][0]["id"] == f"{BASE}agendaitem/{item.pk}/"
    assert not _deleted(api("/oparl/v1/body/1/meeting/", modified_since=since))


@pytest.mark.django_db
def test_deleting_a_body_tombstones_the_public_objects_of_its_cascade(api, validators):
    from django.db.models.signals import pre_delete

    body = BodyFactory()
    other = BodyFactory()
    only_here = MembershipFactory(body=body, organisation=OrganisationFactory())
    also_elsewhere = MembershipFactory(body=body)
    MembershipFactory(body=other, person=also_elsewhere.person)
    body_pk = body.pk
    body_created = api(f"/oparl/v1/organization/body-{body_pk}/")["created"]

    # Django sends pre_delete for every object of the cascade, the memberships too.
    seen = []
    only_here_pk, also_elsewhere_pk = only_here.pk, also_elsewhere.pk

    def listen(sender, instance, **kwargs):
        seen.append((sender.__name__, instance.pk))

    pre_delete.connect(listen)
    try:
        body.delete()
    finally:
        pre_delete.disconnect(listen)
    assert ("Membership", only_here_pk) in seen and ("Body", body_pk) in seen

    keys = set(Tombstone.objects.values_list("key", flat=True))
    assert keys == {
        f"organization/body-{body_pk}/",
        f"organization/organisation-{only_here.organisation_id}/",
        f"membership/{only_here_pk}/",
        f"membership/{also_elsewhere_pk}/",
        f"person/{only_here.person_id}/",
    }
    gone = api(f"/oparl/v1/organization/body-{body_pk}/")
    assert gone["deleted"] is True and gone["created"] == body_created
    # Still public through the other body: no tombstone, still there.
    assert "deleted" not in api(f"/oparl/v1/person/{also_elsewhere.person_id}/")
    for key in keys:
        validate(validators, api(BASE + key))


@pytest.mark.django_db
def test_deleting_a_meeting_tombstones_its_public_agenda_items_with_their_order(
    api,
    validators,
):
    meeting = MeetingFactory()
    _item(meeting, "Eins", 1)
    hidden = _item(meeting, "Intern", 2, visibility=Visibility.ADMIN_INTERNAL)
    _item(meeting, "Unter Intern", 1, parent=hidden)
    two = _item(meeting, "Zwei", 3)
    sub = _item(meeting, "Zwei Unter", 1, parent=two)
    orders = {
        obj["id"]: obj["order"] for obj in api(f"/oparl/v1/meeting/{meeting.pk}/")["agendaItem"]
    }
    since = _since()
    meeting.delete()

    page = api("/oparl/v1/body/1/agendaitem/", modified_since=since)
    assert {obj["id"]: obj["order"] for obj in page["data"]} == orders
    assert len(orders) == 3  # the hidden item and its sub-item are not on the agenda
    for obj in page["data"]:
        assert obj["deleted"] is True
        validate(validators, obj)
    api(f"/oparl/v1/agendaitem/{hidden.pk}/", status=404)
    assert api(f"/oparl/v1/agendaitem/{sub.pk}/")["order"] == orders[f"{BASE}agendaitem/{sub.pk}/"]


@pytest.mark.django_db
def test_depublishing_a_body_tombstones_what_hangs_on_it(api):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, place="Rathaus")
    item = _item(meeting, "TOP", 1)
    decision = Decision.objects.create(
        body=body, year=2026, sequence=1, title="Beschluss", decided_on=datetime.date(2026, 1, 1)
    )
    membership = MembershipFactory(body=body)
    since = _since()
    body.visibility = Visibility.MEMBERS
    body.save(update_fields=["visibility"])

    assert set(Tombstone.objects.values_list("key", flat=True)) == {
        f"organization/body-{body.pk}/",
        f"meeting/{meeting.pk}/",
        f"location/meeting-{meeting.pk}/",
        f"agendaitem/{item.pk}/",
        f"paper/{decision.pk}/",
        f"membership/{membership.pk}/",
        f"person/{membership.person_id}/",
    }
    assert _deleted(api("/oparl/v1/body/1/location/", modified_since=since)) == [
        f"{BASE}location/meeting-{meeting.pk}/"
    ]
    assert _deleted(api("/oparl/v1/body/1/paper/", modified_since=since)) == [
        f"{BASE}paper/{decision.pk}/"
    ]


@pytest.mark.django_db
def test_spaces_decisions_and_persons_are_tombstoned_too(api):
    space = SpaceFactory(visibility=Visibility.PUBLIC)
    decision = Decision.objects.create(
        body=BodyFactory(),
        year=2026,
        sequence=1,
        title="Beschluss",
        decided_on=datetime.date(2026, 1, 1),
    )
    membership = MembershipFactory()
    decision_pk, membership_pk = decision.pk, membership.pk
    since = _since()

    space.visibility = Visibility.TEAM
    space.save()
    decision.delete()
    membership.delete()  # its person was public only through it

    assert api(f"/oparl/v1/location/space-{space.pk}/")["deleted"] is True
    assert api(f"/oparl/v1/paper/{decision_pk}/")["deleted"] is True
    assert api(f"/oparl/v1/membership/{membership_pk}/")["deleted"] is True
    assert api(f"/oparl/v1/person/{membership.person_id}/")["deleted"] is True
    assert _deleted(api("/oparl/v1/body/1/person/", modified_since=since)) == [
        f"{BASE}person/{membership.person_id}/"
    ]

    # A new membership in a public body shows the person again.
    MembershipFactory(person=membership.person)
    assert "deleted" not in api(f"/oparl/v1/person/{membership.person_id}/")
    assert not Tombstone.objects.filter(key=f"person/{membership.person_id}/").exists()


@pytest.mark.django_db
def test_an_organisation_named_only_by_a_commitment_goes_with_it(api):
    from meetings.models import Commitment

    organisation = OrganisationFactory()
    commitment = Commitment.objects.create(
        meeting=MeetingFactory(), organisation=organisation, what="Schlüssel übergeben"
    )
    url = f"/oparl/v1/organization/organisation-{organisation.pk}/"
    assert "deleted" not in api(url)
    commitment.visibility = Visibility.TEAM
    commitment.save()
    assert api(url)["deleted"] is True
    commitment.visibility = Visibility.PUBLIC
    commitment.save()
    assert "deleted" not in api(url)
    commitment.delete()
    assert api(url)["deleted"] is True


@pytest.mark.django_db
def test_a_live_object_wins_over_a_stale_tombstone(api):
    meeting = MeetingFactory()
    Tombstone.objects.create(
        type="Meeting",
        key=f"meeting/{meeting.pk}/",
        object_id=meeting.pk,
        deleted_at=timezone.now(),
    )
    assert "deleted" not in api(f"/oparl/v1/meeting/{meeting.pk}/")
    page = api("/oparl/v1/body/1/meeting/", modified_since=_since(60))
    assert _ids(page) == [f"{BASE}meeting/{meeting.pk}/"]
    assert not _deleted(page)


@pytest.mark.django_db
def test_a_save_that_changes_nothing_public_costs_one_query(django_assert_num_queries):
    meeting = MeetingFactory()
    meeting.title = "Neuer Titel"
    with django_assert_num_queries(2):  # the check and the UPDATE
        meeting.save()
    with django_assert_num_queries(1):
        meeting.save(update_fields=["title"])
    assert not Tombstone.objects.exists()


LISTS = ["organization", "person", "membership", "meeting", "agendaitem", "paper", "location"]


def _grow_and_delete(scale: int):
    for n in range(scale):
        body = BodyFactory()
        MembershipFactory(body=body, organisation=OrganisationFactory())
        meeting = MeetingFactory(body=body, moderator=PersonFactory(), place=f"Ort {n}")
        _item(meeting, "TOP", 1)
        kept = MeetingFactory(body=body, space=SpaceFactory(visibility=Visibility.PUBLIC))
        _item(kept, "TOP", 1)
        Decision.objects.create(
            body=body, year=2026, sequence=n + 1, title="B", decided_on=datetime.date(2026, 1, 1)
        )
        gone = SpaceFactory(visibility=Visibility.PUBLIC)
        meeting.delete()
        gone.delete()
        Decision.objects.filter(body=body).delete()
        dropped = BodyFactory()
        MembershipFactory(body=dropped)
        dropped.delete()


def _queries(path) -> tuple[int, dict]:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_list_pages_with_tombstones_cost_a_constant_number_of_queries(
    name, settings, document_urls
):
    settings.OPARL_PAGE_SIZE = 5
    since = _since(60).replace("+", "%2B")
    first = f"/oparl/v1/body/1/{name}/?modified_since={since}"
    _grow_and_delete(2)
    small, page = _queries(first)
    assert _deleted(page), name
    _grow_and_delete(6)
    large, page = _queries(first)
    assert large <= small, name
    # The last page holds tombstones only (they come after the live objects).
    last, page = _queries(page["links"]["last"].removeprefix("http://testserver"))
    assert page["data"] and all(obj.get("deleted") for obj in page["data"]), name
    assert last <= small, name
