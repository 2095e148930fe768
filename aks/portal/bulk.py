"""A synthetic district for benchmarks: ``python manage.py seed_bulk --scale N``.

Scale 1 is a district after years of work: 200 bodies, 5,000 people, 20,000
memberships, 10,000 meetings with 100,000 agenda items and 300,000 minute entries,
2,000 spaces, 1,000 polls with 50,000 votes, at every visibility level.

Rows are written without the ORM's per-object work: on PostgreSQL with ``COPY``
(hundreds of thousands of rows a second), elsewhere with ``bulk_create`` in batches.
Primary keys are handed out here, so children can point at parents without reading
anything back; the sequences are moved past them at the end.

The text is German-looking, built from a word list, so full-text search has
something to find (and the stemmer something to stem). The same seed gives the same
district.
"""

import datetime
import itertools
import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from aks.accounts import roles
from aks.accounts.models import User
from bodies.access import Visibility
from bodies.models import (
    Body,
    BodyKind,
    Decision,
    DecisionStatus,
    Entitlement,
    Majority,
    Membership,
    MembershipRole,
    OptionMeaning,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Poll,
    PollKind,
    PollOption,
    PollStatus,
    Side,
    Vote,
    VotingUnit,
    Workstream,
)
from meetings.models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    GuidingQuestion,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinuteSection,
    MinutesStatus,
    RecommendationLevel,
)
from spaces.models import District, OwnerKind, Space, SpaceKind, SpaceStatus

# Marks every row of a bulk run, so a second run can be refused (or told apart).
SLUG_PREFIX = "bulk"
BULK_PASSWORD = "bulk-benchmark"  # noqa: S105 - synthetic accounts for load tests only

# Counts at scale 1, and the least of each at a tiny scale: every level must appear.
SCALE_1 = {
    "organisations": 400,
    "bodies": 200,
    "persons": 5_000,
    "memberships": 20_000,
    "meetings": 10_000,
    "agenda_items": 100_000,
    "minute_entries": 300_000,
    "guiding_questions": 10_000,
    "commitments": 3_000,
    "spaces": 2_000,
    "workstreams": 100,
    "polls": 1_000,
    "votes": 50_000,
    "users": 100,
}
MINIMUM = {
    "organisations": 5,
    "bodies": 5,
    "persons": 60,
    "memberships": 20,
    "meetings": 10,
    "agenda_items": 20,
    "minute_entries": 30,
    "guiding_questions": 5,
    "commitments": 5,
    "spaces": 5,
    "workstreams": 5,
    "polls": 5,
    "votes": 25,
    "users": 8,
}
BATCH = 5_000

# Cycled by row number: the first five rows take all five levels, so even a tiny
# district has each; over many rows about 60% public, 15% members, 10% team,
# 8% admin-internal and 7% civil-internal (20-step pattern, rounded).
_V = Visibility
VISIBILITY_PATTERN = (
    [_V.PUBLIC, _V.MEMBERS, _V.TEAM, _V.ADMIN_INTERNAL, _V.CIVIL_INTERNAL]
    + [_V.PUBLIC] * 11
    + [_V.MEMBERS, _V.MEMBERS, _V.TEAM, _V.ADMIN_INTERNAL]
)


def visibility_for(index: int) -> str:
    return str(VISIBILITY_PATTERN[index % len(VISIBILITY_PATTERN)])


# --- German-looking text -------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


