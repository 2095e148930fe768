"""Demo events (seed 004): the dialog series "Wandel. Machen. Vor Ort." with two past
events (speakers, recording, recommendations, the counts kept after the registrants'
data was deleted) and two upcoming ones with registrations and a waiting list; the
upcoming open assembly of the Trägerverein takes registrations too.

The room and the series (issue #7, second part): a topic survey of the dialog series
with some votes, a commitment recorded in the room at the big public assembly that waits
for the staff check, and recommendations collected live at the latest past event.

Idempotent: events are keyed by series and title, registrations by event and address,
the survey by series and title, the room's commitment by meeting and text; dates are set
relative to the day of the first run.
"""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from aks.accounts.models import User
from aks.demo import DEMO_DOMAIN, STORY_WEEK, story_day
from bodies.access import Visibility
from bodies.models import Body, Organisation

from .demo import _at
from .models import (
    Commitment,
    EventDocument,
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
    SurveyStatus,
    TopicOption,
    TopicSurvey,
    TopicVote,
)
from .room import record_commitment
from .services import (
    add_agenda_item,
    add_entry,
    approve_minutes,
    circulate_minutes,
    minutes_for,
    publish_minutes,
)
from .surveys import create_survey

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
        # Collected live on the staff's laptop during the event.
        (
            RecommendationLevel.MUNICIPAL,
            "Eine Anlaufstelle im Bezirksamt für gemeinschaftliche Wohnprojekte einrichten.",
        ),
        (
            RecommendationLevel.STATE,
            "Landeseigene Liegenschaften zu leistbaren Preisen an Kommunen weitergeben.",
        ),
    ],
}

SURVEY_TITLE = "Welche Themen als Nächstes?"
SURVEY_QUESTION = "Welche Fragen soll die Dialogreihe in den nächsten Monaten aufgreifen?"
# Seed 004: the topics still to come, prioritised by a survey.
SURVEY_TOPICS = [
    "Wie werden Gemeinwohl-Angebote finanziell tragfähig?",
    "Wie kann Boden ökologisch genutzt und aufgewertet werden?",
    "Wie können Sharing-Strukturen auch auf dem Land (wieder) funktionieren?",
    "Wie kann man demokratische Beteiligung auf dem Land attraktiver machen?",
    "Wie lassen sich nachhaltige und leistbare Wohnumfelder gestalten?",
]

ROOM_COMMITMENT = (
    "Die Bezirksstadträtin sagt zu: Das Bezirksamt legt bis Ende März eine Liste aller "
    "bezirkseigenen Flächen vor, die für Zwischennutzungen in Frage kommen."
)

# (title, days from the story's week, capacity, confirmed, waiting, pending)
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
            "starts_on": story_day(datetime.date(2026, 1, 1)),
            "visibility": Visibility.PUBLIC,
        },
    )
    return series


def _event(series: MeetingSeries, title: str, days: int, capacity: int) -> tuple[Meeting, bool]:
    start = _at(story_day(STORY_WEEK) + datetime.timedelta(days=days), 18)
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
        if not created:
            # Added to the demo later: recommendations missing from an earlier run.
            _missing_recommendations(meeting)
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
            # The documentation of a past event is public once the staff have published it.
            if minutes.entries.exists():
                circulate_minutes(minutes=minutes)
                approve_minutes(
                    minutes=minutes, chair=User.objects.get(email=f"v-extern@{DEMO_DOMAIN}")
                )
                publish_minutes(minutes=minutes)
        _slides(meeting)
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
    _survey(series)
    _room_commitment()
    return {
        "public events": Meeting.objects.filter(series=series).count(),
        "registrations": Registration.objects.count(),
        "topic surveys": TopicSurvey.objects.count(),
        "commitments waiting for the check": Commitment.objects.filter(
            checked_at__isnull=True
        ).count(),
    }


def _slides(meeting: Meeting) -> None:
    """The first speaker's slides, as a one-page PDF made here (the demo ships no files)."""
    speakers = SPEAKERS.get(meeting.title, [])
    if not speakers or meeting.event_documents.exists():
        return
    from weasyprint import HTML

    name, affiliation, _bio = speakers[0]
    page = (
        "<html lang='de'><body style='font-family: DejaVu Sans, sans-serif'>"
        f"<h1>{escape(meeting.title)}</h1><p>Impuls: {escape(name)}"
        f"{', ' + escape(affiliation) if affiliation else ''}</p>"
        "<p>Folien zur Dokumentation der Veranstaltung (Demo).</p></body></html>"
    )
    EventDocument.objects.create(
        meeting=meeting,
        title=f"Folien: {name}",
        file=ContentFile(HTML(string=page).write_pdf(), name="folien.pdf"),
    )


def _missing_recommendations(meeting: Meeting) -> None:
    minutes = minutes_for(meeting)
    if minutes.is_locked:
        return
    known = set(minutes.entries.values_list("text", flat=True))
    for level, text in RECOMMENDATIONS.get(meeting.title, []):
        if text not in known:
            add_entry(minutes=minutes, section=MinuteSection.RECOMMENDATION, level=level, text=text)


def _survey(series: MeetingSeries) -> None:
    """An open survey with votes of the confirmed registrants; no mails from the demo."""
    survey = TopicSurvey.objects.filter(series=series, title=SURVEY_TITLE).first()
    if survey is None:
        survey = create_survey(
            series=series, title=SURVEY_TITLE, question=SURVEY_QUESTION, options=SURVEY_TOPICS
        )
        survey.status = SurveyStatus.OPEN
        survey.opened_at = timezone.now()
        survey.save(update_fields=["status", "opened_at"])
    options = list(TopicOption.objects.filter(survey=survey).order_by("position"))
    voters = Registration.objects.filter(
        meeting__series=series, status=RegistrationStatus.CONFIRMED
    ).order_by("pk")
    for index, registration in enumerate(voters[:5]):
        if TopicVote.objects.filter(survey=survey, registration=registration).exists():
            continue
        vote = TopicVote.objects.create(survey=survey, registration=registration)
        # Soil and housing are what most people want; each ballot approves of two or three.
        picks = {1, 4, index % len(options)}
        vote.options.set([options[i] for i in sorted(picks)])


def _room_commitment() -> None:
    """Said at the big public assembly, typed on the chair's phone, not yet checked."""
    assembly = Meeting.objects.filter(
        kind=MeetingKind.PUBLIC_ASSEMBLY, title="Große Versammlung der Bürgerplattform Südost"
    ).first()
    district = Organisation.objects.filter(short_name="BA FK").first()
    if assembly is None or district is None:
        return
    if Commitment.objects.filter(meeting=assembly, what=ROOM_COMMITMENT).exists():
        return
    record_commitment(
        meeting=assembly,
        by=None,
        organisation=district,
        promised_by_name="Bezirksstadträtin",
        what=ROOM_COMMITMENT,
        due=story_day(datetime.date(2027, 3, 31)),
    )
