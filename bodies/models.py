import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .access import Visibility, VisibleQuerySet


class OrganisationKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", _("District office")
    DISTRICT_COUNCIL = "district_council", _("District council")
    SENATE_DEPARTMENT = "senate_department", _("Senate department")
    HOUSING_COMPANY = "housing_company", _("Housing company")
    PROPERTY_MANAGER = "property_manager", _("Property manager")
    ASSOCIATION = "association", _("Association")
    INITIATIVE = "initiative", _("Initiative")
    FOUNDATION = "foundation", _("Foundation")
    BUSINESS = "business", _("Business")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone who takes part, with or without an account on the platform."""

    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The organisation the person mainly works for or belongs to."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BodyKind(models.TextChoices):
    STEERING = "steering", _("Steering round")
    ASSOCIATION = "association", _("Sponsoring association")
    TEAM = "team", _("AKS team")
    CORE_CIRCLE = "core_circle", _("Core circle")
    STRATEGY_TEAM = "strategy_team", _("Strategy and finance team")
    ACTION_TEAM = "action_team", _("Action team")
    WORKING_GROUP = "working_group", _("Working group")


class VotingUnit(models.TextChoices):
    PERSON = "person", _("One vote per person")
    ORGANISATION = "organisation", _("One vote per member group")


class Body(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=12,
        unique=True,
        help_text=_("Used in decision numbers, e.g. SR for the steering round."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    voting_unit = models.CharField(
        _("voting unit"), max_length=20, choices=VotingUnit.choices, default=VotingUnit.PERSON
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    description = models.TextField(_("description"), blank=True)

    objects = VisibleQuerySet.as_manager()

    # The access kernel finds the body an object belongs to through this lookup.
    body_lookup = "pk"

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="body_visibility_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bodies:detail", kwargs={"slug": self.slug})

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("A body cannot be its own parent.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    MEMBER = "member", _("Member")
    DELEGATE = "delegate", _("Delegate")
    ORGANIZER = "organizer", _("Organizer")
    KEY_PERSON = "key_person", _("Key person")
    COUNCILLOR = "councillor", _("Councillor")
    GUEST = "guest", _("Guest")


class Side(models.TextChoices):
    ADMINISTRATION_INTERNAL = "administration_internal", _("Administration (internal)")
    ADMINISTRATION_EXTERNAL = "administration_external", _("Administration (external)")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    POLITICS = "politics", _("Politics")


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Memberships whose term runs on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on)))


class Membership(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    side = models.CharField(_("side"), max_length=30, choices=Side.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    voting_right = models.BooleanField(_("voting right"), default=True)
    start = models.DateField(_("start of term"), default=datetime.date.today)
    end = models.DateField(_("end of term"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
                violation_error_message=_("The end of the term must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(role="delegate") | Q(organisation__isnull=False),
                name="membership_delegate_represents_organisation",
                violation_error_message=_("A delegate must represent an organisation."),
            ),
        ]
        indexes = [models.Index(fields=["body", "person", "start", "end"])]

    def __str__(self):
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)

    def clean(self):
        # Only here (and in the service) because the rule spans two tables.
        if (
            self.body_id
            and self.body.voting_unit == VotingUnit.ORGANISATION
            and self.voting_right
            and self.organisation_id is None
        ):
            raise ValidationError(
                {
                    "organisation": _(
                        "In a body that votes per member group, a member with a voting "
                        "right must represent an organisation."
                    )
                }
            )


class BodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class BodyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)
