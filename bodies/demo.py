"""Demo structures from the seeds: who sits where in the AKS Gemeinwohl and around it.

All people are invented. Everything is keyed by a natural key so that running
it again changes nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from aks.accounts import roles
from aks.accounts.models import User
from aks.demo import DEMO_DOMAIN, story_day, story_year

from .access import Visibility
from .models import (
    Body,
    BodyKind,
    Contribution,
    ContributionKind,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Side,
    VotingUnit,
    Workstream,
    WorkstreamStatus,
)

DEMO_PASSWORD = "gemeinwohl-demo"  # noqa: S105  printed by `make run`, demo only

# (e-mail, display name, role or None for the superuser)
DEMO_USERS = [
    (f"admin@{DEMO_DOMAIN}", "Plattform-Admin", None),
    (f"v-intern@{DEMO_DOMAIN}", "Jana Okafor", roles.V_INTERN),
    (f"v-extern@{DEMO_DOMAIN}", "Timo Brandauer", roles.V_EXTERN),
    (f"councillor@{DEMO_DOMAIN}", "Dr. Hanne Lindqvist", roles.COUNCILLOR),
    (f"member@{DEMO_DOMAIN}", "Selin Aydın", roles.ASSOCIATION_MEMBER),
]

# A delegate of a Kernkreis member group: no role, voting for the group through the body.
DEMO_DELEGATE = (f"delegate@{DEMO_DOMAIN}", "Jonas Peschke")

ORGANISATIONS = [
    (
        "Bezirksamt Friedrichshain-Kreuzberg, Stadtentwicklungsamt",
        "BA FK",
        OrganisationKind.DISTRICT_OFFICE,
    ),
    (
        "Bezirksverordnetenversammlung Friedrichshain-Kreuzberg",
        "BVV",
        OrganisationKind.DISTRICT_COUNCIL,
    ),
    ("Senatsverwaltung für Stadtentwicklung", "SenStadt", OrganisationKind.SENATE_DEPARTMENT),
    ("WBM Wohnungsbaugesellschaft", "WBM", OrganisationKind.HOUSING_COMPANY),
    ("BIM Berliner Immobilienmanagement", "BIM", OrganisationKind.PROPERTY_MANAGER),
    ("GemeinwohlStadt e.V.", "GWS", OrganisationKind.ASSOCIATION),
    ("Initiative ZKB", "ZKB", OrganisationKind.INITIATIVE),
    ("Stiftung Kiezräume", "SKR", OrganisationKind.FOUNDATION),
    ("Mieterinitiative Hasenheide-Süd", "MI HS", OrganisationKind.INITIATIVE),
    ("Evangelische Kiezgemeinde Südost", "EKS", OrganisationKind.OTHER),
    ("Elternverein Kita Sonnenblume", "EKS-Kita", OrganisationKind.ASSOCIATION),
    ("Kulturverein Treffpunkt Ost", "KTO", OrganisationKind.ASSOCIATION),
    ("Sportverein Blau-Weiß Südost", "BWS", OrganisationKind.ASSOCIATION),
    ("Kiezbäckerei Morgenrot", "Morgenrot", OrganisationKind.BUSINESS),
]

# slug, short name, name, kind, parent slug, voting unit, visibility, description
BODIES = [
    (
        "steuerungsrunde",
        "SR",
        "Steuerungsrunde",
        BodyKind.STEERING,
        None,
        VotingUnit.PERSON,
        Visibility.PUBLIC,
        "In der Steuerungsrunde begleiten Bezirkspolitik, Verwaltung und organisierte "
        "Zivilgesellschaft gemeinsam die Arbeit der AKS Gemeinwohl und entscheiden über "
        "ihre Ausrichtung.",
    ),
    (
        "verwaltungsinterne-steuerungsrunde",
        "VSR",
        "Verwaltungsinterne Steuerungsrunde",
        BodyKind.STEERING,
        "steuerungsrunde",
        VotingUnit.PERSON,
        Visibility.ADMIN_INTERNAL,
        "Abstimmung der beteiligten Fachbereiche des Bezirksamts, bevor Empfehlungen in die "
        "gemeinsame Steuerungsrunde gehen.",
    ),
    (
        "traegerverein",
        "TV",
        "Trägerverein GemeinwohlStadt e.V.",
        BodyKind.ASSOCIATION,
        None,
        VotingUnit.PERSON,
        Visibility.PUBLIC,
        "Der Trägerverein hält offene Versammlungen ab und bündelt als zivilgesellschaftlich "
        "organisierte Fraktion die Anliegen stadtpolitisch aktiver Gruppen im Bezirk.",
    ),
    (
        "vorstand-traegerverein",
        "VTV",
        "Vorstand des Trägervereins",
        BodyKind.TEAM,
        "traegerverein",
        VotingUnit.PERSON,
        Visibility.CIVIL_INTERNAL,
        "Vereinsinterne Angelegenheiten: Finanzen, Personal der verwaltungsexternen Stellen.",
    ),
    (
        "aks-team",
        "AKS",
        "AKS-Team",
        BodyKind.TEAM,
        None,
        VotingUnit.PERSON,
        Visibility.TEAM,
        "Zwei verwaltungsinterne Stellen im Stadtentwicklungsamt und drei verwaltungsexterne "
        "Stellen beim Trägerverein bilden ein Team. Es trifft sich mehrmals pro Woche und "
        "einmal im Monat zum Jour-Fixe mit der Bezirksstadträtin.",
    ),
    (
        "kernkreis",
        "KK",
        "Kernkreis der Bürgerplattform Südost",
        BodyKind.CORE_CIRCLE,
        None,
        VotingUnit.ORGANISATION,
        Visibility.MEMBERS,
        "Delegierte aller Mitgliedsgruppen berichten über die Kampagnen und verteilen die "
        "nächsten Aufgaben. Bei Abstimmungen hat jede Gruppe eine Stimme.",
    ),
    (
        "strategie-und-finanzteam",
        "SFT",
        "Strategie- und Finanzteam",
        BodyKind.STRATEGY_TEAM,
        "kernkreis",
        VotingUnit.PERSON,
        Visibility.MEMBERS,
        "Vom Kernkreis für ein Jahr gewählt: Weiterentwicklung der Plattform, "
        "Öffentlichkeitsarbeit und Fundraising.",
    ),
    (
        "aktionsteam-wohnen",
        "ATW",
        "Aktionsteam Wohnen",
        BodyKind.ACTION_TEAM,
        "kernkreis",
        VotingUnit.PERSON,
        Visibility.PUBLIC,
        "Beobachtet die Wohnungspolitik im Bezirk, führt Gespräche mit Verwaltung und "
        "Wohnungsunternehmen und bereitet die große Versammlung im Frühjahr vor.",
    ),
    (
        "ag1",
        "AG1",
        "AG1 Kooperationsmodell Vor-Ort-Laden",
        BodyKind.WORKING_GROUP,
        "steuerungsrunde",
        VotingUnit.PERSON,
        Visibility.PUBLIC,
        "Bezirk, WBM, BIM, Senat und die Initiative ZKB suchen ein Modell, in dem alle "
        "einbringen, was sie haben, und den ehemaligen Fahrradladen gemeinsam als "
        "Vor-Ort-Präsenz nutzen.",
    ),
]

# The bodies whose polls and members the AKS staff manage (not the Kernkreis and its
# teams: they belong to an independent citizens' platform).
RUN_BY_AKS_TEAM = {
    "steuerungsrunde",
    "verwaltungsinterne-steuerungsrunde",
    "aks-team",
    "traegerverein",
}

TERM_START = datetime.date(2026, 3, 1)
TERM_END = datetime.date(2027, 2, 28)
LONG_AGO = datetime.date(2024, 1, 1)

# person, e-mail or "", organisation short name, memberships as
# (body slug, role, side, organisation short name or None, start, end)
PEOPLE = [
    (
        "Katrin Oberländer",
        "",
        "BA FK",
        [
            (
                "steuerungsrunde",
                MembershipRole.MEMBER,
                Side.ADMINISTRATION_INTERNAL,
                "BA FK",
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Jana Okafor",
        "v-intern@demo.gemeinwohl.example",
        "BA FK",
        [
            ("aks-team", MembershipRole.MEMBER, Side.ADMINISTRATION_INTERNAL, None, LONG_AGO, None),
            (
                "steuerungsrunde",
                MembershipRole.MEMBER,
                Side.ADMINISTRATION_INTERNAL,
                "BA FK",
                LONG_AGO,
                None,
            ),
            (
                "verwaltungsinterne-steuerungsrunde",
                MembershipRole.CHAIR,
                Side.ADMINISTRATION_INTERNAL,
                "BA FK",
                LONG_AGO,
                None,
            ),
            ("ag1", MembershipRole.MEMBER, Side.ADMINISTRATION_INTERNAL, "BA FK", LONG_AGO, None),
        ],
    ),
    (
        "Piotr Wendland",
        "",
        "BA FK",
        [
            ("aks-team", MembershipRole.MEMBER, Side.ADMINISTRATION_INTERNAL, None, LONG_AGO, None),
            (
                "steuerungsrunde",
                MembershipRole.MEMBER,
                Side.ADMINISTRATION_INTERNAL,
                "BA FK",
                LONG_AGO,
                None,
            ),
            (
                "verwaltungsinterne-steuerungsrunde",
                MembershipRole.MEMBER,
                Side.ADMINISTRATION_INTERNAL,
                "BA FK",
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Timo Brandauer",
        "v-extern@demo.gemeinwohl.example",
        "GWS",
        [
            ("aks-team", MembershipRole.CHAIR, Side.ADMINISTRATION_EXTERNAL, None, LONG_AGO, None),
            (
                "steuerungsrunde",
                MembershipRole.MEMBER,
                Side.ADMINISTRATION_EXTERNAL,
                "GWS",
                LONG_AGO,
                None,
            ),
            (
                "traegerverein",
                MembershipRole.ORGANIZER,
                Side.ADMINISTRATION_EXTERNAL,
                None,
                LONG_AGO,
                None,
            ),
            (
                "vorstand-traegerverein",
                MembershipRole.MEMBER,
                Side.CIVIL_SOCIETY,
                None,
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Nia Hofstätter",
        "",
        "GWS",
        [
            ("aks-team", MembershipRole.MEMBER, Side.ADMINISTRATION_EXTERNAL, None, LONG_AGO, None),
            ("ag1", MembershipRole.ORGANIZER, Side.ADMINISTRATION_EXTERNAL, "GWS", LONG_AGO, None),
        ],
    ),
    (
        "Ole Marquardt",
        "",
        "GWS",
        [
            ("aks-team", MembershipRole.MEMBER, Side.ADMINISTRATION_EXTERNAL, None, LONG_AGO, None),
        ],
    ),
    (
        "Dr. Hanne Lindqvist",
        "councillor@demo.gemeinwohl.example",
        "BA FK",
        [
            ("steuerungsrunde", MembershipRole.COUNCILLOR, Side.POLITICS, "BA FK", LONG_AGO, None),
        ],
    ),
    (
        "Selin Aydın",
        "member@demo.gemeinwohl.example",
        "MI HS",
        [
            ("traegerverein", MembershipRole.MEMBER, Side.CIVIL_SOCIETY, None, LONG_AGO, None),
        ],
    ),
    (
        "Ruth Abendroth",
        "",
        "GWS",
        [
            ("traegerverein", MembershipRole.CHAIR, Side.CIVIL_SOCIETY, None, LONG_AGO, None),
            ("steuerungsrunde", MembershipRole.CHAIR, Side.CIVIL_SOCIETY, "GWS", LONG_AGO, None),
            (
                "vorstand-traegerverein",
                MembershipRole.CHAIR,
                Side.CIVIL_SOCIETY,
                None,
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Kemal Yıldız",
        "",
        "ZKB",
        [
            ("steuerungsrunde", MembershipRole.MEMBER, Side.CIVIL_SOCIETY, "ZKB", LONG_AGO, None),
            ("ag1", MembershipRole.MEMBER, Side.CIVIL_SOCIETY, "ZKB", LONG_AGO, None),
            ("traegerverein", MembershipRole.MEMBER, Side.CIVIL_SOCIETY, None, LONG_AGO, None),
        ],
    ),
    (
        "Franziska Elbe",
        "",
        "BVV",
        [
            ("steuerungsrunde", MembershipRole.MEMBER, Side.POLITICS, "BVV", LONG_AGO, None),
        ],
    ),
    (
        "Malte Quandt",
        "",
        "WBM",
        [
            ("ag1", MembershipRole.MEMBER, Side.ADMINISTRATION_INTERNAL, "WBM", LONG_AGO, None),
        ],
    ),
    (
        "Sabine Krolow",
        "",
        "BIM",
        [
            ("ag1", MembershipRole.CHAIR, Side.ADMINISTRATION_INTERNAL, "BIM", LONG_AGO, None),
        ],
    ),
    (
        "Henrik Sauer",
        "",
        "SenStadt",
        [
            ("ag1", MembershipRole.GUEST, Side.ADMINISTRATION_INTERNAL, "SenStadt", LONG_AGO, None),
        ],
    ),
    # The citizens' platform: delegates of member groups, one vote per group.
    (
        "Amira Haddad",
        "",
        "MI HS",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "MI HS", LONG_AGO, None),
            (
                "strategie-und-finanzteam",
                MembershipRole.MEMBER,
                Side.CIVIL_SOCIETY,
                "MI HS",
                TERM_START,
                TERM_END,
            ),
            (
                "aktionsteam-wohnen",
                MembershipRole.KEY_PERSON,
                Side.CIVIL_SOCIETY,
                "MI HS",
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Jonas Peschke",
        DEMO_DELEGATE[0],
        "MI HS",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "MI HS", LONG_AGO, None),
        ],
    ),
    (
        "Pfarrerin Dorothee Kamp",
        "",
        "EKS",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "EKS", LONG_AGO, None),
            (
                "strategie-und-finanzteam",
                MembershipRole.MEMBER,
                Side.CIVIL_SOCIETY,
                "EKS",
                datetime.date(2025, 3, 1),
                datetime.date(2026, 2, 28),
            ),
        ],
    ),
    (
        "Lucía Ferreira",
        "",
        "EKS-Kita",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "EKS-Kita", LONG_AGO, None),
            (
                "aktionsteam-wohnen",
                MembershipRole.MEMBER,
                Side.CIVIL_SOCIETY,
                "EKS-Kita",
                LONG_AGO,
                None,
            ),
        ],
    ),
    (
        "Bernd Szymanski",
        "",
        "KTO",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "KTO", LONG_AGO, None),
            (
                "strategie-und-finanzteam",
                MembershipRole.MEMBER,
                Side.CIVIL_SOCIETY,
                "KTO",
                TERM_START,
                TERM_END,
            ),
        ],
    ),
    (
        "Yasemin Korkmaz",
        "",
        "BWS",
        [
            ("kernkreis", MembershipRole.DELEGATE, Side.CIVIL_SOCIETY, "BWS", LONG_AGO, None),
        ],
    ),
    (
        "Carla Mendel",
        "",
        "GWS",
        [
            ("kernkreis", MembershipRole.ORGANIZER, Side.CIVIL_SOCIETY, None, LONG_AGO, None),
            (
                "strategie-und-finanzteam",
                MembershipRole.ORGANIZER,
                Side.CIVIL_SOCIETY,
                None,
                TERM_START,
                TERM_END,
            ),
        ],
    ),
]


@transaction.atomic
def seed_bodies() -> dict[str, int]:
    """Create or refresh the demo structures; returns how many of each exist."""
    users = {}
    for email, display_name, role in [*DEMO_USERS, (*DEMO_DELEGATE, "")]:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": display_name,
                # The demo's calendar is anchored at this moment (aks.demo.seeded_on).
                "date_joined": timezone.now(),
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[email] = user

    organisations = {}
    for name, short_name, kind in ORGANISATIONS:
        organisations[short_name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind}
        )

    bodies = {}
    for slug, short_name, name, kind, parent, unit, visibility, description in BODIES:
        bodies[slug], _ = Body.objects.update_or_create(
            slug=slug,
            defaults={
                "short_name": short_name,
                "name": name,
                "kind": kind,
                "parent": bodies[parent] if parent else None,
                "voting_unit": unit,
                "visibility": visibility,
                "description": description,
                "run_by_aks_team": slug in RUN_BY_AKS_TEAM,
            },
        )

    for name, email, org, memberships in PEOPLE:
        person, _ = Person.objects.update_or_create(
            name=name,
            defaults={
                "email": email,
                "organisation": organisations[org],
                "user": users.get(email),
            },
        )
        for slug, role, side, represents, start, end in memberships:
            membership, _ = Membership.objects.update_or_create(
                person=person,
                body=bodies[slug],
                role=role,
                start=story_day(start),
                defaults={
                    "side": side,
                    "organisation": organisations[represents] if represents else None,
                    "end": story_day(end) if end else None,
                    # Guests and the platform's hired organizers advise; they do not vote.
                    "voting_right": role not in (MembershipRole.GUEST, MembershipRole.ORGANIZER),
                },
            )
            membership.full_clean()
    return {
        "users": len(users),
        "organisations": len(organisations),
        "bodies": len(bodies),
        "people": len(PEOPLE),
    }


# --- Workstreams (Baustellen) ------------------------------------------------------

# number, title, description, status, lead body slug, visibility, participating body
# slugs, participating organisations (short names), contributions as
# (organisation short name, kind, amount, what, date)
WORKSTREAMS = [
    (
        1,
        "Vor-Ort-Laden im ehemaligen Fahrradladen",
        "Bezirk, WBM, BIM, Senat und die Initiative ZKB richten den ehemaligen "
        "Fahrradladen als gemeinsame Vor-Ort-Präsenz her. Jede*r bringt die Ressourcen "
        "ein, über die er oder sie verfügt; sie werden „auf einen Haufen geworfen“ und "
        "gemeinsam genutzt: bei der Initiative vor allem das eigene Arbeitspensum, bei der "
        "BIM auch Geld, etwa für die Moderation und die Herrichtung des Ladens.",
        WorkstreamStatus.ACTIVE,
        "ag1",
        Visibility.PUBLIC,
        ["steuerungsrunde"],
        ["ZKB", "BIM", "WBM", "BA FK", "SenStadt"],
        [
            (
                "ZKB",
                ContributionKind.HOURS,
                "120",
                "Vorbereitung, Ladendienst und Gespräche in der Nachbarschaft",
                datetime.date(2026, 1, 31),
            ),
            (
                "BIM",
                ContributionKind.MONEY,
                "6800",
                "Beauftragung der Moderation für die derzeitige Phase",
                datetime.date(2026, 2, 20),
            ),
            (
                "BIM",
                ContributionKind.MONEY,
                "14500",
                "Herrichtung des ehemaligen Fahrradladens als Vor-Ort-Präsenz",
                datetime.date(2026, 4, 1),
            ),
            (
                "WBM",
                ContributionKind.ROOMS,
                "48",
                "Gemeinschaftsraum für die Treffen der AG1 bis zur Eröffnung des Ladens",
                datetime.date(2026, 3, 15),
            ),
            (
                "BA FK",
                ContributionKind.HOURS,
                "36",
                "Fachliche Begleitung durch das Stadtentwicklungsamt",
                datetime.date(2026, 3, 31),
            ),
            (
                "ZKB",
                ContributionKind.OTHER,
                "1",
                "Werkzeug und Möbel aus dem Bestand der Initiative",
                datetime.date(2026, 4, 10),
            ),
        ],
    ),
    (
        2,
        "Leerstands-Matching: Raumbedarfe und Leerstände zusammenführen",
        "Das AKS-Team gleicht gemeldete Raumbedarfe von Initiativen mit Leerständen im "
        "Bezirk ab und bereitet Gespräche mit Eigentümer*innen vor. Intern, bis das "
        "Verfahren mit der Steuerungsrunde abgestimmt ist.",
        WorkstreamStatus.PLANNED,
        "aks-team",
        Visibility.TEAM,
        [],
        ["GWS", "BA FK", "SKR"],
        [
            (
                "GWS",
                ContributionKind.HOURS,
                "60",
                "Erfassung der Raumbedarfe aus den offenen Versammlungen",
                datetime.date(2026, 5, 31),
            ),
            (
                "BA FK",
                ContributionKind.HOURS,
                "40",
                "Abgleich mit dem bezirklichen Leerstandskataster",
                datetime.date(2026, 5, 31),
            ),
            (
                "SKR",
                ContributionKind.MONEY,
                "5000",
                "Anschubfinanzierung für Gutachten zu zwei Objekten",
                datetime.date(2026, 6, 15),
            ),
        ],
    ),
    (
        3,
        "LLBB-FK – Kooperative Instrumente für Bürger*innenbeteiligung auf bezirklicher "
        "Ebene entwickeln",
        "In Kooperation von Akteuren der Politik, Verwaltung und Zivilgesellschaft wird für "
        "den Bezirk Friedrichshain-Kreuzberg ein gemeinsames Grundverständnis der Beteiligung "
        "erarbeitet. Gemeinsam werden die Instrumente für eine gute Beteiligung im Bezirk "
        "aufgebaut und sichergestellt. Welche Aufgaben können dabei vorhandene "
        "Kooperationsstrukturen übernehmen, was muss entsprechend zu den Leitlinien des "
        "Landes Berlin neu aufgebaut werden?",
        WorkstreamStatus.ACTIVE,
        "steuerungsrunde",
        Visibility.PUBLIC,
        ["verwaltungsinterne-steuerungsrunde", "traegerverein"],
        ["BA FK", "GWS", "BVV"],
        [
            (
                "BA FK",
                ContributionKind.MONEY,
                "12000",
                "Beteiligungsdienstleister für die Moderation der „Bürg AG“",
                datetime.date(2026, 2, 1),
            ),
            (
                "GWS",
                ContributionKind.HOURS,
                "80",
                "Einladungen, Protokolle und Auswertung der Bürgerschaftlichen AG",
                datetime.date(2026, 3, 30),
            ),
            (
                "GWS",
                ContributionKind.ROOMS,
                "30",
                "Vereinsräume für die Sitzungen der Bürgerschaftlichen AG",
                datetime.date(2026, 3, 30),
            ),
            (
                "BVV",
                ContributionKind.HOURS,
                "12",
                "Rückkopplung der Empfehlungen in die Ausschüsse",
                datetime.date(2026, 4, 20),
            ),
        ],
    ),
]


@transaction.atomic
def seed_workstreams() -> dict[str, int]:
    """Create or refresh the demo workstreams; needs :func:`seed_bodies` first.

    Idempotent: workstreams are keyed by number, contributions by workstream, partner,
    kind and description. Partners and contributions added on the platform are kept.
    """
    bodies = {body.slug: body for body in Body.objects.all()}
    organisations = {org.short_name: org for org in Organisation.objects.all()}
    contributions = 0
    for (
        number,
        title,
        description,
        status,
        lead,
        visibility,
        body_slugs,
        partners,
        ledger,
    ) in WORKSTREAMS:
        workstream, _ = Workstream.objects.update_or_create(
            number=number,
            defaults={
                "title": title,
                "description": description,
                "status": status,
                "lead_body": bodies[lead],
                "visibility": visibility,
            },
        )
        workstream.bodies.add(*(bodies[slug] for slug in body_slugs))
        workstream.organisations.add(*(organisations[short] for short in partners))
        for short, kind, amount, what, on in ledger:
            Contribution.objects.update_or_create(
                workstream=workstream,
                organisation=organisations[short],
                kind=kind,
                description=what,
                defaults={"amount": Decimal(amount), "on": story_day(on)},
            )
            contributions += 1
    return {"workstreams": len(WORKSTREAMS), "contributions": contributions}


# --- Votes ---------------------------------------------------------------------------

DEMO_POLL_DATE = datetime.date(2026, 10, 14)


def _demo_poll(slug: str, title: str, **kwargs):
    """The demo poll of that title, created (as a draft) only if it is not there yet."""
    from .models import Poll
    from .services import create_poll

    body = Body.objects.get(slug=slug)
    existing = Poll.objects.filter(body=body, title=title).first()
    if existing is not None:
        return existing, False
    return create_poll(body=body, title=title, **kwargs), True


def _cast(poll, votes: dict[str, str]) -> None:
    from .services import cast_vote

    for person_name, meaning in votes.items():
        person = Person.objects.get(name=person_name)
        option = poll.options.get(meaning=meaning)
        cast_vote(poll=poll, person=person, choices=[option.pk])


@transaction.atomic
def seed_votes() -> dict[str, int]:
    """A Kernkreis vote through delegates, a double majority, a count in the room."""
    from .models import Majority, Poll, PollKind
    from .services import close_poll, enter_analog_counts, open_poll

    poll, new = _demo_poll(
        "kernkreis",
        "Kampagne „Leerstand zu Räumen“ starten",
        motion=(
            "Die Bürgerplattform startet im Frühjahr eine Kampagne, die leerstehende "
            "Erdgeschosse im Südosten für Nachbarschaftsprojekte öffnet."
        ),
        visibility=Visibility.PUBLIC,
    )
    if new:
        poll = open_poll(poll=poll)
        # One vote per member group, cast by whichever delegate is at hand.
        _cast(
            poll,
            {
                "Jonas Peschke": "yes",
                "Pfarrerin Dorothee Kamp": "yes",
                "Lucía Ferreira": "yes",
                "Bernd Szymanski": "abstain",
                "Yasemin Korkmaz": "no",
            },
        )
        close_poll(poll=poll, decided_on=story_day(DEMO_POLL_DATE))

    poll, new = _demo_poll(
        "steuerungsrunde",
        "Gemeinsame Vor-Ort-Präsenz im ehemaligen Fahrradladen",
        motion=(
            "Bezirk, BIM und Zivilgesellschaft richten den ehemaligen Fahrradladen als "
            "gemeinsame Anlaufstelle her; jede Seite bringt ein, worüber sie verfügt."
        ),
        majority=Majority.DOUBLE_MAJORITY,
        visibility=Visibility.PUBLIC,
    )
    if new:
        poll = open_poll(poll=poll)
        _cast(
            poll,
            {
                "Jana Okafor": "yes",
                "Piotr Wendland": "yes",
                "Katrin Oberländer": "no",
                "Timo Brandauer": "yes",
                "Ruth Abendroth": "yes",
                "Kemal Yıldız": "yes",
                "Dr. Hanne Lindqvist": "yes",
                "Franziska Elbe": "abstain",
            },
        )
        close_poll(poll=poll, decided_on=story_day(DEMO_POLL_DATE) + datetime.timedelta(days=7))

    poll, new = _demo_poll(
        "traegerverein",
        "Positionspapier: Leerstand gehört auf den Tisch",
        motion="Die offene Versammlung beschließt das Positionspapier zum Leerstand im Bezirk.",
        counting="analog",
        visibility=Visibility.PUBLIC,
    )
    if new:
        poll = open_poll(poll=poll)
        # No more hands than the association's members on the roll.
        counts = {poll.options.get(meaning=m).pk: n for m, n in (("yes", 2), ("no", 0))}
        counts[poll.options.get(meaning="abstain").pk] = 0
        enter_analog_counts(poll=poll, counts=counts, valid=2, invalid=1)
        close_poll(poll=poll, decided_on=story_day(DEMO_POLL_DATE) + datetime.timedelta(days=10))

    poll, new = _demo_poll(
        "kernkreis",
        f"Themen der großen Versammlung {story_year(2027)}",
        kind=PollKind.APPROVAL,
        options=["Bezahlbare Gewerberäume", "Schulwege", "Leerstand", "Nachbarschaftszentren"],
        visibility=Visibility.MEMBERS,
    )
    if new:
        open_poll(poll=poll)
    return {"polls": Poll.objects.count()}
