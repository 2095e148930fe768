"""The access kernel: the one place that decides who may see or change what.

Every object a person can open carries a ``visibility`` level. Lists ask
``Model.objects.visible_to(user)`` (one SQL query, ``EXISTS`` subqueries);
single objects and actions ask ``user.has_perm(perm, obj)``, which reaches
:class:`AccessBackend` below and guardian's backend for explicit grants.

A model joins the kernel by
- having a ``visibility`` field and ``objects = VisibleQuerySet.as_manager()``,
- naming ``body_lookup``, the ORM path from it to the primary key of its body,
- optionally naming ``visibility_parent``, the foreign key to an object it
  must never be more visible than (an agenda item and its meeting),
- optionally naming ``participation_lookup``, a pair (the relation from a person to
  the objects they take part in, the ORM path from the model to such an object's
  primary key): its standing participants see its "members" level like members of
  its body do (the councillor at the AKS team's Jour-Fixe),
- optionally having direct-foreign-key guardian permission tables,
- optionally registering a reader rule (:func:`reader_rule`): who reads an object
  beyond its level, by the object's own state (minutes by their status).
"""

from collections.abc import Callable

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from aks.accounts import roles
from aks.accounts.roles import roles_of


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the body")
    TEAM = "team", _("AKS team and councillor")
    ADMIN_INTERNAL = "admin_internal", _("Administration-internal")
    CIVIL_INTERNAL = "civil_internal", _("Civil-society-internal")


# Which levels each role sees besides "public". "members" is seen by the team
# roles and, per object, by the active members of the object's body.
ROLE_LEVELS: dict[str, frozenset[str]] = {
    roles.V_INTERN: frozenset({Visibility.MEMBERS, Visibility.TEAM, Visibility.ADMIN_INTERNAL}),
    roles.V_EXTERN: frozenset({Visibility.MEMBERS, Visibility.TEAM, Visibility.CIVIL_INTERNAL}),
    roles.COUNCILLOR: frozenset({Visibility.MEMBERS, Visibility.TEAM, Visibility.ADMIN_INTERNAL}),
    roles.ASSOCIATION_MEMBER: frozenset(),
}


def levels_for(user) -> frozenset[str]:
    """The levels ``user`` sees on every object, whatever its body."""
    levels = {Visibility.PUBLIC}
    for role in roles_of(user):
        levels |= ROLE_LEVELS.get(role, frozenset())
    return frozenset(levels)


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def sees_everything(user) -> bool:
    """An active superuser: every level of every object, every action."""
    return is_active_user(user) and bool(getattr(user, "is_superuser", False))


# How open each level is. A child object may be as open as its parent or more
# restricted; the two internal levels are equally closed but on opposite sides, so
# neither is "at most as open" as the other.
_OPENNESS = {
    Visibility.PUBLIC: 0,
    Visibility.MEMBERS: 1,
    Visibility.TEAM: 2,
    Visibility.ADMIN_INTERNAL: 3,
    Visibility.CIVIL_INTERNAL: 3,
}


def never_more_open(level: str, than: str) -> bool:
    """Is ``level`` at most as open as ``than`` (and on the same side)?"""
    if level == than:
        return True
    return _OPENNESS.get(level, 0) > _OPENNESS.get(than, 0)


def is_public(obj_or_level) -> bool:
    """Is the object (or the level itself) seen by everyone, anonymous included?"""
    level = getattr(obj_or_level, "visibility", obj_or_level)
    return level == Visibility.PUBLIC


def same_level(obj, other) -> bool:
    """Do the two objects carry the same level (a child shows its own only when it
    differs from its parent's)?"""
    return obj.visibility == other.visibility


def _grant_q(user, model: type[models.Model], prefix: str) -> Q:
    """Explicit guardian grants of ``view_<model>`` to the user or one of their groups."""
    return grant_q(user, model, prefix=prefix, codename=f"view_{model._meta.model_name}")


