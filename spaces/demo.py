"""Demo spaces in Friedrichshain-Kreuzberg, built from the seeds (000, 001, 004).

The addresses are invented; the coordinates are plausible points in the
neighbourhoods named. Everything is keyed by name: running it again changes
nothing that is already there (a space's history is written only when the
space is first created). Call after ``bodies.demo.seed_bodies``.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max

from aks.accounts.models import User
from aks.demo import story_day
from bodies.access import Visibility
from bodies.demo import ORGANISATIONS
from bodies.models import Body, Decision, Organisation

from .models import (
    District,
    Instrument,
    NeedStatus,
    OwnerKind,
    Space,
    SpaceKind,
    SpaceNeed,
    SpaceStatus,
)
from .services import change_status, create_space

BERLIN = ZoneInfo("Europe/Berlin")

INSTRUMENTS = [
    ("vorkaufsrecht", "Vorkaufsrecht"),
    ("konzeptverfahren", "Konzeptverfahren"),
    ("anhandgabe", "Anhandgabe"),
    ("erbbaurecht", "Erbbaurecht"),
    ("zwischennutzung", "Zwischennutzung"),
]
NEIGHBOURHOODS = [
    "Boxhagener Kiez",
    "Samariterkiez",
    "Karl-Marx-Allee",
    "Stralau",
    "Bergmannkiez",
    "Graefekiez",
    "Wrangelkiez",
    "Reichenberger Kiez",
    "Mehringplatz",
]

V_INTERN = "v-intern@demo.gemeinwohl.example"
V_EXTERN = "v-extern@demo.gemeinwohl.example"
MEMBER = "member@demo.gemeinwohl.example"

# Decisions of the Steuerungsrunde the status changes rest on: key -> (title, date, text).
DECISIONS = {
    "flöckner": (
        "Fahrrad-Flöckner-Laden als gemeinsame Vor-Ort-Präsenz herrichten",
        datetime.date(2026, 2, 12),
        "Bezirk, WBM, BIM und Initiative ZKB nutzen den ehemaligen Fahrradladen gemeinsam als "
        "Vor-Ort-Präsenz. Die BIM trägt die Kosten der Herrichtung, die Initiative bringt ihre "
        "Arbeitszeit ein.",
    ),
    "ritterstraße": (
        "Konzeptverfahren statt Verkauf für den Gewerbehof Ritterstraße",
        datetime.date(2026, 4, 9),
        "Die Steuerungsrunde bittet das Bezirksamt, sich gegenüber dem Land für ein "
        "Konzeptverfahren einzusetzen, und nimmt Verhandlungen mit den Beteiligten auf.",
    ),
    "kita": (
        "Ehemalige Kita Graefestraße im Erbbaurecht an den Elternverein",
        datetime.date(2026, 6, 11),
        "Der Bezirk vergibt das Gebäude im Erbbaurecht für 60 Jahre an den Elternverein "
        "Kita Sonnenblume.",
    ),
    "stralau": (
        "Anhandgabe der Brachfläche am Spreeufer prüfen",
        datetime.date(2026, 9, 10),
        "Die Steuerungsrunde empfiehlt eine Anhandgabe an ein Bündnis aus Kiezinitiativen und "
        "nimmt die Verhandlungen mit der Senatsverwaltung auf.",
    ),
}

# name, address, postcode, neighbourhood, latitude, longitude, kind, size, rent,
# owner (short name), owner kind, owner notes, owner visibility, vacant since,
# current user (short name), instruments, contested reason ("" = not contested),
# description, visibility, body slug,
# lifecycle as [(status, date, note, decision key, by e-mail)], the first being the report.
SPACES = [
    (
        "Ehemaliger Fahrradladen Flöckner",
        "Gärtnerstraße 31",
        "10245",
        "Boxhagener Kiez",
        "52.510500",
        "13.460500",
        SpaceKind.SHOPFRONT,
        85,
        None,
        "BIM",
        OwnerKind.BIM,
        "Die BIM stellt den Laden mietfrei zur Verfügung und trägt die Herrichtung.",
        Visibility.PUBLIC,
        datetime.date(2024, 9, 1),
        "ZKB",
        ["zwischennutzung"],
        "",
        "Der ehemalige Fahrradladen ist die gemeinsame Vor-Ort-Präsenz von Bezirk, WBM, BIM "
        "und Initiative ZKB: Sprechstunden, Werkstattabende und die Treffen der AG1.",
        Visibility.PUBLIC,
        "ag1",
        [
            (
                SpaceStatus.REPORTED,
                datetime.date(2025, 10, 2),
                "Gemeldet von der Initiative.",
                None,
                MEMBER,
            ),
            (
                SpaceStatus.VERIFIED,
                datetime.date(2025, 10, 20),
                "Vor Ort besichtigt.",
                None,
                V_EXTERN,
            ),
            (
                SpaceStatus.IN_NEGOTIATION,
                datetime.date(2025, 11, 15),
                "Gespräch mit der BIM.",
                None,
                V_INTERN,
            ),
            (
                SpaceStatus.INTERIM_USE,
                datetime.date(2026, 2, 20),
                "Schlüsselübergabe an die Initiative.",
                "flöckner",
                V_INTERN,
            ),
        ],
    ),
    (
        "Gewerbehof Ritterstraße",
        "Ritterstraße 88",
        "10969",
        "Mehringplatz",
        "52.502500",
        "13.405000",
        SpaceKind.BUILDING,
        1800,
        None,
        "BIM",
        OwnerKind.BIM,
        "Verkaufsabsicht laut interner Vorlage; Gespräche nur über die Abteilung Portfolio.",
        Visibility.ADMIN_INTERNAL,
        None,
        None,
        ["konzeptverfahren", "erbbaurecht"],
        "Die Handwerksbetriebe und Ateliers im Hof haben Kündigungen zum Jahresende erhalten; "
        "ein Verkauf zum Höchstpreis steht im Raum. Die Initiativen fordern ein "
        "Konzeptverfahren.",
        "Vier Etagen Gewerbe um einen Hof: Tischlerei, Siebdruck, zwölf Ateliers.",
        Visibility.PUBLIC,
        "steuerungsrunde",
        [
            (SpaceStatus.REPORTED, datetime.date(2026, 1, 14), "", None, V_EXTERN),
            (
                SpaceStatus.VERIFIED,
                datetime.date(2026, 1, 28),
                "Mieter*innen bestätigen die Kündigungen.",
                None,
                V_EXTERN,
            ),
            (SpaceStatus.IN_NEGOTIATION, datetime.date(2026, 4, 9), "", "ritterstraße", V_INTERN),
        ],
    ),
    (
        "Ladenlokal Wühlischstraße",
        "Wühlischstraße 112",
        "10245",
        "Boxhagener Kiez",
        "52.508800",
        "13.465200",
        SpaceKind.SHOPFRONT,
        70,
        "1100.00",
        None,
        OwnerKind.PRIVATE,
        "Hausverwaltung laut Aushang im Schaufenster.",
        Visibility.TEAM,
        datetime.date(2025, 12, 1),
        None,
        [],
        "",
        "Seit Monaten leer, Schaufenster verklebt. Wäre ideal als Kiezladen.",
        Visibility.TEAM,
        None,
        [(SpaceStatus.REPORTED, datetime.date(2026, 10, 30), "", None, MEMBER)],
    ),
    (
        "Erdgeschoss Kopernikusstraße",
        "Kopernikusstraße 7",
        "10243",
        "Boxhagener Kiez",
        "52.509800",
        "13.452000",
        SpaceKind.FLOOR,
        140,
        "1400.00",
        "WBM",
        OwnerKind.HOUSING_COMPANY,
        "",
        Visibility.PUBLIC,
        datetime.date(2026, 3, 1),
        None,
        [],
        "",
        "Ehemalige Arztpraxis im Erdgeschoss, barrierefrei erreichbar.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2026, 5, 4), "", None, V_EXTERN),
            (
                SpaceStatus.VERIFIED,
                datetime.date(2026, 5, 19),
                "Die WBM bestätigt den Leerstand.",
                None,
                V_EXTERN,
            ),
        ],
    ),
    (
        "Brachfläche am Spreeufer Stralau",
        "Alt-Stralau 40",
        "10245",
        "Stralau",
        "52.494500",
        "13.469000",
        SpaceKind.PLOT,
        3200,
        None,
        "SenStadt",
        OwnerKind.DISTRICT_OR_STATE,
        "Fachvermögen der Senatsverwaltung.",
        Visibility.TEAM,
        None,
        None,
        ["anhandgabe", "erbbaurecht"],
        "",
        "Unbebaute Uferfläche; ein Bündnis aus Kiezinitiativen plant Gemeinschaftsgärten und "
        "einen offenen Werkhof.",
        Visibility.PUBLIC,
        "steuerungsrunde",
        [
            (SpaceStatus.REPORTED, datetime.date(2026, 6, 2), "", None, V_EXTERN),
            (SpaceStatus.VERIFIED, datetime.date(2026, 6, 30), "", None, V_INTERN),
            (SpaceStatus.IN_NEGOTIATION, datetime.date(2026, 9, 10), "", "stralau", V_INTERN),
        ],
    ),
    (
        "Ehemalige Kita Graefestraße",
        "Graefestraße 55",
        "10967",
        "Graefekiez",
        "52.492500",
        "13.418500",
        SpaceKind.BUILDING,
        420,
        None,
        "BA FK",
        OwnerKind.DISTRICT_OR_STATE,
        "",
        Visibility.PUBLIC,
        datetime.date(2023, 8, 1),
        "EKS-Kita",
        ["erbbaurecht", "konzeptverfahren"],
        "",
        "Zweigeschossiger Bau mit Garten; wird wieder eine Kita mit offenem Nachbarschaftsraum.",
        Visibility.PUBLIC,
        "steuerungsrunde",
        [
            (SpaceStatus.REPORTED, datetime.date(2025, 3, 3), "", None, V_EXTERN),
            (SpaceStatus.VERIFIED, datetime.date(2025, 3, 20), "", None, V_INTERN),
            (
                SpaceStatus.IN_NEGOTIATION,
                datetime.date(2025, 9, 1),
                "Konzeptverfahren ausgeschrieben.",
                None,
                V_INTERN,
            ),
            (
                SpaceStatus.SECURED,
                datetime.date(2026, 6, 11),
                "Erbbaurechtsvertrag unterzeichnet.",
                "kita",
                V_INTERN,
            ),
        ],
    ),
    (
        "Kiezladen Wrangelstraße",
        "Wrangelstraße 140",
        "10997",
        "Wrangelkiez",
        "52.500500",
        "13.440000",
        SpaceKind.SHOPFRONT,
        60,
        "2100.00",
        None,
        OwnerKind.PRIVATE,
        "",
        Visibility.TEAM,
        datetime.date(2025, 1, 1),
        None,
        ["vorkaufsrecht"],
        "",
        "Der Späti und Kiezladen musste schließen.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2025, 2, 10), "", None, MEMBER),
            (SpaceStatus.VERIFIED, datetime.date(2025, 2, 24), "", None, V_EXTERN),
            (SpaceStatus.IN_NEGOTIATION, datetime.date(2025, 4, 1), "", None, V_EXTERN),
            (
                SpaceStatus.LOST,
                datetime.date(2025, 7, 15),
                "An eine Filiale vermietet; ein Verkauf lag nicht vor, "
                "das Vorkaufsrecht griff nicht.",
                None,
                V_EXTERN,
            ),
        ],
    ),
    (
        "Gemeinderaum der Kiezgemeinde Südost",
        "Reichenberger Straße 190",
        "10999",
        "Reichenberger Kiez",
        "52.496000",
        "13.428500",
        SpaceKind.ROOM,
        90,
        "450.00",
        "EKS",
        OwnerKind.CHURCH,
        "",
        Visibility.PUBLIC,
        datetime.date(2025, 11, 1),
        "KTO",
        ["zwischennutzung"],
        "",
        "Der Gemeindesaal steht unter der Woche leer; der Kulturverein nutzt ihn abends.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2025, 11, 5), "", None, V_EXTERN),
            (SpaceStatus.VERIFIED, datetime.date(2025, 11, 12), "", None, V_EXTERN),
            (SpaceStatus.IN_NEGOTIATION, datetime.date(2025, 12, 1), "", None, V_EXTERN),
            (
                SpaceStatus.INTERIM_USE,
                datetime.date(2026, 1, 15),
                "Nutzungsvereinbarung für ein Jahr.",
                None,
                V_EXTERN,
            ),
        ],
    ),
    (
        "Hinterhaus Oranienstraße",
        "Oranienstraße 233",
        "10999",
        "Wrangelkiez",
        "52.501000",
        "13.421000",
        SpaceKind.BUILDING,
        650,
        None,
        None,
        OwnerKind.PRIVATE,
        "Käufer ist ein Fonds mit Sitz in Luxemburg.",
        Visibility.TEAM,
        None,
        None,
        ["vorkaufsrecht"],
        "Der Verkauf an einen Fonds ist angekündigt; Gewerbe und Mieter*innen im Hinterhaus "
        "fürchten Verdrängung. Der Bezirk prüft das Vorkaufsrecht.",
        "Gewerbehinterhaus mit Probenräumen und einer Kiezkantine.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2026, 8, 3), "", None, MEMBER),
            (SpaceStatus.VERIFIED, datetime.date(2026, 8, 10), "", None, V_EXTERN),
            (
                SpaceStatus.IN_NEGOTIATION,
                datetime.date(2026, 8, 24),
                "Frist für das Vorkaufsrecht läuft.",
                None,
                V_INTERN,
            ),
        ],
    ),
    (
        "Büroetage Frankfurter Allee",
        "Frankfurter Allee 75",
        "10247",
        "Samariterkiez",
        "52.515000",
        "13.466000",
        SpaceKind.FLOOR,
        260,
        "2600.00",
        "WBM",
        OwnerKind.HOUSING_COMPANY,
        "",
        Visibility.PUBLIC,
        datetime.date(2026, 1, 1),
        None,
        [],
        "",
        "Zweites Obergeschoss mit Aufzug.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2026, 7, 7), "", None, V_EXTERN),
            (SpaceStatus.VERIFIED, datetime.date(2026, 7, 21), "", None, V_EXTERN),
        ],
    ),
    (
        "Remise im Bergmannkiez",
        "Nostitzstraße 14",
        "10961",
        "Bergmannkiez",
        "52.489500",
        "13.393500",
        SpaceKind.BUILDING,
        180,
        None,
        None,
        OwnerKind.UNKNOWN,
        "",
        Visibility.TEAM,
        None,
        None,
        [],
        "",
        "Zweigeschossige Remise im Hof, Tor seit Jahren verschlossen.",
        Visibility.TEAM,
        None,
        [(SpaceStatus.REPORTED, datetime.date(2026, 11, 2), "", None, V_EXTERN)],
    ),
    (
        "Pavillon am Mehringplatz",
        "Mehringplatz 9",
        "10969",
        "Mehringplatz",
        "52.498500",
        "13.390500",
        SpaceKind.BUILDING,
        150,
        "300.00",
        "BA FK",
        OwnerKind.DISTRICT_OR_STATE,
        "",
        Visibility.PUBLIC,
        datetime.date(2024, 5, 1),
        "KTO",
        ["zwischennutzung", "konzeptverfahren"],
        "",
        "Der Pavillon ist Nachbarschaftstreff mit Kiezküche.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2024, 6, 3), "", None, V_EXTERN),
            (SpaceStatus.VERIFIED, datetime.date(2024, 6, 17), "", None, V_INTERN),
            (SpaceStatus.IN_NEGOTIATION, datetime.date(2024, 7, 1), "", None, V_INTERN),
            (SpaceStatus.INTERIM_USE, datetime.date(2024, 9, 1), "", None, V_INTERN),
            (
                SpaceStatus.SECURED,
                datetime.date(2025, 9, 1),
                "Nutzungsvertrag über zehn Jahre.",
                None,
                V_INTERN,
            ),
        ],
    ),
    (
        "Werkstatt Simon-Dach-Straße",
        "Simon-Dach-Straße 61",
        "10245",
        "Boxhagener Kiez",
        "52.509000",
        "13.457000",
        SpaceKind.ROOM,
        55,
        "900.00",
        None,
        OwnerKind.PRIVATE,
        "",
        Visibility.TEAM,
        datetime.date(2025, 5, 1),
        None,
        [],
        "",
        "Kleine Hofwerkstatt.",
        Visibility.PUBLIC,
        None,
        [
            (SpaceStatus.REPORTED, datetime.date(2025, 5, 20), "", None, MEMBER),
            (SpaceStatus.VERIFIED, datetime.date(2025, 6, 2), "", None, V_EXTERN),
            (
                SpaceStatus.LOST,
                datetime.date(2025, 8, 1),
                "Als Ferienwohnung umgebaut.",
                None,
                V_EXTERN,
            ),
        ],
    ),
]

# title, organisation (short name), purpose, min m², max m², neighbourhoods, kinds, max rent
NEEDS = [
    (
        "Treffpunkt und Werkstatt für Nachbarschaftskultur",
        "KTO",
        "Ein Raum für Lesungen, Reparaturcafé und die Proben des Kiezchors, gut erreichbar "
        "und ebenerdig.",
        60,
        150,
        ["Boxhagener Kiez", "Samariterkiez"],
        [SpaceKind.SHOPFRONT, SpaceKind.FLOOR, SpaceKind.ROOM],
        "1500.00",
    ),
    (
        "Beratungs- und Versammlungsraum der Mieterinitiative",
        "MI HS",
        "Wöchentliche Mietenberatung und monatliche Versammlungen mit bis zu 60 Menschen.",
        40,
        120,
        ["Graefekiez", "Reichenberger Kiez", "Wrangelkiez", "Bergmannkiez"],
        [SpaceKind.ROOM, SpaceKind.SHOPFRONT],
        "800.00",
    ),
]


def ensure_reference_data() -> None:
    """Instruments and neighbourhoods, as the data migration creates them."""
    for position, (slug, name) in enumerate(INSTRUMENTS):
        Instrument.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, name in enumerate(NEIGHBOURHOODS):
        District.objects.get_or_create(name=name, defaults={"position": position})


def _organisation(short_name):
    if not short_name:
        return None
    names = {short: name for name, short, _kind in ORGANISATIONS}
    kinds = {short: kind for _name, short, kind in ORGANISATIONS}
    organisation, _ = Organisation.objects.get_or_create(
        name=names[short_name], defaults={"short_name": short_name, "kind": kinds[short_name]}
    )
    return organisation


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(story_day(day), datetime.time(10, 0), tzinfo=BERLIN)


def _decisions() -> dict[str, Decision]:
    steering = Body.objects.filter(slug="steuerungsrunde").first()
    if steering is None:
        return {}
    decisions = {}
    for key, (title, written_on, text) in DECISIONS.items():
        decided_on = story_day(written_on)
        decision = Decision.objects.filter(body=steering, title=title).first()
        if decision is None:
            last = Decision.objects.filter(body=steering, year=decided_on.year).aggregate(
                last=Max("sequence")
            )["last"]
            decision = Decision.objects.create(
                body=steering,
                year=decided_on.year,
                sequence=(last or 0) + 1,
                title=title,
                text=text,
                decided_on=decided_on,
                visibility=Visibility.PUBLIC,
            )
        decisions[key] = decision
    return decisions


@transaction.atomic
def seed_spaces() -> dict[str, int]:
    """Create the demo spaces and needs if missing; returns how many of each exist."""
    ensure_reference_data()
    districts = {d.name: d for d in District.objects.all()}
    instruments = {i.slug: i for i in Instrument.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__in=[V_INTERN, V_EXTERN, MEMBER])}
    bodies = {b.slug: b for b in Body.objects.filter(slug__in=["ag1", "steuerungsrunde"])}
    decisions = _decisions()

    for (
        name,
        address,
        postcode,
        district,
        latitude,
        longitude,
        kind,
        size,
        rent,
        owner,
        owner_kind,
        owner_notes,
        owner_visibility,
        vacant_since,
        current_user,
        instrument_slugs,
        contested_reason,
        description,
        visibility,
        body,
        lifecycle,
    ) in SPACES:
        if Space.objects.filter(name=name).exists():
            continue
        (first_status, first_day, first_note, _decision, reporter), *steps = lifecycle
        space = Space(
            name=name,
            address=address,
            postcode=postcode,
            district=districts[district],
            latitude=latitude,
            longitude=longitude,
            kind=kind,
            size_m2=size,
            monthly_rent=rent,
            owner_organisation=_organisation(owner),
            owner_kind=owner_kind,
            owner_notes=owner_notes,
            owner_visibility=owner_visibility,
            vacant_since=story_day(vacant_since) if vacant_since else None,
            current_user_organisation=_organisation(current_user),
            contested=bool(contested_reason),
            contested_reason=contested_reason,
            description=description,
            visibility=visibility,
            body=bodies.get(body) if body else None,
            reported_by=users.get(reporter),
        )
        create_space(
            space=space,
            user=users.get(reporter),
            instruments=[instruments[slug] for slug in instrument_slugs],
            note=first_note,
            when=_at(first_day),
        )
        for status, day, note, decision_key, by in steps:
            change_status(
                space=space,
                to=status,
                user=users.get(by),
                note=note,
                decision=decisions.get(decision_key) if decision_key else None,
                when=_at(day),
            )

    for title, organisation, purpose, low, high, need_districts, kinds, max_rent in NEEDS:
        need, created = SpaceNeed.objects.get_or_create(
            title=title,
            defaults={
                "organisation": _organisation(organisation),
                "purpose": purpose,
                "min_size_m2": low,
                "max_size_m2": high,
                "kinds": list(kinds),
                "max_rent": max_rent,
                "status": NeedStatus.OPEN,
                "visibility": Visibility.PUBLIC,
            },
        )
        if created:
            need.districts.set([districts[name] for name in need_districts])

    return {
        "spaces": Space.objects.filter(name__in=[s[0] for s in SPACES]).count(),
        "space needs": SpaceNeed.objects.filter(title__in=[n[0] for n in NEEDS]).count(),
        "decisions on spaces": len(decisions),
    }