NOUNS = _words(
    "Kooperation Zwischennutzung Leerstand Gewerberaum Mietvertrag Nachbarschaft Initiative "
    "Bodenpolitik Vorkaufsrecht Erbbaurecht Konzeptverfahren Anhandgabe Stadtteilzentrum "
    "Kiezladen Gemeinwohl Wohnraum Jugendclub Werkstatt Atelier Hinterhof Ladenlokal "
    "Bezirksamt Steuerungsrunde Versammlung Arbeitsgruppe Beschluss Haushalt Förderung "
    "Beteiligung Verwaltung Zivilgesellschaft Bezirkspolitik Eigentümerin Hausverwaltung "
    "Wohnungsbaugesellschaft Genossenschaft Mieterberatung Sozialraum Quartier Grünfläche "
    "Spielplatz Kita Schule Bibliothek Nachbarschaftshaus Kulturraum Proberaum "
    "Gemeinschaftsgarten Machbarkeitsstudie Nutzungskonzept Raumbedarf Mietpreis Sanierung "
    "Brandschutz Barrierefreiheit "
    "Öffentlichkeitsarbeit Pressemitteilung Tagesordnung Protokoll Zusage Aufgabe Baustelle "
    "Finanzierung Zuwendung Kostenschätzung Gutachten Stellungnahme Leitlinie Empfehlung"
)
ADJECTIVES = _words(
    "offene gemeinwohlorientierte bezahlbare leerstehende kommunale soziale nachhaltige "
    "neue dringende verbindliche gemeinsame öffentliche interne strittige langfristige "
    "vorläufige kooperative nachbarschaftliche kulturelle barrierefreie"
)
VERBS = _words(
    "prüft klärt unterstützt beantragt sichert vermittelt begleitet diskutiert beschließt "
    "empfiehlt fordert bewertet koordiniert dokumentiert vertagt präsentiert verhandelt"
)
SUBJECTS = _words(
    "Das AKS-Team|Die Steuerungsrunde|Der Trägerverein|Die Arbeitsgruppe|Das Bezirksamt|"
    "Der Kernkreis|Die Initiative|Die Baustadträtin|Das Aktionsteam|Die Hausverwaltung",
    "|",
)
PLACES = _words(
    "Boxhagener Kiez|Wrangelkiez|Graefekiez|Samariterviertel|Bergmannkiez|Südliche Friedrichstadt|"
    "Nordkiez|Chamissokiez|Wriezener Karree|Lausitzer Platz",
    "|",
)
STREETS = _words(
    "Ratiborstraße|Oranienstraße|Wrangelstraße|Boxhagener Straße|Frankfurter Allee|"
    "Warschauer Straße|Bergmannstraße|Graefestraße|Skalitzer Straße|Rigaer Straße|"
    "Mariannenplatz|Görlitzer Straße|Simon-Dach-Straße|Zossener Straße",
    "|",
)
FIRST_NAMES = _words(
    "Anna Ben Clara David Elif Finn Greta Hakan Ida Jonas Kemal Lena Mila Noah Olga Paul "
    "Rosa Samir Tara Umut Vera Wanda Yusuf Zeynep"
)
LAST_NAMES = _words(
    "Schulz Müller Yılmaz Nowak Becker Kaya Wagner Hoffmann Schröder Demir Krüger Wolf "
    "Neumann Schwarz Zimmermann Braun Hartmann Lange Şahin Fischer"
)


