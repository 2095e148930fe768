"""Leerstands-Matching: spaces ranked for a need, needs ranked for a space.

Four criteria — size, neighbourhood, kind, rent — each fits, does not fit, or is
unknown; the score is the number that fit and every match carries a short
explanation per criterion. Both directions only ever look at what the user may
see: spaces through ``selectors.visible_spaces`` (owner details redacted),
needs through ``SpaceNeed.objects.visible_to``.

For spaces the score is also computed in SQL, so ranking thousands of spaces
costs one query; ``assess`` explains the few that are shown, and the tests hold
both to the same answer.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import MATCHABLE_STATUSES, Space, SpaceKind, SpaceNeed
from .selectors import open_needs, visible_spaces

MIN_SCORE = 2  # at least two of the four criteria must fit
CRITERIA = ("size", "district", "kind", "rent")


@dataclass(frozen=True)
class Criterion:
    key: str
    fits: bool | None  # None: unknown (the space does not say)
    text: str


@dataclass
class Match:
    space: Space
    need: SpaceNeed
    criteria: list[Criterion]

    @property
    def score(self) -> int:
        return sum(1 for criterion in self.criteria if criterion.fits)

    @property
    def explanation(self) -> str:
        return "; ".join(criterion.text for criterion in self.criteria)


def _m2(value) -> str:
    return _("%(size)s m²") % {"size": number_format(value, force_grouping=True)}


def _eur(value: Decimal) -> str:
    return _("%(amount)s €") % {"amount": number_format(value, 0, force_grouping=True)}


def _size(space: Space, need: SpaceNeed) -> Criterion:
    low, high = need.min_size_m2, need.max_size_m2
    if low is None and high is None:
        return Criterion("size", True, _("any size"))
    if space.size_m2 is None:
        return Criterion("size", None, _("size unknown"))
    size = _m2(space.size_m2)
    if low is not None and space.size_m2 < low:
        return Criterion(
            "size",
            False,
            _("too small (%(size)s, needed from %(low)s)")
            % {
                "size": size,
                "low": _m2(low),
            },
        )
    if high is not None and space.size_m2 > high:
        return Criterion(
            "size",
            False,
            _("too large (%(size)s, needed up to %(high)s)")
            % {
                "size": size,
                "high": _m2(high),
            },
        )
    return Criterion("size", True, _("size fits (%(size)s)") % {"size": size})


def _district(space: Space, district_ids: set[int]) -> Criterion:
    if not district_ids:
        return Criterion("district", True, _("any neighbourhood"))
    name = space.district.name
    if space.district_id in district_ids:
        return Criterion("district", True, _("neighbourhood fits (%(name)s)") % {"name": name})
    return Criterion("district", False, _("other neighbourhood (%(name)s)") % {"name": name})


def _kind(space: Space, need: SpaceNeed) -> Criterion:
    if not need.kinds:
        return Criterion("kind", True, _("any kind of space"))
    label = SpaceKind(space.kind).label if space.kind in SpaceKind.values else space.kind
    if space.kind in need.kinds:
        return Criterion("kind", True, _("kind fits (%(kind)s)") % {"kind": label})
    return Criterion("kind", False, _("other kind (%(kind)s)") % {"kind": label})


def _rent(space: Space, need: SpaceNeed) -> Criterion:
    if need.max_rent is None:
        return Criterion("rent", True, _("no rent limit"))
    if space.monthly_rent is None:
        return Criterion("rent", None, _("rent unknown"))
    params = {"rent": _eur(space.monthly_rent), "limit": _eur(need.max_rent)}
    if space.monthly_rent <= need.max_rent:
        return Criterion("rent", True, _("rent fits (%(rent)s, at most %(limit)s)") % params)
    return Criterion("rent", False, _("rent too high (%(rent)s, at most %(limit)s)") % params)


def assess(space: Space, need: SpaceNeed, district_ids: set[int] | None = None) -> Match:
    """How well ``space`` fits ``need``, criterion by criterion."""
    if district_ids is None:
        district_ids = {district.pk for district in need.districts.all()}
    return Match(
        space=space,
        need=need,
        criteria=[
            _size(space, need),
            _district(space, district_ids),
            _kind(space, need),
            _rent(space, need),
        ],
    )


def _score_expression(need: SpaceNeed, district_ids: set[int]):
    one, zero = Value(1), Value(0)

    def fits(condition: Q | None):
        if condition is None:
            return one
        return Case(When(condition, then=one), default=zero, output_field=IntegerField())

    size = None
    if need.min_size_m2 is not None or need.max_size_m2 is not None:
        size = Q(size_m2__isnull=False)
        if need.min_size_m2 is not None:
            size &= Q(size_m2__gte=need.min_size_m2)
        if need.max_size_m2 is not None:
            size &= Q(size_m2__lte=need.max_size_m2)
    district = Q(district_id__in=district_ids) if district_ids else None
    kind = Q(kind__in=need.kinds) if need.kinds else None
    rent = None
    if need.max_rent is not None:
        rent = Q(monthly_rent__isnull=False, monthly_rent__lte=need.max_rent)
    return fits(size) + fits(district) + fits(kind) + fits(rent)


def spaces_for_need(need: SpaceNeed, user, limit: int = 10) -> list[Match]:
    """The spaces the user may see that fit ``need`` best, best first."""
    district_ids = {district.pk for district in need.districts.all()}
    spaces = (
        visible_spaces(user)
        .filter(status__in=MATCHABLE_STATUSES)
        .annotate(match_score=_score_expression(need, district_ids))
        .filter(match_score__gte=MIN_SCORE)
        .order_by("-match_score", "name", "pk")[:limit]
    )
    return [assess(space, need, district_ids) for space in spaces]


def needs_for_space(space: Space, user, limit: int = 10) -> list[Match]:
    """The open needs the user may see that ``space`` fits best, best first."""
    if space.status not in MATCHABLE_STATUSES:
        return []
    matches = []
    for need in open_needs(user):
        match = assess(space, need, {district.pk for district in need.districts.all()})
        if match.score >= MIN_SCORE:
            matches.append(match)
    matches.sort(key=lambda match: (-match.score, match.need.title.casefold(), match.need.pk))
    return matches[:limit]
