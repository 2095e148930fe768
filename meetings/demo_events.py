"""Demo events (seed 004): the dialog series "Wandel. Machen. Vor Ort." with two past
events (speakers, recording, recommendations, the counts kept after the registrants'
data was deleted) and two upcoming ones with registrations and a waiting list; the
upcoming open assembly of the Trägerverein takes registrations too.

Idempotent: events are keyed by series and title, registrations by event and address;
dates are set relative to the day of the first run.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from bodies.access import Visibility
from bodies.models import Body

from .demo import _at
from .models import (
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinuteSection,
    RecommendationLevel,
    Recurrence,
    Registration,
    RegistrationCount,
    RegistrationStatus,
    Speaker,
)
from .services import add_agenda_item, add_entry, minutes_for

SERIES_TITLE = "Wandel. Machen. Vor Ort."
ONLINE = "https://meet.example.org/wandel-machen-vor-ort"

SPEAKERS = {
    "Wie können Kommunen Bestand nutzen und Nachhaltigkeit unterstützen?": [
        (
            "Wolf-Christian Strauss",
            "Deutsches Institut für Urbanistik",
            "Wachsen, schrumpfen, umwandeln – mit den Facetten des Leerstands in Kommunen "
            "beschäftigt er sich schon lange.",
        ),
        (
            "Arne Kilian",
            "Liegenschaftsfonds Frankfurt",
            "Fördert gemeinschaftlich-genossenschaftliche Wohnprojekte als Innovationsturbine "
            "der Stadtentwicklung.",
        ),
        (
            "Frederik Bewer",
            "Stadt Angermünde, Bürgermeister",
            "„Eigentum verpflichtet“ – ja, auch eine Kommune: Immobilien sind Raum für "
            "Stadtgesellschaft.",
        ),
    ],
    "Gemeinschaftlich wohnen und arbeiten zwischen Stadt und Land": [
        (
            "Mira Haselbach",
            "Netzwerk Zukunftsorte",
            "Begleitet Initiativen, die leerstehende Gutshäuser und Bahnhöfe zu Wohn- und "
            "Arbeitsorten machen.",
        ),
        (
            "Jonas Ebert",
            "Bezirksamt Friedrichshain-Kreuzberg, Stadtentwicklungsamt",
            "Zuständig für Konzeptverfahren und die Vergabe im Erbbaurecht.",
        ),
    ],
}

RECOMMENDATIONS = {
    "Wie können Kommunen Bestand nutzen und Nachhaltigkeit unterstützen?": [
        (
            RecommendationLevel.MUNICIPAL,
            "Leerstandskataster führen und Eigentümer*innen aktiv ansprechen.",
        ),
        (
            RecommendationLevel.MUNICIPAL,
            "Liegenschaften im Konzeptverfahren nach Gemeinwohlkriterien vergeben.",
        ),
        (
            RecommendationLevel.STATE,
            "Förderprogramme für Umbau im Bestand statt Neubau auf der grünen Wiese.",
        ),
    ],
    "Gemeinschaftlich wohnen und arbeiten zwischen Stadt und Land": [
        (
            RecommendationLevel.MUNICIPAL,
            "Erbbaurecht als Regelfall für gemeinwohlorientierte Träger.",
        ),
        (RecommendationLevel.FEDERAL, "Gemeinnützigkeit für Wohnprojekte steuerlich anerkennen."),
    ],
}

# (title, days from today, capacity, confirmed, waiting, pending)
UPCOMING = [
    ("Leerstand als Chance: Zwischennutzung im Kiez", 10, 4, 4, 2, 1),
    ("Verwaltung trifft Initiative: Kooperationsvereinbarungen", 38, 40, 3, 0, 1),
]
PAST = [
    ("Wie können Kommunen Bestand nutzen und Nachhaltigkeit unterstützen?", -63, 60, 57, 44),
    ("Gemeinschaftlich wohnen und arbeiten zwischen Stadt und Land", -35, 60, 48, 39),
]
GUESTS = [
    ("Lea Brandt", "Mieterinitiative Hasenheide-Süd"),
    ("Tomasz Nowak", ""),
    ("Aylin Demir", "Kulturverein Treffpunkt Ost"),
    ("Jakob Reuter", "Stiftung Kiezräume"),
    ("Sophie Lang", ""),
    ("Emre Kaya", "Kiezbäckerei Morgenrot"),
    ("Hanna Vogt", "Evangelische Kiezgemeinde Südost"),
    ("Paul Richter", ""),
]


def _series(body: Body) -> MeetingSeries:
    series, _ = MeetingSeries.objects.get_or_create(
        body=body,
        title=SERIES_TITLE,
        defaults={
            "kind": MeetingKind.PUBLIC_EVENT,
            "recurrence": Recurrence.MONTHLY,
            "weekday": 3,
            "week_of_month": -1,
            "start_time": datetime.time(18, 0),
            "online_url": ONLINE,
            "starts_on": datetime.date(2026, 1, 1),
            "visibility": Visibility.PUBLIC,
        },
    )
    return series


def _event(series: MeetingSeries, title: str, days: int, capacity: int) -> tuple[Meeting, bool]:
    start = _at(timezone.localdate() + datetime.timedelta(days=days), 18)
    return Meeting.objects.get_or_create(
        series=series,
        title=title,
        defaults={
            "body": series.body,
            "kind": MeetingKind.PUBLIC_EVENT,
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "online_url": ONLINE,
            "place": "Nachbarschaftshaus Urbanstraße, Saal",
            "visibility": Visibility.PUBLIC,
            "capacity": capacity,
            "registration_closes_at": start - datetime.timedelta(days=1),
            "description": "Digitales Meetup der Dialogreihe, zugleich vor Ort: Macher*innen, "
            "Expert*innen und Politiker*innen im Gespräch darüber, wie Wandel vor Ort "
            "funktioniert und welche Rahmenbedingungen es dafür braucht.",
        },
    )


def _programme(meeting: Meeting) -> None:
    if meeting.agenda_items.exists():
        return
    for title in (
        "Begrüßung und Einführung in die Dialogreihe",
        "Impulse der Speaker",
        "Gespräch und Fragen aus dem Publikum",
        "Rahmenbedingungen sammeln",
    ):
        add_agenda_item(meeting=meeting, title=title)


def _speakers(meeting: Meeting) -> None:
    for position, (name, affiliation, bio) in enumerate(SPEAKERS.get(meeting.title, [])):
        Speaker.objects.get_or_create(
            meeting=meeting,
            name=name,
            defaults={"affiliation": affiliation, "bio": bio, "position": position},
        )


def _registrations(meeting: Meeting, *, confirmed: int, waiting: int, pending: int) -> None:
    statuses = (
        [RegistrationStatus.CONFIRMED] * confirmed
        + [RegistrationStatus.WAITING] * waiting
        + [RegistrationStatus.PENDING] * pending
    )
    for index, status in enumerate(statuses):
        name, organisation = GUESTS[index % len(GUESTS)]
        email = f"{name.split()[0].lower()}.{meeting.pk}@example.org"
        Registration.objects.get_or_create(
            meeting=meeting,
            email=email,
            defaults={
                "name": name,
                "organisation": organisation,
                "status": status,
                "position": index - confirmed + 1 if status == RegistrationStatus.WAITING else None,
                "token": secrets.token_urlsafe(32),
                "consent_text": "Demo-Anmeldung.",
                "confirmed_at": None if status == RegistrationStatus.PENDING else timezone.now(),
            },
        )


@transaction.atomic
def seed_events() -> dict[str, int]:
    association = Body.objects.get(slug="traegerverein")
    series = _series(association)
    for title, days, capacity, registered, came in PAST:
        meeting, created = _event(series, title, days, capacity)
        _speakers(meeting)
        _programme(meeting)
        if created:
            meeting.status = MeetingStatus.HELD
            meeting.recording_url = "https://video.example.org/wandel-machen-vor-ort/" + str(
                meeting.pk
            )
            meeting.save(update_fields=["status", "recording_url"])
            minutes = minutes_for(meeting)
            for level, text in RECOMMENDATIONS.get(title, []):
                add_entry(
                    minutes=minutes,
                    section=MinuteSection.RECOMMENDATION,
                    level=level,
                    text=text,
                )
        # The registrants' data of past events is deleted; the counts stay.
        RegistrationCount.objects.get_or_create(
            meeting=meeting,
            defaults={
                "confirmed": registered,
                "checked_in": came,
                "cancelled": 6,
                "purged_at": meeting.end + datetime.timedelta(days=30),
            },
        )
    for title, days, capacity, confirmed, waiting, pending in UPCOMING:
        meeting, _ = _event(series, title, days, capacity)
        _programme(meeting)
        _registrations(meeting, confirmed=confirmed, waiting=waiting, pending=pending)
    assembly = Meeting.objects.filter(
        body=association, kind=MeetingKind.ASSEMBLY, start__gte=timezone.now()
    ).first()
    if assembly and assembly.registration_closes_at is None:
        assembly.registration_closes_at = assembly.start - datetime.timedelta(hours=2)
        assembly.capacity = 120
        assembly.save(update_fields=["registration_closes_at", "capacity"])
    return {
        "public events": Meeting.objects.filter(series=series).count(),
        "registrations": Registration.objects.count(),
    }
