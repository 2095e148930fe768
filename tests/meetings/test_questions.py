"""Guiding questions (Leitfragen): prepared, edited, reordered, removed, answered in the
minutes or carried over to the next meeting of the series, all from the meeting page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import MembershipRole
from meetings import services, services_questions
from meetings.models import (
    GuidingQuestion,
    GuidingQuestionStatus,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinuteSection,
    Recurrence,
)
from tests.factories import BodyFactory, MembershipFactory, PersonFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _texts(meeting):
    return list(meeting.guiding_questions.order_by("position", "pk").values_list("text", flat=True))


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    return client


def test_staff_prepare_a_question_on_an_agenda_item_from_the_meeting_page(staff):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="Leerstand")
    page = staff.get(meeting.get_absolute_url())
    add_url = reverse("meetings:question_add", args=[meeting.pk])
    assert f'href="{add_url}"' in page.content.decode()
    form = staff.get(add_url + f"?top={item.pk}")
    assert_valid_html(form)
    assert form.context["form"].initial["agenda_item"] == item
    response = staff.post(
        add_url,
        {"text": "Wer hat den Schlüssel?", "agenda_item": item.pk, "visibility": "public"},
    )
    assert response.status_code == 302
    question = GuidingQuestion.objects.get()
    assert (question.agenda_item, question.status) == (item, GuidingQuestionStatus.OPEN)
    page = staff.get(meeting.get_absolute_url())
    assert_valid_html(page)
    assert "Zum Tagesordnungspunkt „Leerstand“" in page.content.decode()


def test_it_rejects_a_question_more_open_than_its_meeting_in_german(staff):
    meeting = MeetingFactory(visibility=Visibility.TEAM)
    response = staff.post(
        reverse("meetings:question_add", args=[meeting.pk]),
        {"text": "Offen?", "visibility": "public"},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert "kann nicht offener sein als die Sitzung" in response.content.decode()
    assert not GuidingQuestion.objects.exists()


def test_it_rejects_an_empty_question_in_german(staff):
    meeting = MeetingFactory()
    response = staff.post(
        reverse("meetings:question_add", args=[meeting.pk]), {"text": "", "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_staff_edit_reorder_and_remove_questions(staff):
    meeting = MeetingFactory()
    first = services_questions.add_question(meeting=meeting, text="Erste?")
    second = services_questions.add_question(meeting=meeting, text="Zweite?")
    edit_url = reverse("meetings:question_edit", args=[first.pk])
    assert_valid_html(staff.get(edit_url))
    staff.post(edit_url, {"text": "Erste, geändert?", "visibility": "public"})
    staff.post(reverse("meetings:question_move", args=[second.pk]), {"offset": "-1"})
    assert _texts(meeting) == ["Zweite?", "Erste, geändert?"]
    # Out of range or nonsense moves nothing.
    staff.post(reverse("meetings:question_move", args=[second.pk]), {"offset": "-1"})
    staff.post(reverse("meetings:question_move", args=[second.pk]), {"offset": "7"})
    assert _texts(meeting) == ["Zweite?", "Erste, geändert?"]
    remove_url = reverse("meetings:question_remove", args=[second.pk])
    assert_valid_html(staff.get(remove_url))
    assert staff.post(remove_url).status_code == 302
    assert _texts(meeting) == ["Erste, geändert?"]


def test_the_move_buttons_are_keyboard_forms_without_script(staff):
    meeting = MeetingFactory()
    services_questions.add_question(meeting=meeting, text="Erste?")
    services_questions.add_question(meeting=meeting, text="Zweite?")
    content = staff.get(meeting.get_absolute_url()).content.decode()
    assert "Frage 1 nach unten" in content
    assert "Frage 2 nach oben" in content
    assert "Frage 1 nach oben" not in content


def test_staff_mark_a_question_answered(staff):
    question = services_questions.add_question(meeting=MeetingFactory(), text="Wann?")
    url = reverse("meetings:question_answer", args=[question.pk])
    assert_valid_html(staff.get(url))
    assert staff.post(url, {"answer": ""}).status_code == 400
    staff.post(url, {"answer": "Im Januar."})
    question.refresh_from_db()
    assert (question.status, question.answer) == (GuidingQuestionStatus.ANSWERED, "Im Januar.")


def test_one_question_is_carried_over_to_the_next_meeting_of_the_series(staff):
    body = BodyFactory()
    series = MeetingSeries.objects.create(
        body=body,
        title="Jour-Fixe",
        kind=MeetingKind.JOUR_FIXE,
        recurrence=Recurrence.MONTHLY,
        weekday=1,
        week_of_month=1,
        start_time=datetime.time(10),
        starts_on=timezone.localdate(),
    )
    now = timezone.now()
    held = MeetingFactory(body=body, series=series, start=now - datetime.timedelta(days=3))
    # A meeting of the same body outside the series comes earlier; the series' next wins.
    MeetingFactory(body=body, start=now + datetime.timedelta(days=1))
    following = MeetingFactory(body=body, series=series, start=now + datetime.timedelta(days=30))
    question = services_questions.add_question(meeting=held, text="Offen?")
    other = services_questions.add_question(meeting=held, text="Bleibt?")
    response = staff.post(reverse("meetings:question_carry", args=[question.pk]), follow=True)
    assert response.status_code == 200
    question.refresh_from_db()
    other.refresh_from_db()
    assert question.status == GuidingQuestionStatus.CARRIED_OVER
    assert other.status == GuidingQuestionStatus.OPEN
    assert following.guiding_questions.get().carried_from == question
    # Carried over, it has a history and stays.
    assert staff.post(reverse("meetings:question_remove", args=[question.pk])).status_code == 400
    assert GuidingQuestion.objects.filter(pk=question.pk).exists()


def test_carrying_over_without_a_next_meeting_is_explained_in_german(staff):
    question = services_questions.add_question(meeting=MeetingFactory(), text="Offen?")
    response = staff.post(reverse("meetings:question_carry", args=[question.pk]), follow=True)
    assert "keine spätere Sitzung" in response.content.decode()
    question.refresh_from_db()
    assert question.status == GuidingQuestionStatus.OPEN


def test_councillors_read_questions_without_controls(client, make_user):
    meeting = MeetingFactory()
    question = services_questions.add_question(meeting=meeting, text="Lesbar?")
    client.force_login(make_user(roles.COUNCILLOR))
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert "Lesbar?" in content
    assert reverse("meetings:question_edit", args=[question.pk]) not in content
    assert client.get(reverse("meetings:question_edit", args=[question.pk])).status_code == 403


def test_a_minutes_entry_answers_a_chosen_question(staff):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    question = services_questions.add_question(meeting=meeting, text="Wer öffnet?")
    services.minutes_for(meeting)
    page = staff.get(reverse("meetings:minutes", args=[meeting.pk]))
    assert list(page.context["entry_form"].fields["guiding_question"].queryset) == [question]
    response = staff.post(
        reverse("meetings:entry_add", args=[meeting.pk]),
        {
            "section": MinuteSection.GUIDING_QUESTION,
            "text": "Das Team öffnet dienstags.",
            "guiding_question": question.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.answer) == (
        GuidingQuestionStatus.ANSWERED,
        "Das Team öffnet dienstags.",
    )
    assert GuidingQuestion.objects.count() == 1


def test_a_minutes_entry_without_a_chosen_question_records_a_new_one(staff):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    services.minutes_for(meeting)
    staff.post(
        reverse("meetings:entry_add", args=[meeting.pk]),
        {"section": MinuteSection.GUIDING_QUESTION, "text": "Neu?", "visibility": "public"},
    )
    assert _texts(meeting) == ["Neu?"]


def test_it_rejects_a_question_chosen_for_another_section(staff):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    question = services_questions.add_question(meeting=meeting, text="Wer?")
    services.minutes_for(meeting)
    response = staff.post(
        reverse("meetings:entry_add", args=[meeting.pk]),
        {
            "section": "note",
            "text": "Notiz",
            "guiding_question": question.pk,
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "Nur ein Eintrag im Abschnitt Leitfragen" in response.content.decode()


def test_a_held_meeting_offers_to_start_its_minutes_once(staff):
    meeting = MeetingFactory(status=MeetingStatus.PLANNED)
    start_url = reverse("meetings:minutes_start", args=[meeting.pk])
    assert start_url not in staff.get(meeting.get_absolute_url()).content.decode()
    meeting.status = MeetingStatus.HELD
    meeting.save()
    page = staff.get(meeting.get_absolute_url())
    assert_valid_html(page)
    assert start_url in page.content.decode()
    assert "Protokoll anlegen" in page.content.decode()
    staff.post(start_url)
    assert start_url not in staff.get(meeting.get_absolute_url()).content.decode()


def test_the_meeting_and_minutes_pages_link_the_follow_up_forms(staff, client, make_user):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    services.minutes_for(meeting)
    links = [
        reverse("meetings:action_item_add", args=[meeting.pk]),
        reverse("meetings:commitment_add", args=[meeting.pk]),
    ]
    for url in (meeting.get_absolute_url(), reverse("meetings:minutes", args=[meeting.pk])):
        content = staff.get(url).content.decode()
        assert all(link in content for link in links)
    client.force_login(make_user(roles.COUNCILLOR))
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert not any(link in content for link in links)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (roles.V_INTERN, {"action_items", "commitments", "activity"}),
        (roles.V_EXTERN, {"action_items", "commitments", "activity"}),
        (roles.COUNCILLOR, {"action_items", "commitments"}),
        (roles.ASSOCIATION_MEMBER, set()),
        (None, set()),
    ],
)
def test_the_navigation_offers_the_internal_lists_to_who_may_see_them(
    client, make_user, role, shown
):
    if role:
        client.force_login(make_user(role))
    content = client.get(reverse("portal:home")).content.decode()
    nav = content[content.index('<nav aria-label="Hauptnavigation"') :]
    nav = nav[: nav.index("</nav>")]
    urls = {
        "action_items": reverse("meetings:action_items"),
        "commitments": reverse("meetings:commitments"),
        "activity": reverse("portal:activity"),
    }
    assert {name for name, url in urls.items() if f'href="{url}"' in nav} == shown


def _nav_links(content):
    nav = content[content.index('<nav aria-label="Hauptnavigation"') :]
    return nav[: nav.index("</nav>")]


@pytest.mark.parametrize(
    ("role", "shown"),
    [(MembershipRole.CHAIR, True), (MembershipRole.DEPUTY, True), (MembershipRole.MEMBER, False)],
)
def test_the_navigation_offers_the_follow_up_lists_to_a_body_chair_who_is_not_staff(
    client, make_user, role, shown
):
    body = BodyFactory()
    user = make_user(roles.ASSOCIATION_MEMBER)
    MembershipFactory(person=PersonFactory(user=user), body=body, role=role)
    services.add_action_item(meeting=MeetingFactory(body=body), title="Aufgabe der AG")
    client.force_login(user)
    nav = _nav_links(client.get(reverse("portal:home")).content.decode())
    assert (f'href="{reverse("meetings:action_items")}"' in nav) is shown
    assert (f'href="{reverse("meetings:commitments")}"' in nav) is shown
    if shown:
        response = client.get(reverse("meetings:action_items"))
        assert "Aufgabe der AG" in response.content.decode()
        assert_valid_html(response)


def test_the_navigation_forgets_a_chair_whose_term_has_ended(client, make_user):
    user = make_user(roles.ASSOCIATION_MEMBER)
    MembershipFactory(
        person=PersonFactory(user=user),
        role=MembershipRole.CHAIR,
        start=timezone.localdate() - datetime.timedelta(days=400),
        end=timezone.localdate() - datetime.timedelta(days=30),
    )
    client.force_login(user)
    nav = _nav_links(client.get(reverse("portal:home")).content.decode())
    assert reverse("meetings:action_items") not in nav


@pytest.mark.parametrize("size", [2, 30])
def test_the_follow_up_lists_hold_their_query_count_for_a_chair(
    client, make_user, django_assert_max_num_queries, size
):
    body = BodyFactory()
    user = make_user(roles.ASSOCIATION_MEMBER)
    MembershipFactory(person=PersonFactory(user=user), body=body, role=MembershipRole.CHAIR)
    meeting = MeetingFactory(body=body)
    for n in range(size):
        services.add_action_item(meeting=meeting, title=f"Aufgabe {n}")
    client.force_login(user)
    for name in ("action_items", "commitments"):
        with django_assert_max_num_queries(14):
            response = client.get(reverse(f"meetings:{name}"))
        assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_the_meeting_page_with_questions_holds_its_query_count(
    staff, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="Punkt")
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(meeting=meeting, agenda_item=item, text=f"Frage {i}?", position=i)
        for i in range(size)
    )
    with django_assert_max_num_queries(22):
        response = staff.get(meeting.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = staff.get(reverse("meetings:question_add", args=[meeting.pk]))
    assert response.status_code == 200
    question = GuidingQuestion.objects.first()
    with django_assert_max_num_queries(14):
        response = staff.get(reverse("meetings:question_edit", args=[question.pk]))
    assert response.status_code == 200
