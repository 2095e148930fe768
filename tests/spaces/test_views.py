"""The pages of the space registry: valid, escaped, German, filterable, and cheap in
queries whether there are 20 spaces or 2,000."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from spaces.models import OwnerKind, Space, SpaceKind, SpaceNeed, SpaceStatus
from spaces.views import csv_safe
from tests.factories import XSS, BodyFactory, OrganisationFactory
from tests.html import assert_valid_html

from .factories import DistrictFactory, SpaceFactory, SpaceNeedFactory, bulk_spaces, instrument

SIZES = [20, 2000]
VIEWERS = [None, roles.ASSOCIATION_MEMBER, roles.V_INTERN, "body_member"]


def _viewer(client, make_user, member_of, role):
    if role is None:
        return None
    if role == "body_member":
        user = make_user()
        member_of(user, BodyFactory())
    else:
        user = make_user(role)
    client.force_login(user)
    return user


# --- query counts ------------------------------------------------------------------
# Each test asks once before counting, so that per-process caches (content types for
# guardian's permission tables) are warm, as they are in a running server.


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", VIEWERS)
def test_the_list_needs_the_same_queries_for_20_and_2000_spaces(
    client, make_user, member_of, django_assert_max_num_queries, size, role
):
    bulk_spaces(size)
    _viewer(client, make_user, member_of, role)
    # session, user, roles, the navigation's "chairs a body?" | count, page, instruments |
    # neighbourhood and instrument choices
    url = reverse("spaces:list")
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url, {"status": "", "contested": "true"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", VIEWERS)
def test_the_map_page_needs_the_same_queries_for_20_and_2000_spaces(
    client, make_user, member_of, django_assert_max_num_queries, size, role
):
    bulk_spaces(size)
    _viewer(client, make_user, member_of, role)
    # session, user, roles, the navigation's "chairs a body?" | spaces | neighbourhood and
    # instrument choices
    client.get(reverse("spaces:map"))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("spaces:map"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", VIEWERS)
def test_geojson_needs_the_same_queries_for_20_and_2000_spaces(
    client, make_user, member_of, django_assert_max_num_queries, size, role
):
    spaces = bulk_spaces(size)
    _viewer(client, make_user, member_of, role)
    # session, user, roles | spaces
    client.get(reverse("spaces:geojson"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("spaces:geojson"), {"kind": "shopfront"})
    assert response.status_code == 200
    if role == roles.V_INTERN:
        assert len(json.loads(response.content)["features"]) > len(spaces) // 12


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", VIEWERS)
def test_csv_needs_the_same_queries_for_20_and_2000_spaces(
    client, make_user, member_of, django_assert_max_num_queries, size, role
):
    bulk_spaces(size)
    _viewer(client, make_user, member_of, role)
    # session, user, roles | spaces, instruments
    client.get(reverse("spaces:csv"))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("spaces:csv"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_a_space_page_needs_the_same_queries_for_20_and_2000_spaces_and_needs(
    client, make_user, django_assert_max_num_queries, size
):
    spaces = bulk_spaces(size)
    space = spaces[0]
    district = space.district
    needs = SpaceNeed.objects.bulk_create(
        [
            SpaceNeed(
                organisation=space.owner_organisation,
                title=f"Bedarf {i}",
                purpose="Raum",
                kinds=[space.kind],
                min_size_m2=10,
                max_size_m2=1000,
            )
            for i in range(size // 10)
        ]
    )
    SpaceNeed.districts.through.objects.bulk_create(
        [SpaceNeed.districts.through(spaceneed_id=n.pk, district_id=district.pk) for n in needs]
    )
    client.force_login(make_user(roles.V_INTERN))
    # session, user, roles | space, instruments, history, change permission,
    # decisions for the form | needs, their neighbourhoods | audit trail (staff)
    client.get(reverse("spaces:detail", args=[space.pk]))
    with django_assert_max_num_queries(11):
        response = client.get(reverse("spaces:detail", args=[space.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_a_need_page_needs_the_same_queries_for_20_and_2000_spaces(
    client, make_user, django_assert_max_num_queries, size
):
    spaces = bulk_spaces(size)
    need = SpaceNeedFactory(districts=[spaces[0].district], kinds=[SpaceKind.SHOPFRONT])
    client.force_login(make_user(roles.V_EXTERN))
    # session, user, roles | need, its neighbourhoods, change permission | matches
    client.get(reverse("spaces:need_detail", args=[need.pk]))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("spaces:need_detail", args=[need.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 2  # header and at least one match


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_the_need_list_needs_the_same_queries_for_20_and_2000_needs(
    client, django_assert_max_num_queries, size
):
    district = DistrictFactory()
    organisation = OrganisationFactory()
    needs = SpaceNeed.objects.bulk_create(
        [SpaceNeed(organisation=organisation, title=f"B{i}", purpose="x") for i in range(size)]
    )
    SpaceNeed.districts.through.objects.bulk_create(
        [SpaceNeed.districts.through(spaceneed_id=n.pk, district_id=district.pk) for n in needs]
    )
    # count, page, neighbourhoods | neighbourhood choices
    client.get(reverse("spaces:need_list"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("spaces:need_list"))
    assert response.status_code == 200


# --- pages -----------------------------------------------------------------------------


@pytest.fixture
def registry(db):
    district = DistrictFactory(name="Graefekiez")
    body = BodyFactory()
    spaces = [
        SpaceFactory(
            status=status,
            district=district,
            body=body,
            contested=status == SpaceStatus.IN_NEGOTIATION,
            contested_reason=f"Verkauf {XSS}" if status == SpaceStatus.IN_NEGOTIATION else "",
            current_user_organisation=OrganisationFactory(),
            instruments=[instrument("vorkaufsrecht"), instrument("erbbaurecht")],
        )
        for status in SpaceStatus.values
    ]
    need = SpaceNeedFactory(districts=[district])
    return spaces, need


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, roles.V_INTERN])
@pytest.mark.parametrize(
    "url_name", ["spaces:list", "spaces:map", "spaces:need_list", "spaces:detail", "spaces:need"]
)
def test_every_page_is_valid_html_and_escapes_what_people_typed(
    client, make_user, registry, role, url_name
):
    spaces, need = registry
    if role:
        client.force_login(make_user(role))
    url = {
        "spaces:detail": reverse("spaces:detail", args=[spaces[2].pk]),
        "spaces:need": reverse("spaces:need_detail", args=[need.pk]),
    }.get(url_name) or reverse(url_name)
    response = client.get(url)
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    assert "&lt;script&gt;" in content
    assert 'aria-current="page">' in content  # the main navigation marks "Spaces"
    assert re.search(r"<script(?![^>]*\ssrc=)[^>]*>", content) is None, "no inline scripts"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["spaces:create", "spaces:report", "spaces:need_create", "spaces:edit", "spaces:need_edit"],
)
def test_every_form_is_valid_html_with_labels(client, make_user, registry, url_name):
    spaces, need = registry
    client.force_login(make_user(roles.V_INTERN))
    args = {"spaces:edit": [spaces[0].pk], "spaces:need_edit": [need.pk]}.get(url_name, [])
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', content):
        if field_id in {"language-select"}:
            continue
        assert f'for="{field_id}"' in content, f"{field_id} has no label"


@pytest.mark.django_db
def test_an_invalid_form_lists_its_errors_and_marks_the_fields(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("spaces:create"),
        {"name": "", "postcode": "1234", "latitude": "52.5", "contested": "on"},
    )
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    assert 'role="alert"' in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_postcode_error"' in content
    assert "id_contested_reason_error" in content
    assert "id_longitude_error" in content
    assert not Space.objects.exists()


@pytest.mark.django_db
def test_staff_record_a_space_that_starts_as_reported(client, make_user):
    staff = make_user(roles.V_EXTERN)
    client.force_login(staff)
    district = DistrictFactory(name="Wrangelkiez")
    vorkauf = instrument("vorkaufsrecht")
    response = client.post(
        reverse("spaces:create"),
        {
            "name": "Eckladen Falckensteinstraße",
            "address": "Falckensteinstraße 99",
            "postcode": "10997",
            "district": district.pk,
            "latitude": "52.4990",
            "longitude": "13.4420",
            "kind": SpaceKind.SHOPFRONT,
            "size_m2": "75",
            "instruments": [vorkauf.pk],
            "contested": "on",
            "contested_reason": "Verkauf angekündigt",
            "visibility": Visibility.PUBLIC,
            "owner_kind": OwnerKind.PRIVATE,
            "owner_visibility": Visibility.TEAM,
        },
    )
    space = Space.objects.get(name="Eckladen Falckensteinstraße")
    assert response.status_code == 302
    assert space.status == SpaceStatus.REPORTED
    assert list(space.instruments.all()) == [vorkauf]
    assert space.status_changes.get().changed_by == staff
    assert space.latitude == Decimal("52.499000")


@pytest.mark.django_db
def test_the_list_filters_by_every_filter(client, make_user):
    graefe, wrangel = DistrictFactory(name="Graefekiez"), DistrictFactory(name="Wrangelkiez")
    vorkauf = instrument("vorkaufsrecht")
    SpaceFactory(
        name="Alpha",
        district=graefe,
        kind=SpaceKind.PLOT,
        status=SpaceStatus.LOST,
        owner_kind=OwnerKind.CHURCH,
        instruments=[vorkauf],
        contested=True,
        contested_reason="Abriss",
    )
    SpaceFactory(name="Beta", district=wrangel, description="Hinterhof mit Remise")
    cases = [
        ({"status": "lost"}, "Alpha"),
        ({"district": graefe.pk}, "Alpha"),
        ({"kind": "plot"}, "Alpha"),
        ({"owner_kind": "church"}, "Alpha"),
        ({"instrument": vorkauf.pk}, "Alpha"),
        ({"contested": "true"}, "Alpha"),
        ({"contested": "false"}, "Beta"),
        ({"q": "remise"}, "Beta"),
        ({"q": "wrangelkiez"}, "Beta"),
    ]
    for params, expected in cases:
        content = client.get(reverse("spaces:list"), params).content.decode()
        other = "Beta" if expected == "Alpha" else "Alpha"
        assert expected in content and other not in content, params
        features = json.loads(client.get(reverse("spaces:geojson"), params).content)["features"]
        assert [f["properties"]["name"] for f in features] == [expected], params
        map_page = client.get(reverse("spaces:map"), params).content.decode()
        assert expected in map_page and other not in map_page, params


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["spaces:list", "spaces:map", "spaces:geojson", "spaces:csv"])
def test_bad_filter_input_answers_without_error(client, url_name):
    SpaceFactory(name="Gamma")
    params = {
        "status": "nonsense",
        "district": "x",
        "instrument": "999999",
        "contested": "vielleicht",
        "owner_kind": "<b>",
        "page": "x",
    }
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    if url_name in ("spaces:list", "spaces:map"):
        assert_valid_html(response)
        assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


@pytest.mark.django_db
def test_the_map_page_passes_its_filters_to_geojson_through_data_attributes(client, settings):
    settings.SPACES_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.SPACES_TILE_ATTRIBUTION = "© Beispiel-Kacheln"
    SpaceFactory(name="Ohne Koordinaten", latitude=None, longitude=None)
    response = client.get(reverse("spaces:map"), {"kind": "plot", "page": "2"})
    content = response.content.decode()
    assert 'data-geojson-url="/raeume/karte.geojson?kind=plot"' in content
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in content
    assert 'data-tile-attribution="© Beispiel-Kacheln"' in content
    assert "vendor/leaflet/leaflet.js" in content
    assert "js/spaces-map.js" in content


@pytest.mark.django_db
def test_without_a_tile_url_the_map_still_gets_its_markers(client, settings):
    settings.SPACES_TILE_URL = ""
    SpaceFactory(name="Delta")
    SpaceFactory(name="Ohne Koordinaten", latitude=None, longitude=None)
    content = client.get(reverse("spaces:map")).content.decode()
    assert 'data-tile-url=""' in content
    assert "Ohne Koordinaten" in content  # in the text list, though not on the map
    features = json.loads(client.get(reverse("spaces:geojson")).content)["features"]
    assert [f["properties"]["name"] for f in features] == ["Delta"]


@pytest.mark.django_db
def test_geojson_is_a_feature_collection_in_longitude_latitude_order(client):
    space = SpaceFactory(latitude=Decimal("52.512345"), longitude=Decimal("13.456789"))
    response = client.get(reverse("spaces:geojson"))
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [13.456789, 52.512345]}
    assert feature["properties"]["url"] == space.get_absolute_url()
    assert feature["properties"]["status"] == space.status
    assert feature["properties"]["name"] == space.name  # JSON, escaped by the script's textContent


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(client, make_user):
    SpaceFactory(
        name='=HYPERLINK("http://evil.example")',
        address="+49 30 123",
        description="x",
        owner_notes="@SUM(A1)",
        contested=True,
        contested_reason="-1+1",
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("spaces:csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert row[1] == '\'=HYPERLINK("http://evil.example")'
    assert row[2] == "'+49 30 123"
    assert "'@SUM(A1)" in row
    assert "'-1+1" in row
    assert len(cells) == len(header)
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("Laden", "Laden"),
        (None, ""),
        ("", ""),
    ],
)
def test_csv_safe_prefixes_formula_starts(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.django_db
def test_csv_follows_the_filters_of_the_list(client):
    SpaceFactory(name="Epsilon", kind=SpaceKind.PLOT)
    SpaceFactory(name="Zeta", kind=SpaceKind.ROOM)
    response = client.get(reverse("spaces:csv"), {"kind": "room"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Zeta"]


@pytest.mark.django_db
def test_the_list_links_the_map_and_csv_with_the_same_filters(client):
    content = client.get(reverse("spaces:list"), {"kind": "room", "page": "1"}).content.decode()
    assert 'href="/raeume/karte/?kind=room"' in content
    assert 'href="/raeume/export.csv?kind=room"' in content


@pytest.mark.django_db
def test_unknown_space_answers_404_in_german(client):
    response = client.get(reverse("spaces:detail", args=[987654]))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_the_space_page_shows_its_facts(client):
    owner = OrganisationFactory(name="BIM Berliner Immobilienmanagement")
    user_org = OrganisationFactory(name="Initiative ZKB")
    space = SpaceFactory(
        name="Fahrradladen",
        owner_organisation=owner,
        current_user_organisation=user_org,
        status=SpaceStatus.INTERIM_USE,
        instruments=[instrument("zwischennutzung")],
        contested=True,
        contested_reason="Kündigung angedroht",
        size_m2=85,
    )
    content = client.get(space.get_absolute_url()).content.decode()
    for text in (
        "BIM Berliner Immobilienmanagement",
        "Initiative ZKB",
        "Zwischennutzung",
        "Kündigung angedroht",
        "85 m²",
    ):
        assert text in content


@pytest.mark.django_db
def test_need_forms_save_neighbourhoods_and_kinds(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    graefe = DistrictFactory(name="Graefekiez")
    response = client.post(
        reverse("spaces:need_create"),
        {
            "organisation": OrganisationFactory().pk,
            "title": "Probenraum",
            "purpose": "Chor",
            "min_size_m2": "40",
            "max_size_m2": "30",
            "districts": [graefe.pk],
            "kinds": ["room", "nonsense"],
            "status": "open",
            "visibility": "public",
        },
    )
    assert response.status_code == 200  # two errors: range and unknown kind
    assert not SpaceNeed.objects.exists()
    response = client.post(
        reverse("spaces:need_create"),
        {
            "organisation": OrganisationFactory().pk,
            "title": "Probenraum",
            "purpose": "Chor",
            "min_size_m2": "40",
            "max_size_m2": "90",
            "districts": [graefe.pk],
            "kinds": ["room", "shopfront"],
            "status": "open",
            "visibility": "public",
        },
    )
    need = SpaceNeed.objects.get()
    assert response.status_code == 302
    assert need.kinds == ["room", "shopfront"]
    assert list(need.districts.all()) == [graefe]


@pytest.mark.django_db
def test_the_admin_lists_spaces_and_starts_new_ones_as_reported(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    SpaceFactory(name="Admin-Raum")
    assert "Admin-Raum" in client.get(reverse("admin:spaces_space_changelist")).content.decode()
    response = client.post(
        reverse("admin:spaces_space_add"),
        {
            "name": "Neu im Admin",
            "address": "Adminweg 1",
            "postcode": "10245",
            "district": DistrictFactory(name="Stralau").pk,
            "kind": SpaceKind.PLOT,
            "owner_kind": OwnerKind.UNKNOWN,
            "owner_visibility": Visibility.TEAM,
            "visibility": Visibility.TEAM,
            "instruments": [instrument("anhandgabe").pk],
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    space = Space.objects.get(name="Neu im Admin")
    assert space.status == SpaceStatus.REPORTED
    assert space.status_changes.get().changed_by == admin
    assert [i.slug for i in space.instruments.all()] == ["anhandgabe"]
    for url in ("spacestatuschange", "spaceneed", "instrument", "district"):
        assert client.get(reverse(f"admin:spaces_{url}_changelist")).status_code == 200