def grant_q(user, model: type[models.Model], *, prefix: str = "", codename: str) -> Q:
    """Explicit guardian grants of ``codename`` on ``model`` (reached through ``prefix``)
    to the user or one of their groups.

    Built once per user object (a request's user), as its roles are: the two EXISTS
    cost about 0.5 ms of Python each time, and a page filters 10 to 20 querysets.
    The filter holds no grant, only how to look one up, so it never goes stale.
    """
    if not is_active_user(user):
        return Q(pk__in=[])
    built = user.__dict__.setdefault("_aks_grant_q", {})
    if (model, prefix, codename) not in built:
        built[model, prefix, codename] = _build_grant_q(user, model, prefix, codename)
    return built[model, prefix, codename]


def _build_grant_q(user, model: type[models.Model], prefix: str, codename: str) -> Q:
    q = Q()
    user_perms = get_user_obj_perms_model(model)
    if not user_perms.objects.is_generic():
        q |= Exists(
            user_perms.objects.filter(
                user=user,
                permission__codename=codename,
                content_object=OuterRef(f"{prefix}pk"),
            )
        )
    group_perms = get_group_obj_perms_model(model)
    if not group_perms.objects.is_generic():
        q |= Exists(
            group_perms.objects.filter(
                group__user=user,
                permission__codename=codename,
                content_object=OuterRef(f"{prefix}pk"),
            )
        )
    return q


def level_q(user, model: type[models.Model], *, field: str = "visibility", prefix: str = "") -> Q:
    """A filter for rows whose level in ``field`` the user sees.

    Level rules only: no grants, no parent. Used for the object's own level and for
    fields that are more restricted than the object (a space's owner details).
    """
    if sees_everything(user):
        return Q()
    if getattr(user, "is_authenticated", False) and not user.is_active:
        return Q(pk__in=[])
    from .models import Person

    levels = levels_for(user)
    q = Q(**{f"{prefix}{field}__in": levels})
    if not is_active_user(user) or Visibility.MEMBERS in levels:
        return q
    belongs = Q()
    body_lookup = getattr(model, "body_lookup", None)
    if body_lookup:
        belongs |= body_member_q(user, f"{prefix}{body_lookup}")
    participation = getattr(model, "participation_lookup", None)
    if participation:
        relation, lookup = participation
        belongs |= Exists(
            Person.objects.filter(user=user, **{relation: OuterRef(f"{prefix}{lookup}")})
        )
    if belongs:
        q |= Q(**{f"{prefix}{field}": Visibility.MEMBERS}) & belongs
    return q


def body_member_q(user, body_path: str) -> Q:
    """Rows whose body (its primary key reached through ``body_path``) the user is an
    active member of."""
    from .models import Membership

    if not is_active_user(user):
        return Q(pk__in=[])
    return Q(
        Exists(Membership.objects.active().filter(person__user=user, body_id=OuterRef(body_path)))
    )


def leads_body_q(user, body_path: str) -> Q:
    """Rows whose body the user chairs (or deputises for) in a running term: the
    set-based form of :func:`leads_body`."""
    from .models import Membership, MembershipRole

    if not is_active_user(user):
        return Q(pk__in=[])
    return Q(
        Exists(
            Membership.objects.active().filter(
                person__user=user,
                body_id=OuterRef(body_path),
                role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY],
            )
        )
    )


# Who reads a model beyond its level, by the object's own state: a function of the
# user and the path to the object that returns a filter. Registered by the apps'
# rules.py (built from this module's functions) and applied by visibility_q, so
# lists, has_perm, pages, PDFs, search and OParl all follow the same rule.
ReaderRule = Callable[[object, str], Q]
READER_RULES: dict[type[models.Model], ReaderRule] = {}


def reader_rule(model: type[models.Model]):
    """Register the filter of who reads ``model`` in each of its states."""

    def register(build: ReaderRule) -> ReaderRule:
        READER_RULES[model] = build
        return build

    return register


def visibility_q(user, model: type[models.Model], prefix: str = "") -> Q:
    """A filter for ``model`` (reached through ``prefix``) to what ``user`` may see."""
    if sees_everything(user):
        return Q()
    q = level_q(user, model, prefix=prefix)
    readers = READER_RULES.get(model)
    if readers is not None:
        # The level says who may ever read the object; its state narrows that down
        # (draft minutes). An explicit grant passes both, as it always has.
        q &= readers(user, prefix)
    if is_active_user(user):
        q |= _grant_q(user, model, prefix)
    parent = getattr(model, "visibility_parent", None)
    if parent:
        parent_model = model._meta.get_field(parent).related_model
        q &= visibility_q(user, parent_model, prefix=f"{prefix}{parent}__")
    return q


