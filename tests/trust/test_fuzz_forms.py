"""Every form of the platform, fed hostile data through its real view (issue #8,
robustness): no answer is a server error; a refused submission shows its errors in
German and changes nothing."""

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.contrib.messages import constants as messages
from django.urls import reverse
from hypothesis import example, given

from .fuzz_list_cases import LIST_CASES
from .fuzz_support import (
    FORM_EXAMPLES,
    HUGE,
    budget,
    changed_tables,
    demo_user,
    demo_world,  # noqa: F401 (a fixture)
    english_errors,
    error_texts,
    hostile_data,
    looks_english,
    message_texts,
    row_counts,
    show,
    unescaped_markup,
    url_names,
)

PROJECT_PACKAGES = ["aks", "bodies", "spaces", "meetings", "oparl"]
NOT_IMPORTED = {"aks.settings", "aks.wsgi", "aks.asgi", "aks.celery"}

# Forms read from the query string (filters, search): fuzzed by test_fuzz_lists.py through
# the list whose URL name is given.
GET_FORMS = {
    "aks.portal.search.SearchForm": "portal:search",
    "aks.portal.views_activity.ActivityFilterForm": "portal:activity",
    "meetings.filters.MeetingFilterForm": "meetings:list",
    "meetings.forms_events.CheckInSearchForm": "meetings:event_check_in",
}


# What a browser sends with every form of the platform (the test client skips the check).
BROWSER = {"csrfmiddlewaretoken": "x" * 64}


@dataclass
class Case:
    url: str
    user: object  # None: anonymous
    valid: dict  # field name -> a value the form accepts (the first submission)
    prefix: str = ""
    # Rows whose values must not change when a submission is refused.
    watch: Callable[[], list] = field(default=lambda: [])
    # False where the valid data cannot be known up front (it is still sent).
    expect_accepted: bool = True
    # False where the first (refused) submissions must meet the world as it was built.
    send_valid_first: bool = True


def _field_names(base_fields, case: Case) -> list[str]:
    prefix = f"{case.prefix}-" if case.prefix else ""
    names = [prefix + name for name in base_fields]
    return list(dict.fromkeys([*names, *case.valid]))


def _rows(queryset) -> list:
    return list(queryset.order_by("pk").values())


# --- the world of each form ------------------------------------------------------------------

TODAY = datetime.date.today()


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).isoformat()


def _body(slug):
    from bodies.models import Body

    return Body.objects.get(slug=slug)


def _organisation():
    from bodies.models import Organisation

    return Organisation.objects.order_by("pk").first()


def _open_poll(counting: str):
    from bodies import services
    from bodies.access import Visibility
    from bodies.models import Poll

    poll = services.create_poll(
        body=_body("steuerungsrunde"),
        title=f"Fuzz {counting}",
        counting=counting,
        allow_change=True,
        visibility=Visibility.PUBLIC,
    )
    services.open_poll(poll=poll)
    return Poll.objects.get(pk=poll.pk)


