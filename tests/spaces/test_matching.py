"""Leerstands-Matching: spaces for a need, needs for a space, each with its reasons."""

from decimal import Decimal

import pytest

from aks.accounts import roles
from bodies.access import Visibility
from spaces.matching import MIN_SCORE, assess, needs_for_space, spaces_for_need
from spaces.models import NeedStatus, SpaceKind, SpaceStatus

from .factories import DistrictFactory, SpaceFactory, SpaceNeedFactory, bulk_spaces


@pytest.fixture
def kieze(db):
    return DistrictFactory(name="Boxhagener Kiez"), DistrictFactory(name="Graefekiez")


@pytest.fixture
def need(kieze):
    boxhagen, _graefe = kieze
    return SpaceNeedFactory(
        title="Treffpunkt",
        min_size_m2=60,
        max_size_m2=150,
        districts=[boxhagen],
        kinds=[SpaceKind.SHOPFRONT, SpaceKind.ROOM],
        max_rent=Decimal("1500"),
    )


@pytest.mark.django_db
def test_a_space_that_fits_in_every_respect_says_so(need, kieze):
    space = SpaceFactory(
        district=kieze[0], size_m2=90, kind=SpaceKind.SHOPFRONT, monthly_rent=Decimal("1100")
    )
    match = assess(space, need)
    assert match.score == 4
    assert [c.key for c in match.criteria] == ["size", "district", "kind", "rent"]
    assert all(c.fits for c in match.criteria)
    assert "Boxhagener Kiez" in match.explanation
    assert "90 m²" in match.explanation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "key", "fits"),
    [
        ({"size_m2": 40}, "size", False),
        ({"size_m2": 400}, "size", False),
        ({"size_m2": None}, "size", None),
        ({"kind": SpaceKind.PLOT}, "kind", False),
        ({"monthly_rent": Decimal("2500")}, "rent", False),
        ({"monthly_rent": None}, "rent", None),
    ],
)
def test_each_criterion_fits_fails_or_is_unknown(need, kieze, fields, key, fits):
    base = {
        "district": kieze[0],
        "size_m2": 90,
        "kind": SpaceKind.ROOM,
        "monthly_rent": Decimal("800"),
    }
    space = SpaceFactory(**{**base, **fields})
    criteria = {c.key: c for c in assess(space, need).criteria}
    assert criteria[key].fits is fits
    assert criteria[key].text


@pytest.mark.django_db
def test_another_neighbourhood_is_named_in_the_explanation(need, kieze):
    space = SpaceFactory(district=kieze[1])
    district = {c.key: c for c in assess(space, need).criteria}["district"]
    assert district.fits is False
    assert "Graefekiez" in district.text


@pytest.mark.django_db
def test_an_open_need_without_limits_takes_any_space(kieze):
    need = SpaceNeedFactory(min_size_m2=None, max_size_m2=None, kinds=[], max_rent=None)
    assert assess(SpaceFactory(district=kieze[1], size_m2=None), need).score == 4


@pytest.mark.django_db
def test_spaces_are_ranked_best_first_and_poor_fits_left_out(need, kieze, make_user):
    boxhagen, graefe = kieze
    best = SpaceFactory(
        name="Beste",
        district=boxhagen,
        size_m2=100,
        kind=SpaceKind.ROOM,
        monthly_rent=Decimal("900"),
    )
    good = SpaceFactory(
        name="Gute", district=graefe, size_m2=100, kind=SpaceKind.ROOM, monthly_rent=Decimal("900")
    )
    SpaceFactory(
        name="Schlechte",
        district=graefe,
        size_m2=900,
        kind=SpaceKind.PLOT,
        monthly_rent=Decimal("9000"),
    )
    SpaceFactory(
        name="Verlorene",
        district=boxhagen,
        size_m2=100,
        kind=SpaceKind.ROOM,
        status=SpaceStatus.LOST,
    )
    SpaceFactory(
        name="Gesicherte",
        district=boxhagen,
        size_m2=100,
        kind=SpaceKind.ROOM,
        status=SpaceStatus.SECURED,
    )
    matches = spaces_for_need(need, make_user(roles.V_INTERN))
    assert [m.space for m in matches] == [best, good]
    assert [m.score for m in matches] == [4, 3]
    assert all(m.score >= MIN_SCORE for m in matches)


@pytest.mark.django_db
def test_the_sql_ranking_and_the_explanations_agree(need, make_user):
    bulk_spaces(300)
    user = make_user(roles.V_INTERN)
    matches = spaces_for_need(need, user, limit=300)
    assert matches
    from spaces.matching import _score_expression
    from spaces.selectors import visible_spaces

    district_ids = {d.pk for d in need.districts.all()}
    scored = dict(
        visible_spaces(user)
        .annotate(s=_score_expression(need, district_ids))
        .values_list("pk", "s")
    )
    for match in matches:
        assert scored[match.space.pk] == match.score


@pytest.mark.django_db
def test_needs_are_ranked_for_a_space_over_open_visible_needs(kieze, make_user):
    boxhagen, graefe = kieze
    space = SpaceFactory(
        district=boxhagen, size_m2=100, kind=SpaceKind.ROOM, monthly_rent=Decimal("700")
    )
    fits = SpaceNeedFactory(title="Passt", districts=[boxhagen], kinds=[SpaceKind.ROOM])
    half = SpaceNeedFactory(title="Halb", districts=[graefe], kinds=[SpaceKind.ROOM])
    SpaceNeedFactory(
        title="Erledigt", districts=[boxhagen], kinds=[SpaceKind.ROOM], status=NeedStatus.FOUND
    )
    SpaceNeedFactory(
        title="Intern",
        districts=[boxhagen],
        kinds=[SpaceKind.ROOM],
        visibility=Visibility.CIVIL_INTERNAL,
    )
    SpaceNeedFactory(
        title="Passt nicht",
        districts=[graefe],
        kinds=[SpaceKind.PLOT],
        min_size_m2=500,
        max_size_m2=900,
        max_rent=Decimal("100"),
    )

    v_intern = make_user(roles.V_INTERN)
    assert [m.need for m in needs_for_space(space, v_intern)] == [fits, half]
    v_extern = make_user(roles.V_EXTERN)
    assert [m.need.title for m in needs_for_space(space, v_extern)] == [
        "Intern",
        "Passt",
        "Halb",
    ]  # ties by title


@pytest.mark.django_db
@pytest.mark.parametrize("status", [SpaceStatus.LOST, SpaceStatus.SECURED])
def test_a_lost_or_secured_space_matches_no_need(kieze, make_user, status):
    space = SpaceFactory(district=kieze[0], status=status)
    need = SpaceNeedFactory(districts=[kieze[0]])
    assert needs_for_space(space, make_user(roles.V_INTERN)) == []
    assert spaces_for_need(need, make_user(roles.V_INTERN)) == []


@pytest.mark.django_db
def test_matching_never_offers_a_space_the_user_may_not_see(need, kieze, make_user):
    SpaceFactory(
        name="Intern",
        district=kieze[0],
        size_m2=100,
        kind=SpaceKind.ROOM,
        visibility=Visibility.ADMIN_INTERNAL,
    )
    assert spaces_for_need(need, make_user(roles.V_EXTERN)) == []
    assert spaces_for_need(need, None) == []
    assert [m.space.name for m in spaces_for_need(need, make_user(roles.COUNCILLOR))] == ["Intern"]