def level_visible_expression(user, model: type[models.Model], field: str):
    """A boolean annotation: may ``user`` see the level stored in ``field``?"""
    return boolean_expression(level_q(user, model, field=field))


def boolean_expression(q: Q):
    """``q`` as a boolean annotation; an empty ``q`` (no restriction) is always true."""
    if not q:
        return Value(True, output_field=models.BooleanField())
    return ExpressionWrapper(q, output_field=models.BooleanField())


def visible_expression(user, model: type[models.Model]):
    """A boolean annotation: may ``user`` see the row (the rule of :func:`visibility_q`)?

    For outputs that list every row and show those the reader may not see as a
    placeholder in their place (an agenda numbered alike for every reader)."""
    q = visibility_q(user, model)
    if not q:
        return Value(True, output_field=models.BooleanField())
    return ExpressionWrapper(q, output_field=models.BooleanField())


def would_see_level(user, level: str, *, body_id: int | None) -> bool:
    """Would ``user`` see an object of the body ``body_id`` at ``level`` by the level
    rules alone (:func:`level_q`, no grants)? For a level chosen in a form, before
    anything is saved."""
    if not is_active_user(user):
        return not getattr(user, "is_authenticated", False) and level == Visibility.PUBLIC
    if sees_everything(user) or level in levels_for(user):
        return True
    if level != Visibility.MEMBERS or body_id is None:
        return False
    from .models import Membership

    return Membership.objects.active().filter(person__user=user, body_id=body_id).exists()


def level_or_own_q(
    user, model: type[models.Model], *, field: str, own_field: str, prefix: str = ""
) -> Q:
    """Like :func:`level_q` for ``field``, and also the rows whose ``own_field`` is the
    user: what she entered herself she may read back whatever its level."""
    q = level_q(user, model, field=field, prefix=prefix)
    # An empty Q means "every row"; OR-ing into it would narrow it to her own rows.
    if q and is_active_user(user):
        # isnull keeps the annotation false, not NULL, on rows nobody owns.
        q |= Q(**{f"{prefix}{own_field}__isnull": False, f"{prefix}{own_field}": user})
    return q


def sees_level_or_own(user, obj, *, field: str, own_field: str) -> bool:
    """Single-object form of :func:`level_or_own_q`."""
    if is_active_user(user) and getattr(obj, f"{own_field}_id", None) == user.pk:
        return True
    return sees_level(user, obj, field)


def sees_level(user, obj, field: str = "visibility") -> bool:
    """Single-object form of :func:`level_q` (one query at most)."""
    model = type(obj)
    return (
        model._default_manager.filter(pk=obj.pk).filter(level_q(user, model, field=field)).exists()
    )


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility_q(user, self.model))


def get_visible_or_404(queryset, user, **lookup):
    """The object, if ``user`` may see it; otherwise 404, never revealing it exists."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def require_perm(user, perm: str, obj=None) -> None:
    """403 unless ``user`` has ``perm`` on ``obj`` (or without an object). For an object
    already fetched with :func:`get_visible_or_404`, so a hidden one answered 404 first."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def may(user, perm: str) -> bool:
    """A permission without an object (adding a space), answered like
    ``user.has_perm(perm)`` but by :class:`AccessBackend` alone: Django's model
    permissions grant nothing here, and asking them costs two queries per page."""
    return sees_everything(user) or AccessBackend().has_perm(user, perm)


def can_view(user, obj) -> bool:
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def is_staff(user) -> bool:
    """AKS team staff on either side of the administration."""
    return is_active_user(user) and bool(roles_of(user) & roles.STAFF)


def has_staff_rights(user) -> bool:
    """AKS staff, or an active superuser, who may do whatever the staff may."""
    return sees_everything(user) or is_staff(user)


def follows_team(user) -> bool:
    """The AKS team and the councillor: those whose levels cover the team's objects."""
    return is_active_user(user) and Visibility.TEAM in levels_for(user)


