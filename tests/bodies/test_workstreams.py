"""Workstreams (Baustellen): list, detail, the contribution ledger and who may add to it."""

import datetime
from decimal import Decimal

import factory
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Contribution, ContributionKind, Workstream, WorkstreamStatus
from bodies.selectors import contribution_summary
from bodies.services import add_contribution
from tests.factories import (
    XSS,
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.html import assert_valid_html
from tests.personas import PERSONAS, SEES


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1000)
    title = factory.Sequence(lambda n: f"Baustelle {n} {XSS}")
    description = f"Beschreibung mit {XSS}"
    lead_body = factory.SubFactory(BodyFactory)
    visibility = Visibility.PUBLIC


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    workstream = factory.SubFactory(WorkstreamFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = ContributionKind.HOURS
    amount = Decimal("10")
    description = factory.Sequence(lambda n: f"Beitrag {n} {XSS}")
    on = datetime.date(2026, 3, 1)


# personas who keep the ledger of every workstream they see
KEEPERS = {"v_extern", "v_intern", "superuser"}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _contribution_data(partner, **overrides):
    data = {
        "organisation": partner.pk,
        "kind": ContributionKind.MONEY,
        "amount": "1250,50",
        "description": "Moderation der Auftaktveranstaltung",
        "on": "2026-03-05",
    }
    data.update(overrides)
    return data


# --- who sees what ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_it_shows_a_workstream_exactly_to_the_personas_its_level_allows(
    client, persona, name, level
):
    workstream = WorkstreamFactory(visibility=level)
    user = persona(name, body=workstream.lead_body)
    expected = level in SEES[name]

    assert Workstream.objects.visible_to(user).filter(pk=workstream.pk).exists() is expected
    response = _login(client, user).get(reverse("bodies:workstream", args=[workstream.number]))
    assert response.status_code == (200 if expected else 404)
    listing = client.get(reverse("bodies:workstreams")).content.decode()
    assert (workstream.get_absolute_url() in listing) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"), [(roles.V_EXTERN, 404), (roles.V_INTERN, 200), (None, 404)]
)
def test_a_public_workstream_is_never_more_visible_than_its_lead_body(
    client, make_user, role, expected
):
    workstream = WorkstreamFactory(lead_body=BodyFactory(visibility=Visibility.ADMIN_INTERNAL))
    if role:
        client.force_login(make_user(role))
    response = client.get(reverse("bodies:workstream", args=[workstream.number]))
    assert response.status_code == expected
    listing = client.get(reverse("bodies:workstreams")).content.decode()
    assert (workstream.get_absolute_url() in listing) is (expected == 200)


@pytest.mark.django_db
def test_it_lists_only_the_participating_bodies_the_reader_may_see(client):
    workstream = WorkstreamFactory()
    workstream.bodies.add(
        BodyFactory(name="Offene Steuerungsrunde"),
        BodyFactory(name="Interne Steuerungsrunde", visibility=Visibility.ADMIN_INTERNAL),
    )
    content = client.get(workstream.get_absolute_url()).content.decode()
    assert "Offene Steuerungsrunde" in content
    assert "Interne Steuerungsrunde" not in content


@pytest.mark.django_db
def test_an_unknown_workstream_answers_404(client):
    assert client.get(reverse("bodies:workstream", args=[999])).status_code == 404


