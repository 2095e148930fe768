"""Demo meetings: a Jour-Fixe series with approved minutes and an upcoming agenda, AG1
with imported minutes, an open assembly, and a public assembly with commitments.

Idempotent: everything is keyed by series, title and date.
"""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from aks.demo import story_day, story_year
from bodies.access import Visibility
from bodies.models import Body, Organisation, Person
from bodies.services import record_decision

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Commitment,
    CommitmentNote,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinutesStatus,
    Recurrence,
)
from .services import (
    add_agenda_item,
    add_entry,
    approve_minutes,
    circulate_minutes,
    generate_meetings,
    import_minutes,
    minutes_for,
    publish_minutes,
    set_series_participants,
)

AG1_FILE = Path(__file__).resolve().parent / "fixtures" / "ag1_demo_protokoll.txt"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour)), timezone.get_current_timezone()
    )


def _meeting(body_slug, title, day, hour, kind, visibility, **extra) -> tuple[Meeting, bool]:
    body = Body.objects.get(slug=body_slug)
    start = _at(story_day(day), hour)
    meeting, created = Meeting.objects.get_or_create(
        body=body,
        title=title,
        start=start,
        defaults={
            "kind": kind,
            "end": start + datetime.timedelta(hours=2),
            "visibility": visibility,
            **extra,
        },
    )
    return meeting, created


def _jour_fixe() -> int:
    team = Body.objects.get(slug="aks-team")
    series, _ = MeetingSeries.objects.get_or_create(
        body=team,
        title="Jour-Fixe mit der Bezirksstadträtin",
        defaults={
            "kind": MeetingKind.JOUR_FIXE,
            "recurrence": Recurrence.MONTHLY,
            "weekday": 1,
            "week_of_month": 2,
            "start_time": datetime.time(10, 0),
            "duration": datetime.timedelta(hours=1, minutes=30),
            "place": "Bezirksamt, Yorckstraße, Raum 2.14",
            "starts_on": story_day(datetime.date(2026, 7, 1)),
            "visibility": Visibility.TEAM,
        },
    )
    # The councillor belongs to her Jour-Fixe without being a member of the AKS team.
    set_series_participants(
        series=series, participants=[Person.objects.get(name="Dr. Hanne Lindqvist")]
    )
    today = timezone.localdate()
    # A series is kept ahead of today, so a later run still finds the next Jour-Fixe.
    generate_meetings(series=series, until=today + datetime.timedelta(days=92))
    meetings = list(series.meetings.order_by("start"))
    past = [m for m in meetings if timezone.localdate(m.start) < today]
    jana = Person.objects.get(name="Jana Okafor")
    for index, meeting in enumerate(past):
        if meeting.status != MeetingStatus.HELD:
            meeting.status = MeetingStatus.HELD
            meeting.minute_taker = jana
            meeting.save(update_fields=["status", "minute_taker"])
        minutes = minutes_for(meeting)
        if not minutes.entries.exists():
            add_entry(
                minutes=minutes,
                section="discussion",
                text="Bericht aus dem AKS-Team zu Leerstand, Beteiligung und laufenden Baustellen.",
            )
            add_entry(
                minutes=minutes,
                section="result",
                text="Die offenen Aufgaben werden bis zum nächsten Jour-Fixe erledigt.",
            )
        # Each set of minutes is approved by the next meeting, except the most recent.
        following = meetings[meetings.index(meeting) + 1]
        if index < len(past) - 1 and minutes.status == MinutesStatus.DRAFT:
            circulate_minutes(minutes=minutes)
            decision = record_decision(
                body=team,
                title=f"Protokoll des Jour-Fixe vom {timezone.localdate(meeting.start):%d.%m.%Y}"
                " genehmigt",
                decided_on=timezone.localdate(following.start),
                visibility=Visibility.TEAM,
            )
            approve_minutes(minutes=minutes, decision=decision)
    upcoming = next(m for m in meetings if timezone.localdate(m.start) >= today)
    if upcoming.agenda_items.count() <= 1:
        add_agenda_item(meeting=upcoming, title="Bericht aus der Steuerungsrunde")
        shop = add_agenda_item(meeting=upcoming, title="Vor-Ort-Laden im ehemaligen Fahrradladen")
        add_agenda_item(meeting=upcoming, title="Stand der Herrichtung", parent=shop)
        add_agenda_item(meeting=upcoming, title="Öffnungszeiten und Schlüssel", parent=shop)
        add_agenda_item(
            meeting=upcoming,
            title="Stellenbesetzung im Stadtentwicklungsamt",
            visibility=Visibility.ADMIN_INTERNAL,
        )
    if past and not ActionItem.objects.filter(meeting=past[-1]).exists():
        ActionItem.objects.create(
            meeting=past[-1],
            title="Nutzungsvereinbarung für den Fahrradladen mit der BIM abstimmen",
            assignee_person=jana,
            due=timezone.localdate(upcoming.start),
        )
        ActionItem.objects.create(
            meeting=past[-1],
            title=f"Termine der offenen Versammlungen {story_year(2027)} festlegen",
            assignee_person=Person.objects.get(name="Timo Brandauer"),
            due=timezone.localdate(upcoming.start) - datetime.timedelta(days=3),
        )
    return len(meetings)


