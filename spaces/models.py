"""Spaces (Leerstand, Zwischennutzung): vacant or contested spaces, their status
lifecycle, and the space needs of initiatives that match against them.

The allowed status transitions live in ``ALLOWED_TRANSITIONS`` below and nowhere
else; ``spaces.services.change_status`` is the only code that moves a space.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bodies.access import Visibility, VisibleQuerySet
from bodies.models import Body, Decision, GroupGrant, Organisation, UserGrant


class Instrument(models.Model):
    """A legal or planning instrument that can secure a space (Vorkaufsrecht …).

    The names are German legal terms; a data migration creates the usual ones.
    """

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class District(models.Model):
    """A neighbourhood (Kiez) of the district; a space lies in one, a need names several."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class SpaceKind(models.TextChoices):
    SHOPFRONT = "shopfront", _("Shopfront")
    BUILDING = "building", _("Building")
    FLOOR = "floor", _("Floor")
    PLOT = "plot", _("Plot")
    ROOM = "room", _("Room")
    OTHER = "other", _("Other")


class OwnerKind(models.TextChoices):
    DISTRICT_OR_STATE = "district_or_state", _("District or State of Berlin")
    BIM = "bim", _("BIM (state property manager)")
    HOUSING_COMPANY = "housing_company", _("WBM or another housing company")
    PRIVATE = "private", _("Private owner")
    CHURCH = "church", _("Church")
    UNKNOWN = "unknown", _("Unknown")


class SpaceStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    IN_NEGOTIATION = "in_negotiation", _("In negotiation")
    INTERIM_USE = "interim_use", _("Interim use")
    SECURED = "secured", _("Secured")
    LOST = "lost", _("Lost")


# The one table of allowed status changes: from -> the statuses it may move to.
# A space is secured or lost for good; an interim use can fall back into
# negotiation when it ends without a lasting agreement.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    SpaceStatus.REPORTED: frozenset({SpaceStatus.VERIFIED, SpaceStatus.LOST}),
    SpaceStatus.VERIFIED: frozenset({SpaceStatus.IN_NEGOTIATION, SpaceStatus.LOST}),
    SpaceStatus.IN_NEGOTIATION: frozenset(
        {SpaceStatus.INTERIM_USE, SpaceStatus.SECURED, SpaceStatus.LOST}
    ),
    SpaceStatus.INTERIM_USE: frozenset(
        {SpaceStatus.IN_NEGOTIATION, SpaceStatus.SECURED, SpaceStatus.LOST}
    ),
    SpaceStatus.SECURED: frozenset(),
    SpaceStatus.LOST: frozenset(),
}

# Spaces still looking for users, matched against needs: not yet secured for a use,
# not lost. An interim use can take in more groups, so it stays in.
MATCHABLE_STATUSES = frozenset(
    {
        SpaceStatus.REPORTED,
        SpaceStatus.VERIFIED,
        SpaceStatus.IN_NEGOTIATION,
        SpaceStatus.INTERIM_USE,
    }
)


def is_allowed_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


def next_statuses(from_status: str) -> list[str]:
    """The statuses a space may move to next, in the order of the lifecycle."""
    allowed = ALLOWED_TRANSITIONS.get(from_status, frozenset())
    return [status for status in SpaceStatus.values if status in allowed]