# --- adding contributions -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.TEAM])
def test_only_staff_add_contributions_others_get_403_or_404(client, persona, name, level):
    workstream = WorkstreamFactory(visibility=level)
    user = persona(name, body=workstream.lead_body)
    partner = OrganisationFactory()
    response = _login(client, user).post(workstream.get_absolute_url(), _contribution_data(partner))
    if name == "anonymous":
        assert response.status_code == 302 and "anmelden" in response["Location"]
    elif level not in SEES[name]:
        assert response.status_code == 404
    elif name in KEEPERS:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    added = Contribution.objects.filter(workstream=workstream).exists()
    assert added is (response.status_code == 302 and name != "anonymous")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"), [("chair", True), ("deputy", True), ("member", False)]
)
def test_the_chair_of_the_lead_body_keeps_the_ledger(client, make_user, role, allowed):
    workstream = WorkstreamFactory()
    user = make_user()
    MembershipFactory(person=PersonFactory(user=user), body=workstream.lead_body, role=role)
    client.force_login(user)
    page = client.get(workstream.get_absolute_url()).content.decode()
    assert ('name="amount"' in page) is allowed
    response = client.post(workstream.get_absolute_url(), _contribution_data(OrganisationFactory()))
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.django_db
def test_a_former_chair_of_the_lead_body_no_longer_keeps_the_ledger(client, make_user):
    workstream = WorkstreamFactory()
    user = make_user()
    MembershipFactory(
        person=PersonFactory(user=user),
        body=workstream.lead_body,
        role="chair",
        end=datetime.date(2025, 1, 1),
    )
    client.force_login(user)
    response = client.post(workstream.get_absolute_url(), _contribution_data(OrganisationFactory()))
    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_add_a_contribution_post_redirect_get(client, make_user):
    workstream = WorkstreamFactory()
    partner = OrganisationFactory(name="BIM Berliner Immobilienmanagement")
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(workstream.get_absolute_url(), _contribution_data(partner))
    assert response.status_code == 302
    assert response["Location"] == workstream.get_absolute_url()
    contribution = Contribution.objects.get(workstream=workstream)
    assert contribution.amount == Decimal("1250.50")
    assert contribution.kind == ContributionKind.MONEY
    assert contribution.on == datetime.date(2026, 3, 5)
    # Contributing makes the organisation a partner of the workstream.
    assert partner in workstream.organisations.all()

    page = client.get(response["Location"])
    content = page.content.decode()
    assert_valid_html(page)
    assert "Moderation der Auftaktveranstaltung" in content
    assert "1.250,50" in content
    assert 'class="message message-success"' in content


@pytest.mark.django_db
def test_it_confirms_a_new_contribution_in_german(client, make_user):
    """Needs the German catalogue of this issue."""
    workstream = WorkstreamFactory()
    partner = OrganisationFactory(name="WBM")
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(workstream.get_absolute_url(), _contribution_data(partner), follow=True)
    assert "Der Beitrag von WBM wurde eingetragen." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-5"}, "Dieser Wert muss größer oder gleich 0 sein."),
        ({"amount": "viel"}, "Bitte eine Zahl eingeben."),
        ({"amount": "NaN"}, "Bitte eine Zahl eingeben."),
        ({"kind": "gold"}, "Bitte eine gültige Auswahl treffen."),
        ({"description": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"on": "31.02.2026"}, "Bitte ein gültiges Datum eingeben."),
        ({"organisation": "999999"}, "Bitte eine gültige Auswahl treffen."),
        ({"amount": "12345678901234"}, "dass der Wert höchstens 12 Ziffern enthält."),
        ({"amount": "1,234"}, "dass der Wert höchstens 2 Dezimalstellen enthält."),
    ],
)
def test_bad_contribution_input_gets_a_german_message_and_changes_nothing(
    client, make_user, overrides, message
):
    workstream = WorkstreamFactory()
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        workstream.get_absolute_url(), _contribution_data(OrganisationFactory(), **overrides)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'aria-invalid="true"' in content
    field = next(iter(overrides))
    assert f'aria-describedby="id_{field}_error"' in content or (
        f'aria-describedby="id_{field}_helptext id_{field}_error"' in content
    )
    assert f'id="id_{field}_error"' in content
    assert_valid_html(response)
    assert not Contribution.objects.exists()
    assert not workstream.organisations.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_negative_amount_and_writes_nothing():
    workstream = WorkstreamFactory()
    with pytest.raises(ValidationError) as error:
        add_contribution(
            workstream=workstream,
            organisation=OrganisationFactory(),
            kind=ContributionKind.HOURS,
            amount=Decimal("-1"),
            description="Stunden",
            on=datetime.date(2026, 1, 1),
        )
    assert "amount" in error.value.message_dict
    assert not Contribution.objects.exists()
    assert not workstream.organisations.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_negative_amount_in_german():
    """Needs the German catalogue of this issue."""
    with pytest.raises(ValidationError) as error:
        add_contribution(
            workstream=WorkstreamFactory(),
            organisation=OrganisationFactory(),
            kind=ContributionKind.HOURS,
            amount="-1",
            description="Stunden",
            on=datetime.date(2026, 1, 1),
        )
    assert error.value.message_dict["amount"] == ["Die Menge darf nicht negativ sein."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "amount", "description"),
    [("hours", "NaN", "Stunden"), ("gold", "1", "Gold"), ("hours", "1", "   ")],
)
def test_the_service_refuses_what_the_ledger_cannot_hold(kind, amount, description):
    with pytest.raises(ValidationError):
        add_contribution(
            workstream=WorkstreamFactory(),
            organisation=OrganisationFactory(),
            kind=kind,
            amount=amount,
            description=description,
            on=datetime.date(2026, 1, 1),
        )
    assert not Contribution.objects.exists()