class Text:
    """Sentences from the word lists above; deterministic for a given random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def phrase(self) -> str:
        return f"{self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)}"

    def title(self) -> str:
        return f"{self.rng.choice(NOUNS)}: {self.phrase()} im {self.rng.choice(PLACES)}"

    def sentence(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} die {self.phrase()} "
            f"und die {rng.choice(NOUNS)} im {rng.choice(PLACES)}."
        )

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


# --- writing rows --------------------------------------------------------------------------


class Writer:
    """Appends rows (dicts of column attribute names) to a model's table."""

    def __init__(self, *, progress: Callable[[str], None]):
        self.progress = progress
        self.copy = connection.vendor == "postgresql"
        self.written: dict[str, int] = {}

    @staticmethod
    def next_id(model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model: type[models.Model], rows: Iterable[dict], *, label: str) -> int:
        count = 0
        if self.copy:
            count = self._copy(model, rows)
        else:
            for batch in _batched(rows, BATCH):
                model._default_manager.bulk_create([model(**row) for row in batch])
                count += len(batch)
        self.written[label] = self.written.get(label, 0) + count
        self.progress(f"  {label}: {count:,}")
        return count

    def _copy(self, model: type[models.Model], rows: Iterable[dict]) -> int:
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        # Every column, also those the rows leave out (other apps add fields over
        # time): COPY does not apply Django's defaults, so they are filled in here.
        fields = [field for field in model._meta.concrete_fields if field.attname in first]
        fields += [
            field
            for field in model._meta.concrete_fields
            if field.attname not in first and not field.primary_key  # the database's own
        ]
        attnames = [field.attname for field in fields]
        defaults = {
            field.attname: _default(field) for field in fields if field.attname not in first
        }
        columns = [field.column for field in fields]
        qn = connection.ops.quote_name
        sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in itertools.chain([first], iterator):
                copy.write_row(
                    [_db_value(row[name] if name in row else defaults[name]) for name in attnames]
                )
                count += 1
                if count % 100_000 == 0:
                    self.progress(f"    … {count:,}")
        return count

    def finish(self, touched: Iterable[type[models.Model]]) -> None:
        """Move the id sequences past the ids handed out here, and refresh statistics."""
        touched = list(touched)
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            if connection.vendor == "postgresql":
                for model in touched:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _db_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _batched(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- the district --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a scale asks for."""

    counts: dict[str, int]

    @classmethod
    def for_scale(cls, scale: float) -> "Plan":
        return cls(
            {name: max(MINIMUM[name], round(count * scale)) for name, count in SCALE_1.items()}
        )

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


def bulk_run_exists() -> bool:
    return Body.objects.filter(slug__startswith=f"{SLUG_PREFIX}").exists()


def _run_tag() -> str:
    """A short tag unique to this run, for the unique names and slugs."""
    runs = Body.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    tags = {slug.split("-")[0] for slug in runs}
    number = 1
    while f"{SLUG_PREFIX}{number}" in tags:
        number += 1
    return f"{SLUG_PREFIX}{number}"


def _spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


BODY_KINDS = [
    BodyKind.WORKING_GROUP,
    BodyKind.WORKING_GROUP,
    BodyKind.ACTION_TEAM,
    BodyKind.STEERING,
    BodyKind.TEAM,
    BodyKind.CORE_CIRCLE,
    BodyKind.ASSOCIATION,
    BodyKind.STRATEGY_TEAM,
]
MEETING_KIND_FOR_BODY = {
    BodyKind.WORKING_GROUP: MeetingKind.WORKING_GROUP,
    BodyKind.ACTION_TEAM: MeetingKind.WORKING_GROUP,
    BodyKind.STEERING: MeetingKind.STEERING,
    BodyKind.TEAM: MeetingKind.JOUR_FIXE,
    BodyKind.CORE_CIRCLE: MeetingKind.ASSEMBLY,
    BodyKind.ASSOCIATION: MeetingKind.PUBLIC_ASSEMBLY,
    BodyKind.STRATEGY_TEAM: MeetingKind.TEAM,
}
SECTIONS = [
    MinuteSection.INTRODUCTION,
    MinuteSection.GUIDING_QUESTION,
    MinuteSection.DISCUSSION,
    MinuteSection.DISCUSSION,
    MinuteSection.DISCUSSION,
    MinuteSection.RESULT,
    MinuteSection.DECISION,
    MinuteSection.NOTE,
    MinuteSection.RECOMMENDATION,
]
SIDES = [Side.CIVIL_SOCIETY, Side.CIVIL_SOCIETY, Side.ADMINISTRATION_INTERNAL, Side.POLITICS]
USER_ROLES = [roles.V_INTERN, roles.V_EXTERN, roles.COUNCILLOR, roles.ASSOCIATION_MEMBER, None]


def seed_bulk(
    *, scale: float, seed: int = 1, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    """Write a synthetic district of ``scale`` into the database; return row counts."""
    rng = random.Random(seed)
    text = Text(rng)
    plan = Plan.for_scale(scale)
    writer = Writer(progress=progress)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()

    with transaction.atomic():
        tag = _run_tag()
        progress(f"Seeding district {tag!r} at scale {scale} ({plan['minute_entries']:,} entries)")
        ids = {
            model: writer.next_id(model)
            for model in (
                Organisation,
                Body,
                Person,
                Meeting,
                AgendaItem,
                Minutes,
                Poll,
                PollOption,
                Entitlement,
                Decision,
                Space,
            )
        }

        # Organisations and bodies.
        org0 = ids[Organisation]
        organisations = range(org0, org0 + plan["organisations"])
        writer.write(
            Organisation,
            (
                {
                    "id": org0 + i,
                    "name": f"{rng.choice(NOUNS)}-Initiative {tag}-{i}",
                    "short_name": f"O{i}",
                    "kind": OrganisationKind.values[i % len(OrganisationKind.values)],
                    "website": "",
                    "description": text.paragraph(1),
                }
                for i in range(plan["organisations"])
            ),
            label="organisations",
        )
        body0 = ids[Body]
        body_kinds = [BODY_KINDS[i % len(BODY_KINDS)] for i in range(plan["bodies"])]
        body_visibility = [visibility_for(i) for i in range(plan["bodies"])]
        writer.write(
            Body,
            (
                {
                    "id": body0 + i,
                    "name": f"{kind.label} {rng.choice(PLACES)} {i + 1}",
                    # Unique, and short enough for decision numbers.
                    "short_name": f"{tag[len(SLUG_PREFIX) :]}B{i}"[:12],
                    "slug": f"{tag}-gremium-{i}",
                    "kind": kind,
                    "parent_id": None,
                    "voting_unit": VotingUnit.ORGANISATION
                    if kind == BodyKind.CORE_CIRCLE
                    else VotingUnit.PERSON,
                    "visibility": body_visibility[i],
                    "description": text.paragraph(3),
                }
                for i, kind in enumerate(body_kinds)
            ),
            label="bodies",
        )
        bodies = range(body0, body0 + plan["bodies"])

        # People, some with accounts in each role (for load tests as a logged-in user).
        person0 = ids[Person]
        writer.write(
            Person,
            (
                {
                    "id": person0 + i,
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "user_id": None,
                    "organisation_id": rng.choice(organisations) if i % 3 else None,
                    "email": "",
                }
                for i in range(plan["persons"])
            ),
            label="persons",
        )
        _users(tag=tag, count=plan["users"], person0=person0, progress=progress)

        # Memberships: spread evenly over bodies, so every body has members to vote.
        per_body = _spread(plan["memberships"], plan["bodies"])
        members_of: dict[int, list[int]] = {}
        membership_rows = []
        for index, (body_id, count) in enumerate(zip(bodies, per_body, strict=True)):
            people = rng.sample(range(person0, person0 + plan["persons"]), k=count)
            members_of[body_id] = people
            org_vote = body_kinds[index] == BodyKind.CORE_CIRCLE
            for position, person_id in enumerate(people):
                role = (
                    MembershipRole.CHAIR
                    if position == 0
                    else MembershipRole.DELEGATE
                    if org_vote
                    else MembershipRole.MEMBER
                )
                ended = position % 10 == 9
                membership_rows.append(
                    {
                        "person_id": person_id,
                        "body_id": body_id,
                        "role": role,
                        "side": SIDES[position % len(SIDES)],
                        # Delegates and members of bodies voting per group represent one.
                        "organisation_id": rng.choice(organisations) if org_vote else None,
                        "voting_right": True,
                        "start": datetime.date(2020, 1, 1),
                        "end": datetime.date(2023, 12, 31) if ended else None,
                    }
                )
        writer.write(Membership, membership_rows, label="memberships")
        del membership_rows

        # Meetings over the past six years and the next one; the past ones were held.
        meeting0 = ids[Meeting]
        meetings = plan["meetings"]
        span_days = 7 * 365
        meeting_start = []
        meeting_rows = []
        for i in range(meetings):
            body_index = i % plan["bodies"]
            start = (now - datetime.timedelta(days=6 * 365)).replace(hour=16) + datetime.timedelta(
                days=span_days * i // meetings
            )
            meeting_start.append(start)
            meeting_rows.append(
                {
                    "id": meeting0 + i,
                    "body_id": body0 + body_index,
                    "series_id": None,
                    "kind": MEETING_KIND_FOR_BODY[body_kinds[body_index]],
                    "title": text.title(),
                    "start": start,
                    "end": start + datetime.timedelta(hours=2),
                    "place": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    "space_id": None,
                    "online_url": "",
                    "status": MeetingStatus.HELD if start < now else MeetingStatus.INVITED,
                    "visibility": visibility_for(i // 3),
                    "moderator_id": None,
                    "minute_taker_id": None,
                    "description": text.paragraph(2),
                }
            )
        writer.write(Meeting, meeting_rows, label="meetings")
        del meeting_rows

        # Agenda items: the same number for every meeting, so ids follow from the meeting.
        items_per_meeting = max(1, plan["agenda_items"] // meetings)
        item0 = ids[AgendaItem]

        def item_id(meeting_index: int, position: int) -> int:
            return item0 + meeting_index * items_per_meeting + position

        writer.write(
            AgendaItem,
            (
                {
                    "id": item_id(m, p),
                    "meeting_id": meeting0 + m,
                    "parent_id": None,
                    "position": p,
                    "title": text.title(),
                    "description": text.paragraph(2),
                    "presenter_id": None,
                    "duration_minutes": rng.choice([10, 15, 20, 30]),
                    # Mostly as open as the meeting; some items more restricted.
                    "visibility": visibility_for((m * items_per_meeting + p) // 4)
                    if p % 4 == 3
                    else Visibility.PUBLIC,
                    "standing": False,
                }
                for m in range(meetings)
                for p in range(items_per_meeting)
            ),
            label="agenda items",
        )

        # Minutes for held meetings; the entries spread evenly over them.
        held = [m for m in range(meetings) if meeting_start[m] < now] or [0]
        minutes0 = ids[Minutes]
        writer.write(
            Minutes,
            (
                {
                    "id": minutes0 + n,
                    "meeting_id": meeting0 + m,
                    "status": MinutesStatus.PUBLISHED if n % 5 else MinutesStatus.APPROVED,
                    "visibility": visibility_for(n // 3) if n % 3 == 0 else Visibility.PUBLIC,
                    "circulated_at": meeting_start[m] + datetime.timedelta(days=3),
                    "approved_at": meeting_start[m] + datetime.timedelta(days=30),
                    "approval_id": None,
                    "approved_by_chair_id": None,
                    "published_at": meeting_start[m] + datetime.timedelta(days=31)
                    if n % 5
                    else None,
                }
                for n, m in enumerate(held)
            ),
            label="minutes",
        )
        entries_per_minutes = _spread(plan["minute_entries"], len(held))

        def entry_rows():
            serial = 0
            for n, m in enumerate(held):
                for position in range(entries_per_minutes[n]):
                    section = SECTIONS[serial % len(SECTIONS)]
                    serial += 1
                    yield {
                        "minutes_id": minutes0 + n,
                        "section": section,
                        "text": text.paragraph(rng.randint(1, 4)),
                        "agenda_item_id": item_id(m, position % items_per_meeting),
                        "speaker_id": None,
                        "level": RecommendationLevel.values[serial % 3]
                        if section == MinuteSection.RECOMMENDATION
                        else "",
                        "position": position,
                        "visibility": visibility_for(serial // 5) if serial % 5 == 0 else "public",
                        "corrects_id": None,
                        "created_at": meeting_start[m] + datetime.timedelta(days=1),
                    }

        writer.write(MinuteEntry, entry_rows(), label="minute entries")

        writer.write(
            GuidingQuestion,
            (
                {
                    "meeting_id": meeting0 + (q % meetings),
                    "agenda_item_id": None,
                    "text": f"Wie {rng.choice(VERBS)} die {text.phrase()} den "
                    f"{rng.choice(PLACES)}?",
                    "status": "answered" if q % 2 else "open",
                    "answer": text.paragraph(1) if q % 2 else "",
                    "carried_from_id": None,
                    "position": q // meetings,
                    "visibility": visibility_for(q),
                }
                for q in range(plan["guiding_questions"])
            ),
            label="guiding questions",
        )
        writer.write(
            Commitment,
            (
                {
                    "meeting_id": meeting0 + rng.randrange(meetings),
                    "person_id": None,
                    "organisation_id": rng.choice(organisations),
                    "what": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} die {text.phrase()}.",
                    "due": today + datetime.timedelta(days=rng.randint(-400, 200)),
                    "status": CommitmentStatus.values[c % len(CommitmentStatus.values)],
                    "visibility": visibility_for(c),
                }
                for c in range(plan["commitments"])
            ),
            label="commitments",
        )

        # Spaces, in neighbourhoods of the district.
        district_ids = _districts()
        space0 = ids[Space]
        writer.write(
            Space,
            (
                {
                    "id": space0 + s,
                    "name": f"{rng.choice(['Laden', 'Hinterhaus', 'Remise', 'Etage', 'Brache'])}"
                    f" {rng.choice(STREETS)} {s + 1}",
                    "address": f"{rng.choice(STREETS)} {rng.randint(1, 150)}",
                    "postcode": rng.choice(["10243", "10245", "10247", "10961", "10997", "10999"]),
                    "district_id": rng.choice(district_ids),
                    "latitude": Decimal(f"{52.49 + rng.random() * 0.03:.6f}"),
                    "longitude": Decimal(f"{13.38 + rng.random() * 0.1:.6f}"),
                    "kind": SpaceKind.values[s % len(SpaceKind.values)],
                    "size_m2": rng.randint(20, 2_000),
                    "monthly_rent": Decimal(rng.randint(300, 9_000)),
                    "owner_organisation_id": rng.choice(organisations) if s % 2 else None,
                    "owner_kind": OwnerKind.values[s % len(OwnerKind.values)],
                    "owner_notes": text.paragraph(1),
                    "owner_visibility": visibility_for(s + 2),
                    "vacant_since": today - datetime.timedelta(days=rng.randint(30, 3_000)),
                    "current_user_organisation_id": None,
                    "contested": s % 7 == 0,
                    "contested_reason": text.sentence() if s % 7 == 0 else "",
                    "description": text.paragraph(3),
                    "status": SpaceStatus.values[s % len(SpaceStatus.values)],
                    "visibility": visibility_for(s),
                    "body_id": rng.choice(bodies),
                    "reported_by_id": None,
                    "created_at": now - datetime.timedelta(days=rng.randint(1, 2_000)),
                    "updated_at": now,
                }
                for s in range(plan["spaces"])
            ),
            label="spaces",
        )

        first_number = (Workstream.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        writer.write(
            Workstream,
            (
                {
                    "number": first_number + w,
                    "title": text.title(),
                    "description": text.paragraph(3),
                    "status": "active",
                    "lead_body_id": body0 + w % plan["bodies"],
                    "visibility": visibility_for(w),
                }
                for w in range(plan["workstreams"])
            ),
            label="workstreams",
        )

        _polls(
            writer=writer,
            rng=rng,
            text=text,
            plan=plan,
            ids=ids,
            bodies=bodies,
            members_of=members_of,
            now=now,
        )
        writer.finish(
            [
                Organisation,
                Body,
                Person,
                Membership,
                Meeting,
                AgendaItem,
                Minutes,
                MinuteEntry,
                GuidingQuestion,
                Commitment,
                Space,
                Workstream,
                Poll,
                PollOption,
                Entitlement,
                Participation,
                Vote,
                Decision,
                User,
            ]
        )
    return writer.written


def _districts() -> list[int]:
    existing = list(District.objects.values_list("pk", flat=True))
    if existing:
        return existing
    return [
        District.objects.create(name=name, position=position).pk
        for position, name in enumerate(PLACES)
    ]


def _users(*, tag: str, count: int, person0: int, progress: Callable[[str], None]) -> None:
    """Accounts for load tests: the first people of the run, roles in turn."""
    password = make_password(BULK_PASSWORD)  # hashed once: hashing is slow on purpose
    User.objects.bulk_create(
        [
            User(
                email=f"{tag}-{index}@example.org",
                display_name=f"Last {tag} {index}",
                password=password,
            )
            for index in range(count)
        ],
        batch_size=BATCH,
    )
    users = list(User.objects.filter(email__startswith=f"{tag}-").order_by("pk"))
    groups = dict(Group.objects.filter(name__in=roles.ALL).values_list("name", "pk"))
    through = User.groups.through
    through.objects.bulk_create(
        [
            through(user_id=user.pk, group_id=groups[role])
            for index, user in enumerate(users)
            if (role := USER_ROLES[index % len(USER_ROLES)]) and role in groups
        ]
    )
    for index, user in enumerate(users):
        Person.objects.filter(pk=person0 + index).update(user=user)
    progress(f"  user accounts: {len(users):,} (password {BULK_PASSWORD!r})")


def _polls(*, writer, rng, text, plan, ids, bodies, members_of, now) -> None:
    """Polls with their options, rolls and ballots; closed ones become decisions."""
    poll0, option0, roll0, decision0 = (
        ids[Poll],
        ids[PollOption],
        ids[Entitlement],
        ids[Decision],
    )
    votes_per_poll = _spread(plan["votes"], plan["polls"])
    poll_rows, option_rows, roll_rows, vote_rows, part_rows, decision_rows = ([] for _ in range(6))
    sequence: dict[tuple[int, int], int] = {}
    roll_id = roll0
    for p in range(plan["polls"]):
        poll_id, body_id = poll0 + p, bodies[p % len(bodies)]
        closed = p % 10 != 0
        secret = p % 8 == 0
        opened = now - datetime.timedelta(days=rng.randint(2, 2_000))
        visibility = visibility_for(p)
        options = [
            (option0 + 3 * p + index, meaning)
            for index, meaning in enumerate(
                [OptionMeaning.YES, OptionMeaning.NO, OptionMeaning.ABSTAIN]
            )
        ]
        members = members_of[body_id]
        # Everyone on the roll is a member where the body has enough; otherwise anyone.
        pool = (
            members
            if len(members) >= votes_per_poll[p]
            else list(range(ids[Person], ids[Person] + plan["persons"]))
        )
        voters = rng.sample(pool, k=min(votes_per_poll[p], len(pool)))
        tally = dict.fromkeys(["yes", "no", "abstain"], 0)
        for position, person_id in enumerate(voters):
            side = SIDES[position % len(SIDES)]
            roll_rows.append(
                {
                    "id": roll_id,
                    "poll_id": poll_id,
                    "person_id": person_id,
                    "organisation_id": None,
                    "side": side,
                }
            )
            option_id, meaning = options[rng.choices([0, 1, 2], weights=[6, 3, 1])[0]]
            tally[meaning] += 1
            if secret:
                # Who took part, apart from what was chosen: nothing joins the two.
                part_rows.append(
                    {"poll_id": poll_id, "entitlement_id": roll_id, "cast_by_id": person_id}
                )
                vote_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "poll_id": poll_id,
                        "entitlement_id": None,
                        "cast_by_id": None,
                        "side": side,
                        "choices": [option_id],
                        "cast_at": None,
                    }
                )
            else:
                vote_rows.append(
                    {
                        "id": uuid.uuid4(),
                        "poll_id": poll_id,
                        "entitlement_id": roll_id,
                        "cast_by_id": person_id,
                        "side": side,
                        "choices": [option_id],
                        "cast_at": opened + datetime.timedelta(minutes=position),
                    }
                )
            roll_id += 1
        adopted = tally["yes"] > tally["no"]
        title = f"Antrag: {text.phrase()}"
        poll_rows.append(
            {
                "id": poll_id,
                "body_id": body_id,
                "title": title,
                "motion": text.paragraph(2),
                "kind": PollKind.YES_NO_ABSTAIN,
                "counting": "electronic",
                "voting_unit": VotingUnit.PERSON,
                "secret": secret,
                "majority": Majority.SIMPLE,
                "quorum_count": None,
                "quorum_share": None,
                "seats": 1,
                "allow_change": False,
                "status": PollStatus.CLOSED if closed else PollStatus.OPEN,
                "visibility": visibility,
                "opened_at": opened,
                "closed_at": opened + datetime.timedelta(hours=2) if closed else None,
                "valid_ballots": None,
                "invalid_ballots": None,
                "adopted": adopted if closed else None,
                "result": tally if closed else None,
                "result_text": (
                    f"Ja {tally['yes']}, Nein {tally['no']}, Enthaltung {tally['abstain']}"
                    if closed
                    else ""
                ),
                "elects_into_id": None,
                "term_start": None,
                "term_end": None,
                "created_at": opened,
            }
        )
        for option_id, meaning in options:
            option_rows.append(
                {
                    "id": option_id,
                    "poll_id": poll_id,
                    "label": str(OptionMeaning(meaning).label),
                    "meaning": meaning,
                    "position": option_id - option0 - 3 * p,
                    "candidate_id": None,
                    "analog_count": None,
                }
            )
        if closed and adopted:
            year = opened.year
            number = sequence[(body_id, year)] = sequence.get((body_id, year), 0) + 1
            decision_rows.append(
                {
                    "id": decision0 + len(decision_rows),
                    "body_id": body_id,
                    # The bodies are new, so their numbering starts at 1.
                    "year": year,
                    "sequence": number,
                    "title": title,
                    "text": text.paragraph(2),
                    "decided_on": opened.date(),
                    "status": DecisionStatus.IN_FORCE,
                    "poll_id": poll_id,
                    "visibility": visibility,
                    "created_at": opened,
                }
            )
    writer.write(Poll, poll_rows, label="polls")
    writer.write(PollOption, option_rows, label="poll options")
    writer.write(Entitlement, roll_rows, label="entitlements")
    writer.write(Participation, part_rows, label="participations")
    writer.write(Vote, vote_rows, label="votes")
    writer.write(Decision, decision_rows, label="decisions")


# --- what the measurements open ------------------------------------------------------------


def bulk_user(role: str) -> User | None:
    """The first active account of the bulk district with ``role``."""
    return (
        User.objects.filter(email__startswith=SLUG_PREFIX, groups__name=role, is_active=True)
        .order_by("pk")
        .first()
    )


def typical_objects() -> dict:
    """The objects ``make bench`` and the scale test open in a bulk district, chosen by
    one rule at every size: the public body with the most memberships, and the meeting
    of median size among those whose minutes everyone may read."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    anonymous = AnonymousUser()
    body = (
        Body.objects.visible_to(anonymous)
        .filter(slug__startswith=SLUG_PREFIX, visibility=Visibility.PUBLIC)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )
    readable = Minutes.objects.visible_to(anonymous).filter(
        meeting__in=Meeting.objects.visible_to(anonymous),
        meeting__body__slug__startswith=SLUG_PREFIX,
    )
    sized = list(
        readable.annotate(n=Count("entries")).order_by("n", "pk").values_list("meeting_id", "n")
    )
    meeting_id, entries = sized[len(sized) // 2]
    return {
        "body": body.slug,
        "body_members": body.n,
        "meeting": meeting_id,
        "minute_entries": entries,
        "agenda_items": Meeting.objects.get(pk=meeting_id).agenda_items.count(),
    }
