"""Helpers shared by the browser journeys (fixtures live in conftest.py)."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import seed_votes
from bodies.models import Body, Decision
from bodies.services import record_decision
from meetings import services
from meetings.demo import seed_meetings
from meetings.models import Meeting, Minutes


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


def publish_ag1_minutes() -> Decision:
    """The demo's AG1 minutes, approved by a public decision of the AG and published."""
    seed_meetings()
    seed_votes()
    meeting = Meeting.objects.get(title="AG1: Kooperationsmodell Vor-Ort-Laden")
    minutes = Minutes.objects.get(meeting=meeting)
    services.circulate_minutes(minutes=minutes)
    decision = record_decision(
        body=Body.objects.get(slug="ag1"),
        title="Nutzungsvereinbarung für den Vor-Ort-Laden empfohlen",
        text="Die AG empfiehlt der Steuerungsrunde eine Nutzungsvereinbarung für zwölf Monate.",
        decided_on=timezone.localdate(meeting.start) + datetime.timedelta(days=7),
        visibility=Visibility.PUBLIC,
    )
    services.approve_minutes(minutes=minutes, decision=decision)
    services.publish_minutes(minutes=minutes)
    return decision