def _ag1() -> None:
    meeting, created = _meeting(
        "ag1",
        "AG1: Kooperationsmodell Vor-Ort-Laden",
        datetime.date(2026, 11, 5),
        17,
        MeetingKind.WORKING_GROUP,
        Visibility.PUBLIC,
        place="Ehemaliger Fahrradladen",
        status=MeetingStatus.HELD,
    )
    if created:
        import_minutes(meeting=meeting, content=AG1_FILE.read_text(encoding="utf-8"))
        minutes = minutes_for(meeting)
        add_agenda_item(meeting=meeting, title="Begrüßung und Leitfragen")
        add_agenda_item(meeting=meeting, title="Ressourcen der Partner")
        add_agenda_item(
            meeting=meeting,
            title=f"Haushaltslage der BIM für {story_year(2027)} (verwaltungsintern)",
            visibility=Visibility.ADMIN_INTERNAL,
        )
        # Circulated, approved by the working group's decision a week later and published:
        # the public reads the minutes and the decision that approved them.
        circulate_minutes(minutes=minutes)
        decision = record_decision(
            body=meeting.body,
            title="Nutzungsvereinbarung für den Vor-Ort-Laden empfohlen",
            text="Die AG empfiehlt der Steuerungsrunde eine Nutzungsvereinbarung für zwölf "
            "Monate und genehmigt das Protokoll ihrer Sitzung.",
            decided_on=timezone.localdate(meeting.start) + datetime.timedelta(days=7),
            visibility=Visibility.PUBLIC,
        )
        approve_minutes(minutes=minutes, decision=decision)
        publish_minutes(minutes=minutes)


def _assemblies() -> None:
    assembly, created = _meeting(
        "traegerverein",
        "Offene Versammlung des Trägervereins",
        datetime.date(2026, 12, 3),
        18,
        MeetingKind.ASSEMBLY,
        Visibility.PUBLIC,
        place="Nachbarschaftshaus Urbanstraße",
        description="Offen für alle Mitglieder und Interessierten: Leerstand, Räume, Beteiligung.",
    )
    if created:
        add_agenda_item(meeting=assembly, title="Begrüßung und Bericht des Vorstands")
        add_agenda_item(meeting=assembly, title="Leerstand im Kiez: neue Meldungen und Begehungen")
        add_agenda_item(meeting=assembly, title="Räume für Initiativen: Stand des Matchings")
        add_agenda_item(meeting=assembly, title="Verschiedenes")
    # Held by the public action team: the Kernkreis itself meets among its members.
    meeting, created = _meeting(
        "aktionsteam-wohnen",
        "Große Versammlung der Bürgerplattform Südost",
        datetime.date(2026, 5, 20),
        19,
        MeetingKind.PUBLIC_ASSEMBLY,
        Visibility.PUBLIC,
        place="Aula der Gemeinschaftsschule am Park",
        status=MeetingStatus.HELD,
    )
    if not created:
        return
    district = Organisation.objects.get(short_name="BA FK")
    wbm = Organisation.objects.get(short_name="WBM")
    bim = Organisation.objects.get(short_name="BIM")
    councillor = Person.objects.get(name="Dr. Hanne Lindqvist")
    kept = Commitment.objects.create(
        meeting=meeting,
        person=councillor,
        organisation=district,
        what="Der Bezirk prüft alle leerstehenden Erdgeschosse in eigener Hand bis Oktober.",
        due=story_day(datetime.date(2026, 10, 31)),
        status=CommitmentStatus.KEPT,
    )
    CommitmentNote.objects.create(
        commitment=kept,
        on=story_day(datetime.date(2026, 10, 20)),
        text="Liste mit 14 Objekten vorgelegt.",
    )
    broken = Commitment.objects.create(
        meeting=meeting,
        organisation=wbm,
        what="Die WBM öffnet zwei Gewerbeeinheiten für Nachbarschaftsprojekte zu Kostenmiete.",
        due=story_day(datetime.date(2026, 9, 30)),
        status=CommitmentStatus.BROKEN,
    )
    CommitmentNote.objects.create(
        commitment=broken,
        on=story_day(datetime.date(2026, 10, 2)),
        text="Frist verstrichen, die Einheiten wurden anderweitig vermietet.",
    )
    Commitment.objects.create(
        meeting=meeting,
        organisation=bim,
        what="Die BIM legt einen Entwurf der Nutzungsvereinbarung für den Fahrradladen vor.",
        due=story_day(datetime.date(2026, 12, 15)),
        status=CommitmentStatus.IN_PROGRESS,
    )
    for person in Person.objects.filter(memberships__body=meeting.body).distinct():
        Attendance.objects.get_or_create(
            meeting=meeting, person=person, defaults={"status": AttendanceStatus.ATTENDED}
        )


@transaction.atomic
def seed_meetings() -> dict[str, int]:
    jour_fixe = _jour_fixe()
    _ag1()
    _assemblies()
    return {
        "meetings": Meeting.objects.count(),
        "jour-fixe meetings": jour_fixe,
        "agenda items": AgendaItem.objects.count(),
        "commitments": Commitment.objects.count(),
    }