def _meeting(kind=None, status=None, **filters):
    from meetings.models import Meeting

    queryset = Meeting.objects.filter(**filters).order_by("start", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.first()


def case_poll_create():
    return Case(
        reverse("bodies:poll_create", args=["steuerungsrunde"]),
        demo_user("v-intern"),
        {
            "title": "Fuzz-Abstimmung",
            "kind": "yes_no_abstain",
            "counting": "electronic",
            "majority": "simple",
            "seats": "1",
            "visibility": "public",
        },
    )


def case_vote():
    poll = _open_poll("electronic")
    option = poll.options.order_by("pk").first()
    return Case(
        reverse("bodies:poll_vote", args=[poll.pk]),
        demo_user("v-intern"),
        {"choices": str(option.pk)},
    )


def case_poll_counts():
    from bodies.models import Poll, PollOption

    poll = _open_poll("analog")
    valid = {"valid": "3", "invalid": "0"}
    valid.update({f"option_{o.pk}": "1" for o in poll.options.all()})
    return Case(
        reverse("bodies:poll_counts", args=[poll.pk]),
        demo_user("v-intern"),
        valid,
        watch=lambda: (
            _rows(Poll.objects.filter(pk=poll.pk)) + _rows(PollOption.objects.filter(poll=poll))
        ),
    )


def case_contribution():
    from bodies.models import Workstream

    workstream = Workstream.objects.order_by("number").first()
    return Case(
        reverse("bodies:workstream", args=[workstream.number]),
        demo_user("v-intern"),
        {
            "organisation": str(_organisation().pk),
            "kind": "hours",
            "amount": "3",
            "description": "Fuzz-Beitrag",
            "on": _day(0),
        },
    )


def case_member_add():
    return Case(
        # A body the AKS team runs: its staff manage the members there.
        reverse("bodies:members", args=["steuerungsrunde"]),
        demo_user("v-intern"),
        {
            "new_person_name": "Fuzz Person",
            "role": "member",
            "side": "civil_society",
            "start": _day(0),
        },
    )


def case_member_end():
    from bodies.models import Membership

    membership = (
        Membership.objects.filter(body=_body("steuerungsrunde"), end=None).order_by("pk").first()
    )
    return Case(
        reverse("bodies:member_end", args=["steuerungsrunde", membership.pk]),
        demo_user("v-intern"),
        {f"end-{membership.pk}-end": _day(30)},
        prefix=f"end-{membership.pk}",
        watch=lambda: _rows(Membership.objects.filter(pk=membership.pk)),
    )


def case_login():
    # The demo passwords were hashed before the tests' fast hasher was set.
    user = demo_user("v-intern")
    user.set_password("fuzz-password")
    user.save(update_fields=["password"])
    return Case(
        reverse("accounts:login"), None, {"username": user.email, "password": "fuzz-password"}
    )


def case_profile():
    from aks.accounts.models import User

    user = demo_user("v-intern")
    return Case(
        reverse("accounts:profile"),
        user,
        {"display_name": "Jana Fuzz", "mail_invitation": "on"},
        watch=lambda: _rows(User.objects.filter(pk=user.pk).defer("last_login")),
    )


def _space_data():
    from spaces.models import District

    return {
        "name": "Fuzz-Laden",
        "address": "Fuzzstraße 1",
        "postcode": "10997",
        "district": str(District.objects.order_by("pk").first().pk),
        "kind": "shopfront",
        "visibility": "public",
        "owner_kind": "unknown",
        "owner_visibility": "team",
    }


def case_space_create():
    return Case(reverse("spaces:create"), demo_user("v-intern"), _space_data())


def case_space_edit():
    from spaces.models import Space

    space = Space.objects.filter(visibility="public").order_by("pk").first()
    return Case(
        reverse("spaces:edit", args=[space.pk]),
        demo_user("v-intern"),
        _space_data(),
        watch=lambda: (
            _rows(Space.objects.filter(pk=space.pk))
            + _rows(Space.instruments.through.objects.filter(space=space))
        ),
    )


def case_space_report():
    data = _space_data()
    for name in ("visibility", "owner_visibility"):
        data.pop(name)
    return Case(reverse("spaces:report"), demo_user("association-member"), data)


def case_space_status():
    from spaces.models import Space

    space = next(s for s in Space.objects.order_by("pk") if s.next_statuses)
    return Case(
        reverse("spaces:change_status", args=[space.pk]),
        demo_user("v-intern"),
        {"to": space.next_statuses[0], "note": "Fuzz"},
        watch=lambda: _rows(Space.objects.filter(pk=space.pk)),
    )


def _need_data():
    return {
        "organisation": str(_organisation().pk),
        "title": "Fuzz-Bedarf",
        "purpose": "Proberaum",
        "status": "open",
        "visibility": "public",
    }


def case_need_create():
    return Case(reverse("spaces:need_create"), demo_user("v-intern"), _need_data())


def case_need_edit():
    from spaces.models import SpaceNeed

    need = SpaceNeed.objects.order_by("pk").first()
    return Case(
        reverse("spaces:need_edit", args=[need.pk]),
        demo_user("v-intern"),
        _need_data(),
        watch=lambda: (
            _rows(SpaceNeed.objects.filter(pk=need.pk))
            + _rows(SpaceNeed.districts.through.objects.filter(spaceneed=need))
        ),
    )


def _draft_minutes_meeting():
    from meetings.models import Minutes

    # The demo's latest Jour-Fixe keeps its minutes in draft (the AG1 minutes are published).
    return Minutes.objects.filter(status="draft", meeting__body__slug="aks-team").first().meeting


def case_entry_add():
    meeting = _draft_minutes_meeting()
    return Case(
        reverse("meetings:entry_add", args=[meeting.pk]),
        demo_user("v-intern"),
        {"section": "note", "text": "Fuzz-Eintrag", "visibility": "team"},
    )


def case_entry_edit():
    from meetings.models import MinuteEntry

    entry = MinuteEntry.objects.filter(minutes__meeting=_draft_minutes_meeting()).first()
    return Case(
        reverse("meetings:entry_edit", args=[entry.pk]),
        demo_user("v-intern"),
        {"text": "Geänderter Fuzz-Eintrag"},
        watch=lambda: _rows(MinuteEntry.objects.filter(pk=entry.pk)),
    )


def case_minutes_approve():
    from meetings.models import Minutes

    meeting = _draft_minutes_meeting()
    return Case(
        reverse("meetings:minutes_approve", args=[meeting.pk]),
        demo_user("v-intern"),
        {"as_chair": "on"},
        watch=lambda: _rows(Minutes.objects.filter(meeting=meeting)),
        expect_accepted=False,
    )


def case_action_item_add():
    meeting = _meeting(body__slug="ag1")
    return Case(
        reverse("meetings:action_item_add", args=[meeting.pk]),
        demo_user("v-intern"),
        {"title": "Fuzz-Aufgabe", "visibility": "public", "due": _day(14)},
    )


def case_action_item_status():
    from meetings.models import ActionItem

    item = ActionItem.objects.order_by("pk").first()
    prefix = f"ai{item.pk}"
    return Case(
        reverse("meetings:action_item_status", args=[item.pk]),
        demo_user("v-intern"),
        {f"{prefix}-status": "done", "next": reverse("meetings:action_items")},
        prefix=prefix,
        watch=lambda: _rows(ActionItem.objects.filter(pk=item.pk)),
    )


def case_commitment_add():
    meeting = _meeting(body__slug="ag1")
    return Case(
        reverse("meetings:commitment_add", args=[meeting.pk]),
        demo_user("v-intern"),
        {"organisation": str(_organisation().pk), "what": "Fuzz-Zusage", "visibility": "public"},
    )


def _checked_commitment():
    from meetings.models import Commitment

    return Commitment.objects.exclude(checked_at=None).order_by("pk").first()


def case_commitment_status():
    from meetings.models import Commitment

    commitment = _checked_commitment()
    prefix = f"c{commitment.pk}"
    return Case(
        reverse("meetings:commitment_status", args=[commitment.pk]),
        demo_user("v-intern"),
        {f"{prefix}-status": "kept", f"{prefix}-note": "Fuzz"},
        prefix=prefix,
        watch=lambda: _rows(Commitment.objects.filter(pk=commitment.pk)),
    )


def case_commitment_note():
    commitment = _checked_commitment()
    prefix = f"n{commitment.pk}"
    return Case(
        reverse("meetings:commitment_note", args=[commitment.pk]),
        demo_user("v-intern"),
        {f"{prefix}-text": "Fuzz-Notiz"},
        prefix=prefix,
    )


def case_agenda_add():
    meeting = _meeting(body__slug="aks-team", status="planned")
    return Case(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        demo_user("v-intern"),
        {"title": "Fuzz-TOP", "visibility": "team", "duration_minutes": "15"},
    )


def case_attendance():
    from meetings.models import Attendance

    meeting = _meeting(kind="public_assembly")
    rows = Attendance.objects.filter(meeting=meeting)
    valid = {f"status_{row.pk}": "attended" for row in rows}
    valid["add_status"] = "attended"
    return Case(
        reverse("meetings:attendance", args=[meeting.pk]),
        demo_user("v-intern"),
        valid,
        watch=lambda: _rows(Attendance.objects.filter(meeting=meeting)),
    )


def case_event_register():
    from django.core.cache import cache

    from tests.meetings.factories_events import started_token

    # The rate limit counts per address in the cache; earlier tests may have used it up.
    cache.clear()

    meeting = _meeting(kind="public_event", start__date__gt=TODAY)
    return Case(
        reverse("meetings:event_register", args=[meeting.pk]),
        None,
        {
            "name": "Fuzz Gast",
            "email": "fuzz@example.org",
            "consent": "on",
            "started": started_token(meeting, seconds_ago=60),
        },
    )


def _planning_data():
    return {
        "body": str(_body("aks-team").pk),
        "title": "Fuzz-Termin",
        "kind": "team",
        "visibility": "team",
    }


def _series_data():
    return {
        **_planning_data(),
        "recurrence": "weekly",
        "weekday": "1",
        "start_time": "10:00",
        "duration_minutes": "60",
        "starts_on": _day(7),
        "until": _day(60),
    }


def case_series():
    return Case(reverse("meetings:series_create"), demo_user("v-intern"), _series_data())


def case_series_end():
    from meetings.models import Meeting, MeetingSeries

    series = MeetingSeries.objects.filter(kind="jour_fixe").first()
    return Case(
        reverse("meetings:series_end", args=[series.pk]),
        demo_user("v-intern"),
        {"on": _day(40)},
        watch=lambda: (
            _rows(MeetingSeries.objects.filter(pk=series.pk))
            + _rows(Meeting.objects.filter(series=series))
        ),
    )


def case_series_participants():
    from bodies.models import Person
    from meetings.models import Meeting, MeetingSeries

    series = MeetingSeries.objects.filter(kind="jour_fixe").first()
    return Case(
        reverse("meetings:series_participants", args=[series.pk]),
        demo_user("v-intern"),
        {"participants": [str(Person.objects.order_by("pk").first().pk)]},
        watch=lambda: (
            _rows(MeetingSeries.participants.through.objects.filter(meetingseries=series))
            + _rows(Meeting.participants.through.objects.filter(meeting__series=series))
        ),
    )


def _meeting_data():
    start = datetime.datetime.combine(TODAY + datetime.timedelta(days=20), datetime.time(10))
    return {
        **_planning_data(),
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Rathaus",
    }


def case_meeting_create():
    return Case(reverse("meetings:meeting_create"), demo_user("v-intern"), _meeting_data())


def case_meeting_edit():
    from meetings.models import Meeting

    meeting = _meeting(body__slug="aks-team", status="planned")
    data = _meeting_data()
    data.pop("body")
    return Case(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        demo_user("v-intern"),
        data,
        watch=lambda: _rows(Meeting.objects.filter(pk=meeting.pk)),
    )


def case_meeting_status():
    from meetings.models import Meeting

    meeting = _meeting(body__slug="aks-team", status="planned")
    return Case(
        reverse("meetings:meeting_status", args=[meeting.pk]),
        demo_user("v-intern"),
        {"status": "invited"},
        watch=lambda: _rows(Meeting.objects.filter(pk=meeting.pk)),
    )


def case_agenda_edit():
    from meetings.models import AgendaItem

    meeting = _meeting(body__slug="aks-team", status="planned")
    item = AgendaItem.objects.filter(meeting=meeting, standing=False).order_by("pk").first()
    return Case(
        reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
        demo_user("v-intern"),
        {"title": "Fuzz-TOP", "visibility": item.visibility, "duration_minutes": "20"},
        watch=lambda: _rows(AgendaItem.objects.filter(pk=item.pk)),
    )


def case_room():
    meeting = _meeting(kind="assembly", status="planned")
    return Case(
        reverse("meetings:room", args=[meeting.pk]),
        demo_user("v-intern"),
        {"organisation": str(_organisation().pk), "what": "Fuzz-Zusage", "due": _day(30)},
    )


def case_commitment_check():
    from meetings.models import Commitment

    commitment = Commitment.objects.filter(checked_at=None).order_by("pk").first()
    prefix = f"c{commitment.pk}"
    return Case(
        reverse("meetings:commitment_check", args=[commitment.pk]),
        demo_user("v-intern"),
        {
            f"{prefix}-organisation": str(commitment.organisation_id),
            f"{prefix}-what": "Geprüfte Fuzz-Zusage",
            f"{prefix}-visibility": "public",
        },
        prefix=prefix,
        watch=lambda: _rows(Commitment.objects.filter(pk=commitment.pk)),
    )


def case_recommendations():
    # An event without minutes yet: a refused recommendation must not start them.
    from meetings.models import Minutes

    meeting = next(
        m
        for m in _events()
        if not Minutes.objects.filter(meeting=m).exists() and m.start.date() > TODAY
    )
    return Case(
        reverse("meetings:event_recommendations", args=[meeting.pk]),
        demo_user("v-intern"),
        {"level": "municipal", "text": "Fuzz-Empfehlung"},
        send_valid_first=False,
    )


def _events():
    from meetings.models import Meeting

    return Meeting.objects.filter(kind="public_event").order_by("start", "pk")


def case_survey_create():
    from meetings.models import MeetingSeries

    series = MeetingSeries.objects.filter(kind="public_event").first()
    return Case(
        reverse("meetings:survey_create", args=[series.pk]),
        demo_user("v-intern"),
        {"title": "Fuzz-Umfrage", "options": "Thema A\nThema B"},
    )


def case_survey_vote():
    from meetings.models import Registration, TopicSurvey

    survey = TopicSurvey.objects.filter(status="open").first()
    registration = (
        Registration.objects.filter(meeting__series=survey.series, status="confirmed")
        .exclude(topic_votes__survey=survey)
        .first()
    )
    return Case(
        reverse("meetings:survey_vote", args=[survey.pk, registration.token]),
        None,
        {"options": [str(o.pk) for o in survey.options.order_by("pk")[:2]]},
    )


def _question():
    from meetings.models import GuidingQuestion

    return GuidingQuestion.objects.filter(meeting__body__slug="ag1").order_by("pk").first()


def case_question_add():
    from meetings.models import GuidingQuestion

    meeting = _meeting(body__slug="aks-team", status="planned")
    return Case(
        reverse("meetings:question_add", args=[meeting.pk]),
        demo_user("v-intern"),
        {"text": "Fuzz-Leitfrage", "agenda_item": "", "visibility": "team"},
        watch=lambda: _rows(GuidingQuestion.objects.filter(meeting=meeting)),
    )


def case_question_answer():
    from meetings.models import GuidingQuestion

    question = _question()
    return Case(
        reverse("meetings:question_answer", args=[question.pk]),
        demo_user("v-intern"),
        {"answer": "Fuzz-Antwort"},
        watch=lambda: _rows(GuidingQuestion.objects.filter(pk=question.pk)),
    )


# Form class (module.Class) -> the cases that drive it through its view.
FORM_CASES = {
    "bodies.forms.PollForm": [case_poll_create],
    "bodies.forms.VoteForm": [case_vote],
    "bodies.forms.AnalogCountsForm": [case_poll_counts],
    "bodies.forms.ContributionForm": [case_contribution],
    "bodies.forms.MemberForm": [case_member_add],
    "bodies.forms.EndMembershipForm": [case_member_end],
    "aks.accounts.forms.EmailAuthenticationForm": [case_login],
    "aks.accounts.forms.ProfileForm": [case_profile],
    "spaces.forms.SpaceForm": [case_space_create, case_space_edit],
    "spaces.forms.ReportForm": [case_space_report],
    "spaces.forms.StatusChangeForm": [case_space_status],
    "spaces.forms.NeedForm": [case_need_create, case_need_edit],
    "meetings.forms.MinuteEntryForm": [case_entry_add],
    "meetings.forms.EntryTextForm": [case_entry_edit],
    "meetings.forms.ApproveMinutesForm": [case_minutes_approve],
    "meetings.forms.ActionItemForm": [case_action_item_add],
    "meetings.forms.ActionItemStatusForm": [case_action_item_status],
    "meetings.forms.CommitmentForm": [case_commitment_add],
    "meetings.forms.CommitmentStatusForm": [case_commitment_status],
    "meetings.forms.CommitmentNoteForm": [case_commitment_note],
    "meetings.forms.AgendaItemForm": [case_agenda_add],
    "meetings.forms.AttendanceForm": [case_attendance],
    "meetings.forms_events.RegistrationForm": [case_event_register],
    "meetings.forms_planning.SeriesForm": [case_series],
    "meetings.forms_planning.EndSeriesForm": [case_series_end],
    "meetings.forms_planning.SeriesParticipantsForm": [case_series_participants],
    "meetings.forms_planning.MeetingForm": [case_meeting_create, case_meeting_edit],
    "meetings.forms_planning.MeetingStatusForm": [case_meeting_status],
    "meetings.forms_planning.AgendaItemEditForm": [case_agenda_edit],
    "meetings.forms_public.RoomCommitmentForm": [case_room],
    "meetings.forms_public.CheckCommitmentForm": [case_commitment_check],
    "meetings.forms_public.RecommendationForm": [case_recommendations],
    "meetings.forms_public.SurveyForm": [case_survey_create],
    "meetings.forms_public.TopicVoteForm": [case_survey_vote],
    "meetings.forms_questions.GuidingQuestionForm": [case_question_add],
    "meetings.forms_questions.AnswerForm": [case_question_answer],
}


# --- views that read the posted data themselves, without a form class ---------------------


def raw_agenda_review():
    from meetings.models import AgendaReview

    meeting = _meeting(kind="jour_fixe", status="planned")
    return Case(
        reverse("portal:agenda_review", args=[meeting.pk]),
        demo_user("councillor"),
        {"reviewed": "on", "comment": "Passt."},
        watch=lambda: _rows(AgendaReview.objects.filter(meeting=meeting)),
    )


def raw_check_in():
    from meetings.models import Registration

    registration = Registration.objects.filter(
        status="confirmed", meeting__kind="public_event"
    ).first()
    return Case(
        reverse("meetings:event_check_in", args=[registration.meeting_id]),
        demo_user("v-intern"),
        {"registration": str(registration.pk), "undo": "0", "q": "a"},
        watch=lambda: _rows(Registration.objects.filter(meeting=registration.meeting)),
    )


def raw_agenda_move():
    from meetings.models import AgendaItem

    meeting = _meeting(body__slug="aks-team", status="planned")
    item = AgendaItem.objects.filter(meeting=meeting, parent=None).order_by("position").last()
    return Case(
        reverse("meetings:agenda_move", args=[meeting.pk, item.pk]),
        demo_user("v-intern"),
        {"offset": "-1"},
        watch=lambda: _rows(AgendaItem.objects.filter(meeting=meeting)),
    )


def raw_survey_status():
    from meetings.models import TopicSurvey

    survey = TopicSurvey.objects.filter(status="open").first()
    return Case(
        reverse("meetings:survey_status", args=[survey.pk]),
        demo_user("v-intern"),
        {"action": "invite"},
        watch=lambda: _rows(TopicSurvey.objects.filter(pk=survey.pk)),
    )


def raw_question_move():
    from meetings.models import GuidingQuestion

    question = _question()
    return Case(
        reverse("meetings:question_move", args=[question.pk]),
        demo_user("v-intern"),
        {"offset": "1"},
        watch=lambda: _rows(GuidingQuestion.objects.filter(meeting=question.meeting)),
    )


# Views reading ``request.POST`` that are not fuzzed here, and why.
RAW_POST_NOT_FUZZED = {
    "set_language": "Django's own view (i18n); it only compares the value with LANGUAGES",
}

# URL name -> the cases of a view that reads ``request.POST`` without a form class.
RAW_POST_CASES = {
    "portal:agenda_review": [raw_agenda_review],
    "meetings:event_check_in": [raw_check_in],
    "meetings:agenda_move": [raw_agenda_move],
    "meetings:survey_status": [raw_survey_status],
    "meetings:question_move": [raw_question_move],
    # Its form class is fuzzed above; the raw field is "next", sent in that case.
    "meetings:action_item_status": [case_action_item_status],
}


def test_it_fuzzes_every_view_that_reads_posted_data_itself():
    readers = set()
    for name, view in url_names():
        function = inspect.unwrap(getattr(view, "view_class", view))
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        if "request.POST.get(" in source or "request.POST[" in source:
            readers.add(name)
    missing = sorted(readers - set(RAW_POST_CASES) - set(RAW_POST_NOT_FUZZED))
    assert not missing, f"views reading request.POST without a fuzz case: {missing}"


def project_form_classes() -> dict[str, type]:
    """Every Form and ModelForm class defined in the project's packages."""
    found = {}
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            name = module_info.name
            if ".migrations" in name or name in NOT_IMPORTED or ".management." in name:
                continue
            module = importlib.import_module(name)
            for _attr, obj in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(obj, forms.BaseForm)
                    and obj.__module__ == name
                    and obj not in (forms.Form, forms.ModelForm)
                ):
                    found[f"{name}.{obj.__name__}"] = obj
    return found


