"""Who sees which space, and whose owner details, on every channel: list, page, map,
GeoJSON, CSV and matching. Restricted owner details never leave the server for those
who may not see them."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from spaces.matching import spaces_for_need
from spaces.models import OwnerKind, Space, SpaceKind, SpaceStatus
from spaces.selectors import space_for_change, visible_spaces
from tests.factories import BodyFactory, OrganisationFactory
from tests.personas import PERSONAS, SEES

from .factories import DistrictFactory, SpaceFactory, SpaceNeedFactory

MARKER = "Leerstand-Markierung-7731"
OWNER = "Eigentümerin-Markierung-5519"
NOTES = "Notiz-Markierung-2208"


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _matching_need(district):
    return SpaceNeedFactory(
        min_size_m2=50,
        max_size_m2=150,
        kinds=[SpaceKind.SHOPFRONT],
        max_rent=2000,
        districts=[district],
        visibility=Visibility.PUBLIC,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_a_space_shows_on_every_channel_exactly_for_the_levels_allowed(
    client, persona, name, level
):
    body = BodyFactory()
    district = DistrictFactory(name="Graefekiez")
    space = SpaceFactory(
        name=MARKER, visibility=level, body=body, district=district, owner_visibility="public"
    )
    need = _matching_need(district)
    user = persona(name, body=body)
    expected = level in SEES[name]
    _login(client, user)

    assert Space.objects.visible_to(user).filter(pk=space.pk).exists() is expected
    assert (user or AnonymousUser()).has_perm("spaces.view_space", space) is expected

    detail = client.get(reverse("spaces:detail", args=[space.pk]))
    assert detail.status_code == (200 if expected else 404)
    assert (MARKER in client.get(reverse("spaces:list")).content.decode()) is expected
    assert (MARKER in client.get(reverse("spaces:map")).content.decode()) is expected

    features = json.loads(client.get(reverse("spaces:geojson")).content)["features"]
    assert (space.pk in [f["id"] for f in features]) is expected

    rows = _csv_rows(client.get(reverse("spaces:csv")))
    assert (MARKER in [row[1] for row in rows[1:]]) is expected

    assert ([m.space.pk for m in spaces_for_need(need, user)] == [space.pk]) is expected
    need_page = client.get(reverse("spaces:need_detail", args=[need.pk])).content.decode()
    assert (MARKER in need_page) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_owner_details_show_on_every_channel_exactly_for_the_levels_allowed(
    client, persona, name, level
):
    body = BodyFactory()
    district = DistrictFactory(name="Wrangelkiez")
    space = SpaceFactory(
        name=MARKER,
        visibility=Visibility.PUBLIC,
        body=body,
        district=district,
        owner_organisation=OrganisationFactory(name=OWNER),
        owner_kind=OwnerKind.BIM,
        owner_notes=NOTES,
        owner_visibility=level,
    )
    need = _matching_need(district)
    user = persona(name, body=body)
    expected = level in SEES[name]
    _login(client, user)

    assert (user or AnonymousUser()).has_perm("spaces.view_space_owner", space) is expected

    pages = [
        client.get(reverse("spaces:detail", args=[space.pk])),
        client.get(reverse("spaces:list")),
        client.get(reverse("spaces:map")),
        client.get(reverse("spaces:need_detail", args=[need.pk])),
        client.get(reverse("spaces:csv")),
    ]
    detail = pages[0].content.decode()
    assert (OWNER in detail) is expected
    assert (NOTES in detail) is expected
    for response in pages[1:]:
        assert response.status_code == 200
        assert NOTES not in response.content.decode() or expected
        assert (OWNER in response.content.decode()) is expected or response is pages[2]

    (feature,) = json.loads(client.get(reverse("spaces:geojson")).content)["features"]
    assert ("owner" in feature["properties"]) is expected
    assert ("owner_kind" in feature["properties"]) is expected
    geojson = client.get(reverse("spaces:geojson")).content.decode()
    assert (OWNER in geojson) is expected
    assert NOTES not in geojson  # notes belong on the page, not on the map

    header, row = _csv_rows(pages[4])
    owner_columns = [row[header.index(h)] for h in header[-4:-1]]
    if expected:
        assert owner_columns[0] == OWNER and owner_columns[2] == NOTES
    else:
        assert owner_columns == ["", "", ""]

    (match,) = spaces_for_need(need, user)
    assert (match.space.owner_organisation is not None) is expected
    assert (match.space.owner_notes == NOTES) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
def test_searching_or_filtering_by_owner_never_reveals_a_hidden_owner(client, persona, name):
    body = BodyFactory()
    hidden = SpaceFactory(
        name="Gewerbehof",
        body=body,
        owner_organisation=OrganisationFactory(name=OWNER),
        owner_kind=OwnerKind.BIM,
        owner_notes=NOTES,
        owner_visibility=Visibility.ADMIN_INTERNAL,
    )
    user = persona(name, body=body)
    expected = Visibility.ADMIN_INTERNAL in SEES[name]
    _login(client, user)
    for params in ({"q": OWNER}, {"q": NOTES}, {"owner_kind": OwnerKind.BIM}):
        for url in ("spaces:list", "spaces:map"):
            content = client.get(reverse(url), params).content.decode()
            assert ("Gewerbehof" in content) is expected, (params, url)
        features = json.loads(client.get(reverse("spaces:geojson"), params).content)["features"]
        assert bool(features) is expected
        assert (len(_csv_rows(client.get(reverse("spaces:csv"), params))) == 2) is expected
    # Without the owner filter the space itself stays visible to all.
    assert "Gewerbehof" in client.get(reverse("spaces:list")).content.decode()
    assert hidden.pk


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_needs_show_exactly_for_the_levels_allowed(client, persona, name, level):
    body = BodyFactory()
    need = SpaceNeedFactory(title="Bedarf-Markierung", visibility=level, body=body)
    space = SpaceFactory(district=DistrictFactory(name="Graefekiez"))
    need.districts.set([space.district])
    user = persona(name, body=body)
    expected = level in SEES[name]
    _login(client, user)
    assert client.get(reverse("spaces:need_detail", args=[need.pk])).status_code == (
        200 if expected else 404
    )
    assert ("Bedarf-Markierung" in client.get(reverse("spaces:need_list")).content.decode()) is (
        expected
    )
    space_page = client.get(reverse("spaces:detail", args=[space.pk])).content.decode()
    assert ("Bedarf-Markierung" in space_page) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "may_change"),
    [
        ("anonymous", False),
        ("association_member", False),
        ("body_member", False),
        ("v_extern", True),
        ("v_intern", True),
        ("councillor", False),
        ("superuser", True),
    ],
)
def test_staff_and_superusers_change_spaces(client, persona, name, may_change):
    body = BodyFactory()
    space = SpaceFactory(visibility=Visibility.PUBLIC, body=body)
    user = persona(name, body=body)
    assert (user or AnonymousUser()).has_perm("spaces.change_space", space) is may_change
    _login(client, user)
    response = client.get(reverse("spaces:edit", args=[space.pk]))
    if user is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if may_change else 403)
    create = client.get(reverse("spaces:create"))
    assert create.status_code == (302 if user is None else 200 if may_change else 403)
    need_create = client.get(reverse("spaces:need_create"))
    assert need_create.status_code == (302 if user is None else 200 if may_change else 403)


@pytest.mark.django_db
def test_staff_cannot_change_a_space_they_may_not_see(client, make_user):
    v_extern = make_user(roles.V_EXTERN)
    space = SpaceFactory(visibility=Visibility.ADMIN_INTERNAL)
    assert not v_extern.has_perm("spaces.change_space", space)
    client.force_login(v_extern)
    assert client.get(reverse("spaces:edit", args=[space.pk])).status_code == 404
    assert (
        client.post(reverse("spaces:change_status", args=[space.pk]), {"to": "lost"}).status_code
        == 404
    )
    assert Space.objects.get(pk=space.pk).status == SpaceStatus.VERIFIED


@pytest.mark.django_db
def test_editing_without_sight_of_the_owner_leaves_the_owner_untouched(client, make_user):
    v_extern = make_user(roles.V_EXTERN)
    owner = OrganisationFactory(name=OWNER)
    space = SpaceFactory(
        name="Altbau",
        owner_organisation=owner,
        owner_notes=NOTES,
        owner_kind=OwnerKind.BIM,
        owner_visibility=Visibility.ADMIN_INTERNAL,
    )
    client.force_login(v_extern)
    form_page = client.get(reverse("spaces:edit", args=[space.pk])).content.decode()
    assert NOTES not in form_page
    assert f"selected>{OWNER}" not in form_page  # it is only one of the organisations offered
    assert 'name="owner_organisation"' not in form_page
    response = client.post(
        reverse("spaces:edit", args=[space.pk]),
        {
            "name": "Altbau mit Hof",
            "address": "Hofweg 1",
            "postcode": "10997",
            "district": space.district_id,
            "kind": SpaceKind.BUILDING,
            "visibility": Visibility.PUBLIC,
            # a forged owner change is ignored
            "owner_notes": "überschrieben",
            "owner_visibility": Visibility.PUBLIC,
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.name == "Altbau mit Hof"
    assert (space.owner_organisation, space.owner_notes) == (owner, NOTES)
    assert space.owner_visibility == Visibility.ADMIN_INTERNAL


@pytest.mark.django_db
def test_a_redacted_space_cannot_be_saved(make_user):
    space = SpaceFactory(owner_visibility=Visibility.ADMIN_INTERNAL)
    (shown,) = visible_spaces(make_user(roles.V_EXTERN))
    assert shown.owner_organisation is None and shown.owner_notes == ""
    with pytest.raises(RuntimeError):
        shown.save()
    assert Space.objects.get(pk=space.pk).owner_organisation is not None
    unredacted = space_for_change(make_user(roles.V_EXTERN), space.pk)
    assert unredacted.owner_organisation is not None and unredacted.owner_visible is False


@pytest.mark.django_db
def test_staff_only_offer_levels_they_see_themselves(client, make_user):
    client.force_login(make_user(roles.V_EXTERN))
    content = client.get(reverse("spaces:create")).content.decode()
    assert 'value="civil_internal"' in content
    assert 'value="admin_internal"' not in content


@pytest.mark.django_db
def test_the_reporter_sees_the_owner_details_she_typed_in(client, make_user):
    member = make_user(roles.ASSOCIATION_MEMBER)
    client.force_login(member)
    response = client.post(
        reverse("spaces:report"),
        {
            "name": "Leerer Laden an der Ecke",
            "address": "Eckweg 3",
            "postcode": "10245",
            "district": DistrictFactory(name="Samariterkiez").pk,
            "kind": SpaceKind.SHOPFRONT,
            "owner_kind": OwnerKind.PRIVATE,
            "owner_notes": NOTES,
        },
    )
    space = Space.objects.get(name="Leerer Laden an der Ecke")
    assert response.status_code == 302
    assert response["Location"] == space.get_absolute_url()
    # The owner details keep the team's level; she passes it as their reporter.
    assert space.owner_visibility == Visibility.TEAM
    assert member.has_perm("spaces.view_space_owner", space)
    page = client.get(space.get_absolute_url()).content.decode()
    assert "Leerer Laden an der Ecke" in page
    assert NOTES in page
    (listed,) = visible_spaces(member).filter(pk=space.pk)
    assert listed.owner_visible and listed.owner_notes == NOTES
    client.logout()
    assert client.get(space.get_absolute_url()).status_code == 404
    client.force_login(make_user(roles.V_INTERN))
    assert NOTES in client.get(space.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_it_keeps_the_owner_details_from_other_members_who_see_the_report(make_user):
    reporter = make_user(roles.ASSOCIATION_MEMBER)
    other = make_user(roles.ASSOCIATION_MEMBER)
    space = SpaceFactory(
        visibility=Visibility.PUBLIC,
        owner_visibility=Visibility.TEAM,
        owner_notes=NOTES,
        reported_by=reporter,
    )
    assert reporter.has_perm("spaces.view_space_owner", space)
    assert not other.has_perm("spaces.view_space_owner", space)
    assert not AnonymousUser().has_perm("spaces.view_space_owner", space)
    (seen,) = visible_spaces(other).filter(pk=space.pk)
    assert not seen.owner_visible and seen.owner_notes == ""


@pytest.mark.django_db
def test_it_hides_the_owner_details_from_a_deactivated_reporter(make_user):
    reporter = make_user(roles.ASSOCIATION_MEMBER)
    space = SpaceFactory(
        visibility=Visibility.PUBLIC, owner_visibility=Visibility.TEAM, reported_by=reporter
    )
    reporter.is_active = False
    reporter.save()
    assert not reporter.has_perm("spaces.view_space_owner", space)


@pytest.mark.django_db
def test_the_reporter_rule_does_not_narrow_what_a_superuser_sees(make_user):
    superuser = make_user(is_superuser=True)
    space = SpaceFactory(
        owner_visibility=Visibility.ADMIN_INTERNAL, reported_by=make_user(), owner_notes=NOTES
    )
    (seen,) = visible_spaces(superuser).filter(pk=space.pk)
    assert seen.owner_visible and seen.owner_notes == NOTES


@pytest.mark.django_db
def test_reporting_needs_an_account(client):
    response = client.get(reverse("spaces:report"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_an_inactive_account_sees_no_space(make_user):
    SpaceFactory(visibility=Visibility.PUBLIC)
    assert not visible_spaces(make_user(roles.V_INTERN, is_active=False)).exists()


@pytest.mark.django_db
def test_saving_the_edit_form_never_writes_the_status(client, make_user, monkeypatch):
    """The status moves only through the lifecycle, even if it moves while a form is saved."""
    from spaces.forms import SpaceForm

    client.force_login(make_user(roles.V_INTERN))
    space = SpaceFactory(status=SpaceStatus.VERIFIED, instruments=[])
    form = client.get(reverse("spaces:edit", args=[space.pk])).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update({"name": "Neuer Name", "instruments": [], "contested": ""})
    clean = SpaceForm.clean

    def clean_while_someone_else_moves_the_space(self):
        Space.objects.filter(pk=space.pk).update(status=SpaceStatus.LOST)
        return clean(self)

    monkeypatch.setattr(SpaceForm, "clean", clean_while_someone_else_moves_the_space)
    response = client.post(reverse("spaces:edit", args=[space.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    space.refresh_from_db()
    assert (space.name, space.status) == ("Neuer Name", SpaceStatus.LOST)
