"""Action items, commitments and the public tracker ("Wort halten")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Commitment,
    CommitmentNote,
    CommitmentStatus,
)
from meetings.services import (
    MeetingError,
    add_action_item,
    add_commitment,
    add_commitment_note,
    set_commitment_status,
)
from tests.factories import XSS, BodyFactory, OrganisationFactory
from tests.html import assert_valid_html
from tests.personas import PERSONAS, SEES

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

WRITERS = {"v_extern", "v_intern", "superuser"}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_lists_and_tracker_follow_the_kernel(client, persona, name, level):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    organisation = OrganisationFactory()
    item = add_action_item(meeting=meeting, title=f"Aufgabe {XSS}", visibility=level)
    commitment = add_commitment(
        meeting=meeting, organisation=organisation, what="Zusage Q", visibility=level
    )
    user = persona(name, body=meeting.body)
    _login(client, user)
    expected = level in SEES[name]

    for url_name in ["action_items", "commitments", "tracker"]:
        response = client.get(reverse(f"meetings:{url_name}"))
        assert response.status_code == 200
        assert_valid_html(response)
    assert ("Aufgabe " in client.get(reverse("meetings:action_items")).content.decode()) is expected
    assert ("Zusage Q" in client.get(reverse("meetings:commitments")).content.decode()) is expected
    tracker = client.get(reverse("meetings:tracker")).content.decode()
    assert ("Zusage Q" in tracker) is (level == Visibility.PUBLIC)

    posts = [
        (reverse("meetings:action_item_status", args=[item.pk]), {f"ai{item.pk}-status": "done"}),
        (
            reverse("meetings:commitment_status", args=[commitment.pk]),
            {f"c{commitment.pk}-status": "kept"},
        ),
        (
            reverse("meetings:commitment_note", args=[commitment.pk]),
            {f"n{commitment.pk}-text": "Fortschritt"},
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        status = response.status_code
        if user is None:
            # Anonymous writes are sent to log in, whatever the object's level.
            assert response["Location"].startswith(reverse("accounts:login")), url
        elif not expected:
            assert status == 404, url
        elif name not in WRITERS:
            assert status == 403, url
        else:
            assert status == 302, url
    item.refresh_from_db()
    commitment.refresh_from_db()
    changed = expected and name in WRITERS
    assert (item.status == ActionItemStatus.DONE) is changed
    assert (commitment.status == CommitmentStatus.KEPT) is changed


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_adding_to_a_meeting_follows_the_kernel(client, persona, name, level):
    meeting = MeetingFactory(visibility=level)
    organisation = OrganisationFactory()
    user = persona(name, body=meeting.body)
    _login(client, user)
    expected = level in SEES[name]
    for url_name, data in [
        ("action_item_add", {"title": "Neu", "visibility": level}),
        (
            "commitment_add",
            {"organisation": organisation.pk, "what": "Neu", "visibility": level},
        ),
    ]:
        url = reverse(f"meetings:{url_name}", args=[meeting.pk])
        get_status = client.get(url).status_code
        post_status = client.post(url, data).status_code
        if user is None:
            assert (get_status, post_status) == (302, 302)
        elif not expected:
            assert (get_status, post_status) == (404, 404)
        elif name not in WRITERS:
            assert (get_status, post_status) == (403, 403)
        else:
            assert (get_status, post_status) == (200, 302)
    created = expected and name in WRITERS
    assert ActionItem.objects.filter(meeting=meeting).exists() is created
    assert Commitment.objects.filter(meeting=meeting).exists() is created


def test_a_hidden_meeting_hides_its_public_commitments(client):
    meeting = MeetingFactory(visibility=Visibility.TEAM)
    add_commitment(
        meeting=meeting,
        organisation=OrganisationFactory(),
        what="Hinter verschlossener Tür",
        visibility=Visibility.PUBLIC,
    )
    content = client.get(reverse("meetings:tracker")).content.decode()
    assert "Hinter verschlossener Tür" not in content


def test_the_tracker_counts_kept_and_broken_per_organisation(client):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    organisation = OrganisationFactory(name="Stadtwerke")
    kept = add_commitment(meeting=meeting, organisation=organisation, what="Bänke aufstellen")
    set_commitment_status(
        commitment=kept, status=CommitmentStatus.KEPT, note="Bänke stehen seit Mai"
    )
    broken = add_commitment(meeting=meeting, organisation=organisation, what="Beleuchtung")
    set_commitment_status(commitment=broken, status=CommitmentStatus.BROKEN)
    add_commitment(meeting=meeting, organisation=organisation, what="Radweg")
    response = client.get(reverse("meetings:tracker"))
    assert_valid_html(response)
    content = response.content.decode()
    assert "Stadtwerke" in content
    assert "Bänke stehen seit Mai" in content
    assert f"{CommitmentStatus.KEPT.label}: 1" in content
    assert f"{CommitmentStatus.BROKEN.label}: 1" in content
    assert f"{CommitmentStatus.PROMISED.label}: 1" in content


def test_status_and_note_are_one_transaction():
    meeting = MeetingFactory()
    commitment = add_commitment(
        meeting=meeting, organisation=OrganisationFactory(), what="Versprochen"
    )
    with pytest.raises(MeetingError):
        set_commitment_status(commitment=commitment, status="nonsense", note="Notiz")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.PROMISED
    assert not CommitmentNote.objects.exists()
    set_commitment_status(commitment=commitment, status="in_progress", note="Läuft")
    assert commitment.notes.get().text == "Läuft"
    with pytest.raises(MeetingError):
        add_commitment_note(commitment=commitment, text="  ")


def test_bad_input_gives_german_errors_not_500(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.TEAM)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:commitment_add", args=[meeting.pk]),
        {"organisation": "x", "what": "", "visibility": Visibility.PUBLIC, "due": "gestern"},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    response = client.post(
        reverse("meetings:action_item_add", args=[meeting.pk]),
        {"title": "", "visibility": Visibility.PUBLIC},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    commitment = add_commitment(meeting=meeting, organisation=OrganisationFactory(), what="x")
    response = client.post(
        reverse("meetings:commitment_status", args=[commitment.pk]),
        {f"c{commitment.pk}-status": "nonsense"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.PROMISED


def test_action_items_filter_by_body_and_status(client, make_user):
    first, second = BodyFactory(), BodyFactory()
    open_item = add_action_item(meeting=MeetingFactory(body=first), title="Offen A")
    done = add_action_item(meeting=MeetingFactory(body=first), title="Erledigt A")
    done.status = ActionItemStatus.DONE
    done.save()
    add_action_item(meeting=MeetingFactory(body=second), title="Offen B")
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:action_items")
    content = client.get(url).content.decode()
    assert "Offen A" in content and "Offen B" in content and "Erledigt A" not in content
    content = client.get(url, {"body": first.pk, "status": ""}).content.decode()
    assert "Offen A" in content and "Erledigt A" in content and "Offen B" not in content
    content = client.get(url, {"status": "done"}).content.decode()
    assert "Erledigt A" in content and open_item.title not in content


def _many(count):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    organisations = [OrganisationFactory() for _ in range(5)]
    commitments = Commitment.objects.bulk_create(
        Commitment(
            meeting=meeting,
            organisation=organisations[n % 5],
            what=f"Zusage {n}",
            due=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    )
    CommitmentNote.objects.bulk_create(
        CommitmentNote(commitment=c, text="Notiz") for c in commitments[::3]
    )
    ActionItem.objects.bulk_create(
        ActionItem(meeting=meeting, title=f"Aufgabe {n}", visibility=Visibility.PUBLIC)
        for n in range(count)
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_query_counts_hold_with_10_and_500(client, make_user, who):
    if who == "staff":
        client.force_login(make_user(roles.V_EXTERN))
    urls = [reverse(f"meetings:{n}") for n in ["tracker", "commitments", "action_items"]]
    _many(10)
    small = [_count(client, url) for url in urls]
    _many(490)
    big = [_count(client, url) for url in urls]
    assert small == big, (small, big)
    assert max(big) <= 20


def test_the_status_form_does_not_redirect_elsewhere(client, make_user):
    item = add_action_item(meeting=MeetingFactory(), title="Aufgabe")
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:action_item_status", args=[item.pk]),
        {f"ai{item.pk}-status": "done", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:action_items")
