"""Helpers shared by the browser journeys (fixtures live in conftest.py)."""

import re

from django.core import mail

from bodies.demo import seed_votes
from bodies.models import Decision
from meetings.demo import seed_meetings
from meetings.models import Meeting, Minutes, MinutesStatus


def mail_link(address, path_part):
    """The newest link to ``…/<path_part>/`` in a mail sent to ``address``."""
    for message in reversed(mail.outbox):
        if message.to == [address]:
            match = re.search(rf"https?://\S+/{path_part}/", message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no mail to {address} with a link to {path_part}")


def local_url(url, base_url):
    # Mails carry SITE_URL; the browser talks to the live server.
    return base_url + re.sub(r"^https?://[^/]+", "", url)


def follow_the_link_in_the_mail(page, base_url, address, path_part):
    """Open the link ending in ``path_part`` of the last mail to ``address``, as its
    reader clicks it."""
    page.goto(local_url(mail_link(address, path_part), base_url))


def publish_ag1_minutes() -> Decision:
    """The demo's AG1 minutes, approved by a public decision of the AG and published."""
    seed_meetings()
    seed_votes()
    meeting = Meeting.objects.get(title="AG1: Kooperationsmodell Vor-Ort-Laden")
    return Minutes.objects.get(meeting=meeting, status=MinutesStatus.PUBLISHED).approval
