import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

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

    # OParl publishes when each object was created and last changed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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

    # OParl publishes when each object was created and last changed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BodyKind(models.TextChoices):
    STEERING = "steering", _("Steering round")
    ASSOCIATION = "association", _("Sponsoring association")
    TEAM = "team", _("Team")
    CORE_CIRCLE = "core_circle", _("Core circle")
    STRATEGY_TEAM = "strategy_team", _("Strategy and finance team")
    ACTION_TEAM = "action_team", _("Action team")
    WORKING_GROUP = "working_group", _("Working group")


class VotingUnit(models.TextChoices):
    PERSON = "person", _("One vote per person")
    ORGANISATION = "organisation", _("One vote per member group")


class MinutesApproval(models.TextChoices):
    """How a body approves the minutes of its meetings."""

    DECISION = "decision", _("By a decision of a later meeting")
    CHAIR = "chair", _("By the chair")
    EITHER = "either", _("By a decision of a later meeting or by the chair")


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
    minutes_approval = models.CharField(
        _("approval of minutes"),
        max_length=10,
        choices=MinutesApproval.choices,
        default=MinutesApproval.EITHER,
    )
    # The AKS staff manage the polls and members of the bodies their team runs, and of
    # no other: a citizens' platform's own circles are managed by their own chairs.
    run_by_aks_team = models.BooleanField(
        _("run by the AKS team"),
        default=False,
        help_text=_("The AKS staff manage this body's polls and members."),
    )

    # OParl publishes when each object was created and last changed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisibleQuerySet.as_manager()

    # The access kernel finds the body an object belongs to through this lookup.
    body_lookup = "pk"
    # First parts of URLs under /gremien/ that are not bodies.
    RESERVED_SLUGS = frozenset({"abstimmungen", "beschluesse", "baustellen"})

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
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": _("This short address is reserved.")})
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

    # OParl publishes when each object was created and last changed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Audit trail (issue #8): who changed a term, role or voting right, and when.
    history = HistoricalRecords()

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


class UserGrant(UserObjectPermissionBase):
    """django-guardian's per-object grant to one account, with field names the admin
    can show in German (guardian's own fields have none)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE
    )
    permission = models.ForeignKey(
        Permission, verbose_name=_("permission"), on_delete=models.CASCADE
    )

    class Meta(UserObjectPermissionBase.Meta):
        abstract = True


class GroupGrant(GroupObjectPermissionBase):
    """django-guardian's per-object grant to a role group, with translated field names."""

    group = models.ForeignKey(Group, verbose_name=_("group"), on_delete=models.CASCADE)
    permission = models.ForeignKey(
        Permission, verbose_name=_("permission"), on_delete=models.CASCADE
    )

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = True


class BodyUserObjectPermission(UserGrant):
    content_object = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE)

    class Meta(UserGrant.Meta):
        verbose_name = _("body permission of a user")
        verbose_name_plural = _("body permissions of users")


class BodyGroupObjectPermission(GroupGrant):
    content_object = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE)

    class Meta(GroupGrant.Meta):
        verbose_name = _("body permission of a group")
        verbose_name_plural = _("body permissions of groups")


# --- Votes and decisions ---------------------------------------------------------


class PollKind(models.TextChoices):
    YES_NO_ABSTAIN = "yes_no_abstain", _("Yes / no / abstain")
    YES_NO = "yes_no", _("Yes / no")
    ELECTION = "election", _("Election among candidates")
    APPROVAL = "approval", _("Approval of several options")


