from .access import can_view, is_staff, leads_body, manages_body, rule


@rule("bodies.view_body")
def view_body(user, body):
    return can_view(user, body)


@rule("bodies.change_body")
def change_body(user, body):
    """Manage the members: see :func:`bodies.access.manages_body`."""
    return can_view(user, body) and manages_body(user, body)


@rule("bodies.add_poll")
def add_poll(user, body):
    """Chairs prepare their body's polls; AKS staff prepare them for the bodies they run."""
    return can_view(user, body) and manages_body(user, body)


@rule("bodies.view_poll")
def view_poll(user, poll):
    return can_view(user, poll)


@rule("bodies.manage_poll")
def manage_poll(user, poll):
    """Open, count in the room, close, cancel."""
    return can_view(user, poll) and manages_body(user, poll.body)


@rule("bodies.view_decision")
def view_decision(user, decision):
    return can_view(user, decision)


@rule("bodies.view_workstream")
def view_workstream(user, workstream):
    return can_view(user, workstream)


@rule("bodies.change_workstream")
def change_workstream(user, workstream):
    """AKS staff and the chair of the lead body keep a workstream's contribution ledger."""
    return can_view(user, workstream) and (
        is_staff(user) or leads_body(user, workstream.lead_body_id)
    )
