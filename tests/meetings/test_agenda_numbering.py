"""One agenda numbering for every reader: an item the reader may not see keeps its
number as a placeholder that names its level and nothing else, on the page, the
printable agenda and the PDF alike; staff are warned before they save an item at a
level they do not see themselves."""

import datetime
import io
import re

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility, would_see_level
from bodies.models import Decision
from meetings import pdf, selectors, services
from meetings.models import AgendaItem
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db

# Everything of the administration-internal item (and its sub-item) that must never
# reach a reader who may not see it; its decision and space are public themselves.
ADMIN_SECRETS = (
    "Personalsache Amt",
    "Beschreibung der Personalsache",
    "Frau Verborgen",
    "Beschluss zur Personalsache",
    "Laden am Kanal",
    "Unterpunkt der Personalsache",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def joint():
    """A public joint meeting: items and sub-items at a mix of levels.

    1 Begrüßung (public)
    2 Personalsache Amt (admin_internal; presenter, description, decision, space)
      2.1 Unterpunkt der Personalsache (admin_internal)
    3 Trägerinterna (civil_internal)
    4 Raumfrage (public)
      4.1 Teil A (public)   4.2 Teampunkt (team)   4.3 Zivilpunkt (civil_internal)
      4.4 Mitgliederpunkt (members)
    5 Verschiedenes (public)
    """
    body = BodyFactory(name="Steuerungsrunde")
    meeting = MeetingFactory(body=body, title="Gemeinsame Sitzung")
    add = services.add_agenda_item
    add(meeting=meeting, title="Begrüßung")
    secret = add(
        meeting=meeting,
        title="Personalsache Amt",
        description="Beschreibung der Personalsache",
        presenter=PersonFactory(name="Frau Verborgen"),
        visibility=Visibility.ADMIN_INTERNAL,
    )
    secret.decisions.add(
        Decision.objects.create(
            body=body,
            year=2026,
            sequence=1,
            title="Beschluss zur Personalsache",
            decided_on=timezone.localdate(),
            visibility=Visibility.PUBLIC,
        )
    )
    secret.spaces.add(SpaceFactory(name="Laden am Kanal", visibility=Visibility.PUBLIC))
    add(
        meeting=meeting,
        title="Unterpunkt der Personalsache",
        parent=secret,
        visibility=Visibility.ADMIN_INTERNAL,
    )
    add(meeting=meeting, title="Trägerinterna", visibility=Visibility.CIVIL_INTERNAL)
    rooms = add(meeting=meeting, title="Raumfrage")
    add(meeting=meeting, title="Teil A", parent=rooms)
    add(meeting=meeting, title="Teampunkt", parent=rooms, visibility=Visibility.TEAM)
    add(meeting=meeting, title="Zivilpunkt", parent=rooms, visibility=Visibility.CIVIL_INTERNAL)
    add(meeting=meeting, title="Mitgliederpunkt", parent=rooms, visibility=Visibility.MEMBERS)
    add(meeting=meeting, title="Verschiedenes")
    return meeting


def _reader(name, body):
    if name == "anonymous":
        return AnonymousUser()
    if name == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if name == "body_member":
        user = UserFactory()
        MembershipFactory(person=PersonFactory(user=user), body=body)
        return user
    return UserFactory(
        roles=[
            {
                "association_member": roles.ASSOCIATION_MEMBER,
                "v_intern": roles.V_INTERN,
                "v_extern": roles.V_EXTERN,
                "councillor": roles.COUNCILLOR,
            }[name]
        ]
    )


def _line(entry):
    return entry.item.title if entry.item is not None else f"[{entry.placeholder}]"


def _outline(numbered):
    return [
        (entry.number, _line(entry), [(c.number, _line(c)) for c in entry.children])
        for entry in numbered
    ]


def _flat_numbers(numbered) -> dict[str, str]:
    """``{number: title}`` of the items the reader sees."""
    return {
        entry.number: entry.item.title
        for entry in [e for top in numbered for e in (top, *top.children)]
        if entry.item is not None
    }


ADMIN = "[verwaltungsintern]"
CIVIL = "[zivilgesellschaftlich intern]"
NOT_PUBLIC = "[nicht öffentlich]"

EXPECTED = {
    "anonymous": [
        ("1", "Begrüßung", []),
        ("2", NOT_PUBLIC, []),
        ("3", NOT_PUBLIC, []),
        (
            "4",
            "Raumfrage",
            [("4.1", "Teil A"), ("4.2", NOT_PUBLIC), ("4.3", NOT_PUBLIC), ("4.4", NOT_PUBLIC)],
        ),
        ("5", "Verschiedenes", []),
    ],
    "association_member": [
        ("1", "Begrüßung", []),
        ("2", ADMIN, []),
        ("3", CIVIL, []),
        (
            "4",
            "Raumfrage",
            [
                ("4.1", "Teil A"),
                ("4.2", "[vertraulich]"),
                ("4.3", CIVIL),
                ("4.4", "[nur für Mitglieder des Gremiums]"),
            ],
        ),
        ("5", "Verschiedenes", []),
    ],
    "v_extern": [
        ("1", "Begrüßung", []),
        ("2", ADMIN, []),
        ("3", "Trägerinterna", []),
        (
            "4",
            "Raumfrage",
            [
                ("4.1", "Teil A"),
                ("4.2", "Teampunkt"),
                ("4.3", "Zivilpunkt"),
                ("4.4", "Mitgliederpunkt"),
            ],
        ),
        ("5", "Verschiedenes", []),
    ],
    "v_intern": [
        ("1", "Begrüßung", []),
        ("2", "Personalsache Amt", [("2.1", "Unterpunkt der Personalsache")]),
        ("3", CIVIL, []),
        (
            "4",
            "Raumfrage",
            [
                ("4.1", "Teil A"),
                ("4.2", "Teampunkt"),
                ("4.3", CIVIL),
                ("4.4", "Mitgliederpunkt"),
            ],
        ),
        ("5", "Verschiedenes", []),
    ],
}
EXPECTED["councillor"] = EXPECTED["v_intern"]


# --- the numbering ---------------------------------------------------------------------


def test_agenda_numbers_counts_items_and_their_sub_items():
    rows = [(10, None), (11, None), (12, 11), (13, None), (14, 11), (15, 12)]
    # 15 hangs two levels deep: the agenda nests one level, so it has no number.
    assert selectors.agenda_numbers(rows) == {10: "1", 11: "2", 12: "2.1", 14: "2.2", 13: "3"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_reader_sees_the_agenda_with_placeholders_in_place(joint, name):
    numbered = selectors.agenda(joint, _reader(name, joint.body))
    assert _outline(numbered) == EXPECTED[name]


def test_every_reader_gives_an_item_the_same_number(joint):
    everything = _flat_numbers(selectors.agenda(joint, _reader("superuser", joint.body)))
    assert everything["4.4"] == "Mitgliederpunkt"
    for name in (*EXPECTED, "body_member"):
        numbered = selectors.agenda(joint, _reader(name, joint.body))
        assert [entry.number for entry in numbered] == ["1", "2", "3", "4", "5"], name
        seen = _flat_numbers(numbered)
        assert seen == {number: everything[number] for number in seen}, name


def test_a_body_member_sees_the_members_item_in_its_place(joint):
    numbered = selectors.agenda(joint, _reader("body_member", joint.body))
    assert _outline(numbered)[3][2][3] == ("4.4", "Mitgliederpunkt")


def test_a_placeholder_carries_no_item_and_no_sub_items(joint):
    placeholder = selectors.agenda(joint, AnonymousUser())[1]
    assert placeholder.hidden
    assert placeholder.item is None and placeholder.children == []
    assert vars(placeholder) == {
        "number": "2",
        "item": None,
        "children": [],
        "placeholder": "nicht öffentlich",
    }


def test_the_agenda_is_read_in_one_query(joint, django_assert_num_queries):
    user = _reader("v_extern", joint.body)
    selectors.agenda(joint, user)  # reads the reader's roles, once per user object
    with django_assert_num_queries(1):
        selectors.agenda(joint, user)


# --- pages and documents ------------------------------------------------------------------


def _text(response) -> str:
    content = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    ("name", "placeholders"),
    [
        ("anonymous", ["TOP 2 – nicht öffentlich", "TOP 3 – nicht öffentlich"]),
        ("v_extern", ["TOP 2 – verwaltungsintern"]),
    ],
)
@pytest.mark.parametrize("url_name", ["meetings:detail", "meetings:agenda_print"])
def test_the_pages_show_placeholders_that_leak_nothing(client, joint, name, placeholders, url_name):
    user = _reader(name, joint.body)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse(url_name, args=[joint.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    text = _text(response)
    for placeholder in placeholders:
        assert placeholder in text
    for secret in ADMIN_SECRETS:
        assert secret not in content
    hidden = AgendaItem.objects.get(title="Personalsache Amt")
    # No anchor, edit link or move button points at the hidden item.
    assert f"agenda-item-{hidden.pk}" not in content
    assert reverse("meetings:agenda_edit", args=[joint.pk, hidden.pk]) not in content
    assert reverse("meetings:agenda_move", args=[joint.pk, hidden.pk]) not in content


def test_the_agenda_pdf_shows_the_placeholders(client, joint):
    response = client.get(reverse("meetings:agenda_pdf", kwargs={"pk": joint.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "TOP 2 – nicht öffentlich" in text
    assert "TOP 3 – nicht öffentlich" in text
    assert "TOP 4.2 – nicht öffentlich" in text
    assert re.search(r"\b5\s+Verschiedenes", text)
    for secret in (*ADMIN_SECRETS, "Trägerinterna"):
        assert secret not in text


def test_the_minutes_pdf_lists_the_agenda_with_the_same_placeholders(joint, make_user):
    minutes = services.minutes_for(joint)
    source = pdf.minutes_source(meeting=joint, minutes=minutes, user=make_user(roles.V_EXTERN))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", source.html))
    assert "TOP 2 – verwaltungsintern" in text
    assert "Trägerinterna" in text
    for secret in ADMIN_SECRETS:
        assert secret not in text


@pytest.mark.parametrize("size", [10, 200])
def test_pages_with_many_placeholders_keep_their_query_count(
    client, make_user, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    parents = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Punkt {i}",
            position=i + 1,
            visibility=Visibility.values[i % 5],
        )
        for i in range(size // 2)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            parent=parents[i % len(parents)],
            title=f"Unter {i}",
            visibility=Visibility.values[(i + 2) % 5],
        )
        for i in range(size - size // 2)
    )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    client.force_login(make_user(roles.V_EXTERN))
    with django_assert_max_num_queries(22):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert_valid_html(response)


# --- the warning before saving an item one cannot see ----------------------------------------

UNSEEN = "Diese Stufe können Sie selbst nicht sehen"


def test_the_kernel_tells_whether_a_level_would_be_seen(make_user):
    body = BodyFactory()
    intern = make_user(roles.V_INTERN)
    assert would_see_level(intern, Visibility.ADMIN_INTERNAL, body_id=body.pk)
    assert not would_see_level(intern, Visibility.CIVIL_INTERNAL, body_id=body.pk)
    member = make_user()
    MembershipFactory(person=PersonFactory(user=member), body=body)
    assert would_see_level(member, Visibility.MEMBERS, body_id=body.pk)
    assert not would_see_level(member, Visibility.MEMBERS, body_id=BodyFactory().pk)
    assert not would_see_level(member, Visibility.TEAM, body_id=body.pk)
    assert would_see_level(AnonymousUser(), Visibility.PUBLIC, body_id=body.pk)
    assert not would_see_level(AnonymousUser(), Visibility.MEMBERS, body_id=body.pk)


def test_it_warns_staff_before_adding_an_item_they_would_not_see(client, make_user):
    meeting = MeetingFactory()
    client.force_login(make_user(roles.V_INTERN))
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    data = {"title": "Trägerthema", "visibility": Visibility.CIVIL_INTERNAL}
    response = client.post(url, data)
    assert response.status_code == 400
    assert UNSEEN in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert_valid_html(response)
    # The confirmation is offered as a labelled checkbox; ticking it saves the item.
    confirm = response.context["form"]["confirm_unseen_level"]
    assert not confirm.is_hidden
    assert 'type="checkbox"' in str(confirm)
    response = client.post(url, data | {"confirm_unseen_level": "on"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).visibility == Visibility.CIVIL_INTERNAL


def test_it_adds_an_item_at_a_level_staff_see_without_asking(client, make_user):
    meeting = MeetingFactory()
    client.force_login(make_user(roles.V_INTERN))
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert page.context["form"]["confirm_unseen_level"].is_hidden
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Amtsthema", "visibility": Visibility.ADMIN_INTERNAL},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, title="Amtsthema").exists()


def test_it_warns_before_an_edit_takes_the_item_out_of_the_editors_view(client, make_user):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="Raumfrage")
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:agenda_edit", args=[meeting.pk, item.pk])
    data = {"title": "Raumfrage", "visibility": Visibility.ADMIN_INTERNAL}
    response = client.post(url, data)
    assert response.status_code == 400
    assert UNSEEN in response.content.decode()
    assert_valid_html(response)
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC
    response = client.post(url, data | {"confirm_unseen_level": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.visibility == Visibility.ADMIN_INTERNAL


def test_an_edit_that_keeps_a_seen_level_asks_nothing(client, make_user):
    meeting = MeetingFactory(
        start=timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    )
    item = services.add_agenda_item(
        meeting=meeting, title="Trägerthema", visibility=Visibility.CIVIL_INTERNAL
    )
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
        {"title": "Trägerthema, neu", "visibility": Visibility.CIVIL_INTERNAL},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Trägerthema, neu"