@pytest.mark.django_db
def test_the_service_accepts_zero_and_dates_today_by_default():
    contribution = add_contribution(
        workstream=WorkstreamFactory(),
        organisation=OrganisationFactory(),
        kind=ContributionKind.OTHER,
        amount=0,
        description="Kontakte ins Quartier",
        on=None,
    )
    assert contribution.amount == 0
    assert contribution.on == datetime.date.today()


# --- the per-partner summary --------------------------------------------------------


@pytest.mark.django_db
def test_the_summary_sums_each_kind_per_partner_in_the_database(django_assert_num_queries):
    workstream = WorkstreamFactory()
    initiative = OrganisationFactory(name="A Initiative")
    bim = OrganisationFactory(name="B BIM")
    wbm = OrganisationFactory(name="C WBM")
    for amount in ("120", "30.5"):
        ContributionFactory(workstream=workstream, organisation=initiative, amount=amount)
    ContributionFactory(workstream=workstream, organisation=initiative, kind="other", amount=1)
    ContributionFactory(workstream=workstream, organisation=initiative, kind="other", amount=7)
    ContributionFactory(workstream=workstream, organisation=bim, kind="money", amount="6800")
    ContributionFactory(workstream=workstream, organisation=bim, kind="money", amount="14500.25")
    ContributionFactory(workstream=workstream, organisation=wbm, kind="rooms", amount="48")
    ContributionFactory(organisation=bim, kind="money", amount="99999")  # another workstream

    with django_assert_num_queries(2):
        per_partner, totals = contribution_summary(workstream)

    rows = {row["organisation__name"]: row for row in per_partner}
    assert list(rows) == ["A Initiative", "B BIM", "C WBM"]
    assert rows["A Initiative"]["hours"] == Decimal("150.5")
    assert rows["A Initiative"]["other"] == 2
    assert rows["A Initiative"]["money"] is None
    assert rows["B BIM"]["money"] == Decimal("21300.25")
    assert rows["B BIM"]["hours"] is None
    assert rows["C WBM"]["rooms"] == Decimal("48")
    assert totals == {
        "hours": Decimal("150.5"),
        "money": Decimal("21300.25"),
        "rooms": Decimal("48"),
        "other": 2,
    }


@pytest.mark.django_db
def test_the_detail_page_shows_the_summary_and_the_ledger(client):
    workstream = WorkstreamFactory(title="Vor-Ort-Laden")
    bim = OrganisationFactory(name="BIM")
    ContributionFactory(workstream=workstream, organisation=bim, kind="money", amount="6800")
    ContributionFactory(workstream=workstream, organisation=bim, kind="money", amount="14500.5")
    ContributionFactory(
        workstream=workstream, organisation=OrganisationFactory(name="ZKB"), amount="120"
    )
    response = client.get(workstream.get_absolute_url())
    content = response.content.decode()
    assert_valid_html(response)
    assert "21.300,50" in content  # BIM's money, summed
    assert "6.800,00" in content  # one ledger row
    assert "Geld (EUR)" in content and "Arbeitsstunden" in content
    assert "<tfoot>" in content
    assert XSS not in content
    # Readers who may not change the ledger get no form.
    assert 'name="amount"' not in content


@pytest.mark.django_db
def test_the_detail_page_without_contributions_says_so(client):
    workstream = WorkstreamFactory()
    response = client.get(workstream.get_absolute_url())
    assert response.status_code == 200
    assert_valid_html(response)
    assert "<tfoot>" not in response.content.decode()