def is_councillor(user) -> bool:
    return is_active_user(user) and roles.COUNCILLOR in roles_of(user)


def staff_account_q(user_path: str) -> Q:
    """Rows (people, through ``user_path`` to their account) with an active AKS staff
    account: the set-based form of :func:`is_staff`."""
    return Q(**{f"{user_path}__groups__name__in": roles.STAFF, f"{user_path}__is_active": True})


def audience_key(user, *, body_id: int | None) -> str:
    """A stable key of the levels ``user`` sees on objects of the body ``body_id``: who
    reads the same stored document (a PDF rendered per reader).

    The same levels :func:`level_q` applies (``levels_for`` plus ``members`` for an
    active member of the body); explicit grants are not part of the key, a document's
    fingerprint tells such documents apart.
    """
    if not is_active_user(user):
        return Visibility.PUBLIC if not getattr(user, "is_authenticated", False) else "none"
    if sees_everything(user):
        return "all"
    levels = set(levels_for(user))
    if Visibility.MEMBERS not in levels and body_id is not None:
        from .models import Membership

        if Membership.objects.active().filter(person__user=user, body_id=body_id).exists():
            levels.add(Visibility.MEMBERS)
    return "+".join(value for value in Visibility.values if value in levels)


def led_body_ids(user) -> frozenset[int]:
    """The bodies the user chairs (or deputises for) in a running term: one query,
    for pages that decide per row of a list whether the reader runs its body."""
    from .models import Membership, MembershipRole

    if not is_active_user(user):
        return frozenset()
    return frozenset(
        Membership.objects.active()
        .filter(person__user=user, role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY])
        .values_list("body_id", flat=True)
    )


def leads_a_body(user) -> bool:
    """The user chairs (or deputises for) some body in a running term: one EXISTS query,
    for the navigation, which offers the follow-up lists to whoever runs a body."""
    from .models import Membership, MembershipRole

    return (
        is_active_user(user)
        and Membership.objects.active()
        .filter(person__user=user, role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY])
        .exists()
    )


def leads_body(user, body_id: int) -> bool:
    """The user chairs (or deputises for) the body in a running term."""
    from .models import Membership, MembershipRole

    return (
        is_active_user(user)
        and Membership.objects.active()
        .filter(
            person__user=user,
            body_id=body_id,
            role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY],
        )
        .exists()
    )


def manages_body(user, body) -> bool:
    """The user manages the body's polls and members: its chair, deputy or an organiser
    in a running term, or AKS staff on a body the AKS team runs (on no other: the staff
    are ordinary members of the circles they do not run)."""
    from .models import Membership, MembershipRole

    if not is_active_user(user):
        return False
    if body.run_by_aks_team and is_staff(user):
        return True
    return (
        Membership.objects.active()
        .filter(
            person__user=user,
            body_id=body.pk,
            role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY, MembershipRole.ORGANIZER],
        )
        .exists()
    )


Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}
# Permissions without an object (adding a space): a predicate of the user alone.
PLAIN_RULES: dict[str, Callable[[object], bool]] = {}


def rule(perm: str):
    """Register the predicate that answers ``user.has_perm(perm, obj)``.

    Each app names its rules ``app.verb_model`` in its own ``rules.py``; the
    predicates are built from the functions of this module.
    """

    def register(predicate: Rule) -> Rule:
        RULES[perm] = predicate
        return predicate

    return register


def plain_rule(perm: str):
    """Register the predicate that answers ``user.has_perm(perm)`` (no object), asked
    through :func:`may`."""

    def register(predicate: Callable[[object], bool]) -> Callable[[object], bool]:
        PLAIN_RULES[perm] = predicate
        return predicate

    return register


class AccessBackend(BaseBackend):
    """Answers permissions from the rules registered above."""

    def has_perm(self, user_obj, perm, obj=None):
        if getattr(user_obj, "is_authenticated", False) and not user_obj.is_active:
            return False
        if obj is None:
            plain = PLAIN_RULES.get(perm)
            return bool(plain and plain(user_obj))
        predicate = RULES.get(perm)
        return bool(predicate and predicate(user_obj, obj))
