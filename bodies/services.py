import datetime

from django.db import transaction

from .models import Body, Membership, MembershipRole, Organisation, Person, Side


@transaction.atomic
def add_membership(
    *,
    body: Body,
    person: Person,
    side: Side | str,
    role: MembershipRole | str = MembershipRole.MEMBER,
    organisation: Organisation | None = None,
    voting_right: bool = True,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    """Add a person to a body, enforcing the rules that span body and membership.

    Raises ``ValidationError`` (with German messages) and writes nothing when a
    rule is broken: a delegate or voting member of a body that votes per member
    group must represent an organisation, and a term may not end before it starts.
    """
    membership = Membership(
        body=body,
        person=person,
        side=side,
        role=role,
        organisation=organisation,
        voting_right=voting_right,
        end=end,
    )
    if start is not None:
        membership.start = start
    membership.full_clean()
    membership.save()
    return membership
