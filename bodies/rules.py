from .access import can_view, is_staff, leads_body, rule


@rule("bodies.view_body")
def view_body(user, body):
    return can_view(user, body)


@rule("bodies.change_body")
def change_body(user, body):
    return can_view(user, body) and (is_staff(user) or leads_body(user, body.pk))