def test_it_tells_english_error_texts_from_german_ones():
    english = [
        "This field is required.",
        "Enter a whole number.",
        "Select a valid choice. x is not one of the available choices.",
        "Null characters are not allowed.",
        "Ensure this value has at most 300 characters (it has 301).",
    ]
    german = [
        "Dieses Feld ist zwingend erforderlich.",
        "Ganze Zahl eingeben.",
        "Bitte eine gültige Auswahl treffen. x ist keine gültige Auswahl.",
        "Nullzeichen sind nicht erlaubt.",
        "Eine Sitzung kann nicht enden, bevor sie beginnt.",
    ]
    assert all(looks_english(text) for text in english)
    assert not any(looks_english(text) for text in german)


def test_it_fuzzes_every_form_of_the_project():
    classes = project_form_classes()
    registered = set(FORM_CASES) | set(GET_FORMS)
    missing = sorted(set(classes) - registered)
    assert not missing, f"forms without a fuzz case (add one to FORM_CASES): {missing}"
    stale = sorted(registered - set(classes))
    assert not stale, f"fuzz cases for forms that no longer exist: {stale}"


def test_it_fuzzes_the_query_forms_through_their_lists():
    missing = {form: name for form, name in GET_FORMS.items() if name not in LIST_CASES}
    assert not missing