# --- list and filter ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_number_status_lead_body_and_partners(client):
    lead = BodyFactory(name="AG1 Kooperationsmodell")
    workstream = WorkstreamFactory(
        number=1, title="Vor-Ort-Laden", lead_body=lead, status=WorkstreamStatus.PAUSED
    )
    workstream.organisations.add(
        OrganisationFactory(name="WBM Wohnungsbaugesellschaft"), OrganisationFactory(name="BIM")
    )
    response = client.get(reverse("bodies:workstreams"))
    content = response.content.decode()
    assert_valid_html(response)
    assert "#1" in content
    assert "Vor-Ort-Laden" in content
    assert "Pausiert" in content
    assert "AG1 Kooperationsmodell" in content
    assert "BIM, WBM Wohnungsbaugesellschaft" in content
    assert XSS not in content
    url = reverse("bodies:workstreams")
    assert f'<a href="{url}" aria-current="page">' in content


@pytest.mark.django_db
def test_the_list_filters_by_status_and_text(client):
    WorkstreamFactory(number=1, title="Vor-Ort-Laden", status=WorkstreamStatus.ACTIVE)
    WorkstreamFactory(
        number=3,
        title="Kooperative Instrumente",
        description="Bürgerbeteiligung im Bezirk",
        status=WorkstreamStatus.PLANNED,
    )
    url = reverse("bodies:workstreams")
    content = client.get(url, {"status": "planned"}).content.decode()
    assert "Kooperative Instrumente" in content and "Vor-Ort-Laden" not in content
    content = client.get(url, {"q": "bürgerbeteiligung"}).content.decode()
    assert "Kooperative Instrumente" in content and "Vor-Ort-Laden" not in content
    content = client.get(url, {"q": "#1"}).content.decode()
    assert "Vor-Ort-Laden" in content and "Kooperative Instrumente" not in content


@pytest.mark.django_db
def test_the_list_answers_bad_filter_input_in_german_without_error(client):
    response = client.get(
        reverse("bodies:workstreams"), {"status": "nonsense", "page": "x", "q": "#" + "9" * 40}
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert_valid_html(response)


# --- queries ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("role", [None, roles.V_INTERN, roles.ASSOCIATION_MEMBER])
def test_the_list_needs_the_same_queries_for_10_and_200_workstreams(
    client, make_user, django_assert_max_num_queries, size, role
):
    leads = BodyFactory.create_batch(3)
    partners = OrganisationFactory.create_batch(4)
    levels = Visibility.values
    for i in range(size):
        workstream = WorkstreamFactory(
            visibility=levels[i % len(levels)], lead_body=leads[i % len(leads)]
        )
        workstream.organisations.add(*partners[: 1 + i % len(partners)])
    if role:
        client.force_login(make_user(role))
    # session + user + roles, the navigation's "chairs a body?" for a reader outside the
    # team, count, page, partners
    with django_assert_max_num_queries(7):
        response = client.get(reverse("bodies:workstreams"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("role", [roles.V_EXTERN, roles.COUNCILLOR, None])
def test_the_detail_needs_the_same_queries_for_10_and_200_contributions(
    client, make_user, django_assert_max_num_queries, size, role
):
    workstream = WorkstreamFactory()
    workstream.bodies.add(*BodyFactory.create_batch(5))
    partners = OrganisationFactory.create_batch(8)
    workstream.organisations.add(*partners)
    kinds = ContributionKind.values
    for i in range(size):
        ContributionFactory(
            workstream=workstream, organisation=partners[i % 8], kind=kinds[i % len(kinds)]
        )
    if role:
        client.force_login(make_user(role))
    # session + user + roles, workstream, may change (visible, leads, guardian's two
    # grant lookups, two content types on a cold cache), summary, totals, ledger count,
    # bodies, organisations, ledger page, partner choices of the form
    with django_assert_max_num_queries(16):
        response = client.get(workstream.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= min(size, 50)


# --- demo ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_workstreams_can_be_seeded_twice():
    from bodies.demo import seed_bodies, seed_workstreams

    seed_bodies()
    first = seed_workstreams()
    counts = (Workstream.objects.count(), Contribution.objects.count())
    assert seed_workstreams() == first
    assert (Workstream.objects.count(), Contribution.objects.count()) == counts
    assert counts == (3, 13)
    shop = Workstream.objects.get(number=1)
    assert shop.lead_body.slug == "ag1"
    per_partner, _totals = contribution_summary(shop)
    bim = next(row for row in per_partner if row["organisation__name"].startswith("BIM"))
    assert bim["money"] == Decimal("21300")
    assert Workstream.objects.get(number=2).visibility == Visibility.TEAM