class Counting(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic (cast in the browser)")
    ANALOG = "analog", _("Analog (counted in the room)")


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    ABSOLUTE = "absolute", _("Absolute majority")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")
    CONSENSUS = "consensus", _("Consensus (no vote against)")
    DOUBLE_MAJORITY = "double_majority", _("Double majority (administration and civil society)")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Poll(models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="polls"
    )
    title = models.CharField(_("title"), max_length=200)
    motion = models.TextField(_("motion"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PollKind.choices, default=PollKind.YES_NO_ABSTAIN
    )
    counting = models.CharField(
        _("counting"), max_length=20, choices=Counting.choices, default=Counting.ELECTRONIC
    )
    voting_unit = models.CharField(
        _("voting unit"),
        max_length=20,
        choices=VotingUnit.choices,
        blank=True,
        help_text=_("Empty: as the body votes."),
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    majority = models.CharField(
        _("majority rule"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    quorum_count = models.PositiveIntegerField(
        _("quorum (number)"),
        null=True,
        blank=True,
        help_text=_("At least this many votes must be cast."),
    )
    quorum_share = models.DecimalField(
        _("quorum (share)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("At least this share of those entitled must vote, e.g. 0.5."),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, help_text=_("Elections: how many candidates are elected.")
    )
    allow_change = models.BooleanField(_("votes may be changed while open"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Analog polls: ballots counted in the room.
    valid_ballots = models.PositiveIntegerField(_("valid ballots"), null=True, blank=True)
    invalid_ballots = models.PositiveIntegerField(_("invalid ballots"), null=True, blank=True)
    # Computed once when the poll closes.
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    result_text = models.TextField(_("result"), blank=True, editable=False)
    # Elections of a body's members: the elected get a membership with this term.
    elects_into = models.ForeignKey(
        Body,
        verbose_name=_("elects members into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="electing_polls",
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Audit trail (issue #8). The poll itself only: see the note above ``Participation``
    # for why its ballots have no history.
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"
    visibility_parent = "body"

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_share__isnull=True)
                | (Q(quorum_share__gt=0) & Q(quorum_share__lte=1)),
                name="poll_quorum_share_range",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="poll_seats_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bodies:poll", kwargs={"pk": self.pk})

    @property
    def effective_voting_unit(self) -> str:
        return self.voting_unit or self.body.voting_unit

    @property
    def is_motion(self) -> bool:
        return self.kind in (PollKind.YES_NO_ABSTAIN, PollKind.YES_NO)

    @property
    def max_choices(self) -> int:
        if self.kind == PollKind.ELECTION:
            return self.seats
        if self.kind == PollKind.APPROVAL:
            return self.options.count()
        return 1


class OptionMeaning(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")
    CHOICE = "choice", _("Candidate or option")


class PollOption(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("label"), max_length=200)
    meaning = models.CharField(
        _("meaning"), max_length=10, choices=OptionMeaning.choices, default=OptionMeaning.CHOICE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    candidate = models.ForeignKey(
        Person,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
    )
    analog_count = models.PositiveIntegerField(_("count in the room"), null=True, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["poll", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="poll_option_label_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def display_label(self) -> str:
        """Yes / no / abstain in the reader's language; candidates and options as named."""
        if self.meaning != OptionMeaning.CHOICE:
            return str(OptionMeaning(self.meaning).label)
        return self.label


class Entitlement(models.Model):
    """One voter on a poll's roll, frozen when the poll opens.

    A person (voting unit person) or a member group (voting unit organisation);
    ``side`` is the voter's side in the body, for the double majority.
    """

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="entitlements"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.CharField(_("side"), max_length=30, choices=Side.choices)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(organisation__isnull=True),
                name="entitlement_person_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["poll", "person"],
                condition=Q(person__isnull=False),
                name="entitlement_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["poll", "organisation"],
                condition=Q(organisation__isnull=False),
                name="entitlement_one_per_organisation",
            ),
        ]

    def __str__(self):
        return str(self.person or self.organisation)


# No ``HistoricalRecords`` on ``Participation`` or ``Vote``, ever. A secret ballot is
# secret because nothing joins a ``Participation`` to its ``Vote``: the vote has a
# random id and no time. History rows carry ``history_date`` and an increasing
# ``history_id`` written in the same transaction as the participation, so they would
# join the two again by timestamp and order. Open ballots keep voter and time on the
# ``Vote`` row itself and need no separate trail.
class Participation(models.Model):
    """That a voter took part in a secret poll, stored apart from what they chose."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="participations"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.CASCADE, related_name="+"
    )
    cast_by = models.ForeignKey(
        Person, verbose_name=_("cast by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "entitlement"], name="participation_one_per_voter"
            ),
        ]

    def __str__(self):
        return f"{self.entitlement} – {self.poll}"


def _random_id():
    import uuid

    return uuid.uuid4()


class Vote(models.Model):
    """One ballot. In a secret poll it has no voter, no time and a random id,

    so nothing stored joins it to a ``Participation``. ``choices`` holds the
    primary keys of the chosen options.
    """

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="votes"
    )
    entitlement = models.ForeignKey(
        Entitlement,
        verbose_name=_("entitlement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
    )
    cast_by = models.ForeignKey(
        Person,
        verbose_name=_("cast by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.CharField(_("side"), max_length=30, choices=Side.choices)
    choices = models.JSONField(_("choices"), default=list)
    cast_at = models.DateTimeField(_("cast at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "entitlement"],
                condition=Q(entitlement__isnull=False),
                name="vote_one_per_voter",
            ),
        ]

    def __str__(self):
        return f"{self.poll}: {self.choices}"


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    IMPLEMENTED = "implemented", _("Implemented")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class Decision(models.Model):
    """A numbered decision of a body (Beschluss), e.g. SR-2026-007."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    decided_on = models.DateField(_("decided on"))
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    poll = models.OneToOneField(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Audit trail (issue #8): a decision's text and status are the record of the body.
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"
    visibility_parent = "body"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"], name="decision_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("bodies:decision", kwargs={"pk": self.pk})

    @property
    def number(self) -> str:
        return f"{self.body.short_name}-{self.year}-{self.sequence:03d}"


# --- Workstreams (Baustellen) ------------------------------------------------------


class WorkstreamStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")


class Workstream(models.Model):
    """A joint project (Baustelle) with participating organisations and bodies."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkstreamStatus.choices,
        default=WorkstreamStatus.ACTIVE,
    )
    lead_body = models.ForeignKey(
        Body,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="led_workstreams",
    )
    bodies = models.ManyToManyField(
        Body, verbose_name=_("participating bodies"), blank=True, related_name="workstreams"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="workstreams",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    objects = VisibleQuerySet.as_manager()
    body_lookup = "lead_body_id"
    visibility_parent = "lead_body"

    class Meta:
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")
        ordering = ["number"]

    def __str__(self):
        return f"#{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("bodies:workstream", kwargs={"number": self.number})


class ContributionKind(models.TextChoices):
    HOURS = "hours", _("Working hours")
    MONEY = "money", _("Money (EUR)")
    ROOMS = "rooms", _("Rooms (hours of use)")
    OTHER = "other", _("Other")


class Contribution(models.Model):
    """What a partner puts "on the heap" of a workstream (seed 000)."""

    workstream = models.ForeignKey(
        Workstream,
        verbose_name=_("workstream"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what"), max_length=300)
    on = models.DateField(_("date"), default=datetime.date.today)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_amount_positive"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.amount} {self.get_kind_display()}"