CASES = [
    pytest.param(form_name, make, id=f"{form_name.rsplit('.', 1)[1]}-{make.__name__[5:]}")
    for form_name, makes in FORM_CASES.items()
    for make in makes
] + [
    pytest.param(None, make, id=f"raw-{url_name}")
    for url_name, makes in RAW_POST_CASES.items()
    for make in makes
    if make.__name__.startswith("raw_")
]


def _base_fields(form_name: str | None) -> dict:
    if form_name is None:
        return {}
    module, name = form_name.rsplit(".", 1)
    return getattr(importlib.import_module(module), name).base_fields


@pytest.mark.parametrize(("form_name", "make"), CASES)
def test_it_answers_hostile_form_data_without_error_and_in_german(
    demo_world,  # noqa: F811
    db,
    client,
    form_name,
    make,
):
    case = make()
    if case.user is not None:
        client.force_login(case.user)

    if case.send_valid_first:
        # The world is right: the valid data passes (so the fuzzing reaches the form).
        response = client.post(case.url, {**case.valid, **BROWSER})
        if case.expect_accepted:
            assert response.status_code == 302, (
                f"valid data refused ({response.status_code}): {error_texts(response)}"
            )
            assert "/konto/anmelden/" not in response.get("Location", "")
        else:
            assert response.status_code in (302, 400), response.status_code
        # A valid login leaves the client logged in, and the login page would only
        # redirect from then on: start again as the case's user.
        client.logout()
        if case.user is not None:
            client.force_login(case.user)
    names = _field_names(_base_fields(form_name), case)

    @budget(FORM_EXAMPLES)
    @given(data=hostile_data(names, case.valid))
    @example(data=dict.fromkeys(names, "\x00"))
    @example(data=dict.fromkeys(names, HUGE))
    def submit(data):
        counts, watched = row_counts(), case.watch()
        # Messages of earlier examples (their redirects were not followed) stay behind.
        client.cookies.pop("messages", None)
        response = client.post(case.url, {**data, **BROWSER})
        status = response.status_code
        assert status < 500, f"{status} for {show(data)}"
        assert not unescaped_markup(response), f"markup shown unescaped for {show(data)}"
        errors = error_texts(response)
        english = english_errors(errors)
        assert not english, f"English error text {english} for {show(data)}"
        refused = status != 302 or (
            message_texts(response, messages.ERROR)
            and not message_texts(response, messages.SUCCESS)
        )
        if refused:
            written = changed_tables(counts, row_counts())
            assert not written, f"a refused submission ({status}) wrote {written}: {show(data)}"
            assert case.watch() == watched, f"a refused submission changed data: {show(data)}"
        if status in (200, 400):
            assert errors, f"refused ({status}) without a visible error for {show(data)}"

    # Each number of the valid data just past PostgreSQL's integers, the others valid: a
    # bound missing in the form reaches the database.
    prefix = f"{case.prefix}-" if case.prefix else ""
    numeric = {
        prefix + name
        for name, form_field in _base_fields(form_name).items()
        if isinstance(form_field, forms.IntegerField | forms.FloatField)
    }
    numeric |= {name for name, valid in case.valid.items() if str(valid).isdigit()}
    for name in sorted(numeric):
        submit = example(data={**case.valid, name: "2147483648"})(submit)
    submit()