class Space(models.Model):
    """A vacant, threatened or contested space the AKS works to secure."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, help_text=_("Street and number."))
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("Enter a postcode of five digits."))],
    )
    district = models.ForeignKey(
        District, verbose_name=_("neighbourhood"), on_delete=models.PROTECT, related_name="spaces"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees, e.g. 52.5102."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees, e.g. 13.4563."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices)
    size_m2 = models.PositiveIntegerField(_("size (m²)"), null=True, blank=True)
    monthly_rent = models.DecimalField(
        _("monthly rent (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Rent asked per month without heating costs, if known."),
    )
    # Owner details: seen only by those who see ``owner_visibility``.
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_spaces",
    )
    owner_kind = models.CharField(
        _("kind of owner"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.UNKNOWN
    )
    owner_notes = models.TextField(_("notes on the owner"), blank=True)
    owner_visibility = models.CharField(
        _("visibility of the owner details"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.TEAM,
        help_text=_("Owner details can be more restricted than the space itself."),
    )
    vacant_since = models.DateField(_("vacant since"), null=True, blank=True)
    current_user_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("current user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="used_spaces",
        help_text=_("The organisation using the space now, e.g. in an interim use."),
    )
    instruments = models.ManyToManyField(
        Instrument, verbose_name=_("instruments in play"), blank=True, related_name="spaces"
    )
    contested = models.BooleanField(_("contested"), default=False)
    contested_reason = models.TextField(_("why it is contested"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SpaceStatus.choices,
        default=SpaceStatus.REPORTED,
        editable=False,
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.TEAM
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        help_text=_("Its members see the space at the level “members of the body”."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_spaces",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Audit trail (issue #8). Historical rows copy the owner details too; pages show
    # only which fields changed, and leave out owner fields the reader may not see.
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="space_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner_visibility__in=Visibility.values),
                name="space_owner_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SpaceStatus.values), name="space_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="space_coordinates_both_or_none",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(contested=False) | ~Q(contested_reason=""),
                name="space_contested_has_reason",
                violation_error_message=_("Say why the space is contested."),
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["visibility"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if getattr(self, "_owner_redacted", False):
            # Loaded for display with the owner details blanked out: saving it would
            # erase them. Load it with ``selectors.space_for_change`` instead.
            raise RuntimeError("A space with redacted owner details cannot be saved.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("spaces:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.contested and not (self.contested_reason or "").strip():
            errors["contested_reason"] = _("Say why the space is contested.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def next_statuses(self) -> list[str]:
        return next_statuses(self.status)


class SpaceStatusChange(models.Model):
    """One step in a space's lifecycle, and the decision it rests on."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("previous status"), max_length=20, choices=SpaceStatus.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=20, choices=SpaceStatus.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="space_status_changes",
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=SpaceStatus.values), name="space_change_to_valid"
            ),
        ]

    def __str__(self):
        return f"{self.space}: {self.from_status or '–'} → {self.to_status}"


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FOUND = "found", _("Space found")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SpaceNeed(models.Model):
    """A space need (Raumbedarf) of an organisation, for the Leerstands-Matching."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="space_needs",
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("What the space is needed for."))
    min_size_m2 = models.PositiveIntegerField(_("at least (m²)"), null=True, blank=True)
    max_size_m2 = models.PositiveIntegerField(_("at most (m²)"), null=True, blank=True)
    districts = models.ManyToManyField(
        District,
        verbose_name=_("neighbourhoods"),
        blank=True,
        related_name="needs",
        help_text=_("None: any neighbourhood."),
    )
    kinds = models.JSONField(
        _("kinds of space"), default=list, blank=True, help_text=_("None: any kind.")
    )
    max_rent = models.DecimalField(
        _("maximum monthly rent (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="space_needs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"

    class Meta:
        verbose_name = _("space need")
        verbose_name_plural = _("space needs")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="space_need_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_size_m2__isnull=True)
                | Q(max_size_m2__isnull=True)
                | Q(min_size_m2__lte=models.F("max_size_m2")),
                name="space_need_size_range",
                violation_error_message=_("The smallest size must not exceed the largest."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("spaces:need_detail", kwargs={"pk": self.pk})

    def get_kinds_display(self) -> list[str]:
        labels = dict(SpaceKind.choices)
        return [str(labels[kind]) for kind in self.kinds if kind in labels]

    def clean(self):
        unknown = [kind for kind in self.kinds or [] if kind not in SpaceKind.values]
        if unknown or not isinstance(self.kinds, list):
            raise ValidationError({"kinds": _("Choose kinds of space from the list.")})


class SpaceUserObjectPermission(UserGrant):
    content_object = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE)

    class Meta(UserGrant.Meta):
        verbose_name = _("space permission of a user")
        verbose_name_plural = _("space permissions of users")


class SpaceGroupObjectPermission(GroupGrant):
    content_object = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.CASCADE)

    class Meta(GroupGrant.Meta):
        verbose_name = _("space permission of a group")
        verbose_name_plural = _("space permissions of groups")


class SpaceNeedUserObjectPermission(UserGrant):
    content_object = models.ForeignKey(
        SpaceNeed, verbose_name=_("space need"), on_delete=models.CASCADE
    )

    class Meta(UserGrant.Meta):
        verbose_name = _("space need permission of a user")
        verbose_name_plural = _("space need permissions of users")


class SpaceNeedGroupObjectPermission(GroupGrant):
    content_object = models.ForeignKey(
        SpaceNeed, verbose_name=_("space need"), on_delete=models.CASCADE
    )

    class Meta(GroupGrant.Meta):
        verbose_name = _("space need permission of a group")
        verbose_name_plural = _("space need permissions of groups")
