"""Series, agenda order, guiding questions and the minutes workflow."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bodies.services import record_decision
from meetings.models import (
    AgendaItem,
    GuidingQuestion,
    GuidingQuestionStatus,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinuteEntry,
    MinutesStatus,
    Recurrence,
)
from meetings.services import (
    MeetingError,
    add_agenda_item,
    add_entry,
    approve_minutes,
    carry_over_questions,
    change_entry,
    circulate_minutes,
    end_series,
    generate_meetings,
    minutes_for,
    move_agenda_item,
    nth_weekday,
    publish_minutes,
    series_dates,
)
from tests.factories import BodyFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

SEED = "AG1 | Leitfragen | ∙ Wer bringt was ein?\nAG1 | Diskussion | – Modell suchen\n"


def _series(**kwargs):
    values = {
        "body": BodyFactory(),
        "title": "Jour-Fixe",
        "kind": MeetingKind.JOUR_FIXE,
        "recurrence": Recurrence.MONTHLY,
        "weekday": 1,  # Tuesday
        "week_of_month": 2,
        "start_time": datetime.time(10, 0),
        "starts_on": datetime.date(2026, 1, 1),
    }
    values.update(kwargs)
    return MeetingSeries.objects.create(**values)


def test_the_nth_and_last_weekday_of_a_month():
    assert nth_weekday(2026, 11, 1, 2) == datetime.date(2026, 11, 10)
    assert nth_weekday(2026, 11, 0, -1) == datetime.date(2026, 11, 30)
    assert nth_weekday(2026, 2, 0, 5) is None


def test_a_monthly_series_generates_its_meetings_once():
    series = _series()
    created = generate_meetings(series=series, until=datetime.date(2026, 4, 30))
    assert [timezone.localtime(m.start).date() for m in created] == [
        datetime.date(2026, 1, 13),
        datetime.date(2026, 2, 10),
        datetime.date(2026, 3, 10),
        datetime.date(2026, 4, 14),
    ]
    assert timezone.localtime(created[0].start).hour == 10
    assert generate_meetings(series=series, until=datetime.date(2026, 4, 30)) == []
    # A Jour-Fixe carries the standing item for open tasks and commitments.
    assert all(m.agenda_items.filter(standing=True).count() == 1 for m in created)


def test_a_weekly_series_respects_its_end():
    series = _series(
        recurrence=Recurrence.WEEKLY,
        week_of_month=None,
        weekday=3,
        until=datetime.date(2026, 1, 31),
        kind=MeetingKind.TEAM,
    )
    dates = list(series_dates(series, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert dates == [datetime.date(2026, 1, d) for d in (1, 8, 15, 22, 29)]


def test_ending_a_series_cancels_its_later_meetings():
    series = _series()
    generate_meetings(series=series, until=datetime.date(2026, 6, 30))
    cancelled = end_series(series=series, on=datetime.date(2026, 3, 31))
    assert cancelled == 3
    assert series.meetings.filter(status=MeetingStatus.CANCELLED).count() == 3
    assert generate_meetings(series=series, until=datetime.date(2026, 12, 31)) == []


def test_agenda_items_are_appended_nested_and_reordered():
    meeting = MeetingFactory()
    first = add_agenda_item(meeting=meeting, title="Begrüßung")
    second = add_agenda_item(meeting=meeting, title="Leerstand")
    sub = add_agenda_item(meeting=meeting, title="Fahrradladen", parent=second)
    with pytest.raises(MeetingError, match="eine Ebene"):
        add_agenda_item(meeting=meeting, title="Zu tief", parent=sub)
    move_agenda_item(item=second, offset=-1)
    order = list(
        AgendaItem.objects.filter(meeting=meeting, parent=None).values_list("pk", flat=True)
    )
    assert order == [second.pk, first.pk]


def test_open_guiding_questions_carry_over_with_their_history():
    meeting = MeetingFactory()
    later = MeetingFactory(
        body=meeting.body,
        start=meeting.start + datetime.timedelta(days=30),
        end=meeting.start + datetime.timedelta(days=30, hours=2),
    )
    open_question = GuidingQuestion.objects.create(meeting=meeting, text="Was kann der Bezirk?")
    GuidingQuestion.objects.create(
        meeting=meeting, text="Erledigt", status=GuidingQuestionStatus.ANSWERED
    )
    (carried,) = carry_over_questions(meeting=meeting)
    assert carried.meeting == later and carried.carried_from == open_question
    open_question.refresh_from_db()
    assert open_question.status == GuidingQuestionStatus.CARRIED_OVER


def test_minutes_move_from_draft_to_published_and_lock_on_approval():
    meeting = MeetingFactory(
        start=timezone.now() - datetime.timedelta(days=40),
        end=timezone.now() - datetime.timedelta(days=40, hours=-2),
    )
    minutes = minutes_for(meeting)
    with pytest.raises(MeetingError, match="ohne Einträge"):
        circulate_minutes(minutes=minutes)
    entry = add_entry(minutes=minutes, section="discussion", text="Erste Fassung")
    change_entry(entry=entry, text="Zweite Fassung")
    with pytest.raises(MeetingError, match="Nur verteilte"):
        approve_minutes(
            minutes=minutes,
            chair=None,
            decision=record_decision(body=meeting.body, title="x", decided_on=timezone.localdate()),
        )
    minutes = circulate_minutes(minutes=minutes)
    assert minutes.status == MinutesStatus.CIRCULATED
    decision = record_decision(
        body=meeting.body, title="Protokoll genehmigt", decided_on=timezone.localdate()
    )
    minutes = approve_minutes(minutes=minutes, decision=decision)
    assert minutes.status == MinutesStatus.APPROVED and minutes.approval == decision

    with pytest.raises(MeetingError, match="genehmigt"):
        change_entry(entry=entry, text="Nachträglich")
    with pytest.raises(MeetingError, match="genehmigt"):
        add_entry(minutes=minutes, section="note", text="Neu")
    correction = add_entry(
        minutes=minutes, section="note", text="Korrektur: 3 statt 2", corrects=entry
    )
    assert correction.corrects == entry
    entry.refresh_from_db()
    assert entry.text == "Zweite Fassung"
    assert entry.history.count() == 2
    assert publish_minutes(minutes=minutes).status == MinutesStatus.PUBLISHED


def test_approval_must_come_from_a_later_decision_of_the_same_body():
    meeting = MeetingFactory(
        start=timezone.now() - datetime.timedelta(days=10),
        end=timezone.now() - datetime.timedelta(days=10, hours=-2),
    )
    minutes = minutes_for(meeting)
    add_entry(minutes=minutes, section="note", text="x")
    circulate_minutes(minutes=minutes)
    other_body = record_decision(body=BodyFactory(), title="y", decided_on=timezone.localdate())
    with pytest.raises(MeetingError, match="desselben Gremiums"):
        approve_minutes(minutes=minutes, decision=other_body)
    same_day = record_decision(
        body=meeting.body, title="z", decided_on=timezone.localdate(meeting.start)
    )
    with pytest.raises(MeetingError, match="späteren Sitzung"):
        approve_minutes(minutes=minutes, decision=same_day)


def test_import_writes_entries_and_guiding_questions(tmp_path, capsys):
    meeting = MeetingFactory()
    path = tmp_path / "ag1.txt"
    path.write_text(
        SEED + "AG1 | Leitfragen |∙ Wer  bringt was ein?\nAG1 | Termine | bald\n", encoding="utf-8"
    )
    call_command("import_minutes", str(path), "--meeting", str(meeting.pk))
    output = capsys.readouterr().out
    assert "3 Einträge und 1 Leitfragen" in output
    assert "Zeile 3 wiederholt Zeile 1" in output
    assert "unbekannter Abschnitt „Termine“" in output
    assert MinuteEntry.objects.filter(minutes__meeting=meeting).count() == 3
    assert GuidingQuestion.objects.filter(meeting=meeting).count() == 1


def test_a_malformed_file_imports_nothing(tmp_path):
    meeting = MeetingFactory()
    path = tmp_path / "bad.txt"
    path.write_text(SEED + "AG1 Diskussion kaputt | x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nichts wurde importiert. Zeile 3"):
        call_command("import_minutes", str(path), "--meeting", str(meeting.pk))
    assert not MinuteEntry.objects.exists()
    assert not GuidingQuestion.objects.exists()


def test_import_refuses_approved_minutes_and_missing_files(tmp_path):
    meeting = MeetingFactory()
    minutes = minutes_for(meeting)
    minutes.status = MinutesStatus.APPROVED
    minutes.save()
    path = tmp_path / "ag1.txt"
    path.write_text(SEED, encoding="utf-8")
    with pytest.raises(CommandError, match="genehmigt"):
        call_command("import_minutes", str(path), "--meeting", str(meeting.pk))
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("import_minutes", str(tmp_path / "fehlt.txt"), "--meeting", str(meeting.pk))
    with pytest.raises(CommandError, match="keine Sitzung"):
        call_command("import_minutes", str(path), "--meeting", "999999")
